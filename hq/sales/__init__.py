"""Sales from the chain's till and web shop (issue 23)."""
