"""Issue 17, "Paper": what the printed page must not do. Long names wrap (day report) or
shrink onto two lines (member card) instead of overprinting or being cut; a typical
service report keeps its signatures and terms on page 1; a quarter is shown by week;
an 80 mm thermal receipt and the device label have no text under 8 pt nor any grey; the
intake receipt never promises a time when the store is closed."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st
from pypdf.generic import ContentStream
from sqlalchemy import select

from core import clock, formatting, repairs
from core import report_data as rd
from core.models import Appointment, Customer, LoyaltyAccount, RepairTicket, ServiceType, Store
from core.permissions import Role
from core.repairs.estimate import ready_by, within_opening_hours
from reports import device_label, i18n, intake_receipt, manager_reports, member_card, service_report
from reports.base import THERMAL_MIN_PT, fmt_datetime
from tests.reports.conftest import compact, page_texts, reader, squash

LONG_NAME = "Maximilian Alexander Konstantinopoulou-Vasilakis Hohenzollern"     # 60 characters
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def word_boxes(pdf: bytes, tmp_path) -> list[tuple[int, str, float, float, float, float]]:
    """(page, word, x0, y0, x1, y1) of every word poppler finds on the pages."""
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    out, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            out.append((page, m.group(5), x0, y0, x1, y1))
    return out


def overprints(boxes) -> list[tuple[str, str]]:
    """Pairs of words on one page whose boxes cover each other (more than a hair)."""
    found = []
    for i, (p, w, x0, y0, x1, y1) in enumerate(boxes):
        for q, v, a0, b0, a1, b1 in boxes[i + 1:]:
            if p == q and min(x1, a1) - max(x0, a0) > 0.5 and min(y1, b1) - max(y0, b0) > 0.5:
                found.append((w, v))
    return found


# --- day report -------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("lang", ("en", "zh_CN"))
def test_a_long_latin_name_wraps_in_the_day_report_instead_of_overprinting_the_next_column(demo, tmp_path, lang):
    day = demo.today + timedelta(days=40)
    with demo.db.session(write=True) as s:
        sv = s.scalars(select(ServiceType.id)).first()
        at = datetime(day.year, day.month, day.day, 10, tzinfo=demo.tz)
        s.add(Appointment(store_id=demo.info.store_id, walk_in_name=LONG_NAME, service_type_id=sv,
                          technician_id=None, starts_at=at, ends_at=at + timedelta(minutes=30), status="booked",
                          source="phone"))
    with demo.db.session() as s:
        data = rd.day_report(s, demo.manager, day)
    pdf = manager_reports.render(data, lang=lang)
    assert squash(LONG_NAME) in compact(pdf)
    boxes = word_boxes(pdf, tmp_path)
    assert any(w == "Hohenzollern" for _, w, *_ in boxes)
    assert overprints(boxes) == []


# --- member card ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ("en", "zh_CN"))
def test_a_long_name_on_the_member_card_is_printed_whole(demo, lang):
    with demo.db.session(write=True) as s:
        acct = s.scalars(select(LoyaltyAccount).order_by(LoyaltyAccount.member_number)).first()
        c = s.get(Customer, acct.customer_id)
        c.given_name, c.family_name = "Alexandra", "Konstantinopoulou-Vasilakis"
        account_id = acct.id
    with demo.db.session() as s:
        data = rd.member_card(s, demo.manager, account_id)
    assert data.customer_name == "Alexandra Konstantinopoulou-Vasilakis"
    card = squash(page_texts(member_card.render(data, lang=lang))[0])      # the front
    assert "AlexandraKonstantinopoulou-Vasilakis" in card and "…" not in card
    letter = squash(page_texts(member_card.render_welcome_letter(data, lang=lang))[0])
    assert letter.count("AlexandraKonstantinopoulou-Vasilakis") >= 2       # "Dear ..." and the card


# --- service report ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ("en", "zh_CN"))
def test_a_typical_service_report_is_one_page_with_the_signatures_and_terms_on_it(demo, lang):
    with demo.db.session() as s:
        ids = list(s.scalars(select(RepairTicket.id).where(RepairTicket.status == "collected")
                            .order_by(RepairTicket.number)))
        docs = [rd.service_report(s, demo.manager, i) for i in ids]
    typical = [d for d in docs if len(d.ticket.history) <= 7]      # intake to pickup, without detours
    assert typical
    for data in typical:
        pdf = service_report.render(data, lang=lang)
        pages = [squash(t) for t in page_texts(pdf)]
        assert len(pages) == 1, data.ticket.number
        assert squash(i18n.t(lang, "customer_signature_pickup")) in pages[0]
        assert squash(i18n.t(lang, "service_terms"))[:40] in pages[0]


def test_signatures_and_terms_move_together_when_they_do_not_fit_page_1(demo):
    with demo.db.session() as s:
        ids = list(s.scalars(select(RepairTicket.id).where(RepairTicket.status == "collected")))
        docs = [rd.service_report(s, demo.manager, i) for i in ids]
    data = max(docs, key=lambda d: len(d.ticket.history))
    pdf = service_report.render(data, lang="en", pagesize="letter")
    pages = [squash(t) for t in page_texts(pdf)]
    on = [i for i, p in enumerate(pages) if squash(i18n.t("en", "customer_signature_pickup")) in p]
    terms = [i for i, p in enumerate(pages) if squash(i18n.t("en", "service_terms"))[:40] in p]
    assert on == terms and len(on) == 1


# --- a quarter by week ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ("en", "zh_CN"))
def test_a_quarter_is_shown_by_week_and_a_year_by_month(demo, lang):
    with demo.db.session() as s:
        quarter = rd.period_report(s, demo.manager, demo.today - timedelta(days=90), demo.today)
        year = rd.period_report(s, demo.manager, demo.today - timedelta(days=364), demo.today)
        month = rd.period_report(s, demo.manager, demo.today - timedelta(days=29), demo.today)
    assert (quarter.trend, year.trend, month.trend) == ("week", "month", "day")
    assert len(quarter.trend_figures) <= 14 and len(year.trend_figures) <= 13
    assert sum(f.tickets.opened for f in quarter.trend_figures) == quarter.total.tickets.opened
    text = compact(manager_reports.render(quarter, lang=lang))
    weeks = re.findall(squash(i18n.t(lang, "week_n", n=99)).replace("99", r"\d+"), text)
    assert 0 < len(weeks) <= 2 * 14            # the two charts' categories are ISO weeks
    for f in quarter.weeks:                    # one table row a week; the days are not listed
        assert squash(formatting.date_span(f.first, f.last, lang)) in text
    assert squash(i18n.t(lang, "by_day")) not in text and squash(i18n.t(lang, "tickets_by_week")) in text
    text = compact(manager_reports.render(year, lang=lang))
    assert squash(i18n.t(lang, "by_month")) in text and squash(i18n.t(lang, "by_week")) not in text


# --- 80 mm thermal receipt --------------------------------------------------------------------

def text_runs(pdf: bytes):
    """(size, fill colour) of every piece of text drawn, from the page's content stream:
    the Tf size scaled by the text and graphics matrices, and the fill colour then set."""
    r = reader(pdf)
    for page in r.pages:
        ops = ContentStream(page.get_contents(), r).operations
        fill, scale, size, tm_scale = ("g", (0.0,)), 1.0, 0.0, 1.0
        stack = []
        for operands, op in ops:
            op = op.decode() if isinstance(op, bytes) else op
            if op == "q":
                stack.append((fill, scale))
            elif op == "Q":
                fill, scale = stack.pop()
            elif op == "cm":
                scale *= abs(float(operands[3])) or 1.0
            elif op in ("g", "rg", "k"):
                fill = (op, tuple(float(x) for x in operands))
            elif op == "Tf":
                size = float(operands[1])
            elif op == "Tm":
                tm_scale = abs(float(operands[3])) or 1.0
            elif op in ("Tj", "TJ", "'", '"'):
                yield size * tm_scale * scale, fill


def is_black(fill) -> bool:
    op, values = fill
    return values == ((0.0, 0.0, 0.0, 1.0) if op == "k" else (0.0,) * len(values))


@pytest.mark.parametrize("lang", ("en", "zh_CN"))
def test_the_80mm_intake_receipt_has_only_black_text_of_8pt_or_more(demo, lang):
    with demo.db.session() as s:
        t = s.scalars(select(RepairTicket).where(RepairTicket.status == "diagnosing")).first()
        data = rd.intake_receipt(s, demo.manager, t.id)
    pdf = intake_receipt.render(data, lang=lang)
    runs = list(text_runs(pdf))
    assert len(runs) > 20
    small = sorted({round(size, 2) for size, _ in runs if size < THERMAL_MIN_PT - 0.01})
    assert small == []
    assert [f for _, f in runs if not is_black(f)] == []
    assert squash(data.ticket.number) in compact(pdf)


LONG_MODEL = "Samsung Galaxy Z Fold6 5G Enterprise Edition 1TB Silver Shadow"


@needs_poppler
@pytest.mark.parametrize("lang", ("en", "zh_CN"))
@pytest.mark.parametrize("model", ("", "MacBook Air 15-inch (M2)", LONG_MODEL))
def test_the_device_label_prints_like_a_thermal_receipt_black_8pt_or_more_and_fits(demo, tmp_path, lang, model):
    """The label comes off a thermal label printer too: no text under 8 pt nor any grey; a
    device name too long for the column beside the QR code takes a second line, and past that
    is shortened, not run into it."""
    with demo.db.session() as s:
        t = s.scalars(select(RepairTicket).where(RepairTicket.status == "awaiting_parts")
                      .order_by(RepairTicket.number)).first()
        data = rd.device_label(s, demo.actors[Role.TECHNICIAN], t.id)
    if model:
        data = dataclasses.replace(data, ticket=dataclasses.replace(data.ticket, device_model=model))
    pdf = device_label.render(data, lang=lang)
    runs = list(text_runs(pdf))
    assert len(runs) >= 4                   # number, customer, device, due
    assert sorted({round(size, 2) for size, _ in runs if size < THERMAL_MIN_PT - 0.01}) == []
    assert [f for _, f in runs if not is_black(f)] == []
    text = compact(pdf)
    assert squash(data.ticket.number) in text and data.ticket.phone_tail in text
    due = fmt_datetime(data.ticket.due_at, data.store.timezone, lang, "MMMd")
    assert squash(i18n.t(lang, "label_due", due=due)) in text       # the due time whole, not shortened
    if model == LONG_MODEL:
        assert "SamsungGalaxyZ" in text and squash(LONG_MODEL) not in text and "…" in text
    else:
        assert squash(data.ticket.device_model) in text
    # every word inside the label, left of the QR code, and none printed over another
    lay = device_label.layout(data)
    w_pt, h_pt = device_label.LABEL_62x29
    boxes = word_boxes(pdf, tmp_path)
    assert boxes and overprints(boxes) == []
    for _, word, x0, y0, x1, y1 in boxes:
        assert x0 >= lay["pad"] - 0.5 and x1 <= w_pt - lay["pad"] - lay["qr_size"] + 0.5, word
        assert y0 >= 0 and y1 <= h_pt - 1, word


# --- "ready by" within opening hours ----------------------------------------------------------

HOURS = {d: ["09:00", "19:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}


@settings(max_examples=300, deadline=None)
@given(at=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2029, 12, 31),
                       timezones=st.just(timezone.utc)),
       due_hours=st.integers(min_value=1, max_value=240),
       tz=st.sampled_from(("Asia/Shanghai", "America/New_York", "Europe/Berlin", "UTC")))
def test_the_promised_time_is_always_within_opening_hours(at, due_hours, tz):
    promised = ready_by(at, due_hours, tz, HOURS)
    assert within_opening_hours(promised, tz, HOURS)
    assert promised >= at + timedelta(hours=due_hours)
    # and not later than needed: the first opening after the due time (within a week)
    assert promised - (at + timedelta(hours=due_hours)) < timedelta(days=2, hours=15)
    local = promised.astimezone(ZoneInfo(tz))
    if promised != at + timedelta(hours=due_hours):
        assert (local.hour, local.minute) == (9, 0)


def test_an_evening_intake_is_promised_for_the_next_opening_not_after_closing(store_setup):
    db, store_id, admin = store_setup
    with db.session() as s:
        tz = ZoneInfo(s.get(Store, store_id).timezone)
    # Thursday 2026-12-03 at 18:38 local: three days on is Sunday evening, a closed day
    at = datetime(2026, 12, 3, 18, 38, tzinfo=tz)
    with clock.pinned(at.astimezone(timezone.utc)):
        with db.session(write=True) as s:
            t = repairs.open_ticket(s, admin, customer_id=None, device_model="iPhone 15",
                                    reported_fault="Screen cracked")
        with db.session() as s:
            due = s.get(RepairTicket, t.id).due_at
            data = rd.intake_receipt(s, admin, t.id)
    assert due.astimezone(tz) == datetime(2026, 12, 7, 9, 0, tzinfo=tz)      # Monday's opening
    text = compact(intake_receipt.render(data, lang="en"))
    assert squash(i18n.t("en", "ready_by")) in text and "Dec7,2026,9:00" in text.replace("\u202f", "")
    assert date(2026, 12, 7).weekday() == 0
