"""The version on screen: Help ▸ About, the sign-in screen's corner, ``orchard --version``
(without Qt), and what HQ announced at the last contact in the status bar, the Sync screen
and About. (The announcement itself, from a real HQ, is tests/hq/test_versions.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.db import StoreDatabase
from core.permissions import Role
from core.sync.apply import set_state
from core.sync.enrolment import ERROR_KIND_KEY, LAST_ERROR_KEY, NEWEST_KEY, OLDEST_KEY, STORE_KEY, URL_KEY
from core.version import VERSION
from desktop.views.sync import SyncPanel
from tests.desktop.conftest import PINS, sign_in

pytestmark = pytest.mark.usefixtures("memory_keyring")

ROOT = Path(__file__).resolve().parents[2]
NEWER = "%d.4.0" % (int(VERSION.split(".")[0]) + 1)


def heard_from_hq(path, **state: str) -> None:
    """What a sync leaves in the store's sync state after HQ's answer (core.sync.client):
    this store enrolled with an HQ (no credential: the app's own sync stops before the network)."""
    db = StoreDatabase.open(path)
    try:
        with db.session(write=True) as s:
            set_state(s, URL_KEY, "http://127.0.0.1:9")
            set_state(s, STORE_KEY, "00000000-0000-0000-0000-000000000001")
            for key, value in state.items():
                set_state(s, key, value)
    finally:
        db.close()


def signed_in(qtbot, gui_store, make_window):
    path, people = gui_store
    window = make_window(path)
    sign_in(qtbot, window, people[Role.ADMIN], PINS[Role.ADMIN])
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.shell, timeout=10000)
    return window


def test_sign_in_corner_and_about_show_the_version(qtbot, gui_store, make_window):
    path, people = gui_store
    window = make_window(path)
    page = window.sign_in_page
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page, timeout=10000)
    assert page.version_label.text() == f"Orchard {VERSION}"
    assert page.version_label.isVisible()
    corner = page.version_label.mapTo(page, page.version_label.rect().bottomRight())
    assert corner.x() > page.width() * 0.8 and corner.y() > page.height() * 0.8, "in the bottom right corner"

    about = next(a for a in window.help_menu.actions() if a.text() == "About Orchard")
    about.trigger()
    qtbot.waitUntil(lambda: getattr(window, "about_dialog", None) is not None and window.about_dialog.isVisible(),
                    timeout=5000)
    dialog = window.about_dialog
    assert dialog.windowTitle() == "About Orchard"
    assert dialog.version.text() == f"Version {VERSION}"
    assert not dialog.update_note.isVisible(), "nothing heard from HQ: nothing to announce"
    dialog.reject()


def test_update_available_then_sync_stopped_in_the_status_bar_sync_screen_and_about(qtbot, gui_store,
                                                                                     make_window):
    heard_from_hq(gui_store[0], **{NEWEST_KEY: NEWER, OLDEST_KEY: "0.0.0"})
    window = signed_in(qtbot, gui_store, make_window)
    qtbot.waitUntil(lambda: f"Update available: {NEWER}" in window.status_sync.text(), timeout=10000)
    assert "Sync stopped" not in window.status_sync.text()

    panel = SyncPanel(window.ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activate()
    qtbot.waitUntil(lambda: panel.update_note.isVisible(), timeout=10000)
    assert panel.update_note.text() == f"Update available: {NEWER}"
    assert panel.version.text() == VERSION

    window.show_about()
    assert window.about_dialog.update_note.isVisible()
    assert window.about_dialog.update_note.text() == f"Update available: {NEWER}"
    window.about_dialog.reject()

    # HQ raised its oldest above this version: the next sync was refused (core.sync.client
    # records the refusal so); the status bar and the Sync screen say so, whole, and what to do
    message = f"this version ({VERSION}) is older than the oldest HQ accepts ({NEWER}); update Orchard"
    with window.ctx.db.session(write=True) as s:
        for key, value in ((OLDEST_KEY, NEWER), (LAST_ERROR_KEY, message), (ERROR_KIND_KEY, "version_too_old")):
            set_state(s, key, value)
    window.sync_service.refresh()
    stopped = (f"Sync stopped: this version ({VERSION}) is older than the oldest HQ accepts ({NEWER}); "
               "update Orchard")
    qtbot.waitUntil(lambda: window.status_sync.text().startswith(stopped), timeout=10000)
    assert f"Update available: {NEWER}" in window.status_sync.text(), "and which version to get"
    panel.activate()
    qtbot.waitUntil(lambda: panel.headline.text().startswith(stopped), timeout=10000)
    assert panel.headline.kind() == "error", "a stop is an error, never a tip"
    window.show_about()
    assert window.about_dialog.update_note.text() == stopped
    window.about_dialog.reject()


def test_orchard_version_answers_without_qt():
    code = ("import sys\nfrom desktop.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"orchard {VERSION}\n"
