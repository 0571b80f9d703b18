"""On-demand fetch: a store looks up a customer it does not serve (by phone, email or
member number) and from then on serves them.

Guarded three ways. A store may make at most ``limit`` look-ups in any rolling hour
(counted from ``hq_access``; HQ authenticates stores, so the store is the unit; the
staff member who searched is recorded beside it). A customer whose current
``hq_transfer`` consent is not granted is not shown, and the store is not made to serve
them: the answer is the same as for nobody found. Every look-up, and every refusal, is
logged in ``hq_access`` by kind of key and the customers shown, never by the key."""

from __future__ import annotations

import math
import os
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, func, insert, literal_column, select, update

from core.sync import merge
from hq import lanes
from hq.common import (
    BadRequest, HqError, StoreAuth, _now, _now_ms, _out, _touch_store, _upsert_ignore, _uuid_or_none, lane_of,
    lock_rows,
)
from hq.models import hq_access, hq_erased, hq_row, hq_served, hq_store
from hq.retry import write_retrying

DEFAULT_LIMIT = 30                  # look-ups per store per rolling hour
WINDOW = timedelta(hours=1)
ACTION_FETCH = "fetch_customer"
ACTION_REFUSED = "fetch_refused"
CONSENT_PURPOSE = "hq_transfer"
KEY_KINDS = ("phone", "email", "member")
_MAX_KEY = 254                      # the longest key any kind allows (an email address)


ENV_LIMIT = "ORCHARD_HQ_FETCH_LIMIT"


def configured_limit(value: int | None = None) -> int:
    """The hourly allowance: ``value`` (``orchard-hq serve --fetch-limit``), else
    ``$ORCHARD_HQ_FETCH_LIMIT``, else :data:`DEFAULT_LIMIT`. A value that is not a whole
    number of at least one stops HQ from starting rather than leaving fetches unguarded."""
    if value is None:
        text = os.environ.get(ENV_LIMIT, "").strip()
        if not text:
            return DEFAULT_LIMIT
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{ENV_LIMIT} must be a whole number of look-ups per hour") from None
    if value < 1:
        raise ValueError("the fetch limit must be at least one look-up per hour")
    return value


class FetchRateLimited(HqError):
    """This store has used its look-ups for the hour; ``retry_after`` seconds until one frees."""
    status = 429
    code = "fetch_rate_limited"

    def __init__(self, retry_after: int):
        super().__init__("too many look-ups from this store this hour; try again in {minutes} minutes",
                         minutes=str(max(1, math.ceil(retry_after / 60))))
        self.retry_after = retry_after


def _field(conn, name: str):
    """``hq_row.data``'s field ``name`` as text, written exactly as the expression indexes
    of migration hq0002 are (so the planner uses them)."""
    if conn.dialect.name == "postgresql":
        return literal_column(f"hq_row.data ->> '{name}'")
    return literal_column(f"json_extract(hq_row.data, '$.{name}')")


def _with_survivors(conn, ids: list[uuid.UUID]) -> tuple[list[uuid.UUID], dict[uuid.UUID, uuid.UUID]]:
    """``ids`` and, for a profile merged away, the profile it was merged into (a few hops
    at most): a store that fetches the old profile gets the one in use as well. Also
    returns which profile each merged-away one went into."""
    out = list(ids)
    into: dict[uuid.UUID, uuid.UUID] = {}
    todo = list(ids)
    for _ in range(5):
        if not todo:
            break
        nxt = []
        for cid, data in conn.execute(select(hq_row.c.entity_id, hq_row.c.data).where(
                hq_row.c.entity == "customer", hq_row.c.entity_id.in_([str(c) for c in todo]))):
            winner = _uuid_or_none((data or {}).get("merged_into_id"))
            if winner is None:
                continue
            into[uuid.UUID(cid)] = winner
            if winner not in out:
                out.append(winner)
                nxt.append(winner)
        todo = nxt
    return out, into


def _when(value: Any) -> datetime:
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def granted(conn, ids: list[uuid.UUID], into: dict[uuid.UUID, uuid.UUID] | None = None) -> set[uuid.UUID]:
    """Those of ``ids`` whose ``hq_transfer`` consent in force is granted: the latest
    decision for that purpose (by time, then id, as the store's privacy module reads it).
    A profile merged away (``into``) has handed its consents to the one it went into and
    counts as that one does."""
    if not ids:
        return set()
    into = into or {}
    wanted = set(ids) | set(into.values())
    latest: dict[uuid.UUID, tuple[datetime, str, bool]] = {}
    q = select(hq_row.c.customer_id, hq_row.c.entity_id, hq_row.c.data).where(
        hq_row.c.entity == "consent", hq_row.c.customer_id.in_(list(wanted)), hq_row.c.deleted.is_(False))
    for cid, eid, data in conn.execute(q):
        data = data or {}
        if data.get("purpose") != CONSENT_PURPOSE:
            continue
        key = (_when(data.get("at")), str(eid), data.get("granted") is True)
        if cid not in latest or key[:2] > latest[cid][:2]:
            latest[cid] = key
    out = set()
    for cid in ids:
        at, hops = cid, 0
        while at in into and hops < 6 and at not in latest:
            at, hops = into[at], hops + 1
        if at in latest and latest[at][2]:
            out.add(cid)
    return out


def _keys(phone: Any, email: Any, member: Any) -> list[tuple[str, str]]:
    """The one key of a look-up. The allowance counts requests, so a request carries exactly
    one key: a phone, an email and a member number together would be three look-ups for one."""
    given = [(kind, value) for kind, value in zip(KEY_KINDS, (phone, email, member)) if value is not None]
    if len(given) > 1:
        raise BadRequest("give one look-up key per request: a phone number, an email address or a member number",
                         "one_lookup_key")
    keys = []
    for kind, value in given:
        if not isinstance(value, str) or len(value) > _MAX_KEY:
            raise BadRequest("a look-up key must be text of at most {n} characters", n=str(_MAX_KEY))
        if value.strip():
            keys.append((kind, value.strip()))
    if not keys:
        raise BadRequest("give a phone number, an email address or a member number")
    return keys


def _lock_store(conn, auth: StoreAuth) -> None:
    """One look-up at a time per store, so parallel requests cannot all count the same
    remaining allowance (SQLite's BEGIN IMMEDIATE already serialises writers)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(hq_store.c.code).where(hq_store.c.store_id == auth.store_id).with_for_update())


def _log(conn, auth: StoreAuth, at: datetime, action: str, kinds: str, staff_id: uuid.UUID | None,
         customers: list[uuid.UUID]) -> None:
    conn.execute(insert(hq_access).values(at=at, store_id=auth.store_id, action=action, key_kind=kinds,
                                          staff_id=staff_id, customers=[str(c) for c in customers]))


def lookup_customer(engine: Engine, auth: StoreAuth, *, phone: str | None = None, email: str | None = None,
                    member: str | None = None, staff_id: uuid.UUID | str | None = None,
                    limit: int = DEFAULT_LIMIT, now: datetime | None = None) -> dict[str, Any]:
    """Find a customer this store does not have; from now on the store serves them (their
    changes come with its pulls). Returns their rows; a customer the store did not serve
    before also has their rows moved to the head of their lanes (:mod:`hq.serving`), so the
    next pull brings them whole if this answer is lost. ``staff_id`` is who searched (a
    UUID, required). Over ``limit`` look-ups in the last hour: :class:`FetchRateLimited`
    (the refusal is logged too)."""
    keys = _keys(phone, email, member)
    staff = _uuid_or_none(staff_id) if staff_id not in (None, "") else None
    if staff is None:
        raise BadRequest("give the id of the staff member who searched")
    if limit < 1:
        raise BadRequest("the look-up limit must be at least one")
    kinds = "+".join(k for k, _ in keys)
    at = now or _now()
    # each of the two transactions is run again from its start when PostgreSQL stopped it for
    # a conflict (a push holding the customers' rows or lanes crosswise): hq.retry
    refused, ids, new, rows = write_retrying(
        engine, lambda conn: _look_up(conn, auth, keys, kinds, staff, limit, at), what="fetch look-up")
    if refused is not None:
        raise refused
    if new:
        rows = write_retrying(engine, lambda conn: _serve_and_answer(conn, auth, new, ids), what="fetch serve")
    return {"customers": [str(c) for c in ids], "rows": rows, "server_time_ms": _now_ms()}


def _look_up(conn, auth: StoreAuth, keys: list[tuple[str, str]], kinds: str, staff: uuid.UUID, limit: int,
             at: datetime) -> tuple[FetchRateLimited | None, list[uuid.UUID], list[uuid.UUID], list[dict[str, Any]]]:
    """The look-up's first transaction: (the refusal or None, the customers found, those the
    store does not serve yet, their rows when it serves them all already)."""
    ids: list[uuid.UUID] = []
    new: list[uuid.UUID] = []
    rows: list[dict[str, Any]] = []
    refused: FetchRateLimited | None = None
    # the store's lock only: a refusal, a search that finds nobody and a customer the
    # store serves already never wait for (nor hold up) a push about the customer (whose
    # profile lock _serve takes) or any lane's lock
    _lock_store(conn, auth)
    recent = conn.execute(select(func.count(), func.min(hq_access.c.at)).where(
        hq_access.c.store_id == auth.store_id, hq_access.c.action == ACTION_FETCH,
        hq_access.c.at > at - WINDOW)).one()
    if recent[0] >= limit:
        # the allowance frees as the oldest of the last ``limit`` look-ups leaves the hour
        oldest = conn.scalar(select(hq_access.c.at).where(
            hq_access.c.store_id == auth.store_id, hq_access.c.action == ACTION_FETCH,
            hq_access.c.at > at - WINDOW).order_by(hq_access.c.at.desc()).offset(limit - 1).limit(1))
        frees = _aware(oldest or recent[1]) + WINDOW
        refused = FetchRateLimited(max(1, math.ceil((frees - at).total_seconds())))
        _log(conn, auth, at, ACTION_REFUSED, kinds, staff, [])
    else:
        ids = _find(conn, keys)
        new = _not_served(conn, auth, ids)
        if ids and not new:
            rows = _answer(conn, auth, ids)
        _log(conn, auth, at, ACTION_FETCH, kinds, staff, ids)
    _touch_store(conn, auth, None, None)
    return refused, ids, new, rows


def _serve_and_answer(conn, auth: StoreAuth, new: list[uuid.UUID], ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    _serve(conn, auth, new)
    return _answer(conn, auth, ids)


def _not_served(conn, auth: StoreAuth, ids: list[uuid.UUID]) -> list[uuid.UUID]:
    if not ids:
        return []
    have = set(conn.scalars(select(hq_served.c.customer_id).where(
        hq_served.c.lane == lane_of(auth.store_id), hq_served.c.store_id == auth.store_id,
        hq_served.c.customer_id.in_(ids))))
    return [c for c in ids if c not in have]


def _answer(conn, auth: StoreAuth, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """The customers' rows as a pull would carry them, in sequence order."""
    q = (select(hq_row).where(hq_row.c.customer_id.in_(ids), hq_row.c.bucket == merge.BUCKET_CUSTOMER,
                              hq_row.c.deleted.is_(False)).order_by(hq_row.c.seq))
    return [_out(r, auth) for r in conn.execute(q).mappings()]


def _serve(conn, auth: StoreAuth, ids: list[uuid.UUID]) -> None:
    """From now on the store serves ``ids``. Those it did not serve before move to the
    head of their lanes (:mod:`hq.serving`'s rule, :func:`hq.lanes.write`), so its next pull
    carries each of them whole even if this fetch's answer never reaches it; the answer
    carries the same rows sooner. Their profiles are locked first, as a push about them
    locks them, so no push writes a row about them meanwhile (which is also why the ones
    the store serves are read again here)."""
    conn.execute(lock_rows(conn, select(hq_row.c.entity_id).where(
        hq_row.c.entity == "customer", hq_row.c.entity_id.in_(sorted(str(c) for c in ids))))).all()
    new = _not_served(conn, auth, ids)
    if not new:
        return
    lane = lane_of(auth.store_id)
    conn.execute(_upsert_ignore(conn, hq_served),
                 [dict(lane=lane, store_id=auth.store_id, customer_id=c) for c in new])
    lanes.write(conn, [], lambda r: lane, set(new), lambda last: None)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)      # SQLite gives naive UTC


def _find(conn, keys: list[tuple[str, str]]) -> list[uuid.UUID]:
    """The customers the keys match (full keys only), with the profiles merged ones went
    into, less the erased and those whose ``hq_transfer`` consent is not in force."""
    ids, into = matching(conn, keys)
    if ids:
        allowed = granted(conn, ids, into)
        ids = [c for c in ids if c in allowed]
    return ids


def matching(conn, keys: list[tuple[str, str]]) -> tuple[list[uuid.UUID], dict[uuid.UUID, uuid.UUID]]:
    """The customers the keys match (full keys only), with the profiles merged ones went
    into, less the erased; and which profile each merged-away one went into. No consent
    filter: a store's fetch (:func:`_find`) adds that; HQ's own staff (the console's
    customer search) see any customer who is not erased."""
    found: list[uuid.UUID] = []
    for kind, value in keys:
        if kind == "phone":
            entity, match = "customer", _field(conn, "phone_e164") == value
        elif kind == "email":
            entity, match = "customer", func.lower(_field(conn, "email")) == value.lower()
        else:
            entity, match = "loyalty_account", _field(conn, "member_number") == value.upper()
        found.extend(conn.scalars(select(hq_row.c.customer_id).where(
            hq_row.c.entity == entity, match, hq_row.c.deleted.is_(False),
            hq_row.c.customer_id.is_not(None)).limit(20)))
    ids, into = _with_survivors(conn, list(dict.fromkeys(found))[:20])
    if ids:
        erased = set(conn.scalars(select(hq_erased.c.customer_id).where(hq_erased.c.customer_id.in_(ids))))
        ids = [c for c in ids if c not in erased]
    return ids, into
