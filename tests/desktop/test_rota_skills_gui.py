"""Technicians' skills in the rota, in the reader's language: a manager in Chinese reads a
technician's skills in Chinese and edits them by ticking the known skills (stored as codes),
keeping a store's own skill as typed; the day view heads each technician's column likewise."""

from __future__ import annotations

from core import appointments as ap
from core.permissions import Role
from desktop.qt import Qt
from desktop.views.booking import index_of
from tests.desktop.conftest import PINS, sign_in
from tests.desktop.test_appointments_gui import appointments_screen, open_screen, shop  # noqa: F401 (fixtures)


def stored_skills(shop):
    with shop["db"].session() as s:                      # a fresh snapshot each look
        return next(t.skills for t in ap.list_technicians(s, shop["admin"]) if t.id == shop["zoe"].id)


def item(rota, code):
    return next(rota.skills.item(i) for i in range(rota.skills.count())
                if rota.skills.item(i).data(Qt.ItemDataRole.UserRole) == code)


def open_rota(qtbot, make_window, shop, role, language):
    w = make_window(shop["path"], language=language)
    sign_in(qtbot, w, shop["people"][role], PINS[role])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.shell.go("appointments")
    screen = w.shell.screens["appointments"]
    qtbot.waitUntil(lambda: screen.plan is not None, timeout=10000)
    screen.show_page(1)
    rota = screen.rota
    qtbot.waitUntil(lambda: rota.tech.count() == 2, timeout=10000)
    rota.tech.setCurrentIndex(index_of(rota.tech, shop["zoe"].id))
    qtbot.waitUntil(lambda: rota.skills.count() > 0 and not w.ctx.runner.busy, timeout=10000)
    return w, rota


def test_the_rota_shows_skills_in_chinese_and_saving_a_ticked_skill_stores_its_code(qtbot, shop, make_window):
    with shop["db"].session(write=True) as s:            # a skill of the store's own, not in the catalogue
        ap.set_skills(s, shop["admin"], shop["zoe"].id, ["screen", "setup", "drones"])
    w, rota = open_rota(qtbot, make_window, shop, Role.MANAGER, "zh_CN")
    qtbot.waitUntil(lambda: rota.skills_summary.text() == "drones、屏幕、设置与数据", timeout=10000)
    labels = {rota.skills.item(i).text(): rota.skills.item(i).checkState() for i in range(rota.skills.count())}
    assert labels["屏幕"] == labels["设置与数据"] == labels["drones"] == Qt.CheckState.Checked
    assert labels["电池"] == labels["主板"] == labels["笔记本电脑"] == Qt.CheckState.Unchecked
    assert "battery" not in labels and "screen" not in labels, "the known skills read in Chinese, not as codes"
    assert "屏幕" in rota.tech.itemData(rota.tech.currentIndex(), Qt.ItemDataRole.ToolTipRole)
    item(rota, "battery").setCheckState(Qt.CheckState.Checked)
    item(rota, "setup").setCheckState(Qt.CheckState.Unchecked)
    rota.other_skills.setText("tablets，watches")      # typed, with the Chinese comma too
    rota.save_skills.click()
    qtbot.waitUntil(lambda: stored_skills(shop) == ("battery", "drones", "screen", "tablets", "watches"), timeout=10000)
    assert not rota.skills_error.isVisible()
    qtbot.waitUntil(lambda: rota.skills_summary.text() == "电池、drones、屏幕、tablets、watches", timeout=10000)


def test_a_skill_core_refuses_is_shown_beside_the_skills(qtbot, shop, make_window):
    w, rota = open_rota(qtbot, make_window, shop, Role.MANAGER, "en")
    assert rota.skills_summary.text() == "Displays, Setup and data"
    rota.other_skills.setText("not a skill!")
    rota.save_skills.click()
    qtbot.waitUntil(lambda: rota.skills_error.isVisible(), timeout=10000)
    assert "a skill is a word" in rota.skills_error.text()
    assert stored_skills(shop) == ("screen", "setup")

