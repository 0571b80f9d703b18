"""Knowing the customer on screen (issue 23), driven as staff use it: the profile shows the
segment, value band, churn risk with its reasons and the next best actions (a marketing one
only with consent; Accept takes one off and counts it); the manager's Customer insights
draws the figures core gives (an associate has no such screen); Marketing lists counts,
wants a purpose beside its field and exports only the consented; a segment name reads in
Chinese after a language switch. Real widgets, a real SQLCipher store, the clock pinned."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core import clock, privacy
from core.care import complaints
from core.crm import dashboard
from core.db import StoreDatabase
from core.models import ActionOutcome, Customer, CustomerScore, Device, ListExport, SegmentSnapshot, Survey
from core.permissions import Role
from core.staff import actor_for
from desktop import fmt
from desktop.app import install_language
from desktop.qt import QApplication, QEvent, QFileDialog, Qt
from tests.desktop.conftest import PINS, open_profile, sign_in
from tests.desktop.fitcheck import problems

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)      # 18:00 in Shanghai, the store's zone
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def no_windows_left(qapp):
    """The windows of earlier tests are gone before this one starts (pytest-qt only asked
    them to delete later): each new window's style sheet restyles every widget alive."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


@pytest.fixture
def pinned():
    with clock.pinned(T0) as fixed:
        yield fixed


@pytest.fixture
def crm_store(gui_store):
    """The GUI store with HQ's scores for Anna (at risk, top value, two churn reasons) and
    Zhang (champions, no churn risk), Anna's devices (an old phone, an iPad whose warranty
    ends soon, earbuds bought this month), and two days of segment snapshots."""
    path, people = gui_store
    db = StoreDatabase.open(path)
    try:
        with db.session(write=True) as s:
            anna = s.scalars(select(Customer).where(Customer.family_name == "Smith")).one()
            zhang = s.scalars(select(Customer).where(Customer.family_name == "张")).one()
            s.add(CustomerScore(id=anna.id, customer_id=anna.id, recency=2, frequency=4, monetary=5,
                                segment="at_risk", previous_segment="loyal", segment_since=T0 - timedelta(days=3),
                                visits=9, last_visit_at=T0 - timedelta(days=420), historic_cents=250_000,
                                predicted_cents=40_000, value_band="top", churn_score=72,
                                churn_reasons=[{"code": "no_visit", "months": 14, "usual": 4},
                                               {"code": "complaints", "count": 2, "days": 90}],
                                currency="CNY", computed_at=T0 - timedelta(days=1)))
            s.add(CustomerScore(id=zhang.id, customer_id=zhang.id, recency=5, frequency=5, monetary=4,
                                segment="champions", visits=20, last_visit_at=T0 - timedelta(days=5),
                                historic_cents=900_000, predicted_cents=300_000, value_band="high",
                                churn_score=0, churn_reasons=[], currency="CNY",
                                computed_at=T0 - timedelta(days=1)))
            s.add_all([
                Device(customer_id=anna.id, kind="phone", model="iPhone 12", purchase_date=date(2023, 9, 1)),
                Device(customer_id=anna.id, kind="tablet", model="iPad Air", purchase_date=date(2025, 12, 5),
                       warranty_end=date(2026, 12, 5)),
                Device(customer_id=anna.id, kind="other", model="AirPods Pro", purchase_date=date(2026, 11, 10)),
            ])
            store_id = people[Role.ADMIN].store_id
            for day, counts in ((date(2026, 11, 18), {"loyal": 1, "champions": 1}),
                                (date(2026, 11, 19), {"at_risk": 1, "champions": 1})):
                for seg, n in counts.items():
                    s.add(SegmentSnapshot(store_id=store_id, day=day, segment=seg, customers=n))
            for nps in (10, 9, 3):
                s.add(Survey(store_id=store_id, nps=nps, at=T0 - timedelta(days=2)))
    finally:
        db.close()
    return path, people, anna.id, zhang.id


def signed_in(qtbot, make_window, path, person, role, language="en"):
    w = make_window(path, language=language)
    sign_in(qtbot, w, person, PINS[role])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    return w


def value_panel(qtbot, w, query="Smith"):
    screen = open_profile(qtbot, w, query)
    panel = screen.detail.value
    qtbot.waitUntil(lambda: panel.value is not None or panel.empty.isVisible() and panel.customer_id is not None,
                    timeout=10000)
    w.ctx.runner.wait(10000)
    QApplication.processEvents()
    return screen, panel


def counted(qtbot, screen, text):
    try:
        qtbot.waitUntil(lambda: screen.count_label.text() == text, timeout=10000)
    except AssertionError:
        raise AssertionError(f"{screen.count_label.text()!r}, not {text!r}") from None


def codes(panel):
    return [r.suggestion.code for r in panel.rows]


def test_the_profile_shows_value_churn_reasons_and_actions(qtbot, crm_store, make_window, pinned):
    path, people, anna, zhang = crm_store
    w = signed_in(qtbot, make_window, path, people[Role.ASSOCIATE], Role.ASSOCIATE)
    screen, panel = value_panel(qtbot, w)
    qtbot.waitUntil(lambda: panel.value is not None and bool(panel.rows), timeout=10000)
    f = panel.fields
    assert f["segment"].text() == "At risk" and f["band"].text() == "Top value"
    assert f["churn"].text() == "72 of 100"
    assert "No visit for 14 months, usually every 4" in f["reasons"].text()
    assert "2 complaints in 90 days" in f["reasons"].text()
    assert f["historic"].text() == fmt.money(250_000, "CNY") and f["predicted"].text() == fmt.money(40_000, "CNY")
    assert panel.computed.text().startswith("Scores from HQ")
    # warranty first (its priority), then the battery; the earbuds' accessory is marketing: no consent, none
    assert codes(panel) == ["warranty_ending", "battery_service"]
    assert "iPad Air" in panel.rows[0].why.text() and "iPhone 12" in panel.rows[1].why.text()
    buttons = [b for row in panel.rows for b in (row.accept, row.dismiss)]
    qtbot.waitUntil(lambda: all(b.isVisible() for b in buttons), timeout=5000)
    assert all(b.height() >= 44 and b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in buttons)
    # accept the battery service: it leaves the list, a confirmation shows, the outcome is kept
    panel.rows[1].accept.click()
    qtbot.waitUntil(lambda: codes(panel) == ["warranty_ending"] and panel.confirmation.isVisible(), timeout=10000)
    assert "Battery service" in panel.confirmation.text() and "accepted" in panel.confirmation.text()
    with w.ctx.db.session() as s:
        kept = s.scalars(select(ActionOutcome)).all()
        assert [(o.customer_id, o.code, o.outcome) for o in kept] == [(anna, "battery_service", "accepted")]
    # a reload does not bring it back; granting SMS marketing brings the accessory
    screen.detail.consent_checks["marketing_sms"].click()
    qtbot.waitUntil(lambda: "accessory" in codes(panel), timeout=10000)
    assert codes(panel) == ["warranty_ending", "accessory"]
    assert "AirPods Pro" in panel.rows[1].why.text()
    # nothing is cut off or unreadable in the profile at 1024x768
    w.resize(1024, 768)
    screen.detail.ensureWidgetVisible(panel)
    QApplication.processEvents()
    assert problems(panel, "profile: customer value") == []
    # the lock clears it
    w.lock()
    assert panel.value is None and panel.rows == [] and panel.fields["segment"].text() == ""


def test_without_scores_the_profile_says_they_come_from_hq(qtbot, gui_store, make_window, pinned):
    path, people = gui_store
    w = signed_in(qtbot, make_window, path, people[Role.ASSOCIATE], Role.ASSOCIATE)
    # an associate has neither the insights nor the lists
    assert "dashboard" not in w.shell.visible_keys() and "lists" not in w.shell.visible_keys()
    assert "dashboard" not in w.shell.screens and "lists" not in w.shell.screens
    _, panel = value_panel(qtbot, w)
    qtbot.waitUntil(lambda: panel.empty.isVisible() and panel.no_actions.isVisible(), timeout=10000)
    assert panel.empty.text() == "No scores yet: they come from HQ after the next sync."
    assert not panel.scores.isVisible()


def test_the_dashboard_draws_the_figures_and_opens_a_profile(qtbot, crm_store, make_window, pinned):
    path, people, anna, zhang = crm_store
    db = StoreDatabase.open(path)
    try:
        with db.session(write=True) as s:
            admin = actor_for(people[Role.ADMIN])
            complaints.open_complaint(s, admin, customer_id=anna, text="The repair took too long", now=T0)
            s.add(ActionOutcome(store_id=admin.store_id, customer_id=anna, code="battery_service",
                                subject="device:x", outcome="accepted", staff_id=admin.staff_id, at=T0))
            s.add(ActionOutcome(store_id=admin.store_id, customer_id=anna, code="battery_service",
                                subject="device:y", outcome="dismissed", staff_id=admin.staff_id, at=T0))
        with db.session() as s:
            expected = dashboard.figures(s, actor_for(people[Role.MANAGER]), today=TODAY, now=T0)
    finally:
        db.close()
    w = signed_in(qtbot, make_window, path, people[Role.MANAGER], Role.MANAGER)
    assert w.shell.visible_keys()[-2:] == ["dashboard", "lists"]
    assert w.shell.go("dashboard")
    screen = w.shell.screens["dashboard"]
    assert screen.title() == "Customer insights"
    qtbot.waitUntil(lambda: screen.figures is not None, timeout=10000)
    # segment sizes: one bar per segment, the best on top (a bar chart counts from the bottom)
    bars = screen.segment_bars
    drawn = [int(bars.at(i)) for i in range(bars.count())]
    assert drawn == [s.customers for s in reversed(expected.segments)]
    assert dict(zip([s.code for s in expected.segments], [s.customers for s in expected.segments])) \
        ["at_risk"] == 1
    # movement: a line for each segment that held anyone, a point per snapshot
    assert set(screen.movement_series) == {"loyal", "champions", "at_risk"}
    for code, series in screen.movement_series.items():
        assert [p.y() for p in series.points()] == [counts[code] for _, counts in expected.movement]
    assert screen.movement_series["at_risk"].name() == "At risk"
    # NPS: answers per week (12 weeks), the score where there were answers
    assert [int(screen.nps_answers.at(i)) for i in range(screen.nps_answers.count())] == \
        [p.answers for p in expected.nps]
    assert len(expected.nps) == 12 and sum(p.answers for p in expected.nps) == 3
    assert [p.y() for p in screen.nps_line.points()] == [round(p.nps) for p in expected.nps if p.nps is not None]
    assert len(screen.segments_chart.chart().series()) == 1 and len(screen.nps_chart.chart().series()) == 2
    # the complaint clock and the suggestions taken
    assert screen.clock_tiles["open"].text() == "1"
    rows = {screen.actions_model.index(i, 0).data(): [screen.actions_model.index(i, c).data() for c in (1, 2, 3)]
            for i in range(screen.actions_model.rowCount())}
    assert rows["Battery service"] == ["1", "1", "50 %"]
    # the churn list: Anna (Zhang has no risk); sortable; a double-click opens her profile
    assert screen.churn_model.rowCount() == len(expected.churn) == 1
    assert screen.churn_model.index(0, 1).data() == "72"
    assert "2 complaints in 90 days" in screen.churn_model.index(0, 2).data()
    assert screen.churn_view.isSortingEnabled()
    screen.churn_view.doubleClicked.emit(screen.churn_model.index(0, 0))
    customers = w.shell.screens["customers"]
    qtbot.waitUntil(lambda: w.shell.current_key() == "customers" and customers.detail.profile is not None
                    and customers.detail.profile.customer.id == anna, timeout=10000)
    # at 1024x768 it fits (in a scroll area) and reads
    w.resize(1024, 768)
    w.shell.go("dashboard")
    w.ctx.runner.wait(10000)
    QApplication.processEvents()
    assert problems(screen, "dashboard") == []


def test_marketing_lists_count_want_a_purpose_and_export_only_the_consented(qtbot, crm_store, make_window,
                                                                            pinned, tmp_path, monkeypatch):
    path, people, anna, zhang = crm_store
    db = StoreDatabase.open(path)
    try:
        with db.session(write=True) as s:
            admin = actor_for(people[Role.ADMIN])
            privacy.set_consent(s, admin, anna, "marketing_sms", True)
            privacy.set_consent(s, admin, anna, "marketing_email", True)
            privacy.set_consent(s, admin, zhang, "marketing_sms", True)
            privacy.set_consent(s, admin, zhang, "marketing_sms", False)      # withdrawn: on no later list
    finally:
        db.close()
    w = signed_in(qtbot, make_window, path, people[Role.MANAGER], Role.MANAGER)
    assert w.shell.go("lists")
    screen = w.shell.screens["lists"]
    assert screen.title() == "Marketing lists"
    counted(qtbot, screen, "2 customers match, 1 consented to SMS")
    # a segment narrows it (Zhang withdrew); email counts its own consents
    screen.segment_checks["champions"].setChecked(True)
    counted(qtbot, screen, "1 customers match, 0 consented to SMS")
    screen.segment_checks["champions"].setChecked(False)
    screen.segment_checks["at_risk"].setChecked(True)
    screen.channel_buttons["email"].setChecked(True)
    counted(qtbot, screen, "1 customers match, 1 consented to email")
    screen.segment_checks["at_risk"].setChecked(False)
    screen.channel_buttons["sms"].setChecked(True)
    screen.min_churn.setValue(50)
    counted(qtbot, screen, "1 customers match, 1 consented to SMS")
    # no purpose: said beside the field, and no file dialog
    opened = []
    monkeypatch.setattr(QFileDialog, "open", lambda dialog: opened.append(dialog))
    screen.export_button.click()
    assert "what the list is for" in screen.fields.text("purpose") and opened == []
    # with a purpose: the file is written with the consented only
    target = tmp_path / "battery-offer.csv"
    monkeypatch.setattr(QFileDialog, "open", lambda dialog: dialog.fileSelected.emit(str(target)))
    screen.min_churn.setValue(0)
    screen.purpose.setText("Battery service offer, December")
    screen.export_button.click()
    qtbot.waitUntil(lambda: screen.export_path == str(target), timeout=10000)
    assert screen.fields.text("purpose") == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert [r["customer"] for r in rows] == [str(anna)], "Zhang withdrew SMS consent"
    assert screen.confirmation.isVisible() and screen.confirmation.text().startswith("1 customers written to")
    with w.ctx.db.session() as s:
        export = s.scalars(select(ListExport)).one()
        assert (export.channel, export.purpose, export.count) == ("sms", "Battery service offer, December", 1)
    w.resize(1024, 768)
    QApplication.processEvents()
    assert problems(screen, "lists") == []


@pytest.fixture
def back_to_english():
    yield
    install_language(QApplication.instance(), "en")     # the next tests run in English


def test_a_segment_name_reads_in_chinese_after_switching(qtbot, crm_store, make_window, pinned, back_to_english):
    path, people, anna, zhang = crm_store
    w = signed_in(qtbot, make_window, path, people[Role.MANAGER], Role.MANAGER)
    _, panel = value_panel(qtbot, w)
    qtbot.waitUntil(lambda: panel.fields["segment"].text() == "At risk", timeout=10000)
    w.change_language("zh_CN")
    customers = w.shell.screens["customers"]
    qtbot.waitUntil(lambda: w.shell.screens["customers"] is not customers, timeout=10000)
    panel = w.shell.screens["customers"].detail.value
    qtbot.waitUntil(lambda: panel.fields["segment"].text() == "有流失风险", timeout=10000)
    assert panel.fields["band"].text() == "最高价值"
    assert any("已 14 个月未到店" in line for line in panel.fields["reasons"].text().splitlines())
    # the lists screen's segments too; a Chinese purpose is typed as text (setText, not keys)
    assert w.shell.go("lists")
    lists = w.shell.screens["lists"]
    assert lists.segment_checks["at_risk"].text() == "有流失风险"
    lists.purpose.setText("电池保养优惠")
    assert lists.purpose.text() == "电池保养优惠"
