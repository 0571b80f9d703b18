"""Complaints and care calls at the counter (issue 21), driven as staff use them: an
associate records a complaint from the profile, a manager lands on Customer care, classifies
it (the due time moves with the severity), resolves it and records the follow-up call; the
due list puts what is overdue first; the response script beside the complaint is in the
signed-in language; a technician sees a complaint's words masked. Real widgets, a real
SQLCipher store, the clock pinned."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from core import clock
from core.care import complaints
from core.db import StoreDatabase
from core.models import Feedback, FeedbackNote, ResponseScript
from core.permissions import Role
from core.staff import actor_for
from desktop import fmt
from desktop.qt import QApplication, Qt
from desktop.views.care.complaint_dialog import ComplaintDialog
from tests.desktop.conftest import PINS, open_profile, sign_in
from tests.desktop.fitcheck import problems

# Tuesday 10 March 2026, 10:00 in Shanghai (the store's zone): the store is open 09:00-19:00
T0 = datetime(2026, 3, 10, 2, 0, tzinfo=timezone.utc)
SCRIPT = {"en": ("We are sorry the repair took longer than promised.", "Ask which day they were told."),
          "zh_CN": ("很抱歉维修时间超出了承诺。", "请问当时告知的取机日期是哪天。")}


@pytest.fixture
def pinned():
    with clock.pinned(T0) as fixed:
        yield fixed


def signed_in(qtbot, make_window, path, person, role, language="en"):
    w = make_window(path, language=language)
    sign_in(qtbot, w, person, PINS[role])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    return w


def settle(w):
    w.ctx.runner.wait(10000)
    QApplication.processEvents()


def open_as_admin(path, people, **kw):
    db = StoreDatabase.open(path)
    try:
        with db.session(write=True) as s:
            actor = actor_for(people[Role.ADMIN])
            customer = kw.pop("customer", None)
            cid = complaints.open_complaint(s, actor, customer_id=customer, **kw)
    finally:
        db.close()
    return cid


def care_screen(qtbot, w):
    qtbot.waitUntil(lambda: w.shell.current_key() == "care", timeout=10000)
    screen = w.shell.screens["care"]
    qtbot.waitUntil(lambda: screen.due.model.rowCount() > 0, timeout=10000)
    return screen


def cell(model, row, col):
    return model.data(model.index(row, col))


def test_time_left_reads_as_the_counter_says_it():
    assert fmt.time_left(timedelta(hours=3, minutes=20, seconds=59)) == "3 h 20 min left"
    assert fmt.time_left(timedelta(hours=-2)) == "overdue by 2 h"
    assert fmt.time_left(timedelta(minutes=45)) == "45 min left"
    assert fmt.time_left(timedelta(seconds=-20)) == "overdue by 1 min"
    assert fmt.time_left(timedelta(days=2, hours=5, minutes=10)) == "2 d 5 h left"


def test_a_complaint_from_the_profile_to_its_follow_up_call(qtbot, gui_store, make_window, pinned):
    path, people = gui_store
    # the associate records it from Anna's profile
    w = signed_in(qtbot, make_window, path, people[Role.ASSOCIATE], Role.ASSOCIATE)
    assert "care" not in w.shell.visible_keys()
    panel = open_profile(qtbot, w, "Smith").detail
    assert panel.buttons["complaint"].isVisible()
    panel.buttons["complaint"].click()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in w.findChildren(ComplaintDialog)), timeout=5000)
    dialog = next(d for d in w.findChildren(ComplaintDialog) if d.isVisible())
    assert "Anna Smith" in dialog.about.text()
    dialog.submit()                                     # no words: refused beside the field
    qtbot.waitUntil(lambda: dialog.fields.text("text") != "", timeout=5000)
    assert dialog.isVisible()
    dialog.text.setPlainText("The screen I paid for flickers again after two days.")
    dialog.submit()
    qtbot.waitUntil(lambda: panel.complaints.rowCount() == 1, timeout=10000)
    assert panel.complaints_box.isVisible()
    assert cell(panel.complaints, 0, 3) == "The screen I paid for flickers again after two days."
    assert cell(panel.complaints, 0, 2) == "Open"
    w.close()

    # a technician sees that there is one, not the customer's words
    w = signed_in(qtbot, make_window, path, people[Role.TECHNICIAN], Role.TECHNICIAN)
    panel = open_profile(qtbot, w, "Smith").detail
    qtbot.waitUntil(lambda: panel.complaints.rowCount() == 1, timeout=10000)
    assert cell(panel.complaints, 0, 3) == "hidden for your role"
    w.close()

    # three hours forty later the manager signs in: Customer care comes first, the clock running
    pinned.advance(hours=3, minutes=40)
    w = signed_in(qtbot, make_window, path, people[Role.MANAGER], Role.MANAGER)
    screen = care_screen(qtbot, w)
    assert cell(screen.due.model, 0, 0) == "Classify the complaint"
    assert cell(screen.due.model, 0, 1) == "Anna Smith"
    assert cell(screen.due.model, 0, 5) == "20 h 20 min left"
    screen.due.open_row(0)
    p = screen.panel
    qtbot.waitUntil(lambda: p.detail is not None, timeout=10000)
    assert p.words.text() == "The screen I paid for flickers again after two days."
    assert p.clock_labels["classify"].text().endswith("20 h 20 min left")
    assert p.clock_labels["resolve"].text() == "set when it is classified"
    assert not p.resolve_box.isVisible()

    # classify without a severity: the refusal beside the severity
    p.category.setCurrentIndex(p.category.findData("service"))
    p.classify_button.click()
    qtbot.waitUntil(lambda: p.classify_fields.text("severity") != "", timeout=5000)

    # moderate: 48 opening hours; then major: 24 real hours from the opening, so the due time moves
    p.severity.setCurrentIndex(p.severity.findData("moderate"))
    p.classify_button.click()
    qtbot.waitUntil(lambda: p.detail.row.severity == "moderate", timeout=10000)
    moderate_due, moderate_text = p.detail.row.due_at, p.clock_labels["resolve"].text()
    assert moderate_due > T0 + timedelta(hours=48)        # nights and the closed Sunday are not counted
    assert p.clock_labels["classify"].text().startswith("classified ")
    assert p.resolve_box.isVisible()
    p.severity.setCurrentIndex(p.severity.findData("major"))
    p.classify_button.click()
    qtbot.waitUntil(lambda: p.detail.row.severity == "major", timeout=10000)
    assert p.detail.row.due_at == T0 + timedelta(hours=24) < moderate_due
    assert p.clock_labels["resolve"].text() != moderate_text
    assert p.clock_labels["resolve"].text() == f"{fmt.date_time(T0 + timedelta(hours=24))} · 20 h 20 min left"
    # a major complaint goes to the region at the next sync
    assert p.clock_labels["escalation"].text() == "to be sent to the region at the next sync"
    assert not p.escalate_button.isVisible()

    # resolve: what was done is required
    p.resolve_button.click()
    qtbot.waitUntil(lambda: p.resolve_fields.text("resolution") != "", timeout=5000)
    p.resolution.setPlainText("Replaced the display again under the repair warranty.")
    p.resolve_button.click()
    qtbot.waitUntil(lambda: p.detail.row.status == "resolved", timeout=10000)
    assert p.status.text() == "Resolved"
    assert not p.classify_box.isVisible() and not p.resolve_box.isVisible()
    assert p.call.isVisible() and p.call.title() == "Follow-up call"
    assert "Resolved" in [p._note_text(n) for n in p.detail.notes]

    # the follow-up call: an outcome is required; satisfied closes the complaint
    p.call.record_button.click()
    qtbot.waitUntil(lambda: p.call.fields.text("outcome") != "", timeout=5000)
    p.call.outcome.setCurrentIndex(p.call.outcome.findData("satisfied"))
    p.call.note.setText("Works fine now.")
    p.call.record_button.click()
    qtbot.waitUntil(lambda: p.detail.row.status == "closed", timeout=10000)
    assert p.status.text() == "Closed" and not p.call.isVisible()

    # nothing is due any more
    p.back_button.click()
    qtbot.waitUntil(lambda: screen.due.empty.isVisible(), timeout=10000)
    assert screen.due.model.rowCount() == 0


def test_the_due_list_shows_what_is_overdue_first(qtbot, gui_store, make_window, pinned):
    path, people = gui_store
    # opened 30 h ago: its 24-hour classify clock ran out 6 h ago; another opened an hour ago
    pinned.advance(hours=-30)
    late = open_as_admin(path, people, text="Nobody called me back.", channel="phone")
    pinned.advance(hours=29)
    fresh = open_as_admin(path, people, text="The invoice is wrong.", channel="email")
    pinned.advance(hours=1)
    # the region has taken the late one up and written back (as core.care.escalation copies it)
    db = StoreDatabase.open(path)
    with db.session(write=True) as s:
        f = s.get(Feedback, late)
        f.escalated, f.escalation_state = True, "acknowledged"
        s.add(FeedbackNote(feedback_id=late, at=T0 - timedelta(hours=2), author="hq", hq_role="regional_manager",
                           hq_note_id=7, action="note", text="We call the customer today."))
    db.close()
    w = signed_in(qtbot, make_window, path, people[Role.MANAGER], Role.MANAGER)
    screen = care_screen(qtbot, w)
    model = screen.due.model
    assert [model.row_at(r).complaint_id for r in range(model.rowCount())] == [late, fresh]
    assert cell(model, 0, 5) == "overdue by 6 h"
    assert cell(model, 1, 5) == "23 h left"
    red = model.data(model.index(0, 5), Qt.ItemDataRole.ForegroundRole)
    assert red is not None and model.data(model.index(1, 5), Qt.ItemDataRole.ForegroundRole) is None
    assert screen.summary.text() == "2 due · 1 overdue"
    # the overdue clock reads the same on the complaint's page
    screen.due.open_row(0)
    qtbot.waitUntil(lambda: screen.panel.detail is not None, timeout=10000)
    assert screen.panel.clock_labels["classify"].text().endswith("overdue by 6 h")
    assert screen.panel.clock_labels["classify"].property("overdue") is True
    assert screen.panel.clock_labels["escalation"].text() == "Acknowledged"
    notes = screen.panel.notes
    assert [(cell(notes, r, 1), cell(notes, r, 2)) for r in range(notes.rowCount())] == [
        ("Region (regional manager)", "We call the customer today.")]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_script_beside_the_complaint_is_in_the_signed_in_language(qtbot, gui_store, make_window, pinned,
                                                                      language):
    path, people = gui_store
    cid = open_as_admin(path, people, text="My repair was three days late.", channel="counter")
    db = StoreDatabase.open(path)
    with db.session(write=True) as s:
        for lang, (ack, ask) in SCRIPT.items():
            s.add(ResponseScript(category="service", language=lang, acknowledge=ack, ask=ask,
                                 offer="—" if lang == "en" else "—", escalate=""))
        complaints.classify(s, actor_for(people[Role.ADMIN]), cid, category="service", severity="minor")
    db.close()
    w = signed_in(qtbot, make_window, path, people[Role.MANAGER], Role.MANAGER, language=language)
    w.resize(1024, 768)
    screen = care_screen(qtbot, w)
    screen.due.open_row(0)
    p = screen.panel
    qtbot.waitUntil(lambda: p.detail is not None, timeout=10000)
    box = p.script
    assert box.isVisible()
    assert box.parts["acknowledge"].text() == SCRIPT[language][0]
    assert box.parts["ask"].text() == SCRIPT[language][1]
    other = SCRIPT["en" if language == "zh_CN" else "zh_CN"][0]
    assert other not in [lbl.text() for lbl in box.parts.values()]
    assert not box.parts["escalate"].isVisible()          # nothing to say there: no empty heading either
    # beside the complaint, not under it
    assert box.mapTo(p, box.rect().topLeft()).x() > p.words.mapTo(p, p.words.rect().topRight()).x()
    settle(w)
    assert problems(w, f"care complaint ({language})") == []
    p.back_button.click()
    settle(w)
    assert problems(w, f"care due list ({language})") == []
    screen.new_button.click()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in w.findChildren(ComplaintDialog)), timeout=5000)
    dialog = next(d for d in w.findChildren(ComplaintDialog) if d.isVisible())
    settle(w)
    assert problems(dialog, f"complaint dialog ({language})") == []
    dialog.reject()


@pytest.fixture
def demo_store(tmp_path, memory_keyring):
    from core.demo import build_demo
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path)
    info = build_demo(db, customers=20)
    db.close()
    return path, info


def test_a_complaint_about_a_ticket_from_the_bench(qtbot, demo_store, make_window):
    from types import SimpleNamespace

    from sqlalchemy import select

    path, info = demo_store
    associate = info.staff_with_role(Role.ASSOCIATE)[0]
    w = make_window(path)
    sign_in(qtbot, w, SimpleNamespace(id=associate.staff_id), associate.pin)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    assert w.shell.go("bench")
    bench = w.shell.screens["bench"]
    qtbot.waitUntil(lambda: bench.model.rowCount() > 0, timeout=10000)
    bench.open_row(0)
    qtbot.waitUntil(lambda: bench.panel.detail is not None, timeout=10000)
    ticket = bench.panel.detail
    assert bench.panel.complaint_button.isVisible()
    bench.panel.complaint_button.click()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in w.findChildren(ComplaintDialog)), timeout=5000)
    dialog = next(d for d in w.findChildren(ComplaintDialog) if d.isVisible())
    assert ticket.number in dialog.about.text()
    dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
    dialog.text.setPlainText("They quoted one price and charged another.")
    with qtbot.waitSignal(dialog.opened, timeout=10000):
        dialog.submit()
    with w.ctx.db.session() as s:
        f = s.scalars(select(Feedback).where(Feedback.text == "They quoted one price and charged another.")).one()
        assert (f.ticket_id, f.customer_id, f.channel, f.status) == (ticket.id, ticket.customer_id, "phone", "open")
        assert f.opened_by_id == associate.staff_id


def test_a_call_after_a_low_survey_answer_is_recorded_from_the_due_list(qtbot, gui_store, make_window, pinned):
    from core.care.tasks import open_task
    from core.models import CareTask, Customer
    path, people = gui_store
    db = StoreDatabase.open(path)
    with db.session(write=True) as s:
        anna = s.query(Customer).filter(Customer.family_name == "Smith").one()
        task = open_task(s, store_id=people[Role.ADMIN].store_id, kind="detractor_call", due_in=timedelta(hours=24),
                         now=T0 - timedelta(hours=26), customer_id=anna.id)
        s.flush()
        task_id = task.id
    db.close()
    w = signed_in(qtbot, make_window, path, people[Role.MANAGER], Role.MANAGER)
    screen = care_screen(qtbot, w)
    assert (cell(screen.due.model, 0, 0), cell(screen.due.model, 0, 5)) == ("Call after a low survey answer",
                                                                            "overdue by 2 h")
    screen.due.open_row(0)
    page = screen.task
    assert screen.stack.currentWidget() is page and page.heading.text() == "Anna Smith"
    assert page.form.due.text().endswith("overdue by 2 h")
    page.form.outcome.setCurrentIndex(page.form.outcome.findData("unreachable"))
    page.form.record_button.click()
    qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.due and screen.due.empty.isVisible(),
                    timeout=10000)
    with w.ctx.db.session() as s:
        done = s.get(CareTask, task_id)
        assert (done.outcome, done.done_at is not None) == ("unreachable", True)
