"""The label stuck on a device at intake (62 × 29 mm, the common label-printer roll):
the ticket number as a Code 128 barcode and a QR code, the customer's first name and
phone tail, the device and the due time, all in black of at least 8 pt (a thermal label
printer, like the receipts).  The barcode holds the bare ticket number
(a scan into the search box finds the ticket); the QR holds ``ORCHARD:T:<number>``."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.report_data import TicketDocument
from reports import i18n
from reports.base import (
    THERMAL_INK, THERMAL_MIN_PT, barcode128, draw_text, fit_text, fmt_datetime, pagesize_of, qr_drawing,
    text_width,
)

LABEL_62x29 = (62 * mm, 29 * mm)


def layout(data: TicketDocument, pagesize=LABEL_62x29) -> dict:
    """Where things go, and what the codes say (tests read this too)."""
    t = data.ticket
    w, h = pagesize
    pad = 2 * mm
    qr_size = min(h - 2 * pad, w * 0.36)
    bar_w = w - 3 * pad - qr_size
    return {"pad": pad, "qr_size": qr_size, "bar_width": bar_w, "bar_height": h * 0.24,
            "barcode_value": t.number, "qr_value": t.qr_payload}


def model_lines(model: str, size: float, width: float) -> list[str]:
    """The device's name on one line, or two split between words; the second is shortened
    with an ellipsis if it still does not fit."""
    if text_width(model, size) <= width:
        return [model]
    words = model.split()
    first = ""
    for i in range(len(words), 0, -1):
        head = " ".join(words[:i])
        if text_width(head, size) <= width:
            first, rest = head, " ".join(words[i:])
            break
    if not first:           # one long word: cut where it stops fitting
        first = fit_text(model, size, width)[:-1]
        rest = model[len(first):]
    return [first, fit_text(rest, size, width)] if rest else [first]


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
    # printed on a thermal label printer like the receipts: black text of THERMAL_MIN_PT or
    # more; the device's name takes a second line when it needs one (a technician tells an
    # "Air 15-inch (M2)" from an "Air 13-inch" by its end); past two lines, and for the other
    # lines, what does not fit the column beside the QR code is shortened with an ellipsis
    small = THERMAL_MIN_PT
    y = h - pad - 9
    draw_text(c, pad, y, fit_text(t.number, 10.5, text_w, bold=True), 10.5, bold=True, color=THERMAL_INK)
    bar = barcode128(lay["barcode_value"], text_w, lay["bar_height"])
    y -= lay["bar_height"] + 2.5
    bar.drawOn(c, pad, y)
    y -= small + 0.5
    who = " ".join(x for x in (t.customer_short_name, f"…{t.phone_tail}" if t.phone_tail else "") if x)
    draw_text(c, pad, y, fit_text(who or "–", small, text_w, bold=True), small, bold=True, color=THERMAL_INK)
    y -= small + 1
    for line in model_lines(t.device_model, small, text_w):
        draw_text(c, pad, y, line, small, color=THERMAL_INK)
        y -= small + 1
    due = fmt_datetime(t.due_at, store.timezone, lang, "MMMd") if t.due_at else ""
    draw_text(c, pad, y, fit_text(i18n.t(lang, "label_due", due=due) if due else store.code, small, text_w,
                                  bold=True), small, bold=True, color=THERMAL_INK)
    qr = qr_drawing(lay["qr_value"], qr_size)
    qr.drawOn(c, w - pad - qr_size, (h - qr_size) / 2)
    c.showPage()
    c.save()
    return buf.getvalue()
