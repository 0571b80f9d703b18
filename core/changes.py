"""What a unit of work changed, as core saw it (Anki's ``OpChanges``).

Every session of the store database records the tables its flushes and its bulk
statements wrote; :func:`of` reads them once the unit of work is over. Screens refresh
from that, never from a list of tables written by hand at the call site, so a write that
reaches one more table cannot leave a screen showing stale data.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction


_KEY = "orchard.changed_tables"


@dataclass(frozen=True)
class Changes:
    """The tables an operation wrote; each screen decides whether it must refresh."""

    entities: frozenset[str]

    def touches(self, *names: str) -> bool:
        return bool(self.entities & set(names))


def _written(session: Session) -> set[str]:
    tables: set[str] = session.info.setdefault(_KEY, set())
    return tables


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    tables = _written(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        name = getattr(obj, "__tablename__", None)
        if name:
            tables.add(name)


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None:
            _written(state.session).add(table.name)


def install(session_class: type[Session]) -> None:
    """Record what every session of ``session_class`` writes."""
    event.listen(session_class, "after_flush", _after_flush)
    event.listen(session_class, "do_orm_execute", _on_execute)


def of(session: Session) -> Changes:
    """What ``session`` wrote so far (read it after the commit: the last flush happens there)."""
    return Changes(frozenset(session.info.get(_KEY, ())))
