"""Background work: one mechanism for database queries, PDF rendering and sync.

Database work runs on one dedicated thread (SQLite writes one at a time anyway, and a
single thread keeps operations in the order the user asked for them); other work runs
on the global pool.  Each task gets a ``Progress`` it may report to and poll for
cancellation; results, errors and progress come back to the GUI thread as signals.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable

import shiboken6

from desktop.qt import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a task by ``Progress.check()`` once the user cancelled."""


class Progress:
    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        self._emit(done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def cancel(self) -> None:
        self._cancel.set()


class TaskSignals(QObject):
    result = Signal(object)
    error = Signal(object)
    progress = Signal(int, int, str)
    finished = Signal()


class Task(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = TaskSignals()   # created on the GUI thread: its slots run there
        self.progress = Progress(self.signals.progress.emit)

    def run(self) -> None:
        try:
            value = self.fn(self.progress)
        except Cancelled:
            pass
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI's error display
            self.signals.error.emit(exc)
        else:
            self.signals.result.emit(value)
        finally:
            self.signals.finished.emit()

    def cancel(self) -> None:
        self.progress.cancel()


def guarded(owner: object, cb: Callable[..., Any] | None) -> Callable[..., Any] | None:
    """``cb``, but a no-op once ``owner`` (a QObject) has been destroyed."""
    if cb is None or not isinstance(owner, QObject):
        return cb
    return lambda *a: cb(*a) if shiboken6.isValid(owner) else None


class Runner(QObject):
    """Submits work and keeps each task alive until it has reported back."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_pool = QThreadPool(self)
        self.db_pool.setMaxThreadCount(1)
        # the database thread stays (Qt ends an idle one after 30 s; starting it again cost
        # the next search 10-15 ms, measured by bench/search_box.py)
        self.db_pool.setExpiryTimeout(-1)
        self.io_pool = QThreadPool(self)
        self.io_pool.setMaxThreadCount(4)
        self._live: set[Task] = set()
        self.default_error: Callable[[BaseException], None] | None = None

    def submit(self, fn: Callable[[Progress], Any], *, on_result: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None,
               on_progress: Callable[[int, int, str], None] | None = None,
               on_finished: Callable[[], None] | None = None, pool: str = "db",
               owner: QObject | None = None) -> Task:
        """``owner``: the widget the callbacks belong to. An answer that arrives after it
        was destroyed (the user moved on, the screen was rebuilt) is dropped."""
        task = Task(fn)
        owner = owner if owner is not None else getattr(on_result, "__self__", None)

        def guard(cb: Callable[..., Any]) -> Callable[..., Any] | None:
            return guarded(owner, cb)
        if on_result:
            task.signals.result.connect(guard(on_result))
        handler = on_error or self.default_error
        if handler:
            task.signals.error.connect(guard(handler) if on_error else handler)
        if on_progress:
            task.signals.progress.connect(guard(on_progress))
        if on_finished:
            task.signals.finished.connect(guard(on_finished))
        task.signals.finished.connect(lambda t=task: self._done(t))
        self._live.add(task)
        self.busy_changed.emit(True)
        (self.db_pool if pool == "db" else self.io_pool).start(task)
        return task

    def _done(self, task: Task) -> None:
        self._live.discard(task)
        if not self._live:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return bool(self._live)

    def wait(self, msecs: int = 30000) -> bool:
        return self.db_pool.waitForDone(msecs) and self.io_pool.waitForDone(msecs)
