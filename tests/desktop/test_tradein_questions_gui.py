"""The trade-in questionnaire as the associate meets it: yes/no questions asked in words with
nothing chosen for the customer, a battery health nobody entered stays empty and is refused,
the IMEI's check digit told beside the field, and the voucher code large with its own print."""

import io

import pypdf
import pytest

from core import tradein
from core.errors import ValidationErrors
from core.permissions import Role
from desktop.qt import QLabel, QRadioButton
from desktop.widgets.yes_no import YesNoChoice
from tests.desktop.test_tradein_gui import (  # noqa: F401  (fixtures)
    ANSWERS, IMEI, answer, choose_model, demo_store, open_screen,
)

YES_NO = {"powers_on": ("yes", "no"), "activation_lock": ("off", "on"), "liquid_damage": ("yes", "no")}


def radio_texts(box):
    return [b.text() for b in box.findChildren(QRadioButton)]


def test_yes_no_questions_are_two_words_and_nothing_is_chosen(qtbot, demo_store, make_window):
    path, info, f = demo_store
    w, screen, _ = open_screen(qtbot, make_window, path, info, Role.ASSOCIATE)
    choose_model(qtbot, screen, "iPhone", f.phone_id)
    for key, (yes, no) in YES_NO.items():
        box = screen.question_boxes[key]
        assert isinstance(box, YesNoChoice), key
        assert radio_texts(box) == ["Yes", "No"], "words, never on/off"
        assert not any(b.isChecked() for b in box.findChildren(QRadioButton)), "no answer is chosen for them"
        assert box.currentData() is None
    # "Is Find My turned off?" — Yes means the lock is off, and the device can be taken
    lock = screen.question_boxes["activation_lock"]
    lock.no.click()
    assert "activation lock is on" in screen.gates_label.text() and screen.gates_label.isVisible()
    assert screen.gates_label.kind() == "error"
    lock.yes.click()
    assert not screen.gates_label.isVisible()
    assert screen.answers()["activation_lock"] == "off"
    # the two buttons are exclusive
    assert lock.yes.isChecked() and not lock.no.isChecked()
    # questions with more than two answers keep their list
    assert not isinstance(screen.question_boxes["screen"], YesNoChoice)
    # a new trade-in clears every answer again
    screen.start_new()
    assert all(screen.question_boxes[k].currentData() is None for k in YES_NO)


def test_battery_health_starts_empty_and_a_quote_without_it_is_refused(qtbot, demo_store, make_window):
    path, info, f = demo_store
    w, screen, _ = open_screen(qtbot, make_window, path, info, Role.ASSOCIATE)
    choose_model(qtbot, screen, "iPhone", f.phone_id)
    screen.imei.setText(IMEI)
    answer(screen, ANSWERS)
    assert screen.battery_edit.text() == "" and screen.battery_edit.value() is None
    assert not screen.quote_button.isEnabled(), "every answer but the battery: the value is provisional"
    assert "1 questions still to answer" in screen.provisional_label.text()
    # the core refuses it too, and the refusal sits beside the battery field
    screen.make_quote()
    qtbot.waitUntil(lambda: screen.fields.text("battery_health") != "", timeout=10000)
    assert screen.fields.text("battery_health") == "is required" and screen.quote is None
    with w.ctx.db.session() as s, pytest.raises(ValidationErrors) as err:
        tradein.create_quote(s, w.ctx.actor, model_id=f.phone_id, answers=ANSWERS, imei=IMEI)
    assert "battery_health" in err.value.by_field
    # typed, or "not measured": then it can be quoted
    screen.battery_edit.setText("87")
    assert screen.quote_button.isEnabled()
    screen.battery_edit.setText("")
    screen.battery_unknown.setChecked(True)
    assert screen.quote_button.isEnabled() and screen.answers()["battery_health"] is None
    # only 0-100 can be typed
    screen.battery_unknown.setChecked(False)
    screen.battery_edit.clear()
    qtbot.keyClicks(screen.battery_edit, "150")
    assert screen.battery_edit.text() == "15"


def test_imei_check_digit_error_shows_beside_the_field_and_clears(qtbot, demo_store, make_window):
    path, info, f = demo_store
    w, screen, _ = open_screen(qtbot, make_window, path, info, Role.ASSOCIATE)
    choose_model(qtbot, screen, "iPhone", f.phone_id)
    error = screen.imei.parentWidget().findChild(QLabel, "fieldError")
    # typing: no error while digits are still missing
    qtbot.keyClicks(screen.imei, IMEI[:9])
    assert screen.fields.text("imei") == "" and not error.isVisible()
    # leaving a short IMEI: told it needs 15 digits
    screen.imei.editingFinished.emit()
    assert screen.fields.text("imei") == "must be 15 digits" and error.isVisible()
    assert screen.imei.property("invalid") is True
    # a wrong check digit shows as soon as it is typed
    wrong = IMEI[:14] + str((int(IMEI[14]) + 1) % 10)
    screen.imei.setText(wrong)
    assert screen.fields.text("imei") == "check digit does not match" and error.isVisible()
    assert "check digit" not in screen.gates_label.text(), "told at the field, not in the refusals"
    # right: the error is gone
    screen.imei.setText(IMEI)
    assert screen.fields.text("imei") == "" and not error.isVisible()
    assert screen.imei.property("invalid") is False


def test_voucher_code_shows_in_a_large_box_with_its_own_print_button(qtbot, demo_store, make_window):
    path, info, f = demo_store
    w, screen, _ = open_screen(qtbot, make_window, path, info, Role.ASSOCIATE)
    screen.customer_search.setText(f.member_phone)
    screen.find_button.click()
    qtbot.waitUntil(lambda: screen.customer is not None, timeout=10000)
    choose_model(qtbot, screen, "iPhone", f.phone_id)
    screen.imei.setText(IMEI)
    answer(screen, ANSWERS)
    screen.battery_edit.setText("91")
    screen.payout_box.setCurrentIndex(screen.payout_box.findData("voucher"))
    assert not screen.voucher_box.isVisible()
    screen.quote_button.click()
    qtbot.waitUntil(lambda: screen.quote_box.isVisible(), timeout=10000)
    screen.signature.setText(f.member_name)
    screen.declared_owner.setChecked(True)
    screen.declared_wiped.setChecked(True)
    screen.accept_button.click()
    qtbot.waitUntil(lambda: screen.voucher_box.isVisible(), timeout=10000)
    code = screen.quote.voucher_code
    assert code and screen.voucher_code.text() == code
    assert screen.result_label.kind() == "success" and code in screen.result_label.text()
    # large and selectable, so it can be read out or copied
    assert screen.voucher_code.font().pixelSize() >= 24 or screen.voucher_code.font().pointSize() >= 18
    assert screen.voucher_code.font().bold()
    assert screen.voucher_code.hasSelectedText() is False
    screen.voucher_code.setSelection(0, len(code))
    assert screen.voucher_code.selectedText() == code
    assert screen.voucher_print.isVisible() and screen.voucher_print.text() == "Print voucher"
    screen.voucher_print.click()
    dialog = screen.receipt_dialog
    qtbot.waitUntil(lambda: dialog.ready, timeout=20000)
    assert dialog.pdf.startswith(b"%PDF")
    printed = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages)
    assert IMEI in printed
    dialog.close()
    # a new trade-in takes the code off the screen
    screen.new_trade_in()
    assert not screen.voucher_box.isVisible() and screen.voucher_code.text() == ""
