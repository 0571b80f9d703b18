"""When HQ recomputes the chain's customer scores (:mod:`hq.crm.scores`), in the background of
``orchard-hq serve`` (``--no-crm`` turns it off, e.g. where another process does it):

- every minute, the customers with new activity since the last pass
  (:func:`hq.crm.scores.recompute_changed`), so a sale, a collected repair or a complaint
  shows in the customer's scores at the next sync of the stores that serve them;
- once a night (``ORCHARD_CRM_NIGHTLY_HOUR``, 03:00 UTC by default; a night HQ was down is
  caught up at its next start), the whole chain (:func:`hq.crm.scores.recompute`): the
  quintiles move, recency ages, the lifetime value model is fitted again;
- the whole chain as well while the chain has no scores yet (no bounds stored: a new HQ, or
  the demo's right after its store's first push).

Which of the three is due is :func:`due` (time is an input: tests call it, and the passes,
without the thread). One pass failing is logged (its kind, never a row) and the loop goes on.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import Engine

from core import clock
from hq.crm import scores

log = logging.getLogger("orchard.hq.crm")

INTERVAL_S = 60.0
NIGHTLY_HOUR = 3          # UTC


def nightly_hour() -> int:
    """The hour (UTC) of the nightly full recompute: ``ORCHARD_CRM_NIGHTLY_HOUR``, else 3."""
    text = os.environ.get("ORCHARD_CRM_NIGHTLY_HOUR", "").strip()
    try:
        hour = int(text) if text else NIGHTLY_HOUR
    except ValueError:
        return NIGHTLY_HOUR
    return hour if 0 <= hour <= 23 else NIGHTLY_HOUR


def due(engine: Engine, now: datetime, *, hour: int | None = None) -> str:
    """What the pass at ``now`` does: ``full`` (no scores yet, or the night's run is due and
    has not run since the nightly hour) or ``changed``."""
    if not scores.has_bounds(engine):
        return "full"
    hour = nightly_hour() if hour is None else hour
    now = now.astimezone(timezone.utc)
    last = scores.get_state(engine, scores.STATE_NIGHTLY) or {}
    try:
        last_at = datetime.fromisoformat(str(last.get("at")))
    except ValueError:
        return "full"
    last_at = last_at.replace(tzinfo=timezone.utc) if last_at.tzinfo is None else last_at
    slot = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if now < slot:                       # before tonight's hour: last night's run is the one due
        slot -= timedelta(days=1)
    return "full" if last_at < slot else "changed"


def run_once(engine: Engine, now: datetime, *, hour: int | None = None) -> scores.Result:
    """One pass: the full recompute or the changed customers, whichever :func:`due` says."""
    if due(engine, now, hour=hour) == "full":       # not while another HQ process runs it
        return scores.recompute(engine, now=now, full=True, wait=False)
    return scores.recompute_changed(engine, now=now)


class Loop:
    """A thread that runs :func:`run_once` every ``interval`` seconds until :meth:`stop`;
    ``now`` is the clock it asks (core.clock's by default)."""

    def __init__(self, engine: Engine, *, interval: float = INTERVAL_S, hour: int | None = None,
                 now: Callable[[], datetime] = clock.now):
        self.engine = engine
        self.interval = interval
        self.hour = hour
        self.now = now
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="orchard-hq-crm", daemon=True)

    def start(self) -> Loop:
        self.thread.start()
        return self

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                result = run_once(self.engine, self.now(), hour=self.hour)
                if result.published or result.removed or result.full:
                    log.info("customer scores: %s", result)
            except Exception as exc:  # noqa: BLE001 - the loop outlives one bad pass
                log.error("customer scores: a pass failed (%s)", type(exc).__name__)
            self.stopping.wait(self.interval)

    def stop(self, timeout: float = 30.0) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout)


__all__ = ["INTERVAL_S", "NIGHTLY_HOUR", "Loop", "due", "nightly_hour", "run_once"]
