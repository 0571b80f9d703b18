"""A store that newly serves a customer gets the whole customer with its next pull.

A pull hands a store the rows whose sequence is above its cursor. The rows of a customer
the store did not serve before are mostly below it: they changed before the store served
them. So whenever a store starts to serve a customer (a push links it, a merge hands it
the survivor, an on-demand fetch finds it), the customer's rows move to the head of the
sequence: new sequence numbers above every row, in their present order. The store's next
pull then carries the whole customer, whether or not some other answer (a fetch's) ever
reached it; a store that already has the rows applies them again as no change.

The caller holds HQ's sequence lock (``hq.push._lock``: the ``seq`` row of ``hq_state``,
``FOR UPDATE`` on PostgreSQL) and writes the new head back to ``hq_state`` afterwards.

With per-bucket cursors (a later scale issue) the move is "to the head of the customer
bucket's sequence": the same rule, with that bucket's counter in place of the global one.
"""

from __future__ import annotations

import uuid
from typing import Iterable

from sqlalchemy import bindparam, select, update

from core.sync import merge
from hq.common import _in, _step
from hq.models import hq_row


def move_to_head(conn, customers: Iterable[uuid.UUID], seq: int) -> int:
    """Give every customer-bucket row of ``customers`` a sequence number above ``seq``
    (the head, read under the sequence lock), keeping their order; returns the new head."""
    ids = sorted(set(customers))
    if not ids:
        return seq
    keys: list[tuple[int, str, str]] = []
    step = _step(conn)
    for i in range(0, len(ids), step):
        keys.extend(conn.execute(select(hq_row.c.seq, hq_row.c.entity, hq_row.c.entity_id).where(
            _in(conn, hq_row.c.customer_id, ids[i:i + step]), hq_row.c.bucket == merge.BUCKET_CUSTOMER)))
    if not keys:
        return seq
    keys.sort()
    # new numbers are above every old one, so the unique index on seq never sees a clash
    moves = [{"k_entity": e, "k_id": i, "v_seq": seq + n} for n, (_, e, i) in enumerate(keys, 1)]
    conn.execute(update(hq_row).where(hq_row.c.entity == bindparam("k_entity"),
                                      hq_row.c.entity_id == bindparam("k_id"))
                 .values(seq=bindparam("v_seq")), moves)
    return seq + len(moves)
