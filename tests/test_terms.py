"""One word for every thing: the screens and the printed documents name the core's codes
from one catalogue (core.terms), and no other table translates a domain term again, or
differently."""

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from core.terms import LANGUAGES, TERMS, find, term
from reports import i18n

ROOT = Path(__file__).resolve().parents[1]
TS_FILES = sorted((ROOT / "resources" / "translations").glob("*.ts"))

# The words chosen where screen and paper used to differ, and the words they replace.
CHOSEN = [
    ("no_show", "appointment_status", "未到店", "爽约"),
    ("awaiting_approval", "ticket_status", "待客户确认", "待顾客确认"),
    ("store_credit", "payout", "店内抵用金", "店内余额"),
    ("like_new", "grade", "近全新", "近新"),
    ("purchase", "payout", "抵扣购物款", "抵扣购机款"),
]

# Screen and paper strings whose English matches a catalogue term but that mean something
# else there (a column of times, a button, a field of a form): (context or "reports", source).
HOMONYMS = {
    ("BenchScreen", "Due"): "when the repair should be ready", ("reports", "due"): "when the repair should be ready",
    ("CoreMessages", "walk-in"): "the customer waiting in the queue, not the booking source",
    ("PassphrasePage", "Open"): "a button that opens the database",
    ("IntakeTab", "Checked in"): "the time the device was taken in", ("reports", "received"): "the same time",
    ("QcTab", "Quality check"): "the heading of the checks", ("reports", "quality_check"): "the same heading",
    ("PickupTab", "Clear"): "a button that clears the signature pad",
    ("Shortcuts", "Appointments"): "the screen's name, as the navigation shows it",
    ("TradeInScreen", "Quoted"): "the time of the quote", ("reports", "quoted_on"): "the time of the quote",
    ("reports", "accepted_on"): "the time of the acceptance",
    ("TradeInScreen", "Value"): "the heading of the trade-in value",
    ("reports", "total"): "the sum row", ("reports", "terms"): "the terms paragraph",
    ("reports", "grade"): "a heading naming the field in full", ("reports", "tier"): "the same",
    ("reports", "nps"): "a heading that spells the score out",
    ("reports", "col_booked"): "a narrow column of counts", ("reports", "col_booked_h"): "a column of hours",
    ("reports", "col_walk_ins"): "a narrow column of counts",
    ("SyncPanel", "appointment"): "the kind of a synced record", ("SyncPanel", "device"): "the same",
}


def _ts_messages():
    for path in TS_FILES:
        for ctx in ET.parse(path).getroot().iter("context"):
            for msg in ctx.iter("message"):
                tr = msg.find("translation")
                if tr is not None and tr.get("type") not in ("vanished", "obsolete"):
                    yield ctx.findtext("name"), msg.findtext("source"), (tr.text or "")


def _catalogue_words() -> dict[str, set[str]]:
    """English term (lower case) -> every Chinese word the catalogue gives it."""
    words: dict[str, set[str]] = {}
    for entries in TERMS.values():
        for entry in entries.values():
            words.setdefault(entry["en"].lower(), set()).add(entry["zh_CN"])
    return words


def test_every_term_is_in_every_language():
    blank = [(kind, code, lang) for kind, entries in TERMS.items() for code, entry in entries.items()
             for lang in LANGUAGES if not entry.get(lang, "").strip()]
    assert blank == []


def test_a_code_missing_from_its_kind_falls_back_to_its_commonest_meaning_then_to_itself():
    assert term("phone", "zh_CN", "device_kind") == "手机"
    assert term("phone", "zh_CN", "no_such_kind") == term("phone", "zh_CN") == "电话"
    assert term("brand_new_status", "zh_CN") == "brand new status"
    assert term(None, "en") == ""


@pytest.mark.parametrize("code, kind, chosen, replaced", CHOSEN)
def test_the_chosen_word_is_the_only_spelling(code, kind, chosen, replaced):
    assert term(code, "zh_CN", kind) == chosen
    assert i18n.label("zh_CN", code) == chosen, "the documents print the catalogue's word"
    elsewhere = [("ts", c, s) for c, s, t in _ts_messages() if replaced in t.replace(chosen, "")]
    elsewhere += [("reports", k, v) for k, v in i18n.ZH.items() if replaced in v.replace(chosen, "")]
    elsewhere += [("terms", k, c) for k, entries in TERMS.items() for c, e in entries.items()
                  if replaced in e["zh_CN"].replace(chosen, "")]
    assert elsewhere == []


def test_the_reports_keep_no_table_of_codes_of_their_own():
    tables = [name for name, value in vars(i18n).items() if isinstance(value, dict) and not name.startswith("__")
              and name not in ("EN", "ZH", "STRINGS", "CONTEXT_KINDS", "PREFIX_KINDS")]
    assert tables == []
    assert set(i18n.CONTEXT_KINDS.values()) | set(i18n.PREFIX_KINDS.values()) <= set(TERMS)


def test_no_desktop_table_translates_a_catalogue_term():
    """QT_TRANSLATE_NOOP tables in desktop/ are for chrome only; a status, grade, kind...
    is named through desktop.labels (the catalogue)."""
    words = _catalogue_words()
    found = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        if path.name == "core_messages.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "QT_TRANSLATE_NOOP"
                    and node.args[1].value.lower() in words
                    and (node.args[0].value, node.args[1].value) not in HOMONYMS):
                found.append((path.name, node.args[1].value))
    assert found == []
    assert "Labels" not in {c for c, _, _ in _ts_messages()}, "the catalogue replaced the Labels context"


def test_no_translation_gives_a_catalogue_term_another_word():
    words = _catalogue_words()
    differ = [(c, s, t) for c, s, t in _ts_messages()
              if s.lower() in words and t not in words[s.lower()] and (c, s) not in HOMONYMS]
    differ += [("reports", i18n.EN[k], i18n.ZH[k]) for k in i18n.EN
               if i18n.EN[k].lower() in words and i18n.ZH.get(k) not in words[i18n.EN[k].lower()]
               and ("reports", k) not in HOMONYMS]
    assert differ == []


def test_screen_and_paper_name_every_code_alike():
    from desktop.labels import label
    from desktop.qt import QLocale
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    try:
        differ = [(kind, code) for kind, entries in TERMS.items() for code in entries
                  if label(code, kind) != entries[code]["zh_CN"] or find(code) is None]
        paper = {code: i18n.label("zh_CN", code) for entries in TERMS.values() for code in entries}
        screen = {code: label(code) for entries in TERMS.values() for code in entries}
    finally:
        QLocale.setDefault(before)
    assert differ == []
    assert paper == screen
