"""Every customer's scores for the chain (issue 23): RFM, lifetime value, churn risk."""
