"""The demo store's side of the app (``orchard demo``): its credentials beside the
database, and its local HQ (hq.demo), started, found and stopped from here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.errors import log_failure

if TYPE_CHECKING:
    from core.db import StoreDatabase
    from core.demo.info import DemoConsole, DemoInfo

DEMO_PASSPHRASE = "orchard-demo-2026"


def save_demo_credentials(folder: Path, info: DemoInfo) -> None:
    """The demo's sign-ins, for a demo started without a terminal: beside the database,
    readable only by this user. Demo data, never a real store's."""
    from core.vault import atomic_write
    atomic_write(folder / "demo-credentials.txt", info.credentials_text().encode("utf-8"))
    pins = [{"name": m.display_name, "number": m.staff_number, "role": m.role, "pin": m.pin}
            for m in info.staff]
    atomic_write(folder / "demo-credentials.json", json.dumps(pins, ensure_ascii=False).encode("utf-8"))


def _demo_hq(folder: Path) -> tuple[int, str] | None:
    try:
        cfg = json.loads((folder / "demo-hq.json").read_text("utf-8"))
        return int(cfg["port"]), str(cfg["db"])
    except (OSError, ValueError, KeyError):
        return None


def start_demo_hq(folder: Path) -> str | None:
    """Make sure the demo's local HQ runs. One started here is this app's: it stops when the
    window closes, at exit, and by itself when the app is killed (hq.demo's lifeline)."""
    cfg = _demo_hq(folder)
    if cfg is None:
        return None
    from hq.demo import ensure_local_hq
    return ensure_local_hq(port=cfg[0], db=cfg[1], log=folder / "hq.log")


def stop_demo_hq(folder: Path) -> None:
    """Before the demo folder is thrown away (``orchard demo --fresh``): end the HQ a previous
    run left serving its files, if any."""
    cfg = _demo_hq(folder)
    if cfg is not None:
        from hq.demo import stop_left_behind
        stop_left_behind(cfg[0], cfg[1])


def connect_demo_hq(db: StoreDatabase, folder: Path) -> str | None:
    """The demo's headquarters: a local HQ on SQLite in the demo folder (its own port, so
    a rebuilt demo never meets an older demo's HQ) with the demo store enrolled, so sync
    runs as it would in a chain. Without it the demo still works offline; the Sync
    screen then says why."""
    try:
        from core.staff import actor_for
        from core.vault import atomic_write
        from hq.demo import enrol_demo_store
        port = 20000 + int(db.db_id[:8], 16) % 20000
        hq_db = f"sqlite:///{folder / 'hq.db'}"
        atomic_write(folder / "demo-hq.json", json.dumps({"port": port, "db": hq_db}).encode("utf-8"))
        url = start_demo_hq(folder)
        from core.permissions import Role
        from core.staff import current_store, list_staff
        with db.session() as s:
            admin = actor_for(next(m for m in list_staff(s, current_store(s).id) if m.role == Role.ADMIN))
        enrol_demo_store(db, admin, url, hq_db=hq_db)
        return url
    except Exception as exc:  # noqa: BLE001 - the demo store stays usable offline
        log_failure(exc, "demo HQ")
        return None


def demo_console(folder: Path) -> DemoConsole | None:
    """The demo HQ's console and its demo user (shown on the sign-in screen), if this demo has an HQ."""
    cfg = _demo_hq(folder)
    if cfg is None:
        return None
    from hq.demo import console_sign_in
    try:
        return console_sign_in(cfg[1], cfg[0])
    except (OSError, ValueError):
        return None


def demo_pins(folder: Path) -> str:
    try:
        people = json.loads((folder / "demo-credentials.json").read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    return " · ".join(f"{p['name']} {p['pin']}" for p in people)
