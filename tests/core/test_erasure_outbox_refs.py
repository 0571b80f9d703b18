"""What the outbox remembers about an erased person (core.erasure.references with
``remembered``, and scrub_outbox), which reads the outbox once per level of tables with the
ids searched for as one JSON array: held here to the per-table search it replaced and to
the rows a reader can name by hand (its results; how many scans it makes is not checked)."""

import uuid

from sqlalchemy import func, insert, select

from core import clock, erasure
from core.models import OutboxEntry


def _id() -> str:
    return str(uuid.uuid4())


def _old_remembered(conn, refs):
    """The search this replaced: per table, a scan for the parents' ids, in chunks."""
    out = {k: set(v) for k, v in refs.items()}
    for name, path in erasure.customer_tables().items():
        parent = "customer" if path.parent is None else path.parent
        ids = sorted(out[parent])
        for i in range(0, len(ids), 500):
            out[name].update(conn.execute(select(OutboxEntry.entity_id).where(
                OutboxEntry.entity == name,
                func.json_extract(OutboxEntry.fields, f"$.{path.column}").in_(ids[i:i + 500]))).scalars())
    return out


def _capture(s, entity, entity_id, fields, op="insert"):
    s.connection().execute(insert(OutboxEntry).values(
        op_id=uuid.uuid4(), entity=entity, entity_id=entity_id, op=op, fields=fields,
        hlc=f"{clock.now_ms():015d}-0000-x", created_at=clock.now(), sent_at=None))


def test_rows_the_outbox_remembers_are_found_through_their_parents_and_scrubbed(db):
    erased, other = _id(), _id()
    acc_gone, acc_other, acc_moved = _id(), _id(), _id()
    entry_gone, entry_other, entry_moved, entry_odd = _id(), _id(), _id(), _id()
    ticket, event = _id(), _id()
    with db.session(write=True) as s:
        # none of these rows is here any more (deleted before the erasure): only the outbox knows
        _capture(s, "loyalty_account", acc_gone, {"id": acc_gone, "customer_id": erased, "member_number": "M1"})
        _capture(s, "loyalty_account", acc_other, {"id": acc_other, "customer_id": other, "member_number": "M2"})
        _capture(s, "loyalty_account", acc_moved, {"id": acc_moved, "customer_id": erased, "member_number": "M3"})
        _capture(s, "loyalty_account", acc_moved, {"customer_id": other}, op="update")     # moved since
        _capture(s, "loyalty_entry", entry_gone, {"id": entry_gone, "account_id": acc_gone, "points": 5,
                                                   "reason": "birthday of Anna Smith"})
        _capture(s, "loyalty_entry", entry_other, {"id": entry_other, "account_id": acc_other, "points": 5,
                                                    "reason": "someone else"})
        _capture(s, "loyalty_entry", entry_moved, {"id": entry_moved, "account_id": acc_moved, "points": 1,
                                                    "reason": "moved account"})
        # an entry naming a ticket's id as its account: not one of the person's accounts
        _capture(s, "loyalty_entry", entry_odd, {"id": entry_odd, "account_id": ticket, "points": 1,
                                                  "reason": "not theirs"})
        _capture(s, "repair_ticket", ticket, {"id": ticket, "customer_id": erased, "number": "T-1"})
        _capture(s, "repair_event", event, {"id": event, "ticket_id": ticket, "note": "Anna called back"})
        _capture(s, "repair_event", event, {}, op="delete")
    with db.session(write=True) as s:
        conn = s.connection()
        refs = erasure.references(conn, [erased])
        assert refs["customer"] == {erased}
        assert refs["loyalty_account"] == {acc_gone, acc_moved}
        assert refs["loyalty_entry"] == {entry_gone, entry_moved}
        assert refs["repair_ticket"] == {ticket}
        assert refs["repair_event"] == {event}
        assert all(not ids for name, ids in refs.items()
                   if name not in ("customer", "loyalty_account", "loyalty_entry", "repair_ticket", "repair_event"))
        here = erasure.references(conn, [erased], remembered=False)
        assert here == {name: set() for name in refs} | {"customer": {erased}}
        assert _old_remembered(conn, here) == refs

        scrubbed = erasure.scrub_outbox(conn, refs)
        fields = {(e, i): f for e, i, f in conn.execute(
            select(OutboxEntry.entity, OutboxEntry.entity_id, OutboxEntry.fields).where(OutboxEntry.op != "delete"))}
    assert scrubbed == 3             # the two entries' reasons and the event's note
    assert fields[("loyalty_entry", entry_gone)]["reason"] == ""
    assert fields[("loyalty_entry", entry_moved)]["reason"] == ""
    assert fields[("repair_event", event)]["note"] == ""
    assert fields[("loyalty_entry", entry_gone)]["points"] == 5          # not personal: kept
    assert fields[("loyalty_entry", entry_other)]["reason"] == "someone else"
    assert fields[("loyalty_entry", entry_odd)]["reason"] == "not theirs"


def test_many_customers_at_once_match_the_per_table_search(db):
    # more ids than one statement could bind one by one, spread over customers and accounts
    customers = [_id() for _ in range(1200)]
    with db.session(write=True) as s:
        for i, c in enumerate(customers):
            acc = _id()
            _capture(s, "loyalty_account", acc, {"id": acc, "customer_id": c, "member_number": f"M{i}"})
            e = _id()
            _capture(s, "loyalty_entry", e, {"id": e, "account_id": acc, "reason": f"r{i}"})
    picked = customers[::2]
    with db.session(write=True) as s:
        conn = s.connection()
        refs = erasure.references(conn, picked)
        assert len(refs["loyalty_account"]) == len(refs["loyalty_entry"]) == len(picked)
        assert _old_remembered(conn, erasure.references(conn, picked, remembered=False)) == refs
