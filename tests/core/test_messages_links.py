"""The customer's answer on HQ's approval page (issue 22), arriving as a link_answer row and
applied at the store after a sync: the ticket moves on with the channel "link", once; an
answer for a ticket no longer waiting (or for a revised quote) is kept as such."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core import clock, repairs
from core.errors import ValidationError
from core.messages import links
from core.models import AuditEvent, LinkAnswer, MessageRequest, RepairEvent, RepairTicket
from core.repairs import QuoteLine
from core.sync.apply import set_state
from tests.core.test_repairs import intake, make_bench, read, write

UTC = timezone.utc
T0 = datetime(2030, 6, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
def bench(store_setup):
    db, store_id, admin = store_setup
    b = make_bench(db, admin, store_id)
    write(db, lambda s: set_state(s, "hq.store_id", str(store_id)))       # enrolled with HQ
    return b


def waiting(b):
    """A ticket whose quote waits for the customer's approval, and its approval request."""
    with clock.pinned(T0):
        t = intake(b)
        write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
        write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Cracked display",
                                            lines=[QuoteLine(b.parts["SCR-IP15"])], labour_cents=10000))
    request_id = read(b.db, lambda s: s.scalars(select(MessageRequest.id).where(
        MessageRequest.ticket_id == t.id, MessageRequest.kind == "approval_needed")).one())
    return t, request_id


def answer(b, t, request_id, text, at=T0 + timedelta(hours=1)):
    """What HQ writes for the store when the customer answers on the page."""
    def add(s):
        row = LinkAnswer(store_id=b.store_id, ticket_id=t.id, request_id=request_id, answer=text, at=at)
        s.add(row)
        s.flush()
        return row.id
    return write(b.db, add)


def ticket(b, t):
    return read(b.db, lambda s: (lambda x: (x.status, x.approval, x.approval_channel))(s.get(RepairTicket, t.id)))


def outcome(b, answer_id):
    return read(b.db, lambda s: (lambda a: (a.outcome, a.applied_at))(s.get(LinkAnswer, answer_id)))


def test_an_approval_by_link_starts_the_repair_with_the_channel_link_and_applies_once(bench):
    b = bench
    t, request_id = waiting(b)
    a = answer(b, t, request_id, "approved")
    later = T0 + timedelta(hours=2)
    with clock.pinned(later):
        assert links.apply_link_answers(b.db) == 1
    assert ticket(b, t) == ("in_repair", "approved", "link")
    assert outcome(b, a) == ("applied", later)
    last = read(b.db, lambda s: s.scalars(select(RepairEvent).where(RepairEvent.ticket_id == t.id)
                                          .order_by(RepairEvent.at.desc(), RepairEvent.id.desc())).first())
    assert (last.to_status, last.note_code, last.note_params["channel"], last.staff_id) == (
        "in_repair", "quote_approved", "link", None)                       # the customer, not a staff member
    trail = read(b.db, lambda s: list(s.scalars(select(AuditEvent.detail).where(
        AuditEvent.action == "ticket.link_answer"))))
    assert trail == ["answer=approved outcome=applied"]
    # a second run (another sync) changes nothing
    with clock.pinned(later + timedelta(hours=1)):
        assert links.apply_link_answers(b.db) == 0
    assert ticket(b, t) == ("in_repair", "approved", "link") and outcome(b, a) == ("applied", later)


def test_a_refusal_by_link_cancels_the_ticket_and_releases_the_part(bench):
    b = bench
    t, request_id = waiting(b)
    answer(b, t, request_id, "refused")
    with clock.pinned(T0 + timedelta(hours=2)):
        assert links.apply_link_answers(b.db) == 1
    assert ticket(b, t) == ("cancelled", "refused", "link")


def test_an_answer_for_a_ticket_no_longer_waiting_is_kept_as_not_waiting(bench):
    b = bench
    t, request_id = waiting(b)
    with clock.pinned(T0 + timedelta(minutes=30)):     # the customer rang the store meanwhile
        write(b.db, lambda s: repairs.record_approval(s, b.associate, t.id, approved=False, channel="phone"))
    a = answer(b, t, request_id, "approved")
    with clock.pinned(T0 + timedelta(hours=2)):
        assert links.apply_link_answers(b.db) == 0
    assert ticket(b, t) == ("cancelled", "refused", "phone")
    assert outcome(b, a)[0] == "not_waiting"


def test_an_answer_to_a_revised_quote_s_old_link_does_not_approve_the_new_quote(bench):
    b = bench
    t, first_request = waiting(b)
    with clock.pinned(T0 + timedelta(minutes=30)):
        write(b.db, lambda s: repairs.reopen_diagnosis(s, b.tech, t.id))
        write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="More damage",
                                            lines=[QuoteLine(b.parts["SCR-IP15"]), QuoteLine(b.parts["BAT-IP15"])],
                                            labour_cents=20000))
    a = answer(b, t, first_request, "approved")
    with clock.pinned(T0 + timedelta(hours=2)):
        assert links.apply_link_answers(b.db) == 0
    assert ticket(b, t)[0] == "awaiting_approval"
    assert outcome(b, a)[0] == "superseded"


def test_staff_cannot_record_an_answer_as_given_by_link(bench):
    b = bench
    t, _ = waiting(b)
    with pytest.raises(ValidationError) as refused:
        write(b.db, lambda s: repairs.record_approval(s, b.associate, t.id, approved=True, channel="link"))
    assert refused.value.field == "channel"
    assert ticket(b, t)[0] == "awaiting_approval"


def test_a_store_not_enrolled_applies_nothing(bench):
    b = bench
    t, request_id = waiting(b)
    write(b.db, lambda s: set_state(s, "hq.store_id", ""))
    answer(b, t, request_id, "approved")
    assert links.apply_link_answers(b.db) == 0
    assert ticket(b, t)[0] == "awaiting_approval"


def test_an_old_link_already_sent_does_not_approve_the_revised_quote(bench):
    """HQ had sent the first request (so revising the quote could not cancel it): the answer
    to its link is still superseded; the new request's link is the one that applies."""
    b = bench
    t, first_request = waiting(b)

    def sent_by_hq(s):                      # as HQ's status write-back leaves it
        r = s.get(MessageRequest, first_request)
        r.status, r.status_at, r.attempts = "sent", T0 + timedelta(minutes=5), 1
    write(b.db, sent_by_hq)
    with clock.pinned(T0 + timedelta(minutes=30)):
        write(b.db, lambda s: repairs.reopen_diagnosis(s, b.tech, t.id))
        write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="More damage",
                                            lines=[QuoteLine(b.parts["SCR-IP15"]), QuoteLine(b.parts["BAT-IP15"])],
                                            labour_cents=20000))
    requests = read(b.db, lambda s: [(r.id, r.cancelled, r.status) for r in s.scalars(select(MessageRequest).where(
        MessageRequest.ticket_id == t.id, MessageRequest.kind == "approval_needed")
        .order_by(MessageRequest.created_at))])
    assert len(requests) == 2 and requests[0] == (first_request, False, "sent")
    old = answer(b, t, first_request, "approved")
    with clock.pinned(T0 + timedelta(hours=2)):
        assert links.apply_link_answers(b.db) == 0
    assert ticket(b, t) == ("awaiting_approval", None, None)
    assert outcome(b, old)[0] == "superseded"
    new = answer(b, t, requests[1][0], "approved", at=T0 + timedelta(hours=3))
    with clock.pinned(T0 + timedelta(hours=4)):
        assert links.apply_link_answers(b.db) == 1
    assert ticket(b, t) == ("in_repair", "approved", "link") and outcome(b, new)[0] == "applied"
