"""Regions and stores for the console. Enrolment codes are issued by :func:`hq.enrol.create_enrolment`
(the CLI's function; HQ keeps only the code's hash, the console shows the code once);
sync health comes from :func:`hq.status.status` (the CLI's ``status``), not recomputed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Engine, func, insert, select, update

from core import terms
from hq import enrol
from hq.common import HqError, _now, _write
from hq.console import audit, roles
from hq.console.accounts import ConsoleError, User, aware
from hq.console.i18n import N_
from hq.models import hq_batch, hq_op, hq_region, hq_store
from hq.status import Flag, StoreStatus, status


@dataclass(frozen=True)
class Region:
    id: int
    name: str
    stores: int


@dataclass(frozen=True)
class RefusedOp:
    at: datetime
    op_id: str
    reason: str                  # HQ's text: a code and a detail that names no value ("clock_ahead: 14")


@dataclass(frozen=True)
class Refusals:
    """What HQ refused from one store: counts per reason code over ``days``, the latest operations."""
    days: int
    counts: list[tuple[str, int]]
    recent: list[RefusedOp]

    @staticmethod
    def reason(code: str, lang: str) -> str:
        return terms.term(code, lang, "sync_refusal")

    @staticmethod
    def detail(text: str, lang: str) -> str:
        return terms.sync_refusal(text, lang)


REFUSAL_DAYS, REFUSAL_ROWS = 30, 20


def refusals(engine: Engine, store_id: object, now: datetime, *, days: int = REFUSAL_DAYS,
             rows: int = REFUSAL_ROWS) -> Refusals:
    """HQ's refusals of one store's operations (hq_op.rejected, timed by their batch): per
    reason code over the last ``days`` (most first), and the last ``rows`` operations."""
    o, b = hq_op.c, hq_batch.c
    ops = hq_op.join(hq_batch, o.batch_id == b.batch_id)
    refused = (o.store_id == store_id) & o.rejected.is_not(None)
    with engine.connect() as conn:
        per_text = conn.execute(select(o.rejected, func.count()).select_from(ops)
                                .where(refused, b.received_at >= now - timedelta(days=days))
                                .group_by(o.rejected)).all()
        recent = [RefusedOp(aware(r.received_at), str(r.op_id), r.rejected) for r in conn.execute(
            select(b.received_at, o.op_id, o.rejected).select_from(ops)
            .where(refused).order_by(b.received_at.desc(), o.op_id).limit(rows))]
    counts: dict[str, int] = {}
    for text, n in per_text:                      # "clock_ahead: 14" and "clock_ahead: 20" are one reason
        code = text.partition(":")[0].strip()
        counts[code] = counts.get(code, 0) + int(n)
    return Refusals(days, sorted(counts.items(), key=lambda c: (-c[1], c[0])), recent)


@dataclass(frozen=True)
class StoreView:
    """A store as the console shows it: HQ's sync-health figures and what the console keeps."""
    health: StoreStatus
    region_id: int | None
    region: str | None
    state: str                   # enrolled, code_issued, code_expired, revoked, no_code
    code_expires_at: datetime | None
    timezone: str | None
    currency: str | None
    address: str | None
    opening_hours: str | None
    refused: Refusals | None = field(default=None, compare=False)   # one store's page only

    @property
    def code(self) -> str:
        return self.health.code


STATE_LABELS = {
    "enrolled": N_("enrolled"),
    "code_issued": N_("code issued"),
    "code_expired": N_("code expired"),
    "revoked": N_("credential revoked"),
    "no_code": N_("no code"),
}


def regions(engine: Engine) -> list[Region]:
    with engine.connect() as conn:
        counts = dict(conn.execute(select(hq_store.c.region_id, func.count()).group_by(hq_store.c.region_id))
                      .tuples().all())
        return [Region(r.id, r.name, int(counts.get(r.id, 0)))
                for r in conn.execute(select(hq_region).order_by(hq_region.c.name))]


def create_region(engine: Engine, name: str, *, by: int | None) -> int:
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 80:
        raise ConsoleError(N_("A region's name is 1 to 80 characters."))
    with _write(engine) as conn, conn.begin():
        if conn.execute(select(hq_region.c.id).where(func.lower(hq_region.c.name) == name.lower())).first():
            raise ConsoleError(N_("There is a region of that name already."))
        region_id = int(conn.execute(insert(hq_region).values(name=name)).inserted_primary_key[0])
        audit.record(conn, by, "region.create", name)
    return region_id


def _state(row, now: datetime) -> str:
    if row.credential_hash:
        return "enrolled"
    expires = aware(row.enrol_expires_at)
    if row.enrol_code_hash and expires is not None:
        return "code_issued" if expires > now else "code_expired"
    return "revoked" if row.store_id is not None else "no_code"


def stores(engine: Engine, user: User) -> tuple[list[StoreView], list[Flag]]:
    """The stores this user may see (a regional manager: its region's), with their health,
    and HQ's open flags (for everyone but a regional manager: flags are not per store)."""
    _, health, flags = status(engine)
    scoped, _ = roles.region_scope(user.role, user.region_id)
    with engine.connect() as conn:
        names = dict(conn.execute(select(hq_region.c.id, hq_region.c.name)).tuples().all())
        extra = {r.code: r for r in conn.execute(select(
            hq_store.c.code, hq_store.c.region_id, hq_store.c.credential_hash, hq_store.c.enrol_code_hash,
            hq_store.c.enrol_expires_at, hq_store.c.store_id, hq_store.c.timezone, hq_store.c.currency,
            hq_store.c.address, hq_store.c.opening_hours))}
    now = _now()
    views = []
    for s in health:
        row = extra.get(s.code)
        if row is None or not roles.may_see_store(user.role, user.region_id, row.region_id):
            continue
        views.append(StoreView(s, row.region_id, names.get(row.region_id), _state(row, now),
                               aware(row.enrol_expires_at), row.timezone, row.currency, row.address,
                               row.opening_hours))
    return views, ([] if scoped else flags)


def store(engine: Engine, user: User, code: str) -> StoreView:
    """One store, if this user may see it (403 when it is another region's; 404 unknown)."""
    with engine.connect() as conn:
        region = conn.execute(select(hq_store.c.region_id).where(hq_store.c.code == code.upper()[:8])).first()
    if region is None:
        raise ConsoleError(N_("No such store."), 404)
    if not roles.may_see_store(user.role, user.region_id, region.region_id):
        raise ConsoleError(N_("You do not have access to this page."), 403)
    found = [v for v in stores(engine, user)[0] if v.code == code.upper()]
    if not found:
        raise ConsoleError(N_("No such store."), 404)
    with engine.connect() as conn:
        store_id = conn.scalar(select(hq_store.c.store_id).where(hq_store.c.code == found[0].code))
    if store_id is None:
        return found[0]
    return replace(found[0], refused=refusals(engine, store_id, _now()))


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    import zoneinfo
    return frozenset(zoneinfo.available_timezones())


@lru_cache(maxsize=1)
def currencies() -> tuple[str, ...]:
    from babel.numbers import list_currencies
    return tuple(sorted(c for c in list_currencies() if re.fullmatch("[A-Z]{3}", c)))


@dataclass(frozen=True)
class StoreForm:
    code: str
    name: str
    region_id: int | None
    timezone: str
    currency: str
    address: str
    opening_hours: str


def _check(conn, form: StoreForm) -> None:
    if not (2 <= len(form.code) <= 8 and form.code.isalnum() and form.code.isascii()):
        raise ConsoleError(N_("The store code must be 2 to 8 letters or digits."))
    if not 1 <= len(form.name) <= 120:
        raise ConsoleError(N_("The store name must be 1 to 120 characters."))
    if form.region_id is None or conn.execute(select(hq_region.c.id).where(hq_region.c.id == form.region_id)) \
            .first() is None:
        raise ConsoleError(N_("Choose the store's region."))
    if form.timezone not in _zones():
        raise ConsoleError(N_("Choose a time zone such as Asia/Shanghai."))
    if form.currency not in currencies():
        raise ConsoleError(N_("Choose a currency code such as CNY."))
    if len(form.address) > 300 or len(form.opening_hours) > 200:
        raise ConsoleError(N_("The address or opening hours are too long."))


def create_store(engine: Engine, form: StoreForm, *, by: int) -> str:
    """Register a store and return its one-time enrolment code (shown once)."""
    with engine.connect() as conn:
        _check(conn, form)
        if conn.execute(select(hq_store.c.code).where(hq_store.c.code == form.code)).first():
            raise ConsoleError(N_("There is a store with that code already."))
    try:
        one_time = enrol.create_enrolment(engine, form.code, form.name)
    except HqError as exc:
        raise ConsoleError(exc.message) from None
    with _write(engine) as conn, conn.begin():
        conn.execute(update(hq_store).where(hq_store.c.code == form.code).values(
            region_id=form.region_id, timezone=form.timezone, currency=form.currency,
            address=form.address or None, opening_hours=form.opening_hours or None))
        audit.record(conn, by, "store.create", form.code, f"region={form.region_id}")
        audit.record(conn, by, "store.code_issued", form.code)
    return one_time


def issue_code(engine: Engine, code: str, *, by: int) -> str:
    """A new one-time code for a store without a credential (never enrolled, or revoked)."""
    with engine.connect() as conn:
        row = conn.execute(select(hq_store).where(hq_store.c.code == code)).first()
    if row is None:
        raise ConsoleError(N_("No such store."), 404)
    if row.credential_hash:
        raise ConsoleError(N_("This store is enrolled; revoke its credential first."))
    one_time = enrol.create_enrolment(engine, row.code, row.name, publisher=bool(row.publisher))
    with _write(engine) as conn, conn.begin():
        audit.record(conn, by, "store.code_issued", row.code)
    return one_time


def revoke_code(engine: Engine, code: str, *, by: int) -> None:
    with _write(engine) as conn, conn.begin():
        done = conn.execute(update(hq_store).where(hq_store.c.code == code, hq_store.c.enrol_code_hash.is_not(None))
                            .values(enrol_code_hash=None, enrol_expires_at=None)).rowcount
        if not done:
            raise ConsoleError(N_("This store has no unused enrolment code."))
        audit.record(conn, by, "store.code_revoked", code)


def revoke_credential(engine: Engine, code: str, *, by: int) -> None:
    """The store's next request is refused (401); issuing a new code lets it enrol again."""
    with _write(engine) as conn, conn.begin():
        done = conn.execute(update(hq_store).where(hq_store.c.code == code, hq_store.c.credential_hash.is_not(None))
                            .values(credential_hash=None)).rowcount
        if not done:
            raise ConsoleError(N_("This store has no credential to revoke."))
        audit.record(conn, by, "store.credential_revoked", code)
