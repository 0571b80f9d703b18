"""The loyalty member card (ID-1, 85.6 × 54 mm: front and back on two pages, for a card
printer) and the welcome letter that goes with it (A4 or Letter, the card printed at
its real size at the foot, to cut out).

Both codes on the card hold the member card payload ``ORCHARD:M:<member number>``:
the QR on the front, a Code 128 on the back for 1-D scanners."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from core.report_data import MemberCardData
from reports import i18n
from reports.base import (
    ACCENT, INK, MUTED, Document, barcode128, draw_text, fit_text, pagesize_of, qr_drawing, text_width,
)

ID1 = (85.6 * mm, 54 * mm)
TIER_COLOURS = {"platinum": colors.HexColor("#5b6770"), "gold": colors.HexColor("#b08a2e"),
                "silver": colors.HexColor("#8a949c")}


def _group(number: str) -> str:
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


NAME_PT, NAME_MIN_PT = 12.0, 9.0        # the name on one line: this size, or smaller down to the minimum
TWO_LINE_PT, TWO_LINE_MIN_PT = 10.5, 8.0    # then on two lines


def _breaks(name: str) -> list[int]:
    """Where a name may go onto a second line: at a space, after a hyphen; anywhere in a
    name with neither (a Chinese one)."""
    out = [i + 1 for i, ch in enumerate(name[:-1]) if ch in " -" and i > 0]
    return out or list(range(1, len(name)))


def name_layout(name: str, width: float) -> tuple[float, list[str]]:
    """(size, lines) for the cardholder's name in ``width``: one line at 12 pt, else a
    smaller size down to 9 pt, else two lines (10.5 pt down to 8 pt) broken where the
    longer line is shortest; only a name too long even for that is cut, with an ellipsis
    on its second line."""
    name = " ".join(name.split())
    size = NAME_PT
    while size >= NAME_MIN_PT:
        if text_width(name, size, bold=True) <= width:
            return size, [name]
        size -= 0.5
    splits = [(name[:i].rstrip(), name[i:].lstrip()) for i in _breaks(name)]
    size = TWO_LINE_PT
    while size >= TWO_LINE_MIN_PT:
        fitting = [(max(text_width(a, size, True), text_width(b, size, True)), [a, b]) for a, b in splits
                   if text_width(a, size, True) <= width and text_width(b, size, True) <= width]
        if fitting:
            return size, min(fitting, key=lambda x: x[0])[1]
        size -= 0.5
    size = TWO_LINE_MIN_PT
    first, rest = next(((a, b) for a, b in reversed(splits) if text_width(a, size, True) <= width),
                       (fit_text(name, size, width, True), ""))
    return size, [first, fit_text(rest, size, width, bold=True)] if rest else [first]


def draw_front(c: Canvas, x: float, y: float, d: MemberCardData, lang: str, size=ID1) -> None:
    w, h = size
    pad = 4 * mm
    c.saveState()
    c.translate(x, y)
    c.setFillColor(colors.white)
    c.setStrokeColor(colors.HexColor("#c9d1d9"))
    c.setLineWidth(0.5)
    c.roundRect(0, 0, w, h, 3 * mm, stroke=1, fill=1)
    band = 13 * mm
    c.setFillColor(ACCENT)
    c.rect(0, h - band, w, band - 3 * mm, stroke=0, fill=1)
    c.roundRect(0, h - band, w, band, 3 * mm, stroke=0, fill=1)
    c.restoreState()
    c.saveState()
    c.translate(x, y)
    draw_text(c, pad, h - 8.5 * mm, fit_text(d.store.name, 10, w * 0.62, bold=True), 10, bold=True,
              color=colors.white)
    draw_text(c, w - pad, h - 8.5 * mm, i18n.t(lang, "member_card"), 8, align="right", color=colors.white)
    qr_size = 24 * mm
    qr = qr_drawing(d.payload, qr_size)
    qr.drawOn(c, w - pad - qr_size + 1.5 * mm, 3 * mm)
    text_w = w - 2 * pad - qr_size
    size, name_lines = name_layout(d.customer_name, text_w)
    y_name = h - band - (8 if len(name_lines) == 1 else 5) * mm
    for line in name_lines:
        draw_text(c, pad, y_name, line, size, bold=True)
        y_name -= size * 1.15
    tier_colour = TIER_COLOURS.get(d.tier, MUTED)
    tier = i18n.label(lang, d.tier)
    pill = text_width(tier, 8, bold=True) + 4 * mm
    c.setFillColor(tier_colour)
    c.roundRect(pad, h - band - 16.2 * mm, pill, 5 * mm, 2.5 * mm, stroke=0, fill=1)
    draw_text(c, pad + 2 * mm, h - band - 14.6 * mm, tier, 8, bold=True, color=colors.white)
    draw_text(c, pad, 9 * mm, i18n.t(lang, "member_number"), 6.5, color=MUTED)
    draw_text(c, pad, 4.5 * mm, _group(d.member_number), 11, bold=True, color=INK)
    c.restoreState()


def draw_back(c: Canvas, x: float, y: float, d: MemberCardData, lang: str, size=ID1) -> None:
    w, h = size
    pad = 4 * mm
    c.saveState()
    c.translate(x, y)
    c.setFillColor(colors.white)
    c.setStrokeColor(colors.HexColor("#c9d1d9"))
    c.setLineWidth(0.5)
    c.roundRect(0, 0, w, h, 3 * mm, stroke=1, fill=1)
    bar = barcode128(d.payload, w - 2 * pad, 13 * mm)
    bar.drawOn(c, (w - bar.width) / 2, h - pad - 13 * mm)
    draw_text(c, w / 2, h - pad - 17 * mm, d.payload, 7, align="center", color=MUTED)
    lines = [i18n.t(lang, "card_scan_hint"),
             i18n.t(lang, "card_found", store=d.store.name, phone=d.store.phone or ""),
             i18n.t(lang, "card_terms", version=d.terms_version)]
    yy = h - pad - 24 * mm
    for line in lines:
        draw_text(c, pad, yy, fit_text(line, 6.8, w - 2 * pad), 6.8)
        yy -= 9
    c.restoreState()


def render(data: MemberCardData, *, lang: str = "en", pagesize=None) -> bytes:
    """The card: front on page 1, back on page 2, each the card's size."""
    size = pagesize_of(pagesize, ID1)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size)
    c.setTitle(f"{i18n.t(lang, 'member_card')} {data.member_number}")
    c.setCreator("Orchard")
    draw_front(c, 0, 0, data, lang, size)
    c.showPage()
    draw_back(c, 0, 0, data, lang, size)
    c.showPage()
    c.save()
    return buf.getvalue()


class _CardFlowable(Flowable):
    def __init__(self, data: MemberCardData, lang: str):
        super().__init__()
        self.data, self.lang = data, lang

    def wrap(self, aw, ah):
        self.aw = aw
        return aw, ID1[1] + 12 * mm

    def draw(self):
        """Front and back at their real size, side by side when the page is wide enough
        (the gap shrinks to fit A4), else the front alone."""
        c = self.canv
        w = ID1[0]
        gap = min(10 * mm, self.aw - 2 * w)
        c.saveState()
        c.setDash(3, 3)
        c.setStrokeColor(MUTED)
        c.setLineWidth(0.4)
        c.line(0, ID1[1] + 8 * mm, self.aw, ID1[1] + 8 * mm)
        c.restoreState()
        draw_text(c, 0, ID1[1] + 9.5 * mm, "✂ " + i18n.t(self.lang, "cut_here"), 7, color=MUTED)
        draw_front(c, 0, 2 * mm, self.data, self.lang)
        if gap >= 2 * mm:
            draw_back(c, w + gap, 2 * mm, self.data, self.lang)


class WelcomeLetter(Document):
    pagesizes = ("a4", "letter")

    def title(self) -> str:
        return self.t("welcome_letter")

    def story(self) -> list[Flowable]:
        d: MemberCardData = self.data
        s: list[Flowable] = [self.p(d.store.name, self.s_h1), self.p(d.store.address, self.s_small),
                             self.p(d.store.phone or "", self.s_small), self.spacer(8 * mm),
                             self.p(self.date(d.generated.at, long=True), self.s_right), self.spacer(4 * mm),
                             self.p(self.t("dear", name=d.customer_name)), self.spacer(3 * mm)]
        for key in ("welcome_p1", "welcome_p2", "welcome_p3"):
            s.append(self.p(self.t(key, store=d.store.name, tier=self.label(d.tier), bonus=f"{d.welcome_bonus:,}",
                                   balance=f"{d.balance:,}", number=_group(d.member_number),
                                   unit=self.label(d.store.currency, "unit"))))
            s.append(self.spacer(2.5 * mm))
        s.append(self.kv([(self.t("member_number"), _group(d.member_number)), (self.t("tier"), self.label(d.tier)),
                          (self.t("member_since"), self.date(d.enrolled_at, long=True)),
                          (self.t("points_balance"), f"{d.balance:,}"),
                          (self.t("terms_version"), d.terms_version)], widths=(0.3, 0.7)))
        s += [self.spacer(5 * mm), self.p(self.t("welcome_closing")), self.spacer(2 * mm),
              self.p(d.generated.by), self.p(d.store.name, self.s_small), self.spacer(10 * mm),
              _CardFlowable(d, self.lang)]
        return s


def render_welcome_letter(data: MemberCardData, *, lang: str = "en", pagesize=None) -> bytes:
    return WelcomeLetter(data, lang=lang, pagesize=pagesize).render()
