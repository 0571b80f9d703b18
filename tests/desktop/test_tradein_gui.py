"""The trade-in screen on the demo store, driven as the counter uses it."""

import io
from types import SimpleNamespace

import pypdf
import pytest
from sqlalchemy import select

from core.db import StoreDatabase
from core.demo import build_demo
from core.models import AuditEvent, Customer, ImeiBlock, LoyaltyAccount, LoyaltyEntry, TradeInModel, TradeInQuote
from core.permissions import Role
from core.validation import luhn_check_digit
from desktop.qt import QComboBox, QLabel, QLineEdit
from desktop.views.tradein import find_data
from tests.desktop.conftest import sign_in

IMEI = "35717215123456" + str(luhn_check_digit("35717215123456"))
ANSWERS = {"powers_on": "yes", "activation_lock": "off", "liquid_damage": "no", "screen": "light_scratches",
           "housing": "flawless", "functions": "all_work"}


@pytest.fixture(autouse=True)
def _tradein_screen(monkeypatch):
    """The shell shows this screen under the key "tradein" (until it is wired in shell.py)."""
    import desktop.shell
    from desktop.views.tradein import TradeInScreen
    monkeypatch.setattr(desktop.shell, "SCREENS",
                        [TradeInScreen if cls.key == "tradein" else cls for cls in desktop.shell.SCREENS])


@pytest.fixture
def demo_store(tmp_path, memory_keyring):
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path)
    info = build_demo(db, customers=20)
    with db.session(write=True) as s:
        account = s.scalars(select(LoyaltyAccount).order_by(LoyaltyAccount.member_number)).first()
        member = s.get(Customer, account.customer_id)
        member.birth_date = member.birth_date or member.created_at.date().replace(year=1980)
        phone = s.scalars(select(TradeInModel).where(TradeInModel.name == "iPhone 15",
                                                     TradeInModel.configuration == "128 GB")).one()
        facts = SimpleNamespace(member_id=member.id, member_name=member.display_name, member_phone=member.phone_e164,
                                member_number=account.member_number, phone_id=phone.id,
                                blocked=s.scalars(select(ImeiBlock).where(ImeiBlock.reason == "stolen")).first().imei)
    db.close()
    return path, info, facts


def open_screen(qtbot, make_window, path, info, role):
    person = info.staff_with_role(role)[0]
    w = make_window(path)
    sign_in(qtbot, w, SimpleNamespace(id=person.staff_id), person.pin)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    assert w.shell.go("tradein")
    screen = w.shell.screens["tradein"]
    qtbot.waitUntil(lambda: screen.family_box.count() > 1, timeout=10000)
    return w, screen, person


def choose_model(qtbot, screen, family, model_id):
    screen.family_box.setCurrentIndex(screen.family_box.findData(family))
    screen.model_box.setCurrentIndex(find_data(screen.model_box, model_id))
    qtbot.waitUntil(lambda: screen.pricing is not None and screen.pricing.model.id == model_id, timeout=10000)


def answer(screen, answers):
    for key, value in answers.items():
        box = screen.question_boxes[key]
        box.setCurrentIndex(box.findData(value))


def test_full_trade_in_from_questionnaire_to_store_credit(qtbot, demo_store, make_window):
    path, info, f = demo_store
    w, screen, _ = open_screen(qtbot, make_window, path, info, Role.ASSOCIATE)
    assert not screen.book_label.isVisible(), "associates do not see the price book version"
    # the customer, found by phone
    screen.customer_search.setText(f.member_phone)
    screen.find_button.click()
    qtbot.waitUntil(lambda: screen.customer is not None, timeout=10000)
    assert screen.customer.id == f.member_id and f.member_number in screen.customer_note.text()
    # the device and the questionnaire; the breakdown follows every answer
    choose_model(qtbot, screen, "iPhone", f.phone_id)
    screen.imei.setText(IMEI)
    assert not screen.quote_button.isEnabled()
    answer(screen, dict(ANSWERS, screen="cracked"))
    screen.battery_edit.setValue(86)
    cracked = screen.total_label.text()
    assert screen.grade_label.text() == "Grade: damaged"
    assert screen.repairs_label.isVisible() and "Screen repair" in screen.repairs_label.text()
    answer(screen, {"screen": "light_scratches"})
    texts = [screen.lines.data(screen.lines.index(r, 0)) for r in range(screen.lines.rowCount())]
    assert texts[0] == "Base value, grade good"
    assert any(t.startswith("Age:") for t in texts) and "Battery health 86 % (-5 %)" in texts
    assert screen.total_label.text() != cracked and not screen.repairs_label.isVisible()
    screen.payout_box.setCurrentIndex(screen.payout_box.findData("store_credit"))
    assert screen.quote_button.isEnabled()
    shown = screen.total_label.text()
    # the quote
    screen.quote_button.click()
    qtbot.waitUntil(lambda: screen.quote_box.isVisible(), timeout=10000)
    assert screen.quote is not None and screen.total_label.text() == shown
    assert not screen.question_boxes["screen"].isEnabled(), "a quote's answers are fixed"
    # accepting without signature and declarations: told beside each field
    screen.accept_button.click()
    qtbot.waitUntil(lambda: screen.fields.text("signature_name") != "", timeout=10000)
    assert screen.fields.text("declared_owner") and screen.fields.text("declared_wiped")
    screen.signature.setText(f.member_name)
    screen.declared_owner.setChecked(True)
    screen.declared_wiped.setChecked(True)
    screen.accept_button.click()
    qtbot.waitUntil(lambda: screen.result_label.isVisible(), timeout=10000)
    quote = screen.quote
    assert f"{quote.value_cents // 5:,} points credited to member {f.member_number}" in screen.result_label.text()
    assert f"Trade-in bonus: 300 points to member {f.member_number}" in screen.result_label.text()
    assert quote.status == "received" and not screen.accept_button.isEnabled()
    with w.ctx.db.session() as s:
        row = s.get(TradeInQuote, quote.id)
        entries = s.scalars(select(LoyaltyEntry).where(LoyaltyEntry.ref_id == quote.id)
                            .order_by(LoyaltyEntry.kind.desc())).all()
    assert row.status == "received" and row.signature_name == f.member_name and row.imei == IMEI
    assert row.declared_owner and row.declared_wiped
    assert [(e.kind, e.ref_type, e.points) for e in entries] == [
        ("earn", "tradein", row.value_cents // 5), ("bonus", "tradein", 300)]
    # the customer's receipt prints from the accepted quote
    screen.receipt_button.click()
    receipt = screen.receipt_dialog
    qtbot.waitUntil(lambda: receipt.ready, timeout=20000)
    printed = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(receipt.pdf)).pages)
    assert IMEI in printed
    receipt.close()
    # the quotes list shows it; a lock takes every name off the screen and brings the quote back after
    screen.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: screen.quotes.rowCount() > 0, timeout=10000)
    w.lock()
    texts = [x.text() for x in screen.findChildren(QLabel) + screen.findChildren(QLineEdit)]
    texts += [x.itemText(i) for x in screen.findChildren(QComboBox) for i in range(x.count())]
    assert not any(f.member_name in t or IMEI in t for t in texts)
    assert screen.quotes.rowCount() == 0 and screen.lines.rowCount() == 0
    w.lock_page.credentials.secret.setText(info.staff_with_role(Role.ASSOCIATE)[0].pin)
    w.lock_page.credentials._submit()
    qtbot.waitUntil(lambda: screen.quote is not None and screen.quote.id == quote.id, timeout=10000)


def test_blocklisted_imei_is_refused_with_the_reason_and_managers_see_the_price_book(qtbot, demo_store,
                                                                                     make_window):
    path, info, f = demo_store
    w, screen, _ = open_screen(qtbot, make_window, path, info, Role.MANAGER)
    qtbot.waitUntil(lambda: screen.book_label.isVisible(), timeout=10000)
    assert screen.book_label.text().startswith("Price book 20")
    choose_model(qtbot, screen, "iPhone", f.phone_id)
    answer(screen, ANSWERS)
    screen.battery_edit.setValue(95)
    assert screen.quote_button.isEnabled()
    screen.imei.setText(f.blocked)
    qtbot.waitUntil(lambda: screen.gates_label.isVisible(), timeout=10000)
    assert "the IMEI is on the blocklist (reported stolen)" in screen.gates_label.text()
    assert not screen.quote_button.isEnabled() and screen.lines.rowCount() == 0
    with w.ctx.db.session() as s:
        hits = s.scalars(select(AuditEvent).where(AuditEvent.action == "tradein.blocklist_hit")).all()
    assert len(hits) == 1 and f.blocked not in hits[0].detail
    # a mistyped IMEI (check digit) is told beside the field, the activation lock in the refusals
    screen.imei.setText(IMEI[:14] + str((int(IMEI[14]) + 1) % 10))
    assert "check digit" in screen.fields.text("imei") and not screen.quote_button.isEnabled()
    screen.imei.setText(IMEI)
    assert screen.fields.text("imei") == ""
    answer(screen, {"activation_lock": "on"})
    assert "activation lock is on" in screen.gates_label.text() and not screen.quote_button.isEnabled()
    answer(screen, {"activation_lock": "off"})
    assert not screen.gates_label.isVisible() and screen.quote_button.isEnabled()


def test_requote_after_inspection_then_the_customer_takes_it_back(qtbot, demo_store, make_window):
    path, info, f = demo_store
    w, screen, _ = open_screen(qtbot, make_window, path, info, Role.ASSOCIATE)
    choose_model(qtbot, screen, "iPhone", f.phone_id)
    screen.imei.setText(IMEI)
    answer(screen, dict(ANSWERS, screen="flawless"))
    screen.battery_edit.setValue(92)
    screen.quote_button.click()
    qtbot.waitUntil(lambda: screen.quote is not None, timeout=10000)
    first = screen.quote
    screen.requote_button.click()
    assert screen.question_boxes["housing"].isEnabled() and screen.quote_button.text() == "Save re-quote"
    answer(screen, {"housing": "dents"})
    screen.quote_button.click()
    qtbot.waitUntil(lambda: screen.quote is not None and screen.quote.id != first.id, timeout=10000)
    second = screen.quote
    assert second.supersedes_id == first.id and second.value_cents < first.value_cents
    assert screen.grade_label.text() == "Grade: fair"
    screen.decline_button.click()
    qtbot.waitUntil(lambda: screen.result_label.isVisible(), timeout=10000)
    assert "takes the device back" in screen.result_label.text()
    with w.ctx.db.session() as s:
        assert s.get(TradeInQuote, first.id).status == "requoted"
        assert s.get(TradeInQuote, second.id).status == "declined"
