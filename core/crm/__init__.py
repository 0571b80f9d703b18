"""Knowing the customer (issue 23): the rules both HQ and the store use.

- :mod:`core.crm.segments`: RFM scores 1..5 by the chain's quintiles, the named segments and
  value bands (one rule, used by HQ's recompute and by the tests' hand-computed fixture).
- :mod:`core.crm.churn`: churn risk as a score with its reasons (codes and numbers, worded by
  the one catalogue, :mod:`core.terms`, kinds ``churn_reason``).
- :mod:`core.crm.sales`: what a sale from the till must hold, and the normalised keys it is
  matched to a customer by (member number, phone, email).
- :mod:`core.crm.actions`: the next best actions for a customer at the counter, from HQ's
  rules (``next_action_rule``) or the defaults here, and what staff did with them.
- :mod:`core.crm.lists`: marketing lists of consented customers, exported as CSV, audited.
- :mod:`core.crm.dashboard`: the manager's figures (segments and their movement, churn
  risk, NPS trend, complaints against their clock, suggestions taken), screen and paper.

Scores are computed at HQ for the whole chain (:mod:`hq.crm`) and pulled by the stores as
``customer_score`` rows: the quintiles are the chain's, so a customer has one segment in
every store and a small store's few customers still get stable scores.
"""

from __future__ import annotations

SEGMENTS = ("champions", "loyal", "potential", "new", "promising", "needs_attention", "at_risk",
            "cant_lose", "hibernating", "lost")
NO_SEGMENT = "none"                      # no purchase, paid repair or trade-in yet
VALUE_BANDS = ("top", "high", "mid", "low")
CHURN_CODES = ("no_visit", "no_visit_once", "complaints", "points_expiring", "activity_falling")
ACTION_CODES = ("battery_service", "warranty_ending", "tradein_upgrade", "accessory", "complaint_followup")
OUTCOMES = ("accepted", "dismissed")
CHANNELS = ("sms", "email")              # marketing list channels (core.privacy.MARKETING)
