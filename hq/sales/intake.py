"""Sales into HQ (issue 23): each receipt stored once, matched to a customer, and a matched
one handed to the stores that serve the customer, with its loyalty points.

Idempotent per receipt id: a receipt HQ holds already is a ``duplicate`` and changes
nothing (not its match, not its points), however often a till resends it or a file is
imported again. The same receipt id with another store, currency, total, kind, original
or lines (another till's numbering, a reused id) is a ``conflict``: refused with a reason
(``receipt_id: already used for another sale``, no value), never silently taken for the
sale HQ holds. Each chunk of sales is one transaction under the sales lock
(:func:`hq.push._lock`, that is :func:`hq.common.sales_lock`, exclusive): a file's import and
a till's sales commit one after another, never beside a batch that erases someone (which
takes the lock shared), and a receipt sent twice at once is stored once. A chunk PostgreSQL
stops for a conflict (an HQ erasure takes the global lane, then the sales lock: the other way
round) rolls back whole and is run again from the start (:mod:`hq.retry`). A store's push
does not take it: the chunk's purchase and loyalty rows are written as a push's are
(:func:`hq.publish.write_customer_data`), under the customers' profile locks and their
lanes' locks (:mod:`hq.lanes`), so a push about the same customer commits before or after.

Set-based: a chunk's receipts are checked against ``hq_sale`` in one query, matched by one
query per kind of key (:mod:`hq.sales.match`), and written with COPY into a temporary table
and ``INSERT ... ON CONFLICT DO NOTHING`` (:func:`hq.bulk._bulk_insert_ignore`).

A matched sale becomes the customer's ``purchase`` row (id :func:`core.crm.sales.purchase_id`
of the receipt) and, for a member whose account was open by then (or joined the day after,
as at the counter), a ``loyalty_entry`` earning by the programme's rules in force on the
sale's day (HQ's ``loyalty_rules`` rows, else the built-in ones): id
``fact_id("earn", "purchase", <purchase id>)``, the id a store's own earn for that purchase
would have, so it is earned once whoever posts it. A refund takes back what its original
receipt earned, in proportion to the amount refunded so far and never more than was earned
(an ``adjust`` entry, spend negative so the tier follows). What it earned is what the ledger
holds: the entry ``fact_id("earn", "purchase", <purchase id>)`` and its account, whoever
wrote it (HQ at the import, or a store at the counter). The original's customer is
resolved again as a match is (:func:`hq.sales.match._live`): merged away, the refund is the
survivor's; erased (or deleted), the refund is stored with no customer, no points and no
key. A sale in another currency than the programme's earns nothing. Both are written
through :func:`hq.publish.write_customer_data`.

Scores are not recomputed here: a till's request never waits for them (the CRM loop's
:func:`hq.crm.scores.recompute_changed` picks the new activity up within a minute). The CSV
import recomputes its matched customers once the file is in (:func:`recompute_scores`).

Retention (:mod:`hq.sales.retention`): the phone, e-mail and member number given are kept
only while the sale is unmatched (to list it, and for staff to find the customer); a matched
sale keeps the customer's id only. An unmatched sale's keys are forgotten
:data:`hq.sales.retention.UNMATCHED_DAYS` (90) days after the import (``orchard-hq
unmatched-sales --forget-older-than 90``, run daily), and at once when a customer whose
keys they are is erased (``hq.push_merge``, whoever erases).
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import Engine, func, select

from core.crm.sales import MAX_RECEIPT, Memo, SaleIn, parse_sale, purchase_id
from core.errors import ValidationError
from core.loyalty.rules import DEFAULT, EARN_BEFORE_ENROLMENT, Rules, _expiry, _points_for, fact_id, parse_rules
from core.sync.outbox import jsonable
from hq.bulk import _bulk_insert_ignore
from hq.common import _in, _step, _uuid_or_none
from hq.models import hq_row, hq_sale, hq_sale_line, hq_store
from hq.publish import Change, write_customer_data
from hq.push import _lock
from hq.retry import write_retrying
from hq.sales.match import AMBIGUOUS, NONE, Match, _live, match_sales

log = logging.getLogger("orchard.hq")

IMPORTED, DUPLICATE, CONFLICT, REFUSED = "imported", "duplicate", "conflict", "refused"
CLASH = "receipt_id: already used for another sale"        # a conflict's reason (no value)
SOURCES = ("api", "csv")
CHUNK = 2000                   # receipts per transaction
DEFAULT_REGION = "US"


@dataclass(frozen=True)
class Outcome:
    """What became of one sale. ``reason`` ("field: why") only when refused; never a value."""

    receipt_id: str | None
    status: str
    match: str = ""
    reason: str = ""
    customer_id: uuid.UUID | None = None

    def answer(self) -> dict[str, Any]:
        """The till's answer: no personal data (no customer id, no key)."""
        out: dict[str, Any] = {"receipt_id": self.receipt_id, "status": self.status, "match": self.match or None}
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class StoreInfo:
    code: str
    store_id: uuid.UUID | None
    region: str                  # the store's country, for phone numbers given without "+"


def stores(conn: Any) -> dict[str, StoreInfo]:
    """The chain's stores by code, with their country as their synced ``store`` row says (a
    store that has not synced yet takes the country most stores have)."""
    known = conn.execute(select(hq_store.c.code, hq_store.c.store_id)).all()
    countries: dict[str, str] = {}
    for entity_id, data in conn.execute(select(hq_row.c.entity_id, hq_row.c.data).where(
            hq_row.c.entity == "store", hq_row.c.deleted.is_(False))):
        country = str((data or {}).get("country") or "").upper()
        if len(country) == 2:
            countries[entity_id] = country
    usual = Counter(countries.values()).most_common(1)
    fallback = usual[0][0] if usual else DEFAULT_REGION
    return {code: StoreInfo(code, sid, countries.get(str(sid), fallback)) for code, sid in known}


def parse(raw: Any, known: Mapping[str, StoreInfo], *, now: datetime, till_store: str | None = None,
          memo: Memo | None = None) -> SaleIn:
    """One sale checked (:func:`core.crm.sales.parse_sale`) for a store of the chain (the
    till key's own store, when the key is bound to one); ``ValidationError`` otherwise."""
    code = raw.get("store") if isinstance(raw, Mapping) else None
    info = known.get(code.strip().upper()) if isinstance(code, str) else None
    sale = parse_sale(raw, region=info.region if info else DEFAULT_REGION, now=now, memo=memo)
    if sale.store not in known:
        raise ValidationError("store", "is not a store of the chain")
    if till_store is not None and sale.store != till_store:
        raise ValidationError("store", "is not the store this till key sends for")
    return sale


def refused(raw: Any, error: ValidationError) -> Outcome:
    """A refusal naming the field and why; the receipt id only when it is one."""
    rid = raw.get("receipt_id") if isinstance(raw, Mapping) else None
    ok = isinstance(rid, str) and 0 < len(rid) <= MAX_RECEIPT and rid.isprintable() and rid == rid.strip()
    return Outcome(rid if ok else None, REFUSED, reason=f"{error.field}: {error.reason}")


def store_sales(engine: Engine, sales: Sequence[SaleIn], *, source: str, now: datetime, dry_run: bool = False,
                chunk: int = CHUNK, recompute: bool = False) -> list[Outcome]:
    """Store checked sales (see the module's docstring); one :class:`Outcome` per sale, in
    order. ``dry_run``: decide everything (duplicates, conflicts, matches) and write nothing.
    ``recompute``: after a real run, recompute the matched customers' scores now
    (:func:`recompute_scores`; never on a till's request)."""
    if source not in SOURCES:
        raise ValueError("unknown source")
    first: dict[str, int] = {}
    unique: list[SaleIn] = []
    for i, s in enumerate(sales):
        if s.receipt_id not in first:
            first[s.receipt_id] = i
            unique.append(s)
    decided: dict[str, Outcome] = {}
    for i in range(0, len(unique), chunk):
        part = unique[i:i + chunk]
        if dry_run:
            with engine.connect() as conn:
                decided.update(_plan(conn, part, known=stores(conn), now=now, write=False))
        else:
            # the whole chunk again from the start when PostgreSQL stopped it for a conflict
            # (an HQ erasure takes the global lane, then this lock): hq.retry
            decided.update(write_retrying(engine, lambda conn, part=part: _chunk(conn, part, now, source),
                                          what="sales import chunk"))
    out = []
    for i, s in enumerate(sales):
        o = decided[s.receipt_id]
        if first[s.receipt_id] == i:
            out.append(o)
        elif o.status == CONFLICT or fingerprint(s) != fingerprint(sales[first[s.receipt_id]]):
            out.append(Outcome(s.receipt_id, CONFLICT, reason=CLASH))
        else:
            out.append(Outcome(s.receipt_id, DUPLICATE, o.match))
    if recompute and not dry_run:
        recompute_scores(engine, {o.customer_id for o in decided.values()
                                  if o.status == IMPORTED and o.customer_id is not None}, now=now)
    return out


def _chunk(conn: Any, part: list[SaleIn], now: datetime, source: str) -> dict[str, Outcome]:
    """One chunk written in ``conn``'s transaction: the sales lock first (one import at a
    time, none beside an erasure), then everything decided and written afresh."""
    _lock(conn)
    return _plan(conn, part, known=stores(conn), now=now, write=True, source=source)


def existing(engine: Engine, receipt_ids: Sequence[str]) -> set[str]:
    """Those of the receipts HQ holds already (the same sale or another)."""
    ids = sorted(set(receipt_ids))
    out: set[str] = set()
    with engine.connect() as conn:
        step = _step(conn)
        for i in range(0, len(ids), step):
            out.update(conn.scalars(select(hq_sale.c.receipt_id).where(_in(conn, hq_sale.c.receipt_id,
                                                                            ids[i:i + step]))))
    return out


Fingerprint = tuple[Any, ...]


def fingerprint(s: SaleIn) -> Fingerprint:
    """What makes two sends of a receipt the same sale: its store, currency, total, kind,
    the receipt it refunds and its lines (sku, quantity, amount, in order)."""
    return (s.store, s.currency, s.total_cents, s.kind, s.refund_of or None,
            tuple((ln.sku, ln.qty, ln.amount_cents) for ln in s.lines))


def _held(conn: Any, ids: Sequence[str]) -> dict[str, tuple[str, Fingerprint]]:
    """The receipts of ``ids`` HQ holds: (match, fingerprint)."""
    out: dict[str, tuple[str, Fingerprint]] = {}
    if not ids:
        return out
    heads: dict[str, Any] = {}
    lines: dict[str, list[tuple[str, int, int]]] = {}
    step = _step(conn)
    for i in range(0, len(ids), step):
        found = [r for r in conn.execute(select(
            hq_sale.c.receipt_id, hq_sale.c.match, hq_sale.c.store_code, hq_sale.c.currency, hq_sale.c.total_cents,
            hq_sale.c.kind, hq_sale.c.refund_of).where(_in(conn, hq_sale.c.receipt_id, list(ids[i:i + step]))))]
        if not found:
            continue                        # the usual case: new receipts, no second query
        heads.update((r.receipt_id, r) for r in found)
        for r in conn.execute(select(hq_sale_line.c.receipt_id, hq_sale_line.c.sku, hq_sale_line.c.qty,
                                     hq_sale_line.c.amount_cents)
                              .where(_in(conn, hq_sale_line.c.receipt_id, [r.receipt_id for r in found]))
                              .order_by(hq_sale_line.c.receipt_id, hq_sale_line.c.line_no)):
            lines.setdefault(r.receipt_id, []).append((r.sku, int(r.qty), int(r.amount_cents)))
    for rid, r in heads.items():
        out[rid] = (r.match, (r.store_code, r.currency, int(r.total_cents), r.kind, r.refund_of or None,
                              tuple(lines.get(rid, ()))))
    return out


def recompute_scores(engine: Engine, customers: Iterable[uuid.UUID], *, now: datetime) -> None:
    """The customers' scores after their new activity (:mod:`hq.crm.scores`, where it is
    installed). A failure there leaves the sales stored: the nightly recompute catches up."""
    ids = sorted(set(customers), key=str)
    if not ids:
        return
    try:
        from hq.crm import scores
    except ImportError:
        return
    try:
        scores.recompute_customers(engine, ids, now=now)
    except Exception as exc:  # noqa: BLE001 - the sales are in; say so by type only
        log.error("scores not recomputed after the sales: %s", type(exc).__name__)


# --- one chunk ----------------------------------------------------------------------------------

@dataclass
class _Original:
    """A receipt a refund names: who bought (the live customer now), what it earned (the
    ledger's earn entry for it), what refunds took back so far; ``gone``: its customer was
    erased (or deleted): a refund of it is nobody's."""

    match: Match
    total: int
    points: int
    account: uuid.UUID | None
    refunded: int = 0
    taken: int = 0
    gone: bool = False


@dataclass(frozen=True)
class _Account:
    id: uuid.UUID
    active: bool
    enrolled_at: datetime | None


def _plan(conn: Any, sales: list[SaleIn], *, known: Mapping[str, StoreInfo], now: datetime, write: bool,
          source: str = "api") -> dict[str, Outcome]:
    held = _held(conn, [s.receipt_id for s in sales])
    new = [s for s in sales if s.receipt_id not in held]
    out: dict[str, Outcome] = {}
    for s in sales:
        if s.receipt_id in held:
            how, same = held[s.receipt_id]
            out[s.receipt_id] = (Outcome(s.receipt_id, DUPLICATE, how) if same == fingerprint(s)
                                 else Outcome(s.receipt_id, CONFLICT, reason=CLASH))
    # sales before refunds, so a refund in the same chunk finds what its original earned
    new.sort(key=lambda s: (s.kind == "refund", s.at.astimezone(timezone.utc)))
    originals = _originals(conn, [s.refund_of for s in new if s.refund_of])
    matches = match_sales(conn, new)
    accounts = _accounts(conn, {m.customer_id for m in matches.values() if m.customer_id is not None})
    versions = _rules(conn)
    sale_rows, line_rows, changes = [], [], []
    for s in new:
        m = matches[s.receipt_id]
        orig = originals.get(s.refund_of) if s.refund_of else None
        if orig is not None and (orig.match.customer_id is not None or orig.gone):
            m = orig.match                   # a refund is the customer its original receipt is now
        keep_keys = orig is None or not orig.gone
        info = known.get(s.store) or StoreInfo(s.store, None, DEFAULT_REGION)
        points, entry = 0, None
        if m.customer_id is not None:
            acct = accounts.get(m.customer_id)
            points, entry = _points(s, acct, _in_force(versions, s.at.date()), originals, info)
            changes.append(_purchase(s, m.customer_id, info))
            if entry is not None:
                changes.append(entry)
        if s.kind == "sale":
            originals[s.receipt_id] = _Original(m, s.total_cents, points,
                                                uuid.UUID(entry.data["account_id"]) if entry is not None else None)
        out[s.receipt_id] = Outcome(s.receipt_id, IMPORTED, m.how, customer_id=m.customer_id)
        if write:
            sale_rows.append(_sale_row(s, m, info, points, now, source, keep_keys=keep_keys))
            line_rows.extend(dict(receipt_id=s.receipt_id, line_no=n, sku=ln.sku, description=ln.description,
                                  qty=ln.qty, amount_cents=ln.amount_cents) for n, ln in enumerate(s.lines, 1))
    if write and sale_rows:
        _bulk_insert_ignore(conn, hq_sale, sale_rows)
        _bulk_insert_ignore(conn, hq_sale_line, line_rows)
        write_customer_data(conn.engine, changes, conn=conn)
    return out


def _sale_row(s: SaleIn, m: Match, info: StoreInfo, points: int, now: datetime, source: str, *,
              keep_keys: bool = True) -> dict[str, Any]:
    unmatched = m.customer_id is None and keep_keys
    return dict(receipt_id=s.receipt_id, source=source, store_code=s.store, store_id=info.store_id,
                at=s.at.astimezone(timezone.utc), currency=s.currency, total_cents=s.total_cents, kind=s.kind,
                refund_of=s.refund_of, member_no=s.member_no if unmatched else None,
                phone=s.phone if unmatched else None, email=s.email if unmatched else None,
                customer_id=m.customer_id, match=m.how, points=points, imported_at=now)


def _purchase(s: SaleIn, customer: uuid.UUID, info: StoreInfo) -> Change:
    pid = str(purchase_id(s.receipt_id))
    return Change("purchase", pid, {
        "id": pid, "customer_id": str(customer), "store_id": jsonable(info.store_id),
        "at": jsonable(s.at.astimezone(timezone.utc)), "description": s.description(), "sku": s.lines[0].sku,
        "total_cents": s.total_cents, "receipt_id": s.receipt_id, "currency": s.currency, "kind": s.kind,
        "lines": [ln.as_json() for ln in s.lines]})


def _points(s: SaleIn, acct: _Account | None, rules: Rules, originals: dict[str, _Original],
            info: StoreInfo) -> tuple[int, Change | None]:
    """(points this receipt earns or takes back, the ledger entry or None)."""
    pid = purchase_id(s.receipt_id)
    at = s.at.astimezone(timezone.utc)
    if s.kind == "sale":
        if acct is None or not acct.active or (acct.enrolled_at is not None
                                               and at < acct.enrolled_at - EARN_BEFORE_ENROLMENT):
            return 0, None
        if rules.currency and s.currency != rules.currency:
            return 0, None                   # the programme earns on its own currency only
        points = _points_for(rules, "purchase", s.total_cents)
        if points <= 0:
            return 0, None
        entry_id = fact_id("earn", "purchase", pid)
        expires = _expiry(rules, "earn", at)
        return points, _entry(entry_id, acct.id, "earn", points, s.description(), pid, s.total_cents, info, at,
                              expires)
    orig = originals.get(s.refund_of) if s.refund_of else None
    if orig is None or orig.account is None or orig.points <= 0 or orig.total <= 0:
        return 0, None
    refunded = min(orig.total, orig.refunded - s.total_cents)
    target = orig.points * refunded // orig.total
    take = max(0, min(target, orig.points) - orig.taken)
    spend = refunded - min(orig.total, orig.refunded)        # what this refund takes off the tier spend
    orig.refunded -= s.total_cents
    orig.taken += take
    if take == 0 and spend == 0:
        return 0, None
    entry_id = fact_id("refund", "purchase", pid)
    return -take, _entry(entry_id, orig.account, "adjust", -take, f"Refund: {s.description()}"[:200], pid,
                         -spend, info, at, None)


def _entry(entry_id: uuid.UUID, account: uuid.UUID, kind: str, points: int, reason: str, ref: uuid.UUID,
           spend: int, info: StoreInfo, at: datetime, expires: datetime | None) -> Change:
    return Change("loyalty_entry", str(entry_id), {
        "id": str(entry_id), "account_id": str(account), "kind": kind, "points": points, "reason": reason,
        "ref_type": "purchase", "ref_id": str(ref), "spend_cents": spend, "store_id": jsonable(info.store_id),
        "staff_id": None, "at": jsonable(at), "expires_at": jsonable(expires)})


def _originals(conn: Any, receipts: list[str | None]) -> dict[str, _Original]:
    """The receipts refunds name, as HQ holds them: the customer each is now (merges
    followed; erased or deleted: ``gone``), what the ledger holds as earned for it (the earn
    entry for its purchase, whoever wrote it) and what earlier refunds took back."""
    ids = sorted({r for r in receipts if r})
    out: dict[str, _Original] = {}
    if not ids:
        return out
    rows = conn.execute(select(hq_sale.c.receipt_id, hq_sale.c.customer_id, hq_sale.c.match, hq_sale.c.total_cents)
                        .where(_in(conn, hq_sale.c.receipt_id, ids), hq_sale.c.kind == "sale")).all()
    before = {r.refund_of: (int(r.refunded or 0), int(r.taken or 0)) for r in conn.execute(
        select(hq_sale.c.refund_of, func.sum(-hq_sale.c.total_cents).label("refunded"),
               func.sum(-hq_sale.c.points).label("taken"))
        .where(_in(conn, hq_sale.c.refund_of, ids)).group_by(hq_sale.c.refund_of))}
    live = _live(conn, {r.customer_id for r in rows if r.customer_id is not None})
    earns = {str(fact_id("earn", "purchase", purchase_id(r.receipt_id))): r.receipt_id for r in rows}
    earned: dict[str, tuple[int, uuid.UUID | None]] = {}
    keys, step = sorted(earns), _step(conn)
    for i in range(0, len(keys), step):
        for entity_id, data in conn.execute(select(hq_row.c.entity_id, hq_row.c.data).where(
                hq_row.c.entity == "loyalty_entry", hq_row.c.deleted.is_(False),
                _in(conn, hq_row.c.entity_id, keys[i:i + step]))):
            d = data or {}
            points = d.get("points")
            if isinstance(points, int) and points > 0:
                earned[earns[entity_id]] = (points, _uuid_or_none(d.get("account_id")))
    for r in rows:
        refunded, taken = before.get(r.receipt_id, (0, 0))
        if r.customer_id is None:
            out[r.receipt_id] = _Original(Match(NONE), int(r.total_cents), 0, None, refunded, taken)
            continue
        now_is = live.get(r.customer_id)
        if now_is is None:                  # erased (or deleted) since: the refund is nobody's
            out[r.receipt_id] = _Original(Match(NONE), int(r.total_cents), 0, None, refunded, taken, gone=True)
            continue
        points, account = earned.get(r.receipt_id, (0, None))
        out[r.receipt_id] = _Original(Match(r.match, now_is), int(r.total_cents), points, account, refunded, taken)
    return out


def _accounts(conn: Any, customers: set[uuid.UUID]) -> dict[uuid.UUID, _Account]:
    """Each customer's loyalty account at HQ (an open one before a closed one, then the oldest)."""
    found: dict[uuid.UUID, list[tuple[bool, datetime, _Account]]] = {}
    ids = list(customers)
    step = _step(conn)
    far = datetime.max.replace(tzinfo=timezone.utc)
    for i in range(0, len(ids), step):
        for eid, customer, data in conn.execute(select(hq_row.c.entity_id, hq_row.c.customer_id, hq_row.c.data).where(
                hq_row.c.entity == "loyalty_account", hq_row.c.deleted.is_(False),
                _in(conn, hq_row.c.customer_id, ids[i:i + step]))):
            d = data or {}
            acct_id = _uuid_or_none(eid)
            if acct_id is None:
                continue
            enrolled = _when(d.get("enrolled_at"))
            acct = _Account(acct_id, d.get("active") is not False, enrolled)
            found.setdefault(customer, []).append((not acct.active, enrolled or far, acct))
    return {c: sorted(options, key=lambda o: (o[0], o[1], str(o[2].id)))[0][2] for c, options in found.items()}


def _rules(conn: Any) -> list[tuple[date, str, Rules]]:
    """The published loyalty rules versions, newest first (as a store orders them)."""
    out = []
    for (data,) in conn.execute(select(hq_row.c.data).where(hq_row.c.entity == "loyalty_rules",
                                                            hq_row.c.deleted.is_(False))):
        d = data or {}
        try:
            out.append((date.fromisoformat(str(d["valid_from"])), str(d.get("published_at") or ""),
                        parse_rules(dict(d.get("rules") or {}))))
        except (KeyError, ValueError, ValidationError):
            continue          # a damaged version: the stores skip it too
    return sorted(out, key=lambda v: (v[0], v[1]), reverse=True)


def _in_force(versions: list[tuple[date, str, Rules]], day: date) -> Rules:
    return next((rules for valid_from, _, rules in versions if valid_from <= day), DEFAULT)


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


# --- what is left unmatched ---------------------------------------------------------------------

@dataclass(frozen=True)
class Unmatched:
    receipt_id: str
    store_code: str
    at: datetime
    total_cents: int
    currency: str
    match: str                    # none, ambiguous
    given: tuple[str, ...]        # the keys given, masked: "phone ••••••••••78"


def unmatched(engine: Engine, *, limit: int = 200) -> tuple[list[Unmatched], int]:
    """The newest unmatched and ambiguous sales (at most ``limit``) and how many there are."""
    cond = hq_sale.c.match.in_([NONE, AMBIGUOUS])
    with engine.connect() as conn:
        total = int(conn.scalar(select(func.count()).select_from(hq_sale).where(cond)) or 0)
        rows = conn.execute(select(hq_sale).where(cond).order_by(hq_sale.c.at.desc(), hq_sale.c.receipt_id)
                            .limit(max(1, limit))).mappings().all()
    out = []
    for r in rows:
        at = r["at"] if r["at"].tzinfo else r["at"].replace(tzinfo=timezone.utc)
        given = tuple(f"{kind} {mask(r[col])}" for kind, col in (("member", "member_no"), ("phone", "phone"),
                                                                  ("email", "email")) if r[col])
        out.append(Unmatched(r["receipt_id"], r["store_code"] or "", at, int(r["total_cents"]), r["currency"],
                             r["match"], given))
    return out, total


def mask(value: str) -> str:
    """Enough to tell two keys apart by eye, not to read one: the last two characters of a
    number, the first letter of an address's two parts."""
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}•••@{domain[:1]}•••"
    return "•" * max(0, len(value) - 2) + value[-2:]


__all__ = ["CHUNK", "CLASH", "CONFLICT", "DUPLICATE", "IMPORTED", "REFUSED", "SOURCES", "Outcome", "StoreInfo",
           "Unmatched", "existing", "fingerprint", "mask", "parse", "recompute_scores", "refused", "store_sales",
           "stores", "unmatched"]
