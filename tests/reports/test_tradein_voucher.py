"""The trade-in voucher on paper: a quote accepted with a voucher payout prints its code large
on the trade-in receipt with a Code 128 barcode, and scanning that barcode into the counter's
search opens the quote.  And the demo price book's yes/no questions read as questions whose
Yes means what the Yes button does."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from core import clock, tradein
from core import report_data as rd
from core.demo import price_book_rules
from core.models import Customer, LoyaltyAccount, TradeInModel, TradeInQuote
from core.permissions import Role
from core.scan import TRADEIN_QUOTE, resolve_scan
from core.validation import luhn_check_digit
from reports import i18n, tradein_receipt
from reports.base import money
from tests.reports.conftest import compact, follows, lines, squash
from tests.reports.test_documents import decode, needs_zbar

LANGS = ("en", "zh_CN")
ANSWERS = {"powers_on": "yes", "activation_lock": "off", "liquid_damage": "no", "screen": "light_scratches",
           "housing": "flawless", "functions": "all_work", "battery_health": 91}
IMEI_BODY = "35209011457730"


@pytest.fixture(scope="module")
def voucher_quote(demo):
    """A quote the associate made and the customer (not a member) accepted for a voucher."""
    assoc = demo.actors[Role.ASSOCIATE]
    with demo.db.session(write=True) as s:
        members = set(s.scalars(select(LoyaltyAccount.customer_id)))
        customer = next(c for c in s.scalars(select(Customer).where(Customer.erased.is_(False))
                                             .order_by(Customer.id)) if c.id not in members)
        customer.birth_date = date(1988, 6, 14)
        phone = s.scalars(select(TradeInModel).where(TradeInModel.kind == "phone")
                          .order_by(TradeInModel.name, TradeInModel.configuration)).first()
        quote = tradein.create_quote(s, assoc, model_id=phone.id, answers=ANSWERS, customer_id=customer.id,
                                     imei=IMEI_BODY + str(luhn_check_digit(IMEI_BODY)), now=clock.now()).quote
    with demo.db.session(write=True) as s:
        done = tradein.accept_quote(s, assoc, quote.id, signature_name="Chen Jing", declared_owner=True,
                                    declared_wiped=True, payout="voucher", now=clock.now())
    assert done.accepted and done.voucher_code
    return quote.id, done.voucher_code


@needs_zbar
@pytest.mark.parametrize("lang", LANGS)
def test_the_voucher_code_is_printed_with_a_barcode_that_opens_the_quote(demo, voucher_quote, tmp_path, lang):
    quote_id, code = voucher_quote
    assert re.fullmatch(r"TI-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assoc = demo.actors[Role.ASSOCIATE]
    with demo.db.session() as s:
        data = rd.tradein_receipt(s, assoc, quote_id)
        value = s.get(TradeInQuote, quote_id).value_cents
    assert data.voucher_code == code
    pdf = tradein_receipt.render(data, lang=lang)
    text, all_lines = compact(pdf), lines(pdf)
    # the code as the customer reads it out, under its caption, with what it is worth
    assert follows(all_lines, i18n.t(lang, "voucher_code"), code)
    assert squash(i18n.t(lang, "voucher_redeem", amount=money(value, "CNY", lang))) in text
    # yes/no questions answered Yes or No, as the screen asked them ("turned off?" Yes, not "Off")
    for key, (en, zh, _) in YES_NO_WORDING.items():
        said = i18n.t(lang, "yes" if ANSWERS[key] == tradein.yes_no(question(key))[0] else "no")
        assert follows(all_lines, zh if lang == "zh_CN" else en, said), key
    # the one barcode on the receipt holds exactly the code, and a scan of it opens the quote
    symbols = decode(pdf, tmp_path, dpi=300)
    assert symbols == ["CODE-128:" + code]
    scanned = symbols[0].removeprefix("CODE-128:")
    with demo.db.session() as s:
        target = resolve_scan(s, assoc, scanned)
    assert (target.kind, target.id) == (TRADEIN_QUOTE, quote_id)


@needs_zbar
def test_a_receipt_without_a_voucher_has_no_voucher_box(demo, tmp_path):
    with demo.db.session() as s:
        q = s.scalars(select(TradeInQuote).where(TradeInQuote.status == "quoted", TradeInQuote.voucher_code.is_(None))
                      .order_by(TradeInQuote.created_at)).first()
        data = rd.tradein_receipt(s, demo.actors[Role.ASSOCIATE], q.id)
    pdf = tradein_receipt.render(data)
    assert data.voucher_code is None
    assert squash(i18n.t("en", "voucher_code")) not in compact(pdf)
    assert decode(pdf, tmp_path, dpi=200) == []


# --- the demo's yes/no questions ------------------------------------------------------------------

# each yes/no question of the demo price book, as the associate reads it out, and whether a Yes
# is the good answer (the device keeps its grade) or the bad one
YES_NO_WORDING = {
    "powers_on": ("Does it power on and start normally?", "是否能正常开机？", True),
    "activation_lock": ("Is Find My / activation lock turned off?", "查找功能 / 激活锁是否已关闭？", True),
    "liquid_damage": ("Is there any sign of liquid damage?", "是否有进水痕迹？", False),
}


def question(key: str) -> dict:
    return next(q for q in price_book_rules(date(2026, 3, 1))["questions"] if q["key"] == key)


def test_demo_yes_no_questions_are_questions_whose_yes_means_what_it_says():
    on = date(2026, 3, 1)
    rules = price_book_rules(on)
    assert tradein.check_rules(rules) == []
    yes_no = {q["key"]: q for q in rules["questions"] if tradein.yes_no(q) is not None}
    assert set(yes_no) == set(YES_NO_WORDING), "every yes/no question's wording is checked here"
    good = {q["key"]: next(o for o, cap in q["options"].items() if cap is None) for q in rules["questions"]}
    for key, (en, zh, yes_is_good) in YES_NO_WORDING.items():
        q = yes_no[key]
        assert q["label"] == {"en": en, "zh_CN": zh}, key
        assert en.endswith("?") and en.split()[0] in ("Is", "Does", "Are", "Has"), en
        assert zh.endswith("？") and "是否" in zh, zh
        yes, no = tradein.yes_no(q)
        answered_yes, answered_no = dict(good, **{key: yes}), dict(good, **{key: no})
        best = rules["grades"][0]
        if yes_is_good:
            assert tradein.grade_for(rules, answered_yes) == best, key
            assert tradein.grade_for(rules, answered_no) != best, key
        else:
            assert tradein.grade_for(rules, answered_no) == best, key
            assert tradein.grade_for(rules, answered_yes) != best, key
    # No to "Is Find My turned off?" is the lock on: the store cannot take the device
    lock_no = dict(good, activation_lock=tradein.yes_no(yes_no["activation_lock"])[1])
    assert [g.code for g in tradein.find_gates(rules, lock_no, None, on)] == ["activation_lock"]
    assert tradein.find_gates(rules, good, None, on) == ()
