"""Enrolment with HQ, once per store, and the local sync state the settings screen shows:
the HQ address, the queue's status, operations HQ refused and their retry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from core import audit, clock
from core.models import OutboxEntry
from core.permissions import Actor, Perm, require
from core.sync import credentials, merge
from core.sync.apply import CURSOR_KEY, get_state, set_state
from core.sync.outbox import NODE_KEY
from core.sync.connection import InsecureHq, SyncError, _call, check_url, make_http
from core.version import TOO_OLD, normal, update_available

if TYPE_CHECKING:
    from core.db import StoreDatabase


URL_KEY = "hq.url"
CA_KEY = "hq.ca"
STORE_KEY = "hq.store_id"
PUBLISHER_KEY = "hq.publisher"
INFLIGHT_KEY = "push.inflight"
LAST_SUCCESS_KEY = "sync.last_success"
LAST_ATTEMPT_KEY = "sync.last_attempt"
LAST_ERROR_KEY = "sync.last_error"
HEAD_KEY = "sync.head"
OFFSET_KEY = "sync.clock_offset_ms"
ERROR_KIND_KEY = "sync.last_error_kind"    # a failure that needs more than a retry ("version_too_old")
NEWEST_KEY = "hq.newest_version"           # the newest version HQ announced at the last contact
OLDEST_KEY = "hq.oldest_version"           # the oldest version HQ accepted at the last contact


@dataclass(frozen=True)
class HqSettings:
    url: str
    ca_file: str | None
    store_id: str
    publisher: bool


def load_settings(session: Session) -> HqSettings | None:
    url = get_state(session, URL_KEY)
    store_id = get_state(session, STORE_KEY)
    if not url or not store_id:
        return None
    return HqSettings(url, get_state(session, CA_KEY) or None, store_id,
                      get_state(session, PUBLISHER_KEY) == "1")


@dataclass(frozen=True)
class ParkedOp:
    seq: int
    entity: str
    entity_id: str
    op: str
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    url: str | None
    store_id: str | None
    pending: int                      # operations waiting to go to HQ
    parked: int                       # operations HQ refused (see parked_ops)
    last_success: datetime | None
    last_attempt: datetime | None
    last_error: str | None
    cursor: int
    head: int                         # HQ's sequence at the last pull (for "behind by")
    clock_offset_ms: int              # this clock minus HQ's, at the last contact
    newest_version: str | None = None     # the newest Orchard HQ announced (core.version)
    oldest_version: str | None = None     # the oldest Orchard HQ accepts
    last_error_kind: str | None = None    # "version_too_old": sync stopped until Orchard is updated

    @property
    def update_available(self) -> str | None:
        """The newer version HQ announced, when this one is older."""
        return update_available(self.newest_version)

    @property
    def version_too_old(self) -> bool:
        return self.last_error_kind == TOO_OLD


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _cursor_number(cursor: str | None, head: int) -> int:
    if not cursor:
        return 0
    return int(cursor) if cursor.isdigit() else head


def status(session: Session) -> SyncStatus:
    settings = load_settings(session)

    def count(*conds: ColumnElement[bool]) -> int:
        return int(session.scalar(select(func.count()).select_from(OutboxEntry)
                                  .where(OutboxEntry.sent_at.is_(None), *conds)) or 0)
    return SyncStatus(
        enrolled=settings is not None, url=settings.url if settings else None,
        store_id=settings.store_id if settings else None,
        pending=count(OutboxEntry.rejected.is_(None)),
        parked=count(OutboxEntry.rejected.is_not(None)),
        last_success=_when(get_state(session, LAST_SUCCESS_KEY)),
        last_attempt=_when(get_state(session, LAST_ATTEMPT_KEY)),
        last_error=get_state(session, LAST_ERROR_KEY),
        # HQ's cursor is a token (one number per lane at HQ): a pull that ends has caught up
        # with the head it reported; a whole number is a cursor from before the lanes
        cursor=_cursor_number(get_state(session, CURSOR_KEY), int(get_state(session, HEAD_KEY) or 0)),
        head=int(get_state(session, HEAD_KEY) or 0),
        clock_offset_ms=int(get_state(session, OFFSET_KEY) or 0),
        newest_version=normal(get_state(session, NEWEST_KEY)),
        oldest_version=normal(get_state(session, OLDEST_KEY)),
        last_error_kind=get_state(session, ERROR_KIND_KEY) or None)


def record_versions(session: Session, newest: str | None, oldest: str | None) -> None:
    """Keep what HQ announced (a value HQ did not send stays as it was)."""
    for key, value in ((NEWEST_KEY, newest), (OLDEST_KEY, oldest)):
        if value is not None and get_state(session, key) != value:
            set_state(session, key, value)


def parked_ops(session: Session, limit: int = 500) -> list[ParkedOp]:
    q = (select(OutboxEntry).where(OutboxEntry.sent_at.is_(None), OutboxEntry.rejected.is_not(None))
         .order_by(OutboxEntry.seq).limit(limit))
    return [ParkedOp(o.seq, o.entity, o.entity_id, o.op, o.rejected or "", o.created_at)
            for o in session.scalars(q)]


def retry_parked(session: Session, actor: Actor, seqs: list[int] | None = None) -> int:
    """Put parked operations back in the queue (after HQ's data or rules, or this
    computer's clock, were put right). Each goes as a new operation: HQ keeps its answer
    to the refused one.

    Operations refused for a clock far ahead get fresh stamps at this store's corrected
    now: ``tick(floor, wall now)``, the floor being the newest stamp HQ has accepted from
    this store or handed to it (:func:`core.sync.outbox.clock_floor`), never the refused
    fast stamps themselves. (Clamping them to a point under HQ's cap instead sent them
    hours ahead, where they won every later edit and dragged every store that pulled them
    there.) The clock's last stamp keeps a value within the cap of wall now; one beyond it
    was this machine's fast clock and goes."""
    from core.ids import uuid7
    from core.sync.hlc import Timestamp, tick
    from core.sync.outbox import HLC_KEY, beyond_cap, clock_floor
    require(actor, Perm.MANAGE_SETTINGS)
    q = select(OutboxEntry).where(OutboxEntry.sent_at.is_(None), OutboxEntry.rejected.is_not(None))
    if seqs is not None:
        q = q.where(OutboxEntry.seq.in_(seqs))
    ops = list(session.scalars(q.order_by(OutboxEntry.seq)))
    restamp = [o for o in ops if (o.rejected or "").startswith(merge.R_CLOCK)]
    if restamp:
        node = get_state(session, NODE_KEY) or "local"
        now = clock.now_ms()
        stamp = clock_floor(session.connection(), now)
        for o in restamp:
            stamp = tick(stamp, now, node)
            o.hlc = stamp.encode()
        newest = Timestamp.decode(restamp[-1].hlc)
        text = get_state(session, HLC_KEY)
        last = Timestamp.decode(text) if text else None
        if last is None or beyond_cap(last, now) or last < newest:
            set_state(session, HLC_KEY, newest.encode())
    for o in ops:
        o.op_id = uuid7()
        o.rejected = None
    session.flush()
    audit.record(session, actor, "sync.retry_parked", None, None, detail=f"{len(ops)} operations")
    return len(ops)


@dataclass(frozen=True)
class Enrolment:
    store_id: str
    url: str
    publisher: bool
    credential_in: str               # "keyring" or "database"


def enrol(db: StoreDatabase, actor: Actor, url: str, code: str, ca_file: str | None = None, *,
          transport: httpx.BaseTransport | None = None) -> Enrolment:
    """Enrol this store with HQ using the one-time code HQ printed (``orchard-hq
    enroll-store``). Keeps the credential (keyring, or inside the encrypted database)."""
    from core.errors import ValidationError
    from core.staff import current_store
    require(actor, Perm.MANAGE_STORE)
    try:
        url = check_url(url)
    except InsecureHq as exc:
        raise ValidationError("url", exc.message) from None
    code = (code or "").strip()
    if len("".join(ch for ch in code if ch.isalnum())) != 16:
        raise ValidationError("code", "must be the 16-character code HQ printed")
    with db.session() as s:
        store = current_store(s)
    if store is None:
        raise SyncError("this database has no store yet")
    versions: list[str | None] = [None, None]

    def heard(newest: str | None, oldest: str | None) -> None:
        versions[:] = [newest, oldest]
    with make_http(url, ca_file, transport=transport) as http:
        answer = _call(http, "POST", "/v1/enrol", heard=heard,
                       json={"code": code, "store_code": store.code, "store_id": str(store.id)})
    where = credentials.save(db, answer["store_id"], answer["credential"])
    with db.session(write=True) as s:
        set_state(s, URL_KEY, url)
        set_state(s, CA_KEY, ca_file or None)
        set_state(s, STORE_KEY, answer["store_id"])
        set_state(s, PUBLISHER_KEY, "1" if answer.get("publisher") else "0")
        # the hybrid clock's node becomes the store id: ties between equal stamps are
        # then decided by store id, the same way on every replica
        set_state(s, NODE_KEY, answer["store_id"])
        set_state(s, "store.id", answer["store_id"])
        set_state(s, LAST_ERROR_KEY, None)
        set_state(s, ERROR_KIND_KEY, None)
        record_versions(s, versions[0], versions[1])
        audit.record(s, actor, "sync.enrol", "store", store.id)
    return Enrolment(answer["store_id"], url, bool(answer.get("publisher")), where)
