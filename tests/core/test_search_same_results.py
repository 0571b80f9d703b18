"""The lookup's fast path (issue 25: one statement per scan on the DB-API cursor, repeats
skipped inside the scan, no scan once the list is full, no ORM object per row) answers
exactly what the plain one did: the same customers, in the same order, with the same
lines, for every kind of key and every list length. The plain lookup is kept here as the
reference, statement by statement as it was (with the ORDER BY each scan has had since:
tests/core/test_search_order.py; customers with equal keys in the order of migration 0021's
covering indexes: by name, the latest visit first, then phone and id)."""

from __future__ import annotations

import random
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from core import customers, privacy, search
from core.demo import seed_large
from core.folding import fold, storable
from core.models import Customer, Device
from core.validation import is_luhn_valid, phone_digits

COLS = "c.id, c.given_name, c.family_name, c.phone_e164, c.last_visit_at"
LIVE = "c.erased = 0 AND c.merged_into_id IS NULL"


def reference(session, actor, query, limit=50):
    """The lookup as it was before issue 25 (a scan per key, LIMIT ``limit`` each, repeats
    dropped in Python, a Customer built per row for its name)."""
    def prefix(expr, value, kind):
        sql = text(f"SELECT {COLS} FROM customer c WHERE {expr} >= :lo AND {expr} < :hi AND {LIVE} "
                   f"ORDER BY {expr} LIMIT :limit")
        return [(r[0], kind, r) for r in session.execute(sql, {"lo": value, "hi": value + search.TOP,
                                                               "limit": limit})]

    def equal(expr, value, kind):
        # initials: as namesakes, by name and the latest visit first (0022; before, by rowid)
        sql = text(f"SELECT {COLS} FROM customer c WHERE {expr} = :v AND {LIVE} ORDER BY c.given_name, "
                   f"c.family_name, c.last_visit_at DESC, c.phone_e164, c.id LIMIT :limit")
        return [(r[0], kind, r) for r in session.execute(sql, {"v": value, "limit": limit})]

    def device(column, value, kind, is_prefix=False):
        cond = f"{column} >= :lo AND {column} < :hi" if is_prefix else f"{column} = :lo"
        sql = text(f"SELECT DISTINCT {COLS} FROM device d JOIN customer c ON c.id = d.customer_id "
                   f"WHERE {cond} AND {LIVE} ORDER BY {column}, d.rowid LIMIT :limit")
        return [(r[0], kind, r) for r in session.execute(sql, {"lo": value, "hi": value + search.TOP,
                                                               "limit": limit})]

    def member(number):
        sql = text(f"SELECT {COLS} FROM loyalty_account a JOIN customer c ON c.id = a.customer_id "
                   f"WHERE a.member_number = :n AND {LIVE} LIMIT :limit")
        return [(r[0], "member", r) for r in session.execute(sql, {"n": number, "limit": limit})]

    def candidates():
        q = " ".join((query or "").split())
        if not q or not storable(q):
            return []
        found = []

        def add(rows):
            for row in rows:
                if len(found) >= limit:
                    return
                if all(row[0] != f[0] for f in found):
                    found.append(row)

        upper = q.upper()
        if upper.startswith(search.CARD_PREFIX):
            add(member(q[len(search.CARD_PREFIX):].strip()))
            return found
        digits = phone_digits(q)
        import re
        if digits and re.fullmatch(r"[\d\s()+\-./]+", q) is not None:
            if len(digits) == 15 and is_luhn_valid(digits):
                add(device("d.imei", digits, "imei"))
                if found:
                    return found
            add(member(digits))
            national = digits.lstrip("0") if len(digits) >= 8 else digits
            if len(national) >= 4:
                sql = text(f"SELECT {COLS} FROM customer c WHERE substr(c.phone_e164, -4) = :tail "
                           f"AND c.phone_e164 LIKE :suffix AND {LIVE} ORDER BY c.phone_e164, c.given_name, "
                           f"c.family_name, c.last_visit_at DESC, c.id LIMIT :limit")
                add((r[0], "phone", r) for r in session.execute(
                    sql, {"tail": national[-4:], "suffix": f"%{national}", "limit": limit}))
            return found
        if "@" in q:
            add(prefix("lower(c.email)", q.lower(), "email"))
            return found
        if search._HAN.search(q):
            key = fold(q.replace(" ", ""))
            add(prefix("orchard_fold(c.family_name || c.given_name)", key, "name"))
            add(prefix("orchard_fold(c.given_name)", key, "name"))
            return found
        low = fold(q)
        if not low:
            return found
        compact = low.replace(" ", "")
        if compact.isalpha() and len(compact) <= 4 and " " not in low:
            add(equal("c.name_initials", compact, "pinyin"))
        add(prefix("orchard_fold(c.given_name || ' ' || c.family_name)", low, "name"))
        add(prefix("orchard_fold(c.family_name)", low, "name"))
        if compact.isascii() and compact.isalpha():
            add(prefix("replace(c.name_pinyin, ' ', '')", compact, "pinyin"))
        add(prefix("orchard_fold(c.given_name)", low, "name"))
        plain = q.lower()
        if len(plain) >= 3 and plain.isascii() and " " not in plain:
            add(prefix("lower(c.email)", plain, "email"))
        if search._SERIAL.match(q) and any(ch.isdigit() for ch in q):
            add(device("upper(d.serial)", upper, "serial", is_prefix=True))
        return found

    hits = candidates()
    members = {}
    for cid, *_ in hits:
        row = session.execute(text("SELECT tier, member_number FROM loyalty_account WHERE customer_id = :c"),
                              {"c": cid}).first()
        if row:
            members[cid] = (row[0], row[1])
    from core.customers import mask_phone
    from core.permissions import Perm
    see = actor.can(Perm.SEE_CONTACT_DETAILS)
    out = []
    for cid, kind, (_, given_name, family, phone, last) in hits:
        tier, number = members.get(cid, (None, None))
        out.append(search.LookupRow(uuid.UUID(str(cid)),
                                    Customer(given_name=given_name or "", family_name=family or "").display_name,
                                    (phone or "") if see else mask_phone(phone),
                                    search._parse_dt(last), tier,
                                    number, kind))
    return out


@pytest.fixture(scope="module")
def crowd(tmp_path_factory):
    """A few thousand seeded customers, plus namesakes whose given and family names start
    alike (several scans find them), namesakes who share a number, and visited on other
    days, a customer with two devices of one serial prefix, and erased and merged-away
    profiles."""
    from core import staff
    from core.db import StoreDatabase
    from core.demo import STORE_TZ
    from tests.conftest import FAST_KDF
    path = tmp_path_factory.mktemp("crowd") / "store.db"
    db = StoreDatabase.create(path, passphrase="test-passphrase", kdf=FAST_KDF)
    _, _, admin = staff.bootstrap_store(db, code="SH01", name="Orchard Test Store", timezone=STORE_TZ,
                                        country="CN", admin_name="Ada Admin", admin_password="admin-pass-1",
                                        admin_pin="1111")
    seed_large(db, customers=3000, seed=3)
    with db.session(write=True) as s:
        people = [customers.create_customer(s, admin, given_name=g, family_name=f, phone=p, email=e)
                  for g, f, p, e in [("Anna", "Annan", "13800000001", "anna@annan.example"),
                                     ("Annan", "Anna", "13800000002", "annan@anna.example"),
                                     ("Anna", "Anna", "13800000003", None),
                                     ("Ann", "Annabel", "13800000004", "ann@annabel.example"),
                                     ("伟", "伟", "13800000005", None),
                                     ("Zhang", "Wei", "13800000006", "zw@example.cn"),
                                     ("伟", "张", "13800000008", None),
                                     ("伟", "张", "13800000008", "zw@example.cn"),
                                     ("偉", "張", "13800000008", None),
                                     ("Anna", "Annan", "13800000008", "anna@annan.example")]]
        for person, visit in zip(people[6:], ["2026-05-01 09:00:00.000000", None, "2026-06-01 09:00:00.000000"]):
            s.execute(text("UPDATE customer SET last_visit_at = :v WHERE id = :c"), {"v": visit, "c": person.id.hex})
        s.add(Device(customer_id=people[0].id, kind="phone", model="iPhone 14", serial="F2LXK9AAAA01"))
        s.add(Device(customer_id=people[0].id, kind="phone", model="iPhone 15", serial="F2LXK9AAAA02"))
        gone = customers.create_customer(s, admin, given_name="Anna", family_name="Gone", phone="13800000007")
        privacy.erase_customer(s, admin, gone.id)
        privacy.merge_customers(s, admin, people[0].id, people[2].id)
    with db.session() as s:
        rows = list(s.execute(text(
            "SELECT c.given_name, c.family_name, c.name_pinyin, c.name_initials, c.phone_e164, c.email, "
            "d.serial, d.imei, a.member_number FROM customer c LEFT JOIN device d ON d.customer_id = c.id "
            "LEFT JOIN loyalty_account a ON a.customer_id = c.id ORDER BY c.rowid")))
    yield db, admin, rows
    db.close()


def queries(rows, rng: random.Random) -> list[str]:
    out = ["an", "Anna", "anna ", "ANNA A", "ann", "annan", "a", "z", "zw", "伟", "张", "f2lxk9", "F2LXK9AAAA0",
           "8000", "0000", "13800000001", "@", "anna@", "zhang", "wei", "0008", "13800000008", "张伟", "張偉"]
    for given_name, family, pinyin, initials, phone, email, serial, imei, member in rng.sample(rows, 120):
        out += [(given_name + " " + family)[:rng.randint(1, 8)], (family + given_name)[:rng.randint(1, 3)],
                family[:rng.randint(1, 4)], pinyin.replace(" ", "")[:rng.randint(1, 8)], initials,
                (phone or "")[-rng.randint(4, 8):], (email or "")[:rng.randint(1, 10)]]
        out += [x for x in (serial and serial[:rng.randint(5, 10)], imei, member,
                            member and f"ORCHARD:M:{member}") if x]
    return out


@pytest.mark.parametrize("limit", [1, 3, 7, 50])
def test_the_fast_lookup_answers_as_the_reference_did(crowd, limit):
    db, admin, rows = crowd
    rng = random.Random(limit)
    with db.session() as s:
        for q in queries(rows, rng):
            assert search.lookup(s, admin, q, limit) == reference(s, admin, q, limit), q


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="anAN zhwei伟张1380@.-", max_size=8), st.integers(1, 12))
def test_any_short_text_is_answered_as_the_reference_did(crowd, query, limit):
    db, admin, _ = crowd
    with db.session() as s:
        assert search.lookup(s, admin, query, limit) == reference(s, admin, query, limit)
