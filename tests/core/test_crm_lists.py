"""Marketing lists (core.crm.lists): only customers whose latest decision for the channel's
marketing purpose is a grant are ever exported, never an erased or merged profile; the
filters pick by segment, value band, churn risk and home store; an export needs a purpose,
is kept (ListExport) and audited without names; the CSV parses. Clock pinned at
2026-11-20 10:00 UTC."""

from __future__ import annotations

import csv
import io
import uuid
import zlib
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from sqlalchemy import select

from core import clock, csvsafe, privacy
from core.crm import lists
from core.crm.lists import ListFilter
from core.errors import PermissionDenied, ValidationError
from core.models import AuditEvent, Consent, Customer, CustomerScore, ListExport, Store
from core.permissions import Actor, Role

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def shop(store_setup):
    db, store_id, admin = store_setup
    with clock.pinned(NOW):
        yield db, store_id, admin


def person(s, store_id, name, *, phone=True, email=True, language="en", **kw) -> uuid.UUID:
    n = zlib.crc32(name.encode()) % 100_000_000
    c = Customer(home_store_id=store_id, given_name=name, family_name="Test", language=language,
                 phone_e164=f"+86138{n:08d}" if phone else None,
                 email=f"{name.lower()}@example.com" if email else None, **kw)
    s.add(c)
    s.flush()
    return c.id


def decide(s, cid, purpose, granted, at):
    s.add(Consent(customer_id=cid, purpose=purpose, granted=granted, notice_version="2026-01", channel="in_store",
                  at=at))
    s.flush()


def score(s, cid, segment, *, band="mid", churn=0):
    s.add(CustomerScore(id=cid, customer_id=cid, segment=segment, value_band=band, churn_score=churn,
                        computed_at=NOW))
    s.flush()


def matrix(db, store_id):
    """One customer per row of the consent matrix; returns their ids by name."""
    day = timedelta(days=1)
    ids = {}
    with db.session(write=True) as s:
        ids["sms_granted"] = person(s, store_id, "Sam")
        decide(s, ids["sms_granted"], "marketing_sms", True, NOW - 9 * day)
        ids["sms_withdrawn"] = person(s, store_id, "Wes")
        decide(s, ids["sms_withdrawn"], "marketing_sms", True, NOW - 9 * day)
        decide(s, ids["sms_withdrawn"], "marketing_sms", False, NOW - 2 * day)
        ids["sms_tie_withdrawn"] = person(s, store_id, "Tia")      # granted and withdrawn the same second
        decide(s, ids["sms_tie_withdrawn"], "marketing_sms", True, NOW - day)
        decide(s, ids["sms_tie_withdrawn"], "marketing_sms", False, NOW - day)
        ids["regranted"] = person(s, store_id, "Reg")
        decide(s, ids["regranted"], "marketing_email", False, NOW - 9 * day)
        decide(s, ids["regranted"], "marketing_email", True, NOW - day)
        ids["email_withdrawn"] = person(s, store_id, "Ewan")
        decide(s, ids["email_withdrawn"], "marketing_email", True, NOW - 5 * day)
        decide(s, ids["email_withdrawn"], "marketing_email", False, NOW - 4 * day)
        ids["email_only"] = person(s, store_id, "Emma")
        decide(s, ids["email_only"], "marketing_email", True, NOW - 3 * day)
        ids["never_asked"] = person(s, store_id, "Nev")
        ids["no_phone"] = person(s, store_id, "Nora", phone=False)
        decide(s, ids["no_phone"], "marketing_sms", True, NOW - 3 * day)
        ids["erased"] = person(s, store_id, "Eve", erased=True)
        decide(s, ids["erased"], "marketing_sms", True, NOW - 3 * day)
        decide(s, ids["erased"], "marketing_email", True, NOW - 3 * day)
        ids["merged"] = person(s, store_id, "Mo", merged_into_id=ids["sms_granted"])
        decide(s, ids["merged"], "marketing_sms", True, NOW - 3 * day)
        decide(s, ids["merged"], "marketing_email", True, NOW - 3 * day)
        decide(s, ids["sms_granted"], "marketing_email", False, NOW - 3 * day)   # another purpose says no
    return ids


def exported(db, admin, channel, filt=ListFilter(), purpose="Winter offers"):
    with db.session(write=True) as s:
        out = lists.export(s, admin, filt, channel, purpose, now=NOW)
    rows = list(csv.DictReader(io.StringIO(out.csv_text)))
    assert len(rows) == out.count
    return rows


@pytest.mark.parametrize("channel, granted", [("sms", {"sms_granted"}), ("email", {"email_only", "regranted"})])
def test_the_consent_matrix_exports_exactly_the_granted(shop, channel, granted):
    db, store_id, admin = shop
    ids = matrix(db, store_id)
    rows = exported(db, admin, channel)
    assert {uuid.UUID(r["customer"]) for r in rows} == {ids[k] for k in granted}
    with db.session() as s:
        for r in rows:
            c = s.get(Customer, uuid.UUID(r["customer"]))
            assert r["name"] == c.display_name and r["language"] == "en" and r["segment"] == "none"
            assert r["address"] == (c.phone_e164 if channel == "sms" else c.email)
        # the same rule as the profile's consents and the older privacy list
        for name, cid in ids.items():
            state = privacy.current_consents(s, admin, cid).get(privacy.MARKETING[channel])
            reachable = name not in ("erased", "merged", "no_phone")
            assert (name in granted) == bool(state and state.granted and reachable)
        assert {m.customer_id for m in privacy.marketing_list(s, admin, channel)} == {ids[k] for k in granted}
        counted = lists.count(s, admin, ListFilter(), channel)
    assert counted == lists.ListCount(matching=len(ids) - 2, consented=len(granted))


def test_the_csv_has_its_columns_and_quotes_what_needs_it(shop):
    db, store_id, admin = shop
    with db.session(write=True) as s:
        cid = person(s, store_id, "Zoë", language="zh_CN")
        s.get(Customer, cid).family_name = 'O"Brien, Jr'
        decide(s, cid, "marketing_email", True, NOW - timedelta(days=1))
        score(s, cid, "champions", band="top")
    with db.session(write=True) as s:
        text = lists.export(s, admin, ListFilter(), "email", "New store opening", now=NOW).csv_text
    assert text.splitlines()[0] == "customer,name,address,language,segment"
    assert list(csv.reader(io.StringIO(text)))[1] == [str(cid), 'Zoë O"Brien, Jr', "zoë@example.com", "zh_CN",
                                                      "champions"]


@pytest.mark.parametrize("text, cell", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"),
                                        ("\tx", "'\tx"), ("\rx", "'\rx"), ("", ""), ("a=1", "a=1"),
                                        ("Anne-Marie", "Anne-Marie")])
def test_one_rule_keeps_a_cell_from_being_a_formula(text, cell):
    assert csvsafe.cell(text) == cell


def test_a_name_a_spreadsheet_would_run_is_written_as_text_and_the_phone_number_as_it_is(shop):
    db, store_id, admin = shop
    given = {"=HYPERLINK(\"http://x.example\",\"Click\")": "'=HYPERLINK(\"http://x.example\",\"Click\") Test",
             "+1+1": "'+1+1 Test", "-2": "'-2 Test", "@SUM(A1)": "'@SUM(A1) Test",
             "Plain": "Plain Test", "Anne-Marie": "Anne-Marie Test"}
    with db.session(write=True) as s:
        ids = {}
        for name in given:
            ids[name] = person(s, store_id, name)
            decide(s, ids[name], "marketing_sms", True, NOW - timedelta(days=1))
    rows = {uuid.UUID(r["customer"]): r for r in exported(db, admin, "sms")}
    with db.session() as s:
        for name, cell in given.items():
            row = rows[ids[name]]
            assert row["name"] == cell, name
            phone = s.get(Customer, ids[name]).phone_e164
            assert phone.startswith("+") and row["address"] == phone      # an E.164 number is not a formula


def test_filters_pick_by_segment_band_churn_and_home_store(shop):
    db, store_id, admin = shop
    with db.session(write=True) as s:
        other = Store(code="BJ02", name="Other", timezone="Asia/Shanghai", country="CN", currency="CNY")
        s.add(other)
        s.flush()
        people = {}
        for name, seg, band, churn, home in [("Ann", "champions", "top", 10, store_id),
                                             ("Ben", "at_risk", "high", 80, store_id),
                                             ("Cat", "at_risk", "low", 60, other.id),
                                             ("Dan", None, None, None, store_id)]:
            cid = person(s, home, name)
            if seg:
                score(s, cid, seg, band=band, churn=churn)
            decide(s, cid, "marketing_sms", True, NOW - timedelta(days=1))
            people[name] = cid

    def names(filt):
        return {r["name"].split()[0] for r in exported(db, admin, "sms", filt)}
    assert names(ListFilter(segments=("at_risk",))) == {"Ben", "Cat"}
    assert names(ListFilter(segments=("at_risk",), home_store_only=True)) == {"Ben"}
    assert names(ListFilter(segments=("none",))) == {"Dan"}
    assert names(ListFilter(segments=("champions", "none"))) == {"Ann", "Dan"}
    assert names(ListFilter(value_bands=("top", "low"))) == {"Ann", "Cat"}
    assert names(ListFilter(min_churn=60)) == {"Ben", "Cat"}
    with db.session() as s:
        assert lists.count(s, admin, ListFilter(min_churn=61), "sms") == lists.ListCount(1, 1)
        assert lists.count(s, admin, ListFilter(min_churn=61), "email") == lists.ListCount(1, 0)


def test_an_export_needs_a_purpose_and_is_kept_and_audited_without_names(shop):
    db, store_id, admin = shop
    ids = matrix(db, store_id)
    for bad in ("", "   "):
        with db.session(write=True) as s, pytest.raises(ValidationError) as refused:
            lists.export(s, admin, ListFilter(), "sms", bad, now=NOW)
        assert refused.value.field == "purpose"
    filt = ListFilter(segments=("none",), min_churn=None)
    assert len(exported(db, admin, "sms", filt, purpose="  Spring repair offer ")) == 1
    with db.session() as s:
        kept = s.scalars(select(ListExport)).all()
        assert [(k.channel, k.purpose, k.count, k.staff_id, k.store_id, k.at) for k in kept] == [
            ("sms", "Spring repair offer", 1, admin.staff_id, store_id, NOW)]
        assert kept[0].filters == {"segments": ["none"], "value_bands": [], "min_churn": None,
                                   "home_store_only": False}
        trail = s.execute(select(AuditEvent.entity, AuditEvent.entity_id, AuditEvent.detail)
                          .where(AuditEvent.action == "crm.list_export")).all()
        assert trail == [("list_export", str(kept[0].id), "sms:1")]
        names = {c.given_name for c in s.scalars(select(Customer).where(Customer.id.in_(list(ids.values()))))}
        details = " ".join(d or "" for d in s.scalars(select(AuditEvent.detail)))
        assert not any(n in details for n in names)


def test_a_withdrawal_takes_the_person_off_every_later_list(shop):
    db, store_id, admin = shop
    ids = matrix(db, store_id)
    assert [r["customer"] for r in exported(db, admin, "sms")] == [str(ids["sms_granted"])]
    with db.session(write=True) as s:
        privacy.set_consent(s, admin, ids["sms_granted"], "marketing_sms", False)
    assert exported(db, admin, "sms") == []


@pytest.mark.parametrize("filt, channel, field", [
    (ListFilter(), "fax", "channel"), (ListFilter(segments=("vip",)), "sms", "segments"),
    (ListFilter(value_bands=("gold",)), "sms", "value_bands"), (ListFilter(min_churn=101), "sms", "min_churn")])
def test_a_bad_filter_is_refused_beside_its_field(shop, filt, channel, field):
    db, _, admin = shop
    with db.session() as s, pytest.raises(ValidationError) as bad:
        lists.count(s, admin, filt, channel)
    assert bad.value.field == field


def test_only_managers_and_admins_make_lists(shop):
    db, store_id, _ = shop
    for role in (Role.ASSOCIATE, Role.TECHNICIAN):
        actor = Actor(uuid.uuid4(), store_id, role)
        with db.session(write=True) as s:
            with pytest.raises(PermissionDenied):
                lists.count(s, actor, ListFilter(), "sms")
            with pytest.raises(PermissionDenied):
                lists.export(s, actor, ListFilter(), "sms", "Offers", now=NOW)


# any history of decisions: the export is the set whose latest decision is a grant
DECISION = st.tuples(st.sampled_from(("marketing_sms", "marketing_email", "loyalty")), st.booleans(),
                     st.integers(0, 5))          # minutes before NOW; equal minutes: the later row wins
PEOPLE = st.lists(st.tuples(st.lists(DECISION, max_size=5), st.booleans(), st.booleans()), min_size=1, max_size=6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=PEOPLE, channel=st.sampled_from(("sms", "email")))
@example(people=[([("marketing_sms", True, 3), ("marketing_sms", False, 1)], False, False),     # withdrawn later
                 ([("marketing_sms", True, 2), ("marketing_sms", False, 2)], False, False),     # the same minute
                 ([("marketing_sms", False, 4), ("marketing_sms", True, 0)], False, False)], channel="sms")
@example(people=[([("marketing_email", True, 1)], True, False), ([("marketing_email", True, 1)], False, True),
                 ([("marketing_sms", True, 1), ("loyalty", True, 0)], False, False)], channel="email")
def test_no_customer_without_a_standing_grant_is_ever_exported(shop, people, channel):
    db, store_id, admin = shop
    purpose = privacy.MARKETING[channel]
    expected, mine = set(), set()
    with db.session(write=True) as s:
        for i, (history, erased, merged) in enumerate(people):
            cid = person(s, store_id, f"P{uuid.uuid4().hex[:8]}{i}", erased=erased)
            if merged:
                s.get(Customer, cid).merged_into_id = person(s, store_id, f"W{uuid.uuid4().hex[:8]}")
            latest = None
            for p, granted, minutes in history:        # written in this order: ties go to the later row
                decide(s, cid, p, granted, NOW - timedelta(minutes=minutes))
                if p == purpose and (latest is None or minutes <= latest[0]):
                    latest = (minutes, granted)
            mine.add(cid)
            if latest and latest[1] and not erased and not merged:
                expected.add(cid)
    got = {uuid.UUID(r["customer"]) for r in exported(db, admin, channel)}
    assert got & mine == expected
