"""Switching the language in Settings changes the whole window at once (menus, status bar,
search box, every screen) and keeps the customer that was open; Chinese headings and
primary buttons stay bold."""

import pytest

from core.permissions import Role
from desktop.app import install_language
from desktop.fonts import cjk_family
from PySide6.QtGui import QFontInfo

from desktop.qt import QApplication, QCoreApplication, QFontDatabase
from tests.desktop.conftest import PINS, sign_in


@pytest.fixture
def back_to_english():
    yield
    install_language(QApplication.instance(), "en")     # the next tests run in English


def choose_language(settings_screen, code):
    box = settings_screen.language
    index = box.findData(code)
    box.setCurrentIndex(index)
    box.activated.emit(index)


def test_switching_to_chinese_translates_everything_and_keeps_the_customer(qtbot, gui_store, make_window,
                                                                           back_to_english):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[Role.ADMIN], PINS[Role.ADMIN])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    # the customer being served
    customers = w.shell.screens["customers"]
    w.shell.go("customers")
    customers.focus_search("Anna Smith")
    qtbot.waitUntil(lambda: customers.model.rowCount() > 0, timeout=10000)
    customers.open_row(0)
    qtbot.waitUntil(lambda: customers.detail.isVisible() and customers.detail.profile is not None, timeout=10000)
    anna = customers.detail.profile.customer.id
    english = w.shell.search.placeholderText()
    assert w.app_menu.title() == "&Orchard" and english.startswith("Find a customer")

    w.shell.go("settings")
    settings = w.shell.screens["settings"]
    choose_language(settings, "zh_CN")
    qtbot.waitUntil(lambda: w.shell.screens["settings"] is not settings, timeout=10000)
    # the search box says what the Chinese catalogue says for it
    assert w.shell.search.placeholderText() == QCoreApplication.translate("ShellPage", english)
    # the window's own words
    assert w.app_menu.title() == "Orchard(&O)"
    assert w.lock_action.text() == "锁定" and w.quit_action.text() == "退出"
    assert w.status_user.text().startswith("已登录")
    qtbot.waitUntil(lambda: w.status_sync.text().startswith("离线"), timeout=10000)
    # every screen, and the one in front stays in front
    assert w.shell.current_key() == "settings"
    assert w.shell.nav.item(0).text() == "客户"
    # the same customer is still open
    new_customers = w.shell.screens["customers"]
    assert new_customers is not customers, "rebuilt in the new language"
    w.shell.go("customers")
    qtbot.waitUntil(lambda: new_customers.detail.isVisible() and new_customers.detail.profile is not None,
                    timeout=10000)
    assert new_customers.detail.profile.customer.id == anna
    assert new_customers.search.text() == "Anna Smith"

    # Chinese primary buttons stay bold: a CJK family with a real bold face draws them
    family = cjk_family()
    if family is None:
        pytest.skip("no CJK font with a bold face installed")
    button = new_customers.new_button
    assert button.objectName() == "primary" and button.font().weight() >= 600
    info = QFontInfo(button.font())
    assert info.family() == family and info.bold()
    assert any("Bold" in s for s in QFontDatabase.styles(family))

    # and back: English everywhere again
    w.shell.go("settings")
    settings = w.shell.screens["settings"]
    choose_language(settings, "en")
    qtbot.waitUntil(lambda: w.shell.screens["settings"] is not settings, timeout=10000)
    assert w.shell.search.placeholderText() == english
    assert w.app_menu.title() == "&Orchard" and w.status_user.text().startswith("Signed in")
    assert QFontInfo(QApplication.font()).family() != family
