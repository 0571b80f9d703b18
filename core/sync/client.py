"""The store's side of sync: enrol with HQ once, then push the outbox and pull HQ's
changes, any number of times, from any state (offline for a week, crashed half-way).

Push
    Outbox operations in order, in batches.  A batch's id and members are recorded
    *before* it is sent, so after a lost answer the same batch goes again with the
    same id and HQ answers it as before: a re-send never duplicates.  Accepted
    operations are marked sent; refused ones are parked with HQ's reason (the Sync
    screen shows them) and the store takes HQ's current version of those rows.
Pull
    Pages after the cursor; each page and the cursor that covers it commit together
    (:mod:`core.sync.apply`).
On demand
    :meth:`SyncClient.fetch_customer` asks HQ for a customer this store has not seen
    (by phone, email or member number); from then on the store serves that customer.
Transport
    HTTPS, verified against the configured CA (a private CA is fine), or against the
    system's CAs when none is configured.  Plain HTTP only to loopback (a demo HQ on the
    same machine); anything else is refused before a byte is sent.

No Qt here: the desktop runs :meth:`SyncClient.sync` on a worker thread.

This module holds the push/pull client; :mod:`core.sync.enrolment` enrols the store and
reads the local sync state (status, parked operations), :mod:`core.sync.connection` checks
the address and makes the requests. Their names are re-exported here, where callers use them.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

import httpx
import orjson
from sqlalchemy import func, literal_column, select, update
from sqlalchemy.orm import Session

from core import audit, clock, erasure
from core.errors import OrchardError
from core.models import OutboxEntry
from core.permissions import Actor, Perm, require
from core.sync import credentials, merge, parents
from core.sync.apply import CURSOR_KEY, RECHECK_KEY, ApplyResult, apply_rows, get_state, set_state
from core.sync.connection import (  # noqa: F401 - callers import these from here
    CertificateRejected, HqRefused, HqUnreachable, InsecureHq, NotEnrolled, SyncError, VersionTooOld, _call,
    _refusal, check_url, is_loopback, make_http,
)
from core.sync.enrolment import (  # noqa: F401 - callers import these from here
    CA_KEY, ERROR_KIND_KEY, HEAD_KEY, INFLIGHT_KEY, LAST_ATTEMPT_KEY, LAST_ERROR_KEY, LAST_SUCCESS_KEY, OFFSET_KEY,
    PUBLISHER_KEY, STORE_KEY, URL_KEY, Enrolment, HqSettings, ParkedOp, SyncStatus, enrol, load_settings,
    parked_ops, record_versions, retry_parked, status,
)

if TYPE_CHECKING:
    from core.db import StoreDatabase


BATCH_SIZE = 2000
PAGE_SIZE = 2000
KEEP_SENT_DAYS = 30        # sent operations are kept this long, then dropped from the outbox


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    rejected: int
    pulled: int
    pages: int
    entities: frozenset[str]
    errors: tuple[tuple[str, str, str], ...]      # rows that did not fit here (entity, id, reason)
    negative_accounts: frozenset[str]
    erased: frozenset[str]


_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(db: StoreDatabase) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(db.path), threading.Lock())


Progress = Callable[[str, int, int], None]
Ops = Sequence[tuple[Any, ...]]      # outbox rows as SyncClient._COLS reads them


class SyncClient:
    """Sync one store database with HQ. ``http`` (an ``httpx.Client`` with ``base_url``)
    may be injected; otherwise one is made from the enrolment settings."""

    def __init__(self, db: StoreDatabase, *, http: httpx.Client | None = None,
                 transport: httpx.BaseTransport | None = None, batch_size: int = BATCH_SIZE,
                 page_size: int = PAGE_SIZE) -> None:
        self.db = db
        self.batch_size = batch_size
        self.page_size = page_size
        self._transport = transport
        self._http = http
        self._own_http = http is None
        self._credential: str | None = None
        self._offset: int | None = None
        self._announced: tuple[str | None, str | None] | None = None   # HQ's newest and oldest, last heard

    # plumbing -------------------------------------------------------------------------------

    def _client(self) -> httpx.Client:
        if self._http is None:
            with self.db.session(bulk=True) as s:
                settings = load_settings(s)
            if settings is None:
                raise NotEnrolled("this store is not enrolled with HQ yet")
            self._http = make_http(settings.url, settings.ca_file, transport=self._transport)
        return self._http

    def _auth(self) -> dict[str, str]:
        if self._credential is None:
            self._credential = credentials.load(self.db)
            if not self._credential:
                raise NotEnrolled("this store has no HQ credential; enrol it")
        return {"Authorization": f"Bearer {self._credential}"}

    def _call(self, method: str, path: str, extra_headers: dict[str, str] | None = None,
              **kw: Any) -> dict[str, Any]:
        return _call(self._client(), method, path, headers={**self._auth(), **(extra_headers or {})},
                     heard=self._heard, **kw)

    def _heard(self, newest: str | None, oldest: str | None) -> None:
        if newest is not None or oldest is not None:
            self._announced = (newest, oldest)

    def close(self) -> None:
        if self._own_http and self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _counts(self) -> tuple[int, int]:
        with self.db.session(bulk=True) as s:
            st = status(s)
        return st.pending, st.parked

    # push -----------------------------------------------------------------------------------

    # the outbox read as the driver gives it (no per-value type processing): the operation id
    # as its 32 hex digits, spelt as a UUID by _ops; the captured fields as their JSON text
    _SELECT = ("SELECT seq, op_id, entity, entity_id, op, fields, hlc FROM outbox "
               "WHERE sent_at IS NULL AND rejected IS NULL AND ")

    def _in_flight(self) -> tuple[uuid.UUID, Ops] | None:
        """The batch whose answer never came, to send again exactly as it was.

        The record names the batch's members (a digest of their operation ids over the
        range of their seqs), not just the range: a parked operation sent again after the
        batch went out may sit inside that range, and HQ answers a batch id it has seen
        with the recorded answer, without applying anything. Only when the waiting rows
        in the range are exactly the members does the batch go again under its id;
        otherwise (a row joined or left the range) the waiting rows go as a new batch,
        which is as safe: HQ skips operations it already has and repeats its refusals."""
        with self.db.session(write=True, bulk=True) as s:
            inflight = get_state(s, INFLIGHT_KEY)
            if not inflight:
                return None
            parts = inflight.split(":")
            if len(parts) == 4:
                batch_text, first, last, digest = parts
                rows = _ops(s.connection().exec_driver_sql(
                    self._SELECT + "seq BETWEEN ? AND ? ORDER BY seq", (int(first), int(last))))
                if rows and _members(rows) == digest:
                    return uuid.UUID(batch_text), rows
            # members changed, or a record from before members were recorded: a fresh batch
            set_state(s, INFLIGHT_KEY, None)
            return None

    def _read_after(self, seq: int) -> tuple[Ops, bytes]:
        """The next operations after ``seq`` and their JSON (read while the previous batch
        is on the wire)."""
        with self.db.session(bulk=True) as s:
            rows = _ops(s.connection().exec_driver_sql(self._SELECT + "seq > ? ORDER BY seq LIMIT ?",
                                                       (int(seq), int(self.batch_size))))
        return rows, self._ops_json(rows)

    def _mark_in_flight(self, rows: Ops) -> uuid.UUID:
        batch_id = uuid.uuid4()
        with self.db.session(write=True, bulk=True) as s:
            # recorded before sending: a lost answer means "send this same batch again"
            set_state(s, INFLIGHT_KEY, f"{batch_id}:{rows[0][0]}:{rows[-1][0]}:{_members(rows)}")
        return batch_id

    @staticmethod
    def _ops_json(rows: Ops) -> bytes:
        """The operations as the JSON array's members (no brackets); the captured fields are
        already JSON in the outbox and pass through as they are (orjson.Fragment)."""
        fragment = orjson.Fragment
        return orjson.dumps([
            {"op_id": op_id, "entity": entity, "entity_id": entity_id, "op": op, "hlc": hlc,
             "fields": fragment(fields or "{}")}
            for _, op_id, entity, entity_id, op, fields, hlc in rows])[1:-1]

    def push(self, progress: Progress | None = None) -> tuple[int, int]:
        """Send everything waiting, batch by batch in outbox order; returns (accepted, refused).

        While a batch is at HQ, a worker thread records HQ's answer to the previous batch
        and reads the next one, so the store's own writes are off the critical path. That
        order is safe after a crash at any point: a batch HQ answered but this store did
        not yet mark goes again with the next push, and HQ skips operations it already has
        (by operation id) and repeats its answer to those it refused."""
        accepted = refused = 0
        pending, parked = self._counts()
        total = pending
        report = self._audit_report()     # every push vouches for the audit trail (core.audit)
        head = orjson.dumps(report)
        again = self._in_flight()
        if again is not None:
            batch_id, rows = again
            ops = self._ops_json(rows)
        else:
            rows, ops = self._read_after(0)
            if not rows:
                # nothing to push: still report the audit chain's head
                self._store_audit_ack(self._call("POST", "/v1/audit-head", json={"audit_head": report}))
                return 0, 0
            batch_id = self._mark_in_flight(rows)
        with ThreadPoolExecutor(1, thread_name_prefix="orchard-push") as worker:
            upcoming = worker.submit(self._read_after, rows[-1][0])
            acking = None                  # (rows, future) of the previous batch's answer
            try:
                while rows:
                    body = b"".join((f'{{"batch_id":"{batch_id}","pending":{int(pending)},"parked":{int(parked)},'
                                     f'"audit_head":'.encode(), head, b',"ops":[', ops, b"]}"))
                    answer = self._call("POST", "/v1/push", content=body,
                                        extra_headers={"Content-Type": "application/json"})
                    self._clock_offset(answer)
                    if acking is not None:
                        done_rows, done = acking
                        bad = done.result()
                        refused += bad
                        accepted += len(done_rows) - bad
                        parked += bad
                        if progress:
                            progress("push", accepted + refused, total)
                    sent_rows, sent_id = rows, batch_id
                    pending = max(0, pending - len(sent_rows))
                    rows, ops = upcoming.result()
                    if rows:
                        # recorded before it goes: a lost answer means "send this same batch again"
                        batch_id = self._mark_in_flight(rows)
                        acking = (sent_rows, worker.submit(self._ack, sent_rows, answer, sent_id))
                        upcoming = worker.submit(self._read_after, rows[-1][0])
                    else:
                        acking = None
                        bad = self._ack(sent_rows, answer, sent_id)
                        refused += bad
                        accepted += len(sent_rows) - bad
                        parked += bad
                        if progress:
                            progress("push", accepted + refused, total)
            except BaseException:
                upcoming.cancel()
                raise
        return accepted, refused

    def _ack(self, rows: Ops, answer: dict[str, Any], batch_id: uuid.UUID) -> int:
        reasons = {r["op_id"]: str(r.get("reason") or "refused")[:200] for r in answer.get("rejected") or []}
        bad_seqs = [r[0] for r in rows if str(r[1]) in reasons]
        now = clock.now()
        keys = set()
        with self.db.session(write=True, bulk=True) as s:
            conn = s.connection()
            for op in (s.scalars(select(OutboxEntry).where(OutboxEntry.seq.in_(bad_seqs))) if bad_seqs else ()):
                values: dict[str, Any] = {"rejected": reasons[str(op.op_id)]}
                if values["rejected"].startswith(merge.R_ERASED):
                    # refused because the person was erased: keep no trace of them here either
                    values["fields"] = erasure.scrub_change(op.entity, op.fields or {})
                conn.execute(update(OutboxEntry).where(OutboxEntry.seq == op.seq).values(**values))
                keys.add((op.entity, op.entity_id))
            # exactly the operations this batch carried (HQ's answer covers those and no
            # other: a row un-parked into the batch's range meanwhile waits for the next one)
            # (the ids as the outbox holds them, 32 hex digits, in one JSON array)
            sent = select(literal_column("value")).select_from(
                func.json_each(orjson.dumps([r[1].replace("-", "") for r in rows]).decode())).scalar_subquery()
            conn.execute(update(OutboxEntry).where(OutboxEntry.seq.between(rows[0][0], rows[-1][0]),
                                                   OutboxEntry.op_id.in_(sent),
                                                   OutboxEntry.sent_at.is_(None), OutboxEntry.rejected.is_(None))
                         .values(sent_at=now))
            if (get_state(s, INFLIGHT_KEY) or "").startswith(f"{batch_id}:"):
                set_state(s, INFLIGHT_KEY, None)
            audit.acknowledge(s, answer.get("audit_ack"))      # the head HQ vouches for
        if keys:
            # take HQ's version of what it refused, where this store may see it
            rows_back = self._rows(sorted(keys))
            if rows_back:
                apply_rows(self.db, rows_back)
        return len(bad_seqs)

    def _rows(self, keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
        """HQ's current version of these rows, those this store may see."""
        answer = self._call("POST", "/v1/rows", json={"keys": [list(k) for k in keys]})
        rows: list[dict[str, Any]] = answer.get("rows") or []
        return rows

    def _complete(self, applied: set[tuple[str, str]], *, checked: bool = False) -> ApplyResult:
        """No child row without its parent here (:mod:`core.sync.parents`). ``checked``: the
        pull's recheck marker goes in the same transaction as the check's last step."""
        def done(s: Session) -> None:
            set_state(s, RECHECK_KEY, None)
        if applied:
            return parents.repair(self.db, applied, self._rows, done=done if checked else None)
        if checked:
            with self.db.session(write=True, bulk=True) as s:
                done(s)
        return ApplyResult()

    def _audit_report(self) -> dict[str, Any]:
        """The audit chain's head and proof, which a push carries (core.audit)."""
        with self.db.session(bulk=True) as s:
            return audit.chain_report(s)

    def _store_audit_ack(self, answer: dict[str, Any]) -> None:
        with self.db.session(write=True, bulk=True) as s:
            audit.acknowledge(s, answer.get("audit_ack"))

    def _clock_offset(self, answer: dict[str, Any]) -> None:
        hq_ms = answer.get("server_time_ms")
        if isinstance(hq_ms, int):
            self._offset = clock.now_ms() - hq_ms

    # pull -----------------------------------------------------------------------------------

    def pull(self, progress: Progress | None = None) -> tuple[int, int, ApplyResult]:
        """Fetch and apply every page after the cursor; returns (rows, pages, result).
        The next page is fetched while this one is applied; it is only a read, so a
        failure part-way loses nothing (the cursor moves with the rows it covers). Pages
        carrying an erasure rewrite the file once, after the last (core.erasure.one_rewrite);
        a rewrite an earlier erasure still owes is done then too (rewrite_if_owed).
        Once the last page is in, a row applied whose parent is not here is completed from
        HQ or not kept (:mod:`core.sync.parents`). Until that is done, the cursor of the
        first page that brought such rows is kept (``RECHECK_KEY``, committed with that
        page, cleared with the check's last step; the earliest stays, so the rows fetched
        again are never more than the unchecked ones), and the next pull starts there.
        A pull that brings nothing new writes nothing (but a rewrite still owed)."""
        total = ApplyResult()
        applied: set[tuple[str, str]] = set()
        rows_in = pages = 0
        pending, parked = self._counts()

        def fetch(after: str) -> dict[str, Any]:
            return self._call("GET", "/v1/pull", params={"after": after, "limit": self.page_size,
                                                         "pending": pending, "parked": parked})
        # the cursor is HQ's opaque token (one number per lane at HQ), kept and sent back as given
        with self.db.session(bulk=True) as s:
            cursor = get_state(s, CURSOR_KEY) or "0"
            recheck = get_state(s, RECHECK_KEY)
            head_seen = get_state(s, HEAD_KEY)
        if recheck and recheck != cursor:
            # the rows of a pull that failed or stopped before they were checked: again
            cursor = recheck
        marked = recheck is not None
        with erasure.one_rewrite(), ThreadPoolExecutor(1, thread_name_prefix="orchard-pull") as fetcher:
            upcoming = fetcher.submit(fetch, cursor)
            while True:
                page = upcoming.result()
                self._clock_offset(page)
                rows = page.get("rows") or []
                nxt = str(page.get("next", cursor))
                more = bool(page.get("more"))
                if more:
                    upcoming = fetcher.submit(fetch, nxt)
                try:
                    if rows or nxt != cursor:
                        keys = parents.applied_keys(rows)
                        _merge_result(total, apply_rows(self.db, rows, cursor=nxt,
                                                        recheck_from=cursor if keys else None))
                        applied |= keys
                        marked = marked or bool(keys)
                except BaseException:
                    if more:
                        upcoming.cancel()
                    raise
                cursor = nxt
                rows_in += len(rows)
                pages += 1
                head = int(page.get("head") or 0)
                if progress:
                    progress("pull", int(page.get("position") or 0), head)
                if not more:
                    if str(head) != head_seen:
                        with self.db.session(write=True, bulk=True) as s:
                            set_state(s, HEAD_KEY, str(head))
                    break
            _merge_result(total, self._complete(applied, checked=marked))
        # a rewrite an earlier erasure still owes (one given up while a writer held the file)
        erasure.rewrite_if_owed(self.db.engine)
        return rows_in, pages, total

    # both, with bookkeeping -------------------------------------------------------------------

    def sync(self, progress: Progress | None = None) -> SyncReport:
        """Push, then pull. Records the outcome for the status bar; re-raises failures."""
        lock = _lock_for(self.db)
        if not lock.acquire(timeout=0.1):
            raise SyncError("a sync is already running")
        self._offset = None
        try:
            self._client()
            self._auth()                  # NotEnrolled before anything is recorded
            now = clock.now().isoformat()
            with self.db.session(write=True, bulk=True) as s:
                set_state(s, LAST_ATTEMPT_KEY, now)
            try:
                pushed, refused = self.push(progress)
                pulled, pages, result = self.pull(progress)
            except OrchardError as exc:
                self._record(error=exc.message, kind=getattr(exc, "kind", None))
                raise
            except Exception as exc:
                self._record(error=f"sync failed ({type(exc).__name__})")
                raise
            self._record(error=None)
            self._prune()
            return SyncReport(pushed, refused, pulled, pages, frozenset(result.entities), tuple(result.errors),
                              frozenset(result.negative_accounts), frozenset(result.erased))
        finally:
            lock.release()

    def _prune(self) -> None:
        """HQ has had these for a month; the outbox is a queue, not an archive."""
        from datetime import timedelta
        from sqlalchemy import delete
        cutoff = clock.now() - timedelta(days=KEEP_SENT_DAYS)
        with self.db.session(write=True, bulk=True) as s:
            s.connection().execute(delete(OutboxEntry).where(OutboxEntry.sent_at.is_not(None),
                                                             OutboxEntry.sent_at < cutoff))

    def _record(self, *, error: str | None, kind: str | None = None) -> None:
        with self.db.session(write=True, bulk=True) as s:
            if error is None:
                set_state(s, LAST_SUCCESS_KEY, clock.now().isoformat())
            set_state(s, LAST_ERROR_KEY, error)
            set_state(s, ERROR_KIND_KEY, kind)
            if self._announced is not None:
                record_versions(s, *self._announced)
            if getattr(self, "_offset", None) is not None:
                set_state(s, OFFSET_KEY, str(self._offset))

    # on demand ---------------------------------------------------------------------------------

    def fetch_customer(self, *, staff_id: uuid.UUID, phone: str | None = None, email: str | None = None,
                       member: str | None = None) -> list[uuid.UUID]:
        """Bring a customer this store has not seen from HQ (normalised phone in E.164,
        email, or member number), asked by ``staff_id``. Returns the ids found, now in the
        local database. The keys go in the request body, never in the URL; HQ shows only
        customers who consented to ``hq_transfer`` and refuses a store over its hourly
        allowance (a :class:`SyncError` saying when to try again)."""
        body: dict[str, str] = {k: v for k, v in (("phone", phone), ("email", email), ("member", member)) if v}
        if not body:
            raise SyncError("give a phone number, an email address or a member number")
        if len(body) > 1:
            # HQ counts look-ups, so one request carries one key (HQ refuses more with 400)
            raise SyncError("look up by one key at a time: a phone number, an email address or a member number")
        body["staff_id"] = str(staff_id)
        answer = self._call("POST", "/v1/customers/lookup", json=body)
        rows = answer.get("rows") or []
        if rows:
            apply_rows(self.db, rows)
            try:
                self._complete(parents.applied_keys(rows))
            except SyncError:
                pass        # the customer is here; the next pull brings them whole and checks again
        return [uuid.UUID(c) for c in answer.get("customers") or []]


def _ops(found: Any) -> list[tuple[Any, ...]]:
    """Outbox rows as read by ``SyncClient._SELECT``, the operation id spelt as a UUID (as
    HQ, the batch digest and the refusals name it)."""
    return [(seq, f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}" if len(h) == 32 else h, entity, entity_id,
             op, fields, hlc) for seq, h, entity, entity_id, op, fields, hlc in found]


def _members(rows: Ops) -> str:
    """A short digest naming a batch's operations (their ids, in order)."""
    return hashlib.sha256(",".join(str(r[1]) for r in rows).encode()).hexdigest()[:32]


_merge_result = parents.add_result      # one page's (or one repair's) result into the pull's


def fetch_customer(db: StoreDatabase, actor: Actor, *, phone: str | None = None, email: str | None = None,
                   member: str | None = None, region: str = "US") -> list[uuid.UUID]:
    """The service-style entry point for the GUI: normalise what was typed, fetch from
    HQ, audit the fetch by count (never by what was searched)."""
    from core.validation import normalize_email, normalize_phone
    require(actor, Perm.VIEW_CUSTOMERS)
    phone_n = normalize_phone(phone, region=region) if phone else None
    email_n = normalize_email(email) if email else None
    member_n = (member or "").strip().upper() or None
    with SyncClient(db) as client:
        ids = client.fetch_customer(staff_id=actor.staff_id, phone=phone_n, email=email_n, member=member_n)
    with db.session(write=True) as s:
        for cid in ids:
            audit.record(s, actor, "customer.fetch_from_hq", "customer", cid)
    return ids


__all__ = ["CertificateRejected", "Enrolment", "HqRefused", "HqSettings", "HqUnreachable", "InsecureHq",
           "NotEnrolled", "ParkedOp", "SyncClient", "SyncError", "SyncReport", "SyncStatus", "VersionTooOld",
           "check_url", "enrol",
           "fetch_customer", "is_loopback", "load_settings", "make_http", "parked_ops", "retry_parked", "status"]
