"""Every "do X for this customer" action on a profile arrives with that customer filled
in: edit, book an appointment, repair intake, trade-in, enrol in loyalty, print (member
card, welcome letter, the customer's data), merge and export."""

import io
import json
from types import SimpleNamespace

import pypdf
import pytest

from core import customers as customer_service
from core.db import StoreDatabase
from core.demo import build_demo
from core.permissions import Actor, Role
from desktop.qt import QApplication, QFileDialog, QMenu
from desktop.views.booking import BookingDialog
from desktop.views.customer_form import CustomerForm
from desktop.views.customers import MergeDialog
from desktop.views.enroll import EnrollDialog
from desktop.views.intake import IntakeDialog
from desktop.views.preview import PreviewDialog
from tests.desktop.conftest import sign_in


@pytest.fixture
def store(tmp_path, memory_keyring):
    """The demo store and one more customer, Anna Smith, not (yet) a loyalty member."""
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path)
    info = build_demo(db, customers=20)
    admin = info.staff_with_role(Role.ADMIN)[0]
    with db.session(write=True) as s:
        anna = customer_service.create_customer(
            s, Actor(admin.staff_id, info.store_id, Role.ADMIN, admin.display_name), given_name="Anna",
            family_name="Smith", phone="+44 20 7946 0958", email="anna@example.com")
    db.close()
    return path, info, anna.id


def pdf_text(dialog: PreviewDialog) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages)


def only(qtbot, w, cls):
    qtbot.waitUntil(lambda: any(d.isVisible() for d in w.findChildren(cls)), timeout=10000)
    return next(d for d in w.findChildren(cls) if d.isVisible())


def test_each_profile_action_arrives_with_the_customer_filled_in(qtbot, store, make_window, tmp_path):
    path, info, anna = store
    manager = info.staff_with_role(Role.MANAGER)[0]
    w = make_window(path)
    sign_in(qtbot, w, SimpleNamespace(id=manager.staff_id), manager.pin)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    shell = w.shell
    screen = shell.screens["customers"]

    def open_profile():
        assert shell.go("customers")
        screen.focus_search("Anna Smith")
        qtbot.waitUntil(lambda: screen.detail.isVisible() and screen.detail.profile is not None
                        and screen.detail.profile.customer.id == anna, timeout=10000)
        return screen.detail

    panel = open_profile()

    # edit: the form holds her details
    panel.buttons["edit"].click()
    form = only(qtbot, w, CustomerForm)
    assert (form.given_name.text(), form.family_name.text()) == ("Anna", "Smith")
    form.reject()

    # book an appointment: the booking names her
    panel.buttons["book"].click()
    booking = only(qtbot, w, BookingDialog)
    assert booking.customer_id == anna
    qtbot.waitUntil(lambda: booking.customer_label.text() == "Anna Smith", timeout=10000)
    booking.reject()

    # repair intake: the device is taken in for her
    panel.buttons["intake"].click()
    intake = only(qtbot, w, IntakeDialog)
    qtbot.waitUntil(lambda: intake.customer_label.text() == "Anna Smith", timeout=10000)
    assert intake.customer_id == anna
    intake.reject()

    # trade-in: the trade-in screen, with her chosen
    panel.buttons["tradein"].click()
    trade = shell.screens["tradein"]
    qtbot.waitUntil(lambda: shell.current_key() == "tradein" and trade.customer is not None
                    and trade.customer.id == anna, timeout=10000)
    assert trade.customer_pick.currentData() == anna and "Anna Smith" in trade.customer_pick.currentText()
    assert trade.quote is None and trade.mode == "new"

    # enrol in loyalty: the programme's form is hers; she joins
    panel = open_profile()
    assert panel.buttons["enroll"].isVisible()
    panel.buttons["enroll"].click()
    enroll = only(qtbot, w, EnrollDialog)
    qtbot.waitUntil(lambda: enroll.heading.text().startswith("Anna Smith:"), timeout=10000)
    assert enroll.customer_id == anna
    enroll.programme.setChecked(True)
    enroll.submit()
    qtbot.waitUntil(lambda: enroll.member is not None, timeout=10000)
    number = enroll.member.member_number
    enroll.accept()
    qtbot.waitUntil(lambda: screen.detail.profile is not None and screen.detail.profile.loyalty is not None,
                    timeout=10000)
    assert number in panel.contact["member"].text()

    # print: each document on the menu is hers
    for entry in ("Member card", "Welcome letter", "Customer data (access request)"):
        panel.buttons["print"].click()
        menu = next(m for m in screen.findChildren(QMenu) if m.isVisible())
        action = next(a for a in menu.actions() if a.text() == entry)
        before = set(w.findChildren(PreviewDialog))
        action.trigger()
        menu.close()
        qtbot.waitUntil(lambda: any(d.ready for d in set(w.findChildren(PreviewDialog)) - before), timeout=30000)
        dialog = next(d for d in set(w.findChildren(PreviewDialog)) - before if d.ready)
        text = pdf_text(dialog)
        assert "Anna" in text and "Smith" in text, entry
        dialog.reject()

    # merge: the profile kept is hers
    panel.buttons["merge"].click()
    merge = only(qtbot, w, MergeDialog)
    assert merge.winner.id == anna
    merge.reject()

    # export: the file written is her data
    panel.buttons["export"].click()
    chooser = only(qtbot, w, QFileDialog)
    out = tmp_path / "anna-export.json"
    chooser.selectFile(str(out))
    chooser.accept()
    qtbot.waitUntil(lambda: out.exists(), timeout=10000)
    data = json.loads(out.read_text("utf-8"))
    flat = json.dumps(data, ensure_ascii=False)
    assert "Anna" in flat and "anna@example.com" in flat
    QApplication.processEvents()
