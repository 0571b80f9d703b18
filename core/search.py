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
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Unpack

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

from core.customers import mask_email, mask_phone
from core.folding import fold, storable
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
    email: str
    last_visit: datetime | None
    tier: str | None
    member_number: str | None
    matched: str               # which key matched: name, pinyin, phone, email, imei, serial, member


def _where_live() -> str:
    return "c.erased = 0 AND c.merged_into_id IS NULL"


# The scan reads each matching customer row anyway (to skip erased ones), so it brings
# what the result line shows; last_visit_at is kept by triggers (migration 0005).
COLS = "c.id, c.given_name, c.family_name, c.phone_e164, c.email, c.last_visit_at"
# (stored id, kind of key that matched, row of COLS)
_Hit = tuple[Any, str, Row[Unpack[tuple[Any, ...]]]]


def _prefix(session: Session, expr: str, value: str, limit: int, kind: str) -> list[_Hit]:
    sql = text(f"SELECT {COLS} FROM customer c WHERE {expr} >= :lo AND {expr} < :hi AND {_where_live()} "
               f"ORDER BY {expr} LIMIT :limit")
    return [(r[0], kind, r) for r in session.execute(sql, {"lo": value, "hi": value + TOP, "limit": limit})]


def _equal(session: Session, expr: str, value: str, limit: int, kind: str) -> list[_Hit]:
    sql = text(f"SELECT {COLS} FROM customer c WHERE {expr} = :v AND {_where_live()} LIMIT :limit")
    return [(r[0], kind, r) for r in session.execute(sql, {"v": value, "limit": limit})]


def _device(session: Session, column: str, value: str, limit: int, kind: str,
            prefix: bool = False) -> list[_Hit]:
    cond = f"{column} >= :lo AND {column} < :hi" if prefix else f"{column} = :lo"
    sql = text(f"SELECT DISTINCT {COLS} FROM device d JOIN customer c ON c.id = d.customer_id "
               f"WHERE {cond} AND {_where_live()} LIMIT :limit")
    return [(r[0], kind, r) for r in session.execute(sql, {"lo": value, "hi": value + TOP, "limit": limit})]


def _member(session: Session, number: str, limit: int) -> list[_Hit]:
    sql = text(f"SELECT {COLS} FROM loyalty_account a JOIN customer c ON c.id = a.customer_id "
               f"WHERE a.member_number = :n AND {_where_live()} LIMIT :limit")
    return [(r[0], "member", r) for r in session.execute(sql, {"n": number, "limit": limit})]


def _candidates(session: Session, query: str, limit: int = 50) -> list[_Hit]:
    """The hits, best first."""
    q = " ".join((query or "").split())
    if not q or not storable(q):
        return []
    found: list[_Hit] = []

    def add(rows: Iterable[_Hit]) -> None:
        for row in rows:
            if len(found) >= limit:
                return
            if all(row[0] != f[0] for f in found):
                found.append(row)

    upper = q.upper()
    if upper.startswith(CARD_PREFIX):
        add(_member(session, q[len(CARD_PREFIX):].strip(), limit))
        return found
    digits = phone_digits(q)
    only_digits = bool(digits) and re.fullmatch(r"[\d\s()+\-./]+", q) is not None
    if only_digits:
        if len(digits) == 15 and is_luhn_valid(digits):
            add(_device(session, "d.imei", digits, limit, "imei"))
            if found:
                return found          # a device identifier is exact: nothing else to add
        add(_member(session, digits, limit))
        # a national trunk prefix (0 in 020 7946 0958) is not part of the E.164 number
        national = digits.lstrip("0") if len(digits) >= 8 else digits
        if len(national) >= 4:
            sql = text(f"SELECT {COLS} FROM customer c WHERE substr(c.phone_e164, -4) = :tail "
                       f"AND c.phone_e164 LIKE :suffix AND {_where_live()} LIMIT :limit")
            add((r[0], "phone", r) for r in session.execute(
                sql, {"tail": national[-4:], "suffix": f"%{national}", "limit": limit}))
        return found
    if "@" in q:
        add(_prefix(session, "lower(c.email)", q.lower(), limit, "email"))
        return found
    if _HAN.search(q):
        key = fold(q.replace(" ", ""))
        add(_prefix(session, "orchard_fold(c.family_name || c.given_name)", key, limit, "name"))
        add(_prefix(session, "orchard_fold(c.given_name)", key, limit, "name"))
        return found
    low = fold(q)
    if not low:
        return found
    compact = low.replace(" ", "")
    if compact.isalpha() and len(compact) <= 4 and " " not in low:
        add(_equal(session, "c.name_initials", compact, limit, "pinyin"))
    add(_prefix(session, "orchard_fold(c.given_name || ' ' || c.family_name)", low, limit, "name"))
    add(_prefix(session, "orchard_fold(c.family_name)", low, limit, "name"))
    if compact.isascii() and compact.isalpha():
        add(_prefix(session, "replace(c.name_pinyin, ' ', '')", compact, limit, "pinyin"))
    add(_prefix(session, "orchard_fold(c.given_name)", low, limit, "name"))
    plain = q.lower()
    if len(plain) >= 3 and plain.isascii() and " " not in plain:
        add(_prefix(session, "lower(c.email)", plain, limit, "email"))   # the start of an address
    if _SERIAL.match(q) and any(ch.isdigit() for ch in q):
        add(_device(session, "upper(d.serial)", upper, limit, "serial", prefix=True))
    return found


def lookup(session: Session, actor: Actor, query: str, limit: int = 50) -> list[LookupRow]:
    """The result list for the search box."""
    from core.models import Customer
    require(actor, Perm.VIEW_CUSTOMERS)
    hits = _candidates(session, query, limit)
    if not hits:
        return []
    params = {f"i{n}": h[0] for n, h in enumerate(hits)}
    marks = ", ".join(f":i{n}" for n in range(len(hits)))
    members = {r[0]: (r[1], r[2]) for r in session.execute(text(
        f"SELECT customer_id, tier, member_number FROM loyalty_account WHERE customer_id IN ({marks})"), params)}
    see = actor.can(Perm.SEE_CONTACT_DETAILS)
    out = []
    for cid, kind, (_, given, family, phone, email, last) in hits:
        tier, member = members.get(cid, (None, None))
        name = Customer(given_name=given or "", family_name=family or "").display_name
        out.append(LookupRow(cid if isinstance(cid, uuid.UUID) else uuid.UUID(str(cid)), name,
                             (phone or "") if see else mask_phone(phone),
                             (email or "") if see else mask_email(email), _parse_dt(last), tier, member, kind))
    return out


def _parse_dt(value: object) -> datetime | None:

    from datetime import timezone
    if not value:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
