"""Which versions of Orchard HQ works with: the newest it announces and the oldest it still
accepts, kept in HQ's database (``hq_state`` rows ``version.newest`` and ``version.oldest``,
set with ``orchard-hq versions --newest V --oldest V``), so every HQ process serving one
database says the same.

Unset, the newest is this HQ's own version (:data:`core.version.VERSION`: stores and HQ ship
from one source) and the oldest is ``0.0.0`` (every version).

:class:`VersionGate` sits in front of the app (inside :class:`hq.asgi_guard.Guard`): every
``/v1`` answer carries ``X-Orchard-Newest`` and ``X-Orchard-Oldest``; a request whose
``X-Orchard-Version`` is below the oldest is refused with 426 and
``{"error": "version_too_old", "oldest": "x.y.z"}`` before the app sees it (nothing is read,
nothing is written). A request without the header (a health probe, a tool) is served.
The values are read at most every :data:`MAX_AGE` seconds per process
(``$ORCHARD_HQ_VERSIONS_MAX_AGE``); a refusal is always checked against the database first,
so lowering the oldest lets stores back in at once.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from typing import Any, Callable

import orjson
from sqlalchemy import Engine, insert, select, update
from starlette.concurrency import run_in_threadpool

from core.version import HEADER, NEWEST_HEADER, OLDEST_HEADER, TOO_OLD, VERSION, normal, older
from hq.asgi_guard import ASGIApp, Message, Receive, Scope, Send
from hq.models import hq_state

log = logging.getLogger("orchard.hq")

NEWEST_KEY = "version.newest"
OLDEST_KEY = "version.oldest"
EVERY = "0.0.0"                       # the oldest accepted when none is set: every version
MAX_AGE = 5.0                         # seconds a process keeps the values it read
DEFAULT = "default"                   # ``--newest default``: back to this HQ's own version


class VersionsError(ValueError):
    """A value ``orchard-hq versions`` cannot keep (the message says why)."""


@dataclass(frozen=True)
class Versions:
    newest: str
    oldest: str
    newest_set: bool = False          # False: this HQ's own version
    oldest_set: bool = False          # False: every version is accepted


def read(engine: Engine) -> Versions:
    with engine.connect() as conn:
        found = dict(conn.execute(select(hq_state.c.key, hq_state.c.text)
                                  .where(hq_state.c.key.in_([NEWEST_KEY, OLDEST_KEY]))).all())
    newest, oldest = normal(found.get(NEWEST_KEY)), normal(found.get(OLDEST_KEY))
    return Versions(newest or VERSION, oldest or EVERY, newest is not None, oldest is not None)


def configure(engine: Engine, *, newest: str | None = None, oldest: str | None = None) -> Versions:
    """Set the newest announced and/or the oldest accepted (``"default"`` clears one); the
    oldest may not be above the newest. Returns what holds now."""
    now = read(engine)
    values: dict[str, str] = {}
    for key, given, current in ((NEWEST_KEY, newest, now.newest), (OLDEST_KEY, oldest, now.oldest)):
        if given is None:
            values[key] = current
            continue
        if given.strip().lower() == DEFAULT:
            values[key] = ""
            continue
        value = normal(given)
        if value is None:
            raise VersionsError("a version is three whole numbers joined by dots, e.g. 1.2.3")
        values[key] = value
    newest_after = values[NEWEST_KEY] or VERSION
    oldest_after = values[OLDEST_KEY] or EVERY
    if older(newest_after, oldest_after):
        raise VersionsError(f"the oldest accepted ({oldest_after}) cannot be newer than the newest "
                            f"announced ({newest_after})")
    changes = {k: v for k, v, given in ((NEWEST_KEY, values[NEWEST_KEY], newest),
                                        (OLDEST_KEY, values[OLDEST_KEY], oldest)) if given is not None}
    with engine.connect().execution_options(hq_write=True) as conn, conn.begin():
        have = set(conn.scalars(select(hq_state.c.key).where(hq_state.c.key.in_(list(changes)))))
        for key, value in changes.items():
            if key in have:
                conn.execute(update(hq_state).where(hq_state.c.key == key).values(text=value))
            else:
                conn.execute(insert(hq_state).values(key=key, num=0, text=value))
    return read(engine)


def max_age_from_env() -> float:
    """Seconds a process keeps the versions it read ($ORCHARD_HQ_VERSIONS_MAX_AGE, else MAX_AGE)."""
    try:
        return max(0.0, float(os.environ.get("ORCHARD_HQ_VERSIONS_MAX_AGE", MAX_AGE)))
    except ValueError:
        return MAX_AGE


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class VersionGate:
    """The ASGI layer that announces the versions and turns away stores below the oldest."""

    def __init__(self, app: ASGIApp, engine: Engine, *, max_age: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.engine = engine
        self.max_age = max_age_from_env() if max_age is None else max_age
        self.clock = clock
        self._cached: tuple[float, Versions] | None = None

    async def current(self, *, fresh: bool = False) -> Versions:
        cached = self._cached
        if cached is not None and not fresh and self.clock() - cached[0] < self.max_age:
            return cached[1]
        try:
            versions = await run_in_threadpool(read, self.engine)
        except Exception as exc:  # noqa: BLE001 - the app answers for the database itself
            log.warning("versions not read (%s); using the last known", type(exc).__name__)
            return cached[1] if cached is not None else Versions(VERSION, EVERY)
        self._cached = (self.clock(), versions)
        return versions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not (scope.get("path") or "").startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        versions = await self.current()
        sent = _header(scope, HEADER.lower().encode())
        if sent is not None:
            store_version = normal(sent)
            if store_version is None:
                await self._answer(send, versions, 400, {
                    "error": f"{HEADER} must be a version such as 1.2.3", "code": "invalid_value",
                    "params": {"name": HEADER}})
                return
            if older(store_version, versions.oldest):
                versions = await self.current(fresh=True)      # the oldest may have been lowered
                if older(store_version, versions.oldest):
                    log.info("refused a store on version %s (oldest accepted %s)", store_version, versions.oldest)
                    await self._answer(send, versions, 426, {"error": TOO_OLD, "oldest": versions.oldest})
                    return
        extra = _announce(versions)

        async def announcing_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers") or ()
                           if k.lower() not in (extra[0][0], extra[1][0])]
                message = {**message, "headers": headers + extra}
            await send(message)
        await self.app(scope, receive, announcing_send)

    @staticmethod
    async def _answer(send: Send, versions: Versions, status: int, body: dict[str, Any]) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), *_announce(versions)]})
        await send({"type": "http.response.body", "body": orjson.dumps(body)})


def _announce(versions: Versions) -> list[tuple[bytes, bytes]]:
    return [(NEWEST_HEADER.lower().encode(), versions.newest.encode()),
            (OLDEST_HEADER.lower().encode(), versions.oldest.encode())]
