"""HQ's message templates (issue 22): one file per kind, language and channel; an email has a
subject line, a blank line, a body and ends with the unsubscribe link; a text fits one SMS
segment when filled with typical values (a link cannot: it is long, so its words must) and
ends with the opt-out reply; every template names only the values the spec lets that kind
have, so nothing personal beyond the given name can slip into a message."""

from __future__ import annotations

import string
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core import formatting
from core.messages import CHANNELS, KINDS
from core.terms import LANGUAGES, TERMS

TEMPLATES = Path(__file__).resolve().parents[2] / "hq" / "messages" / "templates"

COMMON = {"customer_name", "store_name", "store_phone"}
APPOINTMENT = {"starts_at", "service"}
# per kind, what the renderer fills from the request's params (messages_spec.md); money
# params ``amount_cents``/``value_cents`` arrive formatted as ``amount``/``value``
PARAMS: dict[str, set[str]] = {
    "appointment_confirmed": APPOINTMENT, "appointment_changed": APPOINTMENT,
    "appointment_cancelled": APPOINTMENT, "appointment_reminder": APPOINTMENT,
    "repair_received": {"ticket_number", "device"},
    "approval_needed": {"ticket_number", "amount", "covers", "link"},
    "ready_for_pickup": {"ticket_number", "amount"},
    "still_waiting": {"ticket_number", "days"},
    "tradein_expiring": {"expires_at", "value"},
    "points_expiring": {"points", "expires_on"},
    "survey_invitation": {"link"},
}
# what the message is about: a template of that kind that leaves one out says too little
MUST = {"approval_needed": {"amount", "covers", "link"}, "survey_invitation": {"link"},
        "ready_for_pickup": {"ticket_number"}, "repair_received": {"ticket_number"},
        "tradein_expiring": {"expires_at", "value"}, "points_expiring": {"points", "expires_on"},
        "still_waiting": {"ticket_number"}, "appointment_reminder": {"starts_at"},
        "appointment_confirmed": {"starts_at"}, "appointment_changed": {"starts_at"},
        "appointment_cancelled": {"starts_at"}}
OPT_OUT = {"en": "Reply STOP to opt out", "zh_CN": "回复TD退订"}
# one segment: 160 GSM-7 characters, 70 UCS-2 (Chinese); a text with a link may run to
# 2 segments in English (2 × 153) and 3 in Chinese (3 × 67), its words still within one
ONE_SEGMENT = {"en": 160, "zh_CN": 70}
WITH_LINK = {"en": 2 * 153, "zh_CN": 3 * 67}
# GSM 03.38's basic set, less what English texts never need: a character outside it turns
# the whole text into UCS-2 and the 160 limit into 70
GSM7 = set(string.ascii_letters + string.digits + " \n!\"#%&'()*+,-./:;<=>?@£¥$_")

AT = datetime(2026, 12, 6, 6, 30, tzinfo=timezone.utc)
TZ = "Asia/Shanghai"
LINK = "https://hq.orchard.example/approve?t=" + "A" * 94          # a real token is ~94 characters


def typical(language: str) -> dict[str, str]:
    """Values as the renderer gives them: formatted in the language, the longest service word."""
    lang = 0 if language == "en" else 1
    return {
        "customer_name": "Alexandria" if language == "en" else "欧阳娜娜欧阳娜娜欧阳",     # 10 characters
        "store_name": "Orchard Xuhui" if language == "en" else "果园数码徐汇店", "store_phone": "021 5555 0123",
        "ticket_number": "SH01-000123", "amount": formatting.money(129900, "CNY", language),
        "value": formatting.money(245000, "CNY", language), "covers": ("Screen, Battery, Labour", "屏幕、电池、人工")[lang],
        "starts_at": formatting.datetime(AT, TZ, language), "expires_at": formatting.datetime(AT, TZ, language),
        "expires_on": formatting.date(AT.date(), language), "points": "1,250", "days": "14",
        "service": max((words[language] for words in TERMS["service"].values()), key=len),
        "device": "iPhone 13 Pro Max", "link": LINK, "unsubscribe_link": LINK.replace("approve", "unsubscribe"),
    }


def read(language: str, kind: str, channel: str) -> str:
    return (TEMPLATES / language / f"{kind}.{channel}.txt").read_text(encoding="utf-8")


def fields(text: str) -> set[str]:
    names = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            assert name and not spec and not conversion, f"a plain {{name}} only, not {name!r}:{spec!r}!{conversion!r}"
            names.add(name)
    return names


def email_parts(text: str) -> tuple[str, str]:
    first, blank, *body = text.split("\n")
    assert first.startswith("Subject: ") and first[len("Subject: "):].strip(), "first line: Subject: …"
    assert blank == "", "a blank line after the subject"
    return first[len("Subject: "):], "\n".join(body).strip()


CASES = [(lang, kind, channel) for lang in LANGUAGES for kind in KINDS for channel in CHANNELS]


def test_every_kind_has_a_template_per_language_and_channel_and_nothing_else():
    expected = {f"{lang}/{kind}.{channel}.txt" for lang, kind, channel in CASES}
    present = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.is_file()}
    assert expected - present == set(), "missing templates"
    assert present - expected == set(), "templates for no known kind, language or channel"


@pytest.mark.parametrize("language,kind,channel", CASES)
def test_a_template_names_only_its_kinds_values_and_what_the_message_is_about(language, kind, channel):
    text = read(language, kind, channel)
    allowed = COMMON | PARAMS[kind] | ({"unsubscribe_link"} if channel == "email" else set())
    used = fields(text)
    assert used <= allowed, f"unknown or foreign placeholders: {sorted(used - allowed)}"
    assert MUST[kind] <= used, f"says too little: {sorted(MUST[kind] - used)}"
    assert "store_name" in used, "the customer must see who writes"
    filled = text.format(**typical(language))
    assert "{" not in filled and "}" not in filled
    if language == "zh_CN":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text.replace("Subject: ", "")), "not translated"


@pytest.mark.parametrize("language,kind", [(lang, kind) for lang in LANGUAGES for kind in KINDS])
def test_an_email_has_a_subject_a_body_and_ends_with_the_unsubscribe_link(language, kind):
    subject, body = email_parts(read(language, kind, "email"))
    assert "\n" not in subject and len(subject.format(**typical(language))) <= 78
    assert "customer_name" not in fields(subject), "no name in a subject a lock screen shows"
    assert "{customer_name}" in body.split("\n")[0], "the body greets the customer"
    assert "{unsubscribe_link}" in body.split("\n")[-1], "the last line is the unsubscribe line"


@pytest.mark.parametrize("language,kind", [(lang, kind) for lang in LANGUAGES for kind in KINDS])
def test_a_text_message_is_one_short_line_ending_with_the_opt_out(language, kind):
    text = read(language, kind, "sms")
    assert text.endswith("\n") and "\n" not in text.rstrip("\n"), "one line"
    text = text.rstrip("\n")
    assert text.endswith(OPT_OUT[language])
    filled = text.format(**typical(language))
    if "{link}" in text:
        words = text.replace("{link}", "").format(**typical(language))
        assert len(words) <= ONE_SEGMENT[language], f"{len(words)} characters besides the link"
        assert len(filled) <= WITH_LINK[language], f"{len(filled)} characters"
    else:
        assert len(filled) <= ONE_SEGMENT[language], f"{len(filled)} characters: more than one SMS"
    if language == "en":
        words = set("".join(literal for literal, *_ in string.Formatter().parse(text)))
        assert words <= GSM7, f"not GSM-7: {sorted(words - GSM7)}"


def test_the_approval_text_fills_in_to_what_the_customer_reads():
    # the whole chain a renderer does (str.format on the file's text) gives the message a person gets
    filled = read("zh_CN", "approval_needed", "sms").rstrip("\n").format(**typical("zh_CN"))
    assert filled == ("【果园数码徐汇店】维修单SH01-000123待您确认：屏幕、电池、人工，共¥1,299.00。同意或拒绝请点 "
                      f"{LINK} 回复TD退订")
    subject, body = email_parts(read("en", "approval_needed", "email").format(**typical("en")))
    assert subject == "Repair SH01-000123: your approval is needed"
    assert "Amount: CN¥1,299.00" in body and "Covers: Screen, Battery, Labour" in body
    assert f"Approve or refuse here: {LINK}" in body


@pytest.mark.parametrize("language,kind,channel", CASES)
def test_hqs_renderer_reads_every_template_as_written(language, kind, channel):
    from hq.messages import render

    text = read(language, kind, channel)
    render.check(text)                                          # only placeholders HQ can fill
    parsed = render.parse_file(text, channel)
    filled = render.fill(parsed.body, typical(language))
    assert "{" not in filled and typical(language)["store_name"] in filled
    if channel == "email":
        assert parsed.subject == email_parts(text)[0].strip()
        assert filled.rstrip().endswith(typical(language)["unsubscribe_link"])


def test_the_readme_documents_every_setting_hq_reads_for_messages():
    import re

    root = TEMPLATES.parents[2]
    section = (root / "README.md").read_text("utf-8").split("## Customer messages\n", 1)[1].split("\n## ", 1)[0]
    read_by_hq = {re.sub(r"_FILE$", "", name) for path in (root / "hq" / "messages").glob("*.py")
                  for name in re.findall(r"ORCHARD_[A-Z_]+[A-Z]", path.read_text("utf-8"))}
    assert {"ORCHARD_SMTP_HOST", "ORCHARD_SMS_URL", "ORCHARD_HQ_PUBLIC_URL"} <= read_by_hq
    assert {name for name in read_by_hq if f"`{name}`" not in section} == set()
    for words in ("send-messages --once", "--no-messages", "SmsGateway", "/v1/messages/delivery", "/v1/sms/inbound"):
        assert words in section
