"""Customer lookup: one box, every kind of key, best matches first.

What the user typed decides which indexes are asked (see migration 0005):

- a scanned member card (``ORCHARD:M:<number>``) or a member number  -> loyalty_account
- 15 digits passing Luhn                                              -> device IMEI
- 4+ digits (any formatting)                                          -> last four digits of the phone,
                                                                         then the full suffix
- something with ``@``                                                -> email prefix
- Chinese characters                                                  -> family+given prefix (张伟, 张),
                                                                         given-name prefix (伟)
- letters                                                             -> given+family / family / given
                                                                         prefixes, pinyin (zhangwei,
                                                                         zhang wei) and its initials (zw)
- letters and digits                                                  -> device serial

Names are compared folded (core.folding.fold: accents, case, decomposed input and
Traditional/Simplified Chinese do not matter), the query and the index alike (0014).
Each is a range scan on an expression index with a LIMIT, so the cost does not grow
with the number of customers. Input that cannot be stored (a lone surrogate, NUL)
finds nothing. Exact keys rank before prefixes; within a kind, names
sort alphabetically. Erased and merged-away profiles never appear.

What a look-up costs (issue 25: p95 < 2 ms at a million customers, encrypted) was mostly
the rows it returned: each a random page of the customer table, read and decrypted (15-20 us
of CPU each, 50 per list). So the name, pinyin, email and phone indexes hold the result
line after their key, and whether the customer is erased or merged away (migrations 0021,
0022 for the initials): such a scan reads a few consecutive index pages and no customer
row. The scans run in order only until the list is full, a scan skips the customers found
before it inside the index (LIMIT counts new ones only), the loyalty columns come from an
index too (0019), and the result line is built from the selected columns with the one name rule
(core.models.customer.person_name), not from an ORM object per row. Devices and member
cards still read the customer's row (an identifier names a few customers).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy.orm import Session

from core.customers import mask_phone
from core.folding import fold, storable
from core.models.customer import person_name
from core.permissions import Actor, Perm, require
from core.validation import is_luhn_valid, phone_digits

CARD_PREFIX = "ORCHARD:M:"
TOP = "\U0010ffff"       # sorts after every character: the upper bound of a prefix range
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SERIAL = re.compile(r"^[A-Za-z0-9-]{5,30}$")


@dataclass(frozen=True)
class LookupRow:
    """One result line: enough to tell two namesakes apart."""

    id: uuid.UUID
    display_name: str
    phone: str                 # masked unless the role may see contact details
    last_visit: datetime | None
    tier: str | None
    member_number: str | None
    matched: str               # which key matched: name, pinyin, phone, email, imei, serial, member


_LIVE = "c.erased = 0 AND c.merged_into_id IS NULL"    # decided in the covering indexes too (0021)
# Each statement brings what the result line shows (last_visit_at is kept by triggers,
# migration 0005) and the loyalty account beside it (at most one per customer: a unique
# key), in one go. The customer's columns are those the covering indexes carry (0021,
# 0022), the account's tier and number come from an index that holds them (0019): a name,
# initials, pinyin, email or phone scan reads no row of either table. A column added here
# that those indexes do not carry brings back a row read per result
# (tests/core/test_search_order.py).
COLS = ("c.rowid, c.id, c.given_name, c.family_name, c.phone_e164, c.last_visit_at, "
        "a.tier, a.member_number")
# Customers whose keys are equal (namesakes, a shared number) in the order of the covering
# indexes' columns after their key (0021): by name, the latest visit first, then phone
# and id (unique), so the order is the index's own and fully decided.
_TIES = "c.given_name, c.family_name, c.last_visit_at DESC, c.phone_e164, c.id"
_LOYALTY = "LEFT JOIN loyalty_account a INDEXED BY ix_search_loyalty ON a.customer_id = c.id"
# The customers an earlier scan found are skipped inside the next one by rowid, which the
# index entry holds: no row is read for them, and LIMIT counts new customers only, so the
# list is the same as taking each scan's first ``limit`` rows and dropping repeats.
_NEW = "c.rowid NOT IN (SELECT value FROM json_each(?))"
# (kind of key that matched, row of COLS)
_Hit = tuple[str, tuple[Any, ...]]


def _prefix_sql(expr: str) -> str:
    return (f"SELECT {COLS} FROM customer c {_LOYALTY} WHERE {expr} >= ? AND {expr} < ? AND {_LIVE} "
            f"AND {_NEW} ORDER BY {expr}, {_TIES} LIMIT ?")


# Every scan has an ORDER BY, so which ``limit`` rows come back does not depend on the plan;
# each is the order of the index the scan walks, so it costs no sort (no temp b-tree,
# tests/core/test_search_order.py): a name, pinyin or email prefix by the key, a phone tail
# by the whole number, each then as _TIES, and initials (an exact key) as _TIES (0022); an
# IMEI in the order the devices were stored (rowid, the index's last column), a serial
# prefix by the serial, then by rowid.
def _equal_sql(expr: str) -> str:
    return (f"SELECT {COLS} FROM customer c {_LOYALTY} WHERE {expr} = ? AND {_LIVE} AND {_NEW} "
            f"ORDER BY {expr}, {_TIES} LIMIT ?")


def _device_sql(column: str, prefix: bool) -> str:
    cond = f"{column} >= ? AND {column} < ?" if prefix else f"{column} = ?"
    return (f"SELECT DISTINCT {COLS} FROM device d JOIN customer c ON c.id = d.customer_id {_LOYALTY} "
            f"WHERE {cond} AND {_LIVE} AND {_NEW} ORDER BY {column}, d.rowid LIMIT ?")


_MEMBER_SQL = (f"SELECT {COLS} FROM loyalty_account a JOIN customer c ON c.id = a.customer_id "
               f"WHERE a.member_number = ? AND {_LIVE} AND {_NEW} LIMIT ?")      # a unique number: one row
# the index holds the whole number right after its last four digits (0019), so its ties
# are _TIES without the phone
_PHONE_SQL = (f"SELECT {COLS} FROM customer c {_LOYALTY} WHERE substr(c.phone_e164, -4) = ? "
              f"AND c.phone_e164 LIKE ? AND {_LIVE} AND {_NEW} ORDER BY c.phone_e164, c.given_name, "
              f"c.family_name, c.last_visit_at DESC, c.id LIMIT ?")


class _Found:
    """The hits so far, best first, each customer once, at most ``limit``. Every scan is
    one statement on the session's own connection (the DB-API cursor: a lookup runs up to
    six of them per keystroke, and SQLAlchemy's statement handling costs more than the
    index range scan itself)."""

    def __init__(self, session: Session, limit: int) -> None:
        self.db: Any = session.connection().connection.driver_connection
        self.limit = limit
        self.hits: list[_Hit] = []
        self.rowids: list[int] = []

    @property
    def full(self) -> bool:
        return len(self.hits) >= self.limit

    def scan(self, kind: str, sql: str, *params: object) -> None:
        """Add the new customers ``sql`` finds (its last two parameters: the rowids to skip
        and how many more are wanted); nothing is asked once the list is full."""
        if self.full:
            return
        skip = json.dumps(self.rowids)
        for row in self.db.execute(sql, (*params, skip, self.limit - len(self.hits))):
            self.rowids.append(row[0])
            self.hits.append((kind, row))

    def prefix(self, kind: str, expr: str, value: str) -> None:
        self.scan(kind, _prefix_sql(expr), value, value + TOP)


def _candidates(session: Session, query: str, limit: int = 50) -> list[_Hit]:
    """The hits, best first."""
    q = " ".join((query or "").split())
    if not q or not storable(q) or limit <= 0:
        return []
    found = _Found(session, limit)
    upper = q.upper()
    if upper.startswith(CARD_PREFIX):
        found.scan("member", _MEMBER_SQL, q[len(CARD_PREFIX):].strip())
        return found.hits
    digits = phone_digits(q)
    only_digits = bool(digits) and re.fullmatch(r"[\d\s()+\-./]+", q) is not None
    if only_digits:
        if len(digits) == 15 and is_luhn_valid(digits):
            found.scan("imei", _device_sql("d.imei", False), digits)
            if found.hits:
                return found.hits     # a device identifier is exact: nothing else to add
        found.scan("member", _MEMBER_SQL, digits)
        # a national trunk prefix (0 in 020 7946 0958) is not part of the E.164 number
        national = digits.lstrip("0") if len(digits) >= 8 else digits
        if len(national) >= 4:
            found.scan("phone", _PHONE_SQL, national[-4:], f"%{national}")
        return found.hits
    if "@" in q:
        found.prefix("email", "lower(c.email)", q.lower())
        return found.hits
    if _HAN.search(q):
        key = fold(q.replace(" ", ""))
        found.prefix("name", "orchard_fold(c.family_name || c.given_name)", key)
        found.prefix("name", "orchard_fold(c.given_name)", key)
        return found.hits
    low = fold(q)
    if not low:
        return found.hits
    compact = low.replace(" ", "")
    if compact.isalpha() and len(compact) <= 4 and " " not in low:
        found.scan("pinyin", _equal_sql("c.name_initials"), compact)
    found.prefix("name", "orchard_fold(c.given_name || ' ' || c.family_name)", low)
    found.prefix("name", "orchard_fold(c.family_name)", low)
    if compact.isascii() and compact.isalpha():
        found.prefix("pinyin", "replace(c.name_pinyin, ' ', '')", compact)
    # No scan of the given name alone: fold keeps prefixes (core.folding), so a given name
    # starting with the query makes "given family" start with it, and the scan above has
    # found that customer already (or filled the list first).
    plain = q.lower()
    if len(plain) >= 3 and plain.isascii() and " " not in plain:
        found.prefix("email", "lower(c.email)", plain)   # the start of an address
    if _SERIAL.match(q) and any(ch.isdigit() for ch in q):
        found.scan("serial", _device_sql("upper(d.serial)", True), upper, upper + TOP)
    return found.hits


def lookup(session: Session, actor: Actor, query: str, limit: int = 50) -> list[LookupRow]:
    """The result list for the search box."""
    require(actor, Perm.VIEW_CUSTOMERS)
    hits = _candidates(session, query, limit)
    see = actor.can(Perm.SEE_CONTACT_DETAILS)
    return [LookupRow(cid if isinstance(cid, uuid.UUID) else uuid.UUID(str(cid)), person_name(given, family),
                      (phone or "") if see else mask_phone(phone),
                      _parse_dt(last), tier, member, kind)
            for kind, (_, cid, given, family, phone, last, tier, member) in hits]


def _parse_dt(value: object) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
