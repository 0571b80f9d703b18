"""The customer-facing documents, read back from the PDF and checked against the rows in
the demo store: service report, intake receipt, device label (its barcodes decoded),
trade-in receipt, member card and welcome letter, customer export. English and Chinese."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from core import repairs
from core import report_data as rd
from core.errors import NotFound, PermissionDenied
from core.models import (
    AuditEvent, Consent, Customer, Device, LoyaltyAccount, LoyaltyEntry, Part, PriceBook, Purchase, RepairEvent,
    RepairPart, RepairTicket, TradeInModel, TradeInQuote,
)
from core.permissions import Role
from reports import (
    customer_export, device_label, fonts, i18n, intake_receipt, member_card, service_report, tradein_receipt,
)
from reports.base import money
from tests.reports.conftest import compact, page_size_mm, page_texts, reader, squash

LANGS = ("en", "zh_CN")


def _ticket(demo, status: str, with_parts: bool = True) -> RepairTicket:
    with demo.db.session() as s:
        q = select(RepairTicket).where(RepairTicket.status == status).order_by(RepairTicket.number)
        if with_parts:
            q = q.where(RepairTicket.id.in_(select(RepairPart.ticket_id)))
        return s.scalars(q).first()


def decode(pdf: bytes, tmp_path, dpi: int = 400) -> list[str]:
    """What zbar reads off the rendered pages: ["CODE-128:...", "QR-Code:...", ...]."""
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(path), str(path.with_suffix(""))], check=True)
    pngs = sorted(tmp_path.glob(path.stem + "*.png"))
    symbols = subprocess.run(["zbarimg", "--quiet", *map(str, pngs)], capture_output=True, text=True).stdout
    return [ln.strip() for ln in symbols.splitlines() if ln.strip()]


needs_zbar = pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
                                reason="zbar-tools / poppler-utils not installed")


# --- service report ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_service_report_shows_the_ticket_as_stored(demo, lang):
    t = _ticket(demo, "collected")
    with demo.db.session() as s:
        data = rd.service_report(s, demo.actors[Role.ASSOCIATE], t.id)
        c = s.get(Customer, t.customer_id)
        d = s.get(Device, t.device_id)
        parts = s.execute(select(RepairPart, Part).join(Part, Part.id == RepairPart.part_id)
                          .where(RepairPart.ticket_id == t.id)).all()
        events = list(s.scalars(select(RepairEvent).where(RepairEvent.ticket_id == t.id)))
    pdf = service_report.render(data, lang=lang)
    text = compact(pdf)
    for needle in (t.number, c.display_name, c.phone_e164, d.model, d.imei or d.serial, t.reported_fault,
                   t.diagnosis):
        assert squash(needle) in text, needle
    # parts and labour with their prices; the total is what the ticket charges
    charged = 0
    for rp, p in parts:
        assert squash(p.name) in text and p.sku in text
        assert squash(money(rp.price_cents, "CNY", lang)) in text
        charged += 0 if rp.covered else rp.price_cents * rp.quantity
    labour = 0 if t.warranty_decision in ("in_warranty", "coverage") else t.labour_cents
    assert data.ticket.amounts.total_cents == charged + labour == t.quote_cents
    assert squash(money(charged + labour, "CNY", lang)) in text
    # every step of the history, in the report's language
    for e in events:
        assert squash(i18n.label(lang, e.to_status)) in text
    assert len(events) == len(data.ticket.history)
    assert squash(i18n.label(lang, t.warranty_decision)) in text
    assert squash(i18n.t(lang, "service_report")) in text
    assert squash(i18n.t(lang, "customer_signature_pickup")) in text
    n = len(reader(pdf).pages)
    assert squash(i18n.t(lang, "page_x_of_y", x=n, y=n)) in text


def test_service_report_comes_in_a4_and_us_letter(demo):
    t = _ticket(demo, "ready")
    with demo.db.session() as s:
        data = rd.service_report(s, demo.manager, t.id)
    assert page_size_mm(service_report.render(data)) == (210.0, 297.0)
    assert page_size_mm(service_report.render(data, pagesize="letter")) == (215.9, 279.4)


def test_reading_a_service_report_is_audited_and_needs_ticket_rights(demo, db, store_setup):
    t = _ticket(demo, "in_repair")
    with demo.db.session() as s:
        before = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "report.service"))
        rd.service_report(s, demo.actors[Role.TECHNICIAN], t.id)
    with demo.db.session() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "report.service")
                       .order_by(AuditEvent.seq.desc())).first()
        after = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "report.service"))
    assert after == before + 1 and ev.entity_id == str(t.id) and ev.detail == ""
    # another store's actor does not see this store's ticket
    _, other_store, other_admin = store_setup
    with demo.db.session() as s:
        stranger = type(other_admin)(other_admin.staff_id, other_store, other_admin.role)
        with pytest.raises(NotFound):
            rd.service_report(s, stranger, t.id)


def test_user_text_is_printed_as_typed_not_as_markup(demo):
    t = _ticket(demo, "new", with_parts=False)
    with demo.db.session(write=True) as s:
        ticket = s.get(RepairTicket, t.id)
        ticket.reported_fault = 'Screen shows <b>lines</b> & "flickers" 屏幕闪烁'
    with demo.db.session() as s:
        data = rd.service_report(s, demo.manager, t.id)
    text = compact(service_report.render(data))
    assert squash('Screen shows <b>lines</b> & "flickers" 屏幕闪烁') in text


# --- intake receipt and label ------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_intake_receipt_on_the_80mm_roll_and_a4(demo, lang):
    t = _ticket(demo, "diagnosing", with_parts=False)
    with demo.db.session() as s:
        data = rd.intake_receipt(s, demo.actors[Role.ASSOCIATE], t.id)
        c = s.get(Customer, t.customer_id)
        d = s.get(Device, t.device_id)
    roll = intake_receipt.render(data, lang=lang)
    width, height = page_size_mm(roll)
    assert width == 80.0 and 100 < height < 400 and len(reader(roll).pages) == 1
    for pdf in (roll, intake_receipt.render(data, lang=lang, pagesize="a4")):
        text = compact(pdf)
        assert t.number in text and squash(c.display_name) in text and squash(d.model) in text
        assert squash(t.reported_fault) in text
        assert c.phone_e164[-4:] in text and c.phone_e164 not in text     # the tail only
        assert squash(i18n.t(lang, "intake_receipt")) in text
    assert page_size_mm(intake_receipt.render(data, pagesize="a4")) == (210.0, 297.0)


@needs_zbar
def test_the_label_barcodes_decode_to_the_ticket_number(demo, tmp_path):
    t = _ticket(demo, "awaiting_parts")
    with demo.db.session() as s:
        data = rd.device_label(s, demo.actors[Role.TECHNICIAN], t.id)
        c = s.get(Customer, t.customer_id)
    pdf = device_label.render(data)
    assert page_size_mm(pdf) == (62.0, 29.0)
    symbols = decode(pdf, tmp_path)
    assert f"CODE-128:{t.number}" in symbols
    assert f"QR-Code:ORCHARD:T:{t.number}" in symbols
    text = compact(pdf)
    assert c.phone_e164[-4:] in text and t.number in text
    assert squash(c.given_name) in text
    # a scan of either code finds the ticket again
    with demo.db.session() as s:
        for sym in symbols:
            assert repairs.find_ticket(s, demo.actors[Role.TECHNICIAN], sym.split(":", 1)[1]).id == t.id


def test_label_layout_draws_the_ticket_number(demo):
    """Where zbar is missing, at least the value handed to the barcode is the number."""
    t = _ticket(demo, "awaiting_parts")
    with demo.db.session() as s:
        data = rd.device_label(s, demo.actors[Role.TECHNICIAN], t.id)
    lay = device_label.layout(data)
    assert lay["barcode_value"] == t.number and lay["qr_value"] == "ORCHARD:T:" + t.number


# --- trade-in receipt --------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_tradein_receipt_shows_answers_grade_and_the_value_breakdown(demo, lang):
    with demo.db.session() as s:
        q = s.scalars(select(TradeInQuote).where(TradeInQuote.status == "accepted")
                      .order_by(TradeInQuote.created_at)).first()
        m = s.get(TradeInModel, q.model_id)
        book = s.get(PriceBook, q.price_book_id)
        c = s.get(Customer, q.customer_id)
        data = rd.tradein_receipt(s, demo.actors[Role.ASSOCIATE], q.id)
    pdf = tradein_receipt.render(data, lang=lang)
    text = compact(pdf)
    for needle in (m.name, m.configuration, c.display_name, book.version, q.serial, q.imei or ""):
        assert squash(needle) in text, needle
    assert squash(i18n.label(lang, q.grade)) in text
    assert sum(b["cents"] for b in q.breakdown) == q.value_cents
    for b in q.breakdown:
        assert squash(money(b["cents"], "CNY", lang)) in text
    assert squash(money(q.value_cents, "CNY", lang)) in text
    for question in book.rules["questions"]:
        assert squash(question["label"]["zh_CN" if lang == "zh_CN" else "en"]) in text
    assert squash(i18n.t(lang, "tradein_declaration"))[:30] in text


def test_tradein_receipt_needs_trade_in_rights(demo):
    with demo.db.session() as s:
        qid = s.scalars(select(TradeInQuote.id)).first()
        with pytest.raises(PermissionDenied):
            rd.tradein_receipt(s, demo.actors[Role.TECHNICIAN], qid)


# --- loyalty: card and letter --------------------------------------------------------------------

@needs_zbar
@pytest.mark.parametrize("lang", LANGS)
def test_member_card_is_id1_and_its_codes_hold_the_member_payload(demo, tmp_path, lang):
    with demo.db.session() as s:
        acct = s.scalars(select(LoyaltyAccount).order_by(LoyaltyAccount.member_number)).first()
        c = s.get(Customer, acct.customer_id)
        data = rd.member_card(s, demo.actors[Role.ASSOCIATE], acct.id)
    pdf = member_card.render(data, lang=lang)
    assert len(reader(pdf).pages) == 2
    assert page_size_mm(pdf, 0) == (85.6, 54.0) == page_size_mm(pdf, 1)
    symbols = decode(pdf, tmp_path, dpi=600)
    payload = f"ORCHARD:M:{acct.member_number}"
    assert f"QR-Code:{payload}" in symbols and f"CODE-128:{payload}" in symbols
    text = compact(pdf)
    assert squash(c.display_name) in text and squash(i18n.label(lang, acct.tier)) in text


@pytest.mark.parametrize("lang", LANGS)
def test_welcome_letter_states_the_balance_from_the_ledger(demo, lang):
    with demo.db.session() as s:
        acct = s.scalars(select(LoyaltyAccount).order_by(LoyaltyAccount.member_number.desc())).first()
        entries = list(s.scalars(select(LoyaltyEntry).where(LoyaltyEntry.account_id == acct.id)))
        c = s.get(Customer, acct.customer_id)
        data = rd.member_card(s, demo.actors[Role.MANAGER], acct.id)
    balance = sum(e.points for e in entries)
    bonus = sum(e.points for e in entries if e.kind == "bonus")
    assert data.balance == balance and data.welcome_bonus == bonus
    text = compact(member_card.render_welcome_letter(data, lang=lang))
    assert squash(c.display_name) in text
    assert f"{balance:,}" in text and f"{bonus:,}" in text
    assert squash(i18n.t(lang, "welcome_letter")) in text


# --- customer export -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_customer_export_lists_everything_held_and_repeats_table_headers(demo, lang):
    with demo.db.session() as s:
        acct = s.scalars(select(LoyaltyAccount).order_by(LoyaltyAccount.member_number)).first()
        cid = acct.customer_id
    # a customer with a long purchase history: the table runs over pages
    with demo.db.session(write=True) as s:
        if s.scalar(select(func.count()).select_from(Purchase).where(Purchase.customer_id == cid)) < 60:
            for i in range(70):
                s.add(Purchase(customer_id=cid, store_id=demo.info.store_id, description=f"Cable No. {i:03d}",
                               sku=f"CAB-{i:03d}", total_cents=1000 + i, at=datetime(2025, 1, 1, tzinfo=timezone.utc)))
    with demo.db.session() as s:
        data = rd.customer_export(s, demo.actors[Role.MANAGER], cid)
        c = s.get(Customer, cid)
        purchases = list(s.scalars(select(Purchase).where(Purchase.customer_id == cid)))
        devices = list(s.scalars(select(Device).where(Device.customer_id == cid)))
        consents = list(s.scalars(select(Consent).where(Consent.customer_id == cid)))
        audit_ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "customer.export")
                             .order_by(AuditEvent.seq.desc())).first()
    assert audit_ev.entity_id == str(cid)
    assert len(data["purchases"]) == len(purchases) >= 70
    assert len(data["consents"]) == len(consents)
    pdf = customer_export.render(data, lang=lang)
    text = compact(pdf)
    assert squash(c.display_name) in text and c.phone_e164 in text
    for p in purchases:
        assert squash(p.description) in text and p.sku in text
    for d in devices:
        # every identifier the device has, not just the first one found
        assert [x for x in (squash(d.model), d.imei, d.serial) if x and x not in text] == []
    # the purchases table's header row is on every page the table reaches
    head = squash(i18n.label(lang, "f_description"))
    pages = [squash(t) for t in page_texts(pdf)]
    with_rows = [t for t in pages if "CAB-0" in t]
    assert len(with_rows) >= 2
    assert all(head in t for t in with_rows)


def test_export_needs_the_export_right(demo):
    with demo.db.session() as s:
        cid = s.scalars(select(Customer.id)).first()
        with pytest.raises(PermissionDenied):
            rd.customer_export(s, demo.actors[Role.ASSOCIATE], cid)


def test_export_renders_sections_it_does_not_know():
    data = {"profile": {"display_name": "Ann Lee"}, "warranty_claims": [{"claim": "W-1", "amount_cents": 1250}],
            "store": {"name": "Test", "currency": "USD", "timezone": "UTC"}}
    text = compact(customer_export.render(data))
    assert "W-1" in text and "$12.50" in text and "AnnLee" in text


# --- fonts and words ---------------------------------------------------------------------------

def test_chinese_is_embedded_with_a_truetype_cjk_font(demo):
    f = fonts.fonts()
    assert f.cjk is not None, fonts.status()
    t = _ticket(demo, "collected")
    with demo.db.session() as s:
        data = rd.service_report(s, demo.manager, t.id)
    r = reader(service_report.render(data, lang="zh_CN"))
    embedded = []
    for page in r.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            if desc is not None and "/FontFile2" in desc.get_object():
                embedded.append(str(font["/BaseFont"]))
    assert embedded, "no embedded TrueType font"
    assert "STSong-Light" not in str([p["/Resources"] for p in r.pages])
    # the Chinese words come back out of the PDF as the same characters
    assert "维修服务报告" in compact(service_report.render(data, lang="zh_CN"))


def test_every_english_string_has_a_chinese_one():
    assert i18n.missing("zh_CN") == []
