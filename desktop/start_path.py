"""The work behind the first pages, done on the I/O thread, and the start-up bench's
reports (bench/startup.py, under ORCHARD_BENCH_STARTUP). The ORM loads inside these
functions, on the I/O thread, after the sign-in page is up (issue 25)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.qt import QApplication

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from core.db import StoreDatabase
    from core.errors import AuthenticationError
    from core.permissions import Actor
    from core.staff_info import StaffInfo, StoreInfo


def quick_read(path: Path) -> tuple[StoreInfo, list[StaffInfo]] | None:
    from core.quick_open import read_sign_in
    return read_sign_in(path)


def open_store(path: Path, passphrase: str | None) -> StoreDatabase:
    from core.db import StoreDatabase          # SQLAlchemy loads here, on the I/O thread
    return StoreDatabase.open(path, passphrase=passphrase)


def read_store(s: Session) -> tuple[StoreInfo | None, None]:
    from core import staff
    return staff.current_store(s), None


def list_staff(s: Session, store_id: uuid.UUID) -> list[StaffInfo]:
    from core import staff
    return staff.list_staff(s, store_id)


def authenticate(s: Session, staff_id: uuid.UUID, kind: str, secret: str) -> tuple[Actor, int] | AuthenticationError:
    """A sign-in or unlock on the write thread: the actor and the store's idle minutes, or
    the refusal (answered, not raised: failures are kept, committed, so the count survives
    a restart)."""
    from core import settings as store_settings
    from core import staff
    from core.errors import AuthenticationError
    try:
        actor = staff.authenticate(s, staff_id, **{kind: secret})
        return actor, store_settings.idle_minutes(s, actor.store_id)
    except AuthenticationError as exc:
        return exc


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def report_shown() -> None:
    """bench/startup.py: the sign-in page is on screen (a PIN can be typed); say so with the
    memory in use and the CPU time spent."""
    print(f"SIGNIN_SHOWN rss_kib={rss_kib()} cpu_ms={time.process_time() * 1000:.0f}", flush=True)


def report_ready() -> None:
    """bench/startup.py: the database is open behind the sign-in page (a sign-in goes through
    at once); say so, and quit."""
    print(f"SIGNIN_READY rss_kib={rss_kib()} cpu_ms={time.process_time() * 1000:.0f}", flush=True)
    QApplication.instance().quit()
