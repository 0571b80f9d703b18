"""The app's side: the Sync panel enrols and syncs in the background against a real HQ,
and the status bar says how things stand (synced, waiting, failing, refused)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import customers
from core.models import Part
from core.permissions import Role
from desktop.sync_service import SyncService
from desktop.views.sync import SyncPanel
from tests.desktop.conftest import PINS, gui_store, make_window, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture
def signed_in_admin(qtbot, gui_store, make_window):
    path, people = gui_store
    window = make_window(path)
    sign_in(qtbot, window, people[Role.ADMIN], PINS[Role.ADMIN])
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.shell, timeout=10000)
    # what the lead wires into MainWindow once the database is open
    service = SyncService(window.ctx, window, interval_s=3600, after_write_s=3600)
    service.start()
    panel = SyncPanel(window.ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activate()
    yield window, service, panel
    service.stop()               # before make_window closes the database under it


def status_text(window) -> str:
    return window.status_sync.text()


def enrol_through_panel(qtbot, hq, panel, code="SH01"):
    qtbot.waitUntil(lambda: panel.enrol_box.isVisible(), timeout=5000)
    panel.url.setText(hq.url)
    panel.code.setText(hq.enrolment(code))
    panel.enrol_button.click()


def test_enrol_in_the_panel_then_the_status_bar_follows_sync(qtbot, hq, signed_in_admin):
    window, service, panel = signed_in_admin
    qtbot.waitUntil(lambda: "not connected" in status_text(window) and panel.data is not None, timeout=5000)
    assert not panel.sync_button.isVisible() and panel.enrol_box.isVisible()

    enrol_through_panel(qtbot, hq, panel)
    qtbot.waitUntil(lambda: status_text(window).startswith("Synced") and "all sent" in status_text(window),
                    timeout=20000)
    qtbot.waitUntil(lambda: not panel.enrol_box.isVisible() and panel.sync_button.isVisible(), timeout=5000)
    assert hq.url in panel.address.text()

    # HQ goes away; work goes on and waits
    hq.kill()
    db, actor = window.ctx.db, window.ctx.actor
    with db.session(write=True) as s:
        customers.create_customer(s, actor, given_name="Off", family_name="Line")
    service.sync_now()
    qtbot.waitUntil(lambda: status_text(window).startswith("Sync failed"), timeout=20000)
    text = status_text(window)
    assert text.startswith("Sync failed: HQ cannot be reached") and "1 waiting" in text and "last synced" in text
    qtbot.waitUntil(lambda: "Sync failed" in panel.headline.text(), timeout=5000)

    # HQ is back: the next run catches up
    hq.start()
    panel.sync_button.click()
    qtbot.waitUntil(lambda: status_text(window).startswith("Synced") and "all sent" in status_text(window),
                    timeout=20000)


def test_refused_changes_are_listed_with_their_reason(qtbot, hq, signed_in_admin):
    window, service, panel = signed_in_admin
    enrol_through_panel(qtbot, hq, panel)
    qtbot.waitUntil(lambda: "all sent" in status_text(window), timeout=20000)
    with window.ctx.db.session(write=True) as s:
        s.add(Part(sku="LOCAL-1", name="Screen from a market stall", price_cents=100))
    service.sync_now()
    qtbot.waitUntil(lambda: "1 refused" in status_text(window), timeout=20000)
    qtbot.waitUntil(lambda: panel.parked_box.isVisible() and panel.parked_model.rowCount() == 1, timeout=5000)
    row = [panel.parked_model.index(0, c).data() for c in range(4)]
    assert row[1:] == ["part", "added", "reference data is published by HQ"]

    # sending it again changes nothing while HQ's rule stands
    panel.parked_table.selectRow(0)
    panel.retry_button.click()
    qtbot.waitUntil(lambda: not service.running and panel.parked_model.rowCount() == 1
                    and "1 refused" in status_text(window), timeout=20000)
    with window.ctx.db.session() as s:
        assert s.scalars(select(Part.sku)).all() == ["LOCAL-1"], "kept here, never lost"


def test_enrolment_errors_show_beside_the_fields(qtbot, hq, signed_in_admin):
    window, service, panel = signed_in_admin
    qtbot.waitUntil(lambda: panel.enrol_box.isVisible(), timeout=5000)
    panel.url.setText("http://10.0.0.9:8765")
    panel.code.setText("ABCD-EFGH-JKMN-PQRS")
    panel.enrol_button.click()
    qtbot.waitUntil(lambda: panel.fields.text("url") != "", timeout=5000)
    assert panel.fields.text("url") == "plain http is allowed only to this machine; use https:// for HQ"

    panel.url.setText(hq.url)
    panel.code.setText("ABCD-EFGH-JKMN-PQRS")
    panel.enrol_button.click()
    qtbot.waitUntil(lambda: panel.fields.general.isVisible(), timeout=10000)
    assert panel.fields.general.text() == "this enrolment code is not valid (wrong, used or expired)"
    assert panel.enrol_box.isVisible()
