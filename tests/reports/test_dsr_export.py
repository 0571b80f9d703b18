"""HQ's data-subject export (reports.dsr_export) says each thing in the one word the other
documents and the screens use: its own sentences live with theirs in reports.i18n, the
shared words (phone, email, when, serial...) are theirs, and the core's codes (consent
purposes, channels, device kinds, the sections of a customer's data) are the catalogue's
(core.terms). Every kind of row HQ can hold about a customer has a section name, in both
languages. Read back from the PDF."""

from __future__ import annotations

import pytest

from core.sync import merge
from core.terms import TERMS
from reports import dsr_export, i18n
from tests.reports.conftest import compact, lines, squash

CID = "11111111-1111-1111-1111-111111111111"
ACCOUNT = "22222222-2222-2222-2222-222222222222"


def _row(entity: str, id_: str, data: dict | None = None, deleted: bool = False) -> dict:
    return {"entity": entity, "id": id_, "deleted": deleted, "data": data or {}}


DATA = {
    "customer_id": CID, "name": "张伟",
    "generated": {"at": "2025-03-04T10:00:00+00:00", "by": "ada"},
    "rows": [
        _row("customer", CID, {"phone_e164": "+8613800000000", "email": "zw@example.net"}),
        _row("loyalty_account", ACCOUNT, {"id": ACCOUNT, "member_number": "M0001"}),
        _row("consent", "c1", {"purpose": "hq_transfer", "granted": True, "at": "2025-01-01T09:00:00+00:00",
                               "channel": "in_store"}),
        _row("device", "d1", {"kind": "tablet", "model": "Pear Pad", "serial": "SN-42"}),
        _row("customer_note", "n1", deleted=True),
        _row("tradein_quote", "t1"), _row("survey", "s1"), _row("repair_event", "e1"), _row("walk_in", "w1"),
    ],
    "loyalty_balances": {ACCOUNT: 1234},
    "served_by": [{"store_code": "SB", "store_name": "Store SB", "store_id": "x"}],
    "access_log": [
        {"at": "2025-02-01T08:00:00+00:00", "store_code": "SB", "staff_id": None, "key_kind": "phone+email",
         "action": "fetch_customer", "customers_shown": 1},
        {"at": "2025-02-02T08:00:00+00:00", "store_code": "SA", "staff_id": None, "key_kind": "member",
         "action": "fetch_refused", "customers_shown": 0},
    ],
    "erasure": None,
}


def test_every_kind_of_row_about_a_customer_has_a_catalogue_section():
    about_a_customer = {name for name, p in merge.policies().items() if p.customer_col or p.parent}
    assert about_a_customer <= set(dsr_export.ENTITY_SECTIONS), "a row HQ may hold would print as its code"
    assert set(dsr_export.ENTITY_SECTIONS) <= set(merge.policies()), "a section for an entity that does not sync"
    assert set(dsr_export.ENTITY_SECTIONS.values()) <= set(TERMS["export_section"])
    assert set(dsr_export.KEY_WORDS.values()) | set(dsr_export.ACTIONS.values()) <= set(i18n.EN)
    assert i18n.missing("zh_CN") == []


def test_the_export_keeps_no_words_of_its_own():
    """Its module holds codes only: no text in any language outside reports.i18n and core.terms."""
    tables = {name: value for name, value in vars(dsr_export).items()
              if isinstance(value, dict) and not name.startswith("__")}
    assert set(tables) == {"ENTITY_SECTIONS", "KEY_WORDS", "ACTIONS"}
    words = [v for table in tables.values() for v in table.values() if not isinstance(v, str) or " " in v
             or any(ord(ch) > 127 for ch in v) or v[:1].isupper()]
    assert words == []


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_pdf_says_each_thing_in_the_shared_word(lang):
    pdf = dsr_export.render(DATA, lang=lang)
    text, ls = compact(pdf), lines(pdf)
    t = lambda key, **kw: squash(i18n.t(lang, key, **kw))  # noqa: E731
    shared = [t("phone"), t("email"), t("member_number"), t("points_balance"), t("when"), t("serial"), t("kind")]
    own = [t("dsr_export"), t("dsr_person"), t("dsr_served"), t("dsr_held"), t("dsr_access"), t("dsr_footer")]
    catalogue = [i18n.label(lang, c) for c in ("f_display_name", "sec_consents", "sec_devices", "f_purpose",
                                               "f_granted", "f_channel", "f_model")]
    codes = [i18n.label(lang, "hq_transfer", "purpose"), i18n.label(lang, "in_store", "channel"),
             i18n.label(lang, "tablet", "kind")]
    for word in shared + own + catalogue + codes:
        assert squash(word) in text, word
    # the kinds of record HQ holds, as the sections of the customer's own export (never a code)
    for entity, section in (("tradein_quote", "tradeins"), ("survey", "surveys"), ("repair_event", "ticket_history"),
                            ("walk_in", "walk_ins"), ("customer_note", "notes"), ("consent", "consents")):
        word = i18n.label(lang, "sec_" + section)
        assert word in ls, (entity, word)
        assert entity.replace("_", " ") not in ls
    # how a fetch searched and what it gave, in the shared words (several keys: each one worded)
    assert f"{i18n.t(lang, 'phone')} + {i18n.t(lang, 'email')}" in ls
    assert i18n.t(lang, "member_number") in ls and i18n.t(lang, "dsr_fetch_refused") in ls
    assert "phone+email" not in text and "fetch_refused" not in text
    if lang == "zh_CN":
        # the words this export used to spell its own way
        for old in ("同意记录", "客户资料", "积分记录", "被拒绝", "电子邮件"):
            assert old not in text, old
