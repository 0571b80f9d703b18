"""Knowing the customer at the counter and in the back office (issue 23): the profile's
"Customer value" box with its next best actions (:mod:`.value_panel`), the manager's
"Customer insights" dashboard (:mod:`.dashboard`) and the consented marketing lists
(:mod:`.lists`). Every figure comes from ``core.crm`` through the database worker; the
words for segments, value bands, reasons and actions come from ``core.terms``."""
