"""Screenshots of the trade-in screen for the README: the questionnaire with its live
breakdown (and a repair priced beside the value), the quote ready to accept, the quote
accepted (a member: voucher and the programme's bonus), and a device refused with its
reasons."""

from __future__ import annotations

from pathlib import Path

from core import clock
from core.permissions import Perm, Role
from core.validation import luhn_check_digit
from tools.screenshots.driver import pump_until, save, sign_in_as

# a made-up iPhone 15 Pro IMEI (the demo's type allocation code, a valid check digit)
_BODY = "35098615" + "204718"
IMEI = _BODY + str(luhn_check_digit(_BODY))
ANSWERS = {"powers_on": "yes", "activation_lock": "off", "liquid_damage": "no", "screen": "light_scratches",
           "housing": "light_wear", "functions": "all_work"}


def _pick(box, text: str) -> None:
    i = next(i for i in range(box.count()) if box.itemText(i).startswith(text))
    box.setCurrentIndex(i)


def _pick_adult_member(screen) -> None:
    """Among the customers found, the first adult member (the accepted shot shows the bonus)."""
    from desktop.views.tradein import find_data
    today = clock.today()
    for i in range(screen.customer_pick.count()):
        cid = screen.customer_pick.itemData(i)
        if cid is None:
            continue
        screen.customer_pick.setCurrentIndex(find_data(screen.customer_pick, cid))
        pump_until(lambda: screen.customer is not None and screen.customer.id == cid)
        born = screen.customer.birth_date
        if screen.customer.member_number and (born is None or (today.year - born.year) > 18):
            return


def _answer(screen, answers: dict) -> None:
    for key, box in screen.question_boxes.items():
        if key in answers:
            box.setCurrentIndex(box.findData(answers[key]))
        elif box.currentIndex() <= 0:
            box.setCurrentIndex(1)      # a price book with more questions: the best answer


def take(window, target: Path, people: dict) -> list[Path]:
    from desktop.views.tradein import find_data

    target = Path(target)
    if not window.ctx.can(Perm.TAKE_TRADE_INS) or not window.ctx.can(Perm.VIEW_REPORTS):
        sign_in_as(window, people, Role.MANAGER)       # a manager also sees the price book version
    window.shell.go("tradein")
    screen = window.shell.screens["tradein"]
    pump_until(lambda: screen.family_box.count() > 1)
    screen.start_new()
    screen.tabs.setCurrentIndex(0)
    saved = []

    # the questionnaire, answered, with the breakdown beside it
    screen.customer_search.setText("wang")
    screen.find_button.click()
    pump_until(lambda: screen.customer is not None)
    _pick_adult_member(screen)
    _pick(screen.family_box, "iPhone")
    model = next(m for m in screen.models if m.name == "iPhone 15 Pro" and m.configuration == "256 GB")
    screen.model_box.setCurrentIndex(find_data(screen.model_box, model.id))
    pump_until(lambda: screen.pricing is not None and screen.pricing.model.id == model.id)
    screen.imei.setText(IMEI)
    _answer(screen, ANSWERS)
    screen.battery_spin.setValue(78)
    screen.payout_box.setCurrentIndex(screen.payout_box.findData("purchase"))
    pump_until(lambda: screen.quote_button.isEnabled())
    saved.append(save(window, target / "tradein-questionnaire.png"))

    # the quote, ready for the customer's signature
    screen.quote_button.click()
    pump_until(lambda: screen.quote_box.isVisible())
    screen.signature.setText(screen.customer.display_name)
    screen.declared_owner.setChecked(True)
    screen.declared_wiped.setChecked(True)
    pump_until(lambda: True)
    saved.append(save(window, target / "tradein-quote.png"))

    # accepted: the voucher, and the programme's trade-in bonus for a member
    screen.accept_button.click()
    pump_until(lambda: screen.result_label.isVisible() and not screen.result_label.visibleRegion().isEmpty())
    saved.append(save(window, target / "tradein-accepted.png"))

    # a device the store must not take: activation lock on, IMEI mistyped
    screen.start_new()
    _pick(screen.family_box, "iPhone")
    screen.model_box.setCurrentIndex(find_data(screen.model_box, model.id))
    pump_until(lambda: screen.pricing is not None and screen.pricing.model.id == model.id)
    _answer(screen, dict(ANSWERS, activation_lock="on"))
    screen.imei.setText(IMEI[:14] + str((int(IMEI[14]) + 1) % 10))
    pump_until(lambda: screen.gates_label.isVisible())
    saved.append(save(window, target / "tradein-refused.png"))
    screen.start_new()
    return saved
