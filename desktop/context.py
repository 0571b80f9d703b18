"""What every screen shares: the open database, who is signed in, the worker runner,
and one signal announcing that an operation changed data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from core.permissions import Actor, Perm
from core.staff_info import StoreInfo
from desktop.qt import QObject, QSettings, Signal
from desktop.workers import Runner, Task, guarded

if TYPE_CHECKING:
    from core.changes import Changes
    from core.db import StoreDatabase
    from desktop.workers import Progress


__all__ = ["AppContext", "Changes"]


def __getattr__(name: str) -> object:
    # ``Changes`` (core.changes) for the screens, loaded with them: core.changes needs
    # SQLAlchemy, which loads behind the sign-in page (issue 25)
    if name == "Changes":
        from core.changes import Changes
        return Changes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class AppContext(QObject):
    operation_did_execute = Signal(object)   # Changes
    actor_changed = Signal(object)           # Actor | None
    locked_changed = Signal(bool)
    sync_state_changed = Signal(str)

    def __init__(self, runner: Runner, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self.db: StoreDatabase | None = None
        self.store: StoreInfo | None = None
        self.actor: Actor | None = None
        self.locked = False
        from desktop.display.controller import DisplayController
        self.display = DisplayController(self)     # the customer display: one per app

    def can(self, perm: Perm) -> bool:
        return self.actor is not None and self.actor.can(perm)

    def read(self, fn: Callable[[Any], Any], on_result: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None, **kw: Any) -> Task:
        """Run ``fn(session)`` on the database thread; results come back on the GUI thread."""
        db = self.db

        def work(progress: Progress) -> Any:
            with db.session() as s:
                return fn(s)
        return self.runner.submit(work, on_result=on_result, on_error=on_error, **kw)

    def write(self, fn: Callable[[Any], Any], on_result: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None, **kw: Any) -> Task:
        """Run ``fn(session)`` as one unit of work; when it committed, announce what core saw
        it change (core.changes), never a list of tables named here."""
        db = self.db

        from core import changes as core_changes

        def work(progress: Progress) -> tuple[Any, Changes]:
            with db.session(write=True) as s:
                value = fn(s)
            return value, core_changes.of(s)

        owner = kw.pop("owner", None) or getattr(on_result, "__self__", None)
        on_result = guarded(owner, on_result)

        def done(outcome: tuple[Any, Changes]) -> None:
            value, changed = outcome
            # announced even if the screen that asked is gone: others may show this data
            self.operation_did_execute.emit(changed)
            if on_result:
                on_result(value)
        return self.runner.submit(work, on_result=done, on_error=guarded(owner, on_error), owner=self, **kw)
