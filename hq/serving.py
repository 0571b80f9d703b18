"""A store that newly serves a customer gets the whole customer with its next pull.

A pull hands a store the rows past its cursor: in each lane, the rows whose sequence is
above the number the cursor holds for that lane (:mod:`hq.lanes`). The rows of a customer
the store did not serve before are mostly below it: they changed before the store served
them. So whenever a store starts to serve a customer (a push links it, a merge hands it
the survivor, an on-demand fetch finds it), the customer's rows move to the head of their
lanes: new sequence numbers above every row in the lane, in their present order. The store's
next pull then carries the whole customer, whether or not some other answer (a fetch's) ever
reached it; a store that already has the rows applies them again as no change.

The move is made by :func:`hq.lanes.write` (its ``move_customers``), under the locks of the
lanes the rows are in (:func:`hq.common.lock_lanes`), together with the batch's own rows.
The customer's profile, locked ``FOR UPDATE`` first by whoever moves it (a push's batch
before it merges, a fetch before it records the serving), keeps any concurrent write about
that customer out of the gap.

This module holds the rule only; there is no code here any more.
"""
