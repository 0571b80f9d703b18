"""The on-demand fetch report for HQ staff (``orchard-hq fetches``; the web console
reuses :func:`fetch_report`): per store, how many look-ups it made, how many were
refused over its hourly allowance, and how many customers it was shown; and the latest
entries (time, store, staff id, kind of key, count shown). Read from ``hq_access``,
which never holds a key, so neither does this report."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy import Engine, func, select

from hq.fetch import ACTION_FETCH, ACTION_REFUSED
from hq.models import hq_access, hq_store

LAST = 20


@dataclass(frozen=True)
class StoreFetches:
    code: str
    store_id: uuid.UUID
    fetches: int            # look-ups answered
    refused: int            # look-ups refused (over the hourly allowance)
    customers_shown: int    # distinct customers shown to the store


@dataclass(frozen=True)
class FetchEntry:
    at: datetime
    store_code: str
    staff_id: uuid.UUID | None
    key_kind: str           # phone, email, member (joined by + when several)
    refused: bool
    shown: int


@dataclass(frozen=True)
class FetchReport:
    since: datetime | None
    store_code: str | None
    stores: tuple[StoreFetches, ...]
    last: tuple[FetchEntry, ...]


def parse_day(text: str) -> datetime:
    """``YYYY-MM-DD`` → the start of that day, UTC."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("give --since as YYYY-MM-DD") from None
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)      # SQLite gives naive UTC


def fetch_report(engine: Engine, *, since: datetime | None = None, store_code: str | None = None,
                 last: int = LAST) -> FetchReport:
    """Look-ups since ``since`` (all when ``None``), of one store (by code) or all."""
    where = [hq_access.c.action.in_((ACTION_FETCH, ACTION_REFUSED))]
    if since is not None:
        where.append(hq_access.c.at >= since)
    code = store_code.strip().upper() if store_code else None
    with engine.connect() as conn:
        codes = {r.store_id: r.code for r in conn.execute(select(hq_store.c.store_id, hq_store.c.code)
                                                          .where(hq_store.c.store_id.is_not(None)))}
        if code is not None:
            ids = [sid for sid, c in codes.items() if c == code]
            if not ids:
                raise ValueError(f"no enrolled store has the code {code}")
            where.append(hq_access.c.store_id == ids[0])
        counts: dict[uuid.UUID, list[int]] = {}
        for sid, action, n in conn.execute(select(hq_access.c.store_id, hq_access.c.action, func.count())
                                           .where(*where).group_by(hq_access.c.store_id, hq_access.c.action)):
            counts.setdefault(sid, [0, 0])[0 if action == ACTION_FETCH else 1] += n
        shown: dict[uuid.UUID, set[str]] = {}
        for sid, customers in conn.execute(select(hq_access.c.store_id, hq_access.c.customers)
                                           .where(*where, hq_access.c.action == ACTION_FETCH)):
            shown.setdefault(sid, set()).update(customers or ())
        recent = conn.execute(select(hq_access).where(*where)
                              .order_by(hq_access.c.at.desc(), hq_access.c.id.desc()).limit(max(0, last)))
        entries = tuple(FetchEntry(_aware(r.at), codes.get(r.store_id, "?"), r.staff_id, r.key_kind,
                                   r.action == ACTION_REFUSED, len(r.customers or ())) for r in recent)
    stores = tuple(sorted((StoreFetches(codes.get(sid, "?"), sid, n[0], n[1], len(shown.get(sid, ())))
                           for sid, n in counts.items()), key=lambda s: (s.code, str(s.store_id))))
    return FetchReport(since, code, stores, entries)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    return ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in (header, *rows)]


def render(report: FetchReport) -> str:
    """The report as the CLI prints it."""
    scope = [f"since {report.since:%Y-%m-%d}" if report.since else "all time"]
    if report.store_code:
        scope.append(f"store {report.store_code}")
    lines = [f"On-demand customer look-ups ({', '.join(scope)})"]
    if not report.stores:
        lines.append("(none)")
        return "\n".join(lines)
    lines += _table(("store", "fetches", "refused", "customers shown"),
                    [(s.code, str(s.fetches), str(s.refused), str(s.customers_shown)) for s in report.stores])
    lines += ["", f"Last {len(report.last)}:"]
    lines += _table(("time (UTC)", "store", "staff", "key", "shown"),
                    [(f"{e.at.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S}", e.store_code,
                      str(e.staff_id) if e.staff_id else "-", e.key_kind,
                      "refused" if e.refused else str(e.shown)) for e in report.last])
    return "\n".join(lines)
