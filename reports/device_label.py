"""The label stuck on a device at intake (62 × 29 mm, the common label-printer roll):
the ticket number as a Code 128 barcode and a QR code, the customer's first name and
phone tail, the device and the due time.  The barcode holds the bare ticket number
(a scan into the search box finds the ticket); the QR holds ``ORCHARD:T:<number>``."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.report_data import TicketDocument
from reports import i18n
from reports.base import MUTED, barcode128, draw_text, fit_text, fmt_datetime, pagesize_of, qr_drawing

LABEL_62x29 = (62 * mm, 29 * mm)


def layout(data: TicketDocument, pagesize=LABEL_62x29) -> dict:
    """Where things go, and what the codes say (tests read this too)."""
    t = data.ticket
    w, h = pagesize
    pad = 2 * mm
    qr_size = min(h - 2 * pad, w * 0.36)
    bar_w = w - 3 * pad - qr_size
    return {"pad": pad, "qr_size": qr_size, "bar_width": bar_w, "bar_height": h * 0.3,
            "barcode_value": t.number, "qr_value": t.qr_payload}


def render(data: TicketDocument, *, lang: str = "en", pagesize=None) -> bytes:
    t, store = data.ticket, data.store
    size = pagesize_of(pagesize, LABEL_62x29)
    w, h = size
    lay = layout(data, size)
    pad, qr_size = lay["pad"], lay["qr_size"]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size)
    c.setTitle(f"{i18n.t(lang, 'device_label')} {t.number}")
    c.setCreator("Orchard")
    text_w = lay["bar_width"]
    y = h - pad - 9
    draw_text(c, pad, y, fit_text(t.number, 10.5, text_w, bold=True), 10.5, bold=True)
    bar = barcode128(lay["barcode_value"], text_w, lay["bar_height"])
    y -= lay["bar_height"] + 2.5
    bar.drawOn(c, pad, y)
    y -= 8.5
    who = " ".join(x for x in (t.customer_short_name, f"…{t.phone_tail}" if t.phone_tail else "") if x)
    draw_text(c, pad, y, fit_text(who or "–", 8, text_w, bold=True), 8, bold=True)
    y -= 8
    draw_text(c, pad, y, fit_text(t.device_model, 6.5, text_w), 6.5, color=MUTED)
    y -= 8
    due = fmt_datetime(t.due_at, store.timezone, lang, "MMMd") if t.due_at else ""
    draw_text(c, pad, y, fit_text(i18n.t(lang, "label_due", due=due) if due else store.code, 7.5, text_w,
                                  bold=True), 7.5, bold=True)
    qr = qr_drawing(lay["qr_value"], qr_size)
    qr.drawOn(c, w - pad - qr_size, (h - qr_size) / 2)
    c.showPage()
    c.save()
    return buf.getvalue()
