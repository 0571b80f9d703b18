"""May this customer get this message on this channel? (issue 22, core/messages/rules.py): the
ONE rule the store's queue, HQ's worker and HQ's opt-out all read. A consent history reads
the same whichever way its rows arrive (the store's objects, HQ's JSON data, the naive UTC
times and hex ids SQLite keeps, in any order): the latest ``at`` wins, a tie goes to the
greater id. A customer who replied STOP gets no text at all, service ones included, until
they grant again; a withdrawal at the counter stops only promotions."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from hypothesis import given, strategies as st

from core.messages import rules
from hq.optout import _hears_by

T0 = datetime(2030, 3, 1, 9, 0, tzinfo=timezone.utc)
PURPOSES = ("marketing_sms", "marketing_email")
VIAS = ("in_store", "phone", "sms_reply", "link")

# few distinct times, so that many rows share one ``at``
decisions = st.lists(st.tuples(st.sampled_from(PURPOSES), st.booleans(), st.integers(0, 3),
                               st.sampled_from(VIAS), st.uuids()), max_size=12)


def as_store(history) -> list[rules.ConsentRow]:
    """As the store reads its Consent rows: aware datetimes, UUID ids."""
    return [rules.row(purpose=p, granted=g, at=T0 + timedelta(minutes=m), id=i, channel=v)
            for p, g, m, v, i in history]


def as_hq(history) -> list[rules.ConsentRow]:
    """As HQ reads its consent rows' JSON data: ISO text, dashed ids (the entity id)."""
    return [rules.row_of(str(i), {"purpose": p, "granted": g, "at": (T0 + timedelta(minutes=m)).isoformat(),
                                  "channel": v}) for p, g, m, v, i in reversed(history)]


def as_sqlite(history) -> list[rules.ConsentRow]:
    """As SQLite keeps them: naive UTC times, 32 hex digits."""
    return [rules.row(purpose=p, granted=g, at=(T0 + timedelta(minutes=m)).replace(tzinfo=None), id=i.hex,
                      channel=v) for p, g, m, v, i in sorted(history, key=lambda d: d[4].int % 7)]


def expected(history, purpose):
    """The decision in force, written out plainly: the last by (time, id as a number)."""
    mine = sorted((d for d in history if d[0] == purpose), key=lambda d: (d[2], d[4].int))
    return mine[-1] if mine else None


@given(decisions)
def test_a_tie_on_at_goes_to_the_greater_id_however_the_rows_arrive(history):
    for purpose in PURPOSES:
        want = expected(history, purpose)
        for rows in (as_store(history), as_hq(history), as_sqlite(history)):
            assert rules.consent_in_force(rows, purpose) is (want is not None and want[1])
            got = rules.latest(rows, purpose)
            assert (got.id if got else None) == (want[4].hex if want else None)
        channel = "sms" if purpose == "marketing_sms" else "email"
        blocked = {rules.blocked(channel, rows) for rows in (as_store(history), as_hq(history), as_sqlite(history))}
        assert blocked == {want is not None and not want[1] and want[3] == rules.OPT_OUT_VIA[channel]}


def test_same_at_grant_and_stop_resolve_by_id_for_every_question():
    low, high = uuid.UUID(int=1), uuid.UUID(int=2)
    stop_wins = [rules.row(purpose="marketing_sms", granted=True, at=T0, id=low, channel="in_store"),
                 rules.row(purpose="marketing_sms", granted=False, at=T0, id=high, channel="sms_reply")]
    grant_wins = [rules.row(purpose="marketing_sms", granted=False, at=T0, id=low, channel="sms_reply"),
                  rules.row(purpose="marketing_sms", granted=True, at=T0, id=high, channel="in_store")]
    for rows, stopped in ((stop_wins, True), (grant_wins, False)):
        for order in (rows, rows[::-1]):
            assert rules.blocked("sms", order) is stopped
            assert rules.consent_in_force(order, "marketing_sms") is not stopped
            ok, _ = rules.may_send("ready_for_pickup", "sms", preference="", ticket_preference="sms",
                                   has_phone=True, has_email=False, consents=order)
            assert ok is not stopped


SERVICE = dict(preference="email", ticket_preference="sms", has_phone=True, has_email=True)


@given(decisions, st.integers(4, 6))
def test_after_stop_no_text_at_all_until_a_later_grant(history, later):
    rows = as_store(history)
    stop = rules.row(purpose="marketing_sms", granted=False, at=T0 + timedelta(minutes=later), id=uuid.uuid4(),
                     channel="sms_reply")
    stopped = rows + [stop]
    assert rules.blocked("sms", stopped)
    # a ticket set to SMS queues nothing, and a text already queued is suppressed at HQ
    assert rules.channel_for("ready_for_pickup", consents=stopped, **SERVICE) == (None, "opted_out")
    assert rules.may_send("ready_for_pickup", "sms", consents=stopped, **SERVICE) == (False, "opted_out")
    assert rules.may_send("points_expiring", "sms", consents=stopped, preference="sms", ticket_preference=None,
                          has_phone=True, has_email=True) == (False, "opted_out")
    # e-mail is another channel: the text's STOP changes nothing there
    assert rules.blocked("email", stopped) is rules.blocked("email", rows)
    # a later grant (at the counter) lifts it
    granted = stopped + [rules.row(purpose="marketing_sms", granted=True, at=stop.at + timedelta(minutes=1),
                                   id=uuid.uuid4(), channel="in_store")]
    assert not rules.blocked("sms", granted)
    assert rules.channel_for("ready_for_pickup", consents=granted, **SERVICE) == ("sms", "")
    assert rules.may_send("ready_for_pickup", "sms", consents=granted, **SERVICE) == (True, "")


def test_a_withdrawal_at_the_counter_stops_promotions_only():
    rows = [rules.row(purpose="marketing_sms", granted=False, at=T0, id=uuid.uuid4(), channel="in_store")]
    assert not rules.blocked("sms", rows)
    assert rules.channel_for("ready_for_pickup", consents=rows, **SERVICE) == ("sms", "")
    assert rules.channel_for("points_expiring", preference="sms", has_phone=True, has_email=False,
                             consents=rows) == (None, "no_consent")


def test_the_preference_at_send_time():
    def send(channel, **kw):
        args = dict(preference="", ticket_preference=None, has_phone=True, has_email=True, consents=[])
        return rules.may_send("appointment_reminder", channel, **{**args, **kw})
    assert send("sms") == (True, "")                                 # unsaid: the store's choice stands
    assert send("sms", preference="none") == (False, "opted_out")
    assert send("sms", preference="none", ticket_preference="sms") == (False, "opted_out")
    assert send("sms", preference="email") == (False, "no_contact")   # now another channel
    assert send("sms", preference="phone") == (False, "no_contact")
    assert send("sms", preference="email", ticket_preference="sms") == (True, "")   # the ticket's preference
    assert send("sms", ticket_preference="none") == (False, "no_contact")
    assert send("sms", has_phone=False) == (False, "no_address")


def test_the_channel_a_message_goes_by():
    def pick(kind="repair_received", **kw):
        args = dict(preference="", ticket_preference=None, has_phone=False, has_email=False, consents=[])
        return rules.channel_for(kind, **{**args, **kw})
    assert pick(has_phone=True, has_email=True) == ("sms", "")
    assert pick(has_email=True) == ("email", "")
    assert pick() == (None, "no_contact")
    assert pick(preference="email", has_phone=True) == (None, "no_address")
    assert pick(preference="phone", has_phone=True) == (None, "no_contact")
    assert pick(preference="none", ticket_preference="sms", has_phone=True) == (None, "opted_out")
    assert pick(preference="email", ticket_preference="sms", has_phone=True, has_email=True) == ("sms", "")


@given(st.sampled_from(("", "sms", "email", "phone", "none")), st.booleans(), st.booleans())
def test_hq_s_opt_out_reads_the_same_preference_as_the_store(preference, phone, mail):
    channel, _ = rules.channel_for("repair_received", preference=preference, has_phone=phone, has_email=mail,
                                   consents=[])
    data = {"contact_preference": preference, "phone_e164": "+8613800138000" if phone else None,
            "email": "a@example.com" if mail else None}
    for c in ("sms", "email"):
        if channel == c:
            assert _hears_by(data, c)
        if preference in ("", c):
            assert _hears_by(data, c) is (rules.preference_of(preference, None, has_phone=phone,
                                                              has_email=mail) == c)
