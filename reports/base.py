"""What every document shares: page size and margins as class attributes, the fonts,
a header and a "Page X of Y" footer drawn by a numbered canvas, tables whose header
row repeats on every page, money and dates written by ``core.formatting`` (as on screen;
``reports.wording`` holds that wording),
and user text escaped before it goes into a ``Paragraph`` (a customer named "<b>" prints
as typed).

A document is a ``Document`` subclass with ``title()`` and ``story()``; ``render()``
returns the PDF bytes.  Each module in ``reports/`` exposes
``render(data, *, lang="en", pagesize=None) -> bytes``.
"""

from __future__ import annotations

import functools
import io
import math
from typing import Any, Iterable, Sequence
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import code128, qr
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from reports import i18n
from reports.fonts import fonts, needs_cjk, runs
# the value formatters live in reports.wording; documents still import them from here
from reports.wording import Wording, fmt_date, fmt_datetime, fmt_num, fmt_time, money  # noqa: F401

ROLL_80 = (80 * mm, 0)           # receipt printer: 80 mm wide, as long as the content
PAGE_SIZES = {"a4": A4, "letter": LETTER, "us_letter": LETTER, "roll80": ROLL_80}

INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#59636e")
RULE = colors.HexColor("#d0d7de")
HEAD_BG = colors.HexColor("#eef1f4")
ZEBRA = colors.HexColor("#f7f8fa")
ACCENT = colors.HexColor("#2f6f4f")      # the orchard green of the app's theme
SERIES = [colors.HexColor(c) for c in ("#2f6f4f", "#d08c2f", "#4c78a8", "#b55d60", "#8f7cc2", "#6b9e9a")]

# 80 mm thermal receipts: a thermal head dithers grey into dots and smudges small type, so
# every text on one is at least this size and black (``Document.thermal``)
THERMAL_MIN_PT = 8.0
THERMAL_INK = colors.black


def pagesize_of(value: Any, default: tuple[float, float]) -> tuple[float, float]:
    if value is None:
        return default
    if isinstance(value, str):
        try:
            return PAGE_SIZES[value.lower().replace(" ", "_")]
        except KeyError:
            raise ValueError(f"unknown page size {value!r}") from None
    w, h = value
    return float(w), float(h)


# --- text ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=20000)
def mixed(text: str) -> str:
    """Escaped Paragraph markup for ``text``, with runs the Latin font lacks (Chinese) set
    in the CJK font. Line breaks in the text become <br/>."""
    f = fonts()
    out = []
    for name, piece in runs(text):
        s = escape(piece).replace("\n", "<br/>")
        out.append(s if name == f.latin else f'<font name="{name}">{s}</font>')
    return "".join(out)


def draw_text(canvas: Canvas, x: float, y: float, text: str, size: float, *, bold: bool = False,
              align: str = "left", color=INK) -> float:
    """Draw one line with the font fallback; returns its width."""
    f = fonts()
    pieces = [(f.latin_bold if bold and name == f.latin else name, s) for name, s in runs(text)]
    width = sum(stringWidth(s, name, size) for name, s in pieces)
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2
    canvas.saveState()
    canvas.setFillColor(color)
    for name, s in pieces:
        canvas.setFont(name, size)
        canvas.drawString(x, y, s)
        x += stringWidth(s, name, size)
    canvas.restoreState()
    return width


def text_width(text: str, size: float, bold: bool = False) -> float:
    f = fonts()
    return sum(stringWidth(s, f.latin_bold if bold and n == f.latin else n, size) for n, s in runs(text))


def fit_text(text: str, size: float, width: float, bold: bool = False) -> str:
    """``text`` shortened with an ellipsis until it fits ``width`` (labels, cards)."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- the numbered canvas --------------------------------------------------------------------

class NumberedCanvas(Canvas):
    """Keeps every page until the end, then draws "Page X of Y" (and the document's
    footer) on each, now that Y is known."""

    def __init__(self, *args, document: "Document" = None, **kw):
        super().__init__(*args, **kw)
        self._document = document
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._document is not None:
                self._document.draw_footer(self, self._pageNumber, total)
            super().showPage()
        super().save()


# --- flowables ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=50000)
def _runs_width(text: str, size: float) -> float:
    return sum(stringWidth(s, n, size) for n, s in runs(text))


class _OneLine(str):
    """A table cell's text known to fit its column on one line (``Document.table`` with
    ``one_line``); ``LongTable`` draws it in its font runs (Latin and CJK)."""

    width: float


class LongTable(Table):
    """A ``Table`` that draws its ``_OneLine`` cells into one text object per page, at the
    baseline, font and colour a one-line ``Paragraph`` would use, instead of a text object
    (or a parsed and measured paragraph) per cell: a list of a thousand rows draws in a
    fraction of the time and looks the same."""

    def draw(self):
        self._tx = None
        self._tx_state: tuple[Any, ...] = ()
        super().draw()
        if self._tx is not None:
            self.canv.drawText(self._tx)
            self._tx = None

    def _drawCell(self, cellval, cellstyle, pos, size):
        if type(cellval) is not _OneLine or cellstyle.href or cellstyle.destination:
            return super()._drawCell(cellval, cellstyle, pos, size)
        colpos, rowpos = pos
        colwidth, rowheight = size
        just, valign, fontsize = cellstyle.alignment, cellstyle.valign, cellstyle.fontsize
        if just in ("CENTRE", "CENTER"):
            x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding - cellval.width) / 2.0
        elif just == "RIGHT":
            x = colpos + colwidth - cellstyle.rightPadding - cellval.width
        else:
            x = colpos + cellstyle.leftPadding
        if valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + cellstyle.leading - fontsize
        elif valign == "MIDDLE":
            y = (rowpos + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + cellstyle.leading) / 2.0
                 - fontsize)
        else:
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        tx = self._tx
        if tx is None:
            tx = self._tx = self.canv.beginText()
            self._tx_state = ()
        if not self._tx_state or self._tx_state[0] is not cellstyle.color:
            tx.setFillColor(cellstyle.color)
            self._tx_state = (cellstyle.color, *self._tx_state[1:2])
        tx.setTextOrigin(x, y)
        for name, piece in runs(cellval):
            if self._tx_state[1:] != ((name, fontsize),):
                tx.setFont(name, fontsize)
                self._tx_state = (self._tx_state[0], (name, fontsize))
            tx.textOut(piece)


class Line(Flowable):
    def __init__(self, width: float | None = None, color=RULE, thickness: float = 0.6, space: float = 4):
        super().__init__()
        self.line_width, self.color, self.thickness, self.space = width, color, thickness, space

    def wrap(self, aw, ah):
        self._w = self.line_width or aw
        return self._w, self.space * 2

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.space, self._w, self.space)


class SignatureBox(Flowable):
    """A line to sign on, the caption under it, and the signature image when one is on file."""

    def __init__(self, caption: str, name: str = "", when: str = "", image_png: bytes | None = None,
                 width: float = 70 * mm, height: float = 22 * mm, size: float = 7.5, ink=INK, muted=MUTED):
        super().__init__()
        self.caption, self.name, self.when, self.image_png = caption, name, when, image_png
        self.width, self.height, self.size = width, height, size
        self.ink, self.muted = ink, muted

    def wrap(self, aw, ah):
        self.width = min(self.width, aw)
        return self.width, self.height

    def draw(self):
        c = self.canv
        base = 3 * self.size
        if self.image_png:
            try:
                from reportlab.lib.utils import ImageReader
                img = ImageReader(io.BytesIO(self.image_png))
                iw, ih = img.getSize()
                h = self.height - base - 2
                w = min(self.width, h * iw / ih)
                c.drawImage(img, 0, base + 1, w, h, mask="auto")
            except Exception:  # noqa: BLE001 - a damaged image must not stop the report
                pass
        c.setStrokeColor(self.ink)
        c.setLineWidth(0.6)
        c.line(0, base, self.width, base)
        draw_text(c, 0, base - self.size - 2, self.caption, self.size, color=self.muted)
        detail = " · ".join(x for x in (self.name, self.when) if x)
        if detail:
            draw_text(c, 0, base - 2 * self.size - 4, fit_text(detail, self.size, self.width), self.size,
                      color=self.ink)


class _Code128(code128.Code128):
    """Bars always black, whatever fill colour the canvas had (a card's white background)."""

    def draw(self):
        self.canv.saveState()
        self.canv.setFillColor(colors.black)
        super().draw()
        self.canv.restoreState()


def barcode128(value: str, width: float, height: float) -> Flowable:
    """A Code 128 barcode of ``value`` scaled to ``width``; the human-readable value is
    printed separately (in our fonts)."""
    probe = code128.Code128(value, barWidth=1, barHeight=height, quiet=True, humanReadable=False)
    bar = min(0.5 * mm, width / probe.width)
    return _Code128(value, barWidth=bar, barHeight=height, quiet=True, humanReadable=False)


def qr_drawing(value: str, size: float) -> Drawing:
    widget = qr.QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), -x0, -y0])
    d.add(widget)
    return d


# --- the document base ----------------------------------------------------------------------

class Document(Wording):
    pagesize: tuple[float, float] = A4
    pagesizes: tuple[str, ...] = ("a4", "letter")
    margin_left = margin_right = 18 * mm
    margin_top = 24 * mm
    margin_bottom = 18 * mm
    font_size = 9.0
    numbered = True
    thermal = False         # an 80 mm thermal receipt: THERMAL_MIN_PT and THERMAL_INK for all text

    def __init__(self, data: Any, lang: str = "en", pagesize: Any = None):
        if lang not in i18n.LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
        self.data = data
        self.lang = lang
        self.pagesize = pagesize_of(pagesize, type(self).pagesize)
        self.f = fonts()
        self._styles()

    # -- to override
    def title(self) -> str:
        raise NotImplementedError

    def story(self) -> list[Flowable]:
        raise NotImplementedError

    def _styles(self) -> None:
        size, latin = self.font_size, self.f.latin
        self.s_body = ParagraphStyle("body", fontName=latin, fontSize=size, leading=size * 1.35, textColor=INK)
        self.s_small = ParagraphStyle("small", parent=self.s_body, fontSize=size * 0.85, leading=size * 1.15,
                                      textColor=MUTED)
        self.s_cell = ParagraphStyle("cell", parent=self.s_body, fontSize=size * 0.92, leading=size * 1.18)
        self.s_cell_r = ParagraphStyle("cell_r", parent=self.s_cell, alignment=TA_RIGHT)
        self.s_head = ParagraphStyle("head", parent=self.s_cell, fontName=self.f.latin_bold)
        self.s_head_r = ParagraphStyle("head_r", parent=self.s_head, alignment=TA_RIGHT)
        self.s_h1 = ParagraphStyle("h1", parent=self.s_body, fontName=self.f.latin_bold, fontSize=size * 1.75,
                                   leading=size * 2.2, spaceAfter=2)
        self.s_h2 = ParagraphStyle("h2", parent=self.s_body, fontName=self.f.latin_bold, fontSize=size * 1.2,
                                   leading=size * 1.6, spaceBefore=size * 0.9, spaceAfter=size * 0.3,
                                   textColor=ACCENT, keepWithNext=True)
        self.s_center = ParagraphStyle("center", parent=self.s_body, alignment=TA_CENTER)
        self.s_right = ParagraphStyle("right", parent=self.s_body, alignment=TA_RIGHT)
        self.s_left = ParagraphStyle("left", parent=self.s_body, alignment=TA_LEFT)
        if self.thermal:
            for st in vars(self).values():
                if isinstance(st, ParagraphStyle):
                    st.fontSize = self.text_pt(st.fontSize)
                    st.leading = max(st.leading, st.fontSize * 1.15)
                    st.textColor = THERMAL_INK

    @property
    def ink(self) -> Any:
        return THERMAL_INK if self.thermal else INK

    @property
    def muted(self) -> Any:
        """Secondary text: grey on paper, black on a thermal receipt."""
        return THERMAL_INK if self.thermal else MUTED

    def text_pt(self, size: float) -> float:
        """``size``, or the thermal minimum when that is larger on a thermal receipt."""
        return max(size, THERMAL_MIN_PT) if self.thermal else size

    def p(self, text: Any, style: ParagraphStyle | None = None, bold: bool = False) -> Paragraph:
        markup = mixed("" if text is None else str(text))
        if bold:
            markup = f"<b>{markup}</b>"
        return Paragraph(markup, style or self.s_body)

    def h1(self, text: str) -> Paragraph:
        return self.p(text, self.s_h1)

    def h2(self, text: str) -> Paragraph:
        return self.p(text, self.s_h2)

    def width(self) -> float:
        return self.pagesize[0] - self.margin_left - self.margin_right

    def table(self, rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = True,
              align: str = "", wrap: Iterable[int] | None = None, zebra: bool = True, total_row: bool = False,
              size: float | None = None, header_rows: int = 1,
              spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
              padding: float = 3, one_line: bool = False) -> Table:
        """A table of text cells. ``widths`` are fractions of the text width (or points when
        they add up to more than 1); ``align`` one letter per column (L, R, C); ``wrap`` the
        columns whose text may wrap (all when None): the others are single lines, set in
        the Latin font or, when they hold Chinese, the CJK one. The header repeats on
        every page the table runs onto. With ``header_rows=2`` the first row names groups of
        columns: ``spans`` lists ((col, row), (col, row)) corners of cells to merge.

        ``one_line`` is for long tables (hundreds of rows): a body cell whose text fits its
        column on one line is drawn as that line in its font runs (``LongTable``) instead of
        a ``Paragraph``, and a row of such cells gets its height given, so the table measures
        nothing per cell when it lays out and splits across pages; the rest wrap as before.
        It looks the same: the same fonts, size and baseline."""
        total = sum(widths)
        col_w = [w * self.width() for w in widths] if total <= 1.0001 else list(widths)
        align = (align or "L" * len(col_w)).ljust(len(col_w), "L")
        wrap_cols = set(range(len(col_w))) if wrap is None else set(wrap)
        size = self.text_pt(size or self.s_cell.fontSize)
        cell_style = ParagraphStyle("c", parent=self.s_cell, fontSize=size, leading=size * 1.25)
        cell_r = ParagraphStyle("cr", parent=cell_style, alignment=TA_RIGHT)
        cell_c = ParagraphStyle("cc", parent=cell_style, alignment=TA_CENTER)
        head_style = ParagraphStyle("h", parent=cell_style, fontName=self.f.latin_bold)
        head_r = ParagraphStyle("hr", parent=head_style, alignment=TA_RIGHT)
        head_c = ParagraphStyle("hc", parent=head_style, alignment=TA_CENTER)
        top_pad, bottom_pad = 2, 2.5
        cmds: list[tuple] = [
            ("FONT", (0, 0), (-1, -1), self.f.latin, size, size * 1.25),
            ("TEXTCOLOR", (0, 0), (-1, -1), self.ink),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), top_pad), ("BOTTOMPADDING", (0, 0), (-1, -1), bottom_pad),
            ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ]
        out: list[list[Any]] = []
        heights: list[float | None] = []
        line_h = size * 1.25 + top_pad + bottom_pad
        last = len(rows) - 1
        for r, row in enumerate(rows):
            is_head = header and r < header_rows
            is_total = total_row and r == last
            line = []
            single = one_line and not (is_head or is_total)
            for c, cell in enumerate(row):
                a = align[c]
                if cell is None:
                    cell = ""
                if isinstance(cell, (Flowable, list)):
                    line.append(cell)
                    single = False
                    continue
                text = str(cell)
                if single:
                    text_w = _runs_width(text, size) if "\n" not in text else math.inf
                    if text_w <= col_w[c] - 2 * padding:
                        cell = _OneLine(text)
                        cell.width = text_w
                        line.append(cell)
                        continue
                    single = False
                if is_head or c in wrap_cols:
                    group_row = is_head and r < header_rows - 1
                    st = (head_c if group_row or a == "C" else head_r if a == "R" else head_style) if is_head else \
                        (cell_r if a == "R" else cell_c if a == "C" else cell_style)
                    markup = mixed(text)
                    line.append(Paragraph(f"<b>{markup}</b>" if is_total else markup, st))
                elif needs_cjk(text):     # mixed scripts: runs in each font, as in wrapped cells
                    st = cell_r if a == "R" else cell_c if a == "C" else cell_style
                    markup = mixed(text)
                    line.append(Paragraph(f"<b>{markup}</b>" if is_total else markup, st))
                else:
                    line.append(text)
                    if is_total:
                        cmds.append(("FONTNAME", (c, r), (c, r), self.f.latin_bold))
            out.append(line)
            heights.append(line_h if single else None)
        for c, a in enumerate(align):
            if a in "RC":
                cmds.append(("ALIGN", (c, 0), (c, -1), "RIGHT" if a == "R" else "CENTER"))
        hr = header_rows if header else 0
        if header:
            cmds += [("BACKGROUND", (0, 0), (-1, hr - 1), HEAD_BG), ("LINEBELOW", (0, hr - 1), (-1, hr - 1), 0.8, INK)]
            for start, end in spans:
                cmds.append(("SPAN", start, end))
                if end[0] > start[0] and end[1] < hr - 1:
                    cmds.append(("LINEBELOW", start, end, 0.4, RULE))
                if end[1] > start[1]:
                    cmds.append(("VALIGN", start, end, "BOTTOM"))
        if zebra and len(out) > hr + 1:
            cmds.append(("ROWBACKGROUNDS", (0, hr), (-1, -1), [colors.white, ZEBRA]))
        if total_row:
            cmds += [("LINEABOVE", (0, -1), (-1, -1), 0.8, INK), ("BACKGROUND", (0, -1), (-1, -1), colors.white)]
        t = (LongTable(out, colWidths=col_w, rowHeights=heights, repeatRows=hr, hAlign="LEFT") if one_line else
             Table(out, colWidths=col_w, repeatRows=hr, hAlign="LEFT"))
        t.setStyle(TableStyle(cmds))
        return t

    def kv(self, pairs: Sequence[tuple[str, Any]], widths: Sequence[float] = (0.3, 0.7),
           columns: int = 1) -> Table:
        """Label-value pairs, in one or more column pairs side by side."""
        pairs = [(k, v) for k, v in pairs]
        rows_n = -(-len(pairs) // columns) if pairs else 0
        rows = []
        label_style = ParagraphStyle("k", parent=self.s_cell, textColor=self.muted)
        for i in range(rows_n):
            line: list[Any] = []
            for col in range(columns):
                j = col * rows_n + i
                if j < len(pairs):
                    k, v = pairs[j]
                    line += [Paragraph(mixed(k), label_style),
                             v if isinstance(v, Flowable) else Paragraph(mixed("" if v is None else str(v)),
                                                                         self.s_cell)]
                else:
                    line += ["", ""]
            rows.append(line)
        col_w = [w * self.width() / columns for _ in range(columns) for w in widths]
        t = Table(rows or [["", ""]], colWidths=col_w, hAlign="LEFT")
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
        return t

    def keep(self, *flowables: Flowable) -> KeepTogether:
        return KeepTogether(list(flowables))

    def spacer(self, h: float = 4 * mm) -> Spacer:
        return Spacer(1, h)

    # -- page decoration
    def header_lines(self) -> tuple[str, str]:
        """(left, right) of the running header: the store, the document."""
        left = self.store.name if self.store else ""
        return left, self.title()

    def draw_header(self, canvas: Canvas, doc) -> None:
        w, h = self.pagesize
        y = h - self.margin_top + 9 * mm
        left, right = self.header_lines()
        draw_text(canvas, self.margin_left, y, left, 8.5, bold=True, color=ACCENT)
        draw_text(canvas, w - self.margin_right, y, right, 8.5, align="right", color=MUTED)
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(self.margin_left, y - 3, w - self.margin_right, y - 3)
        canvas.restoreState()

    def footer_left(self) -> str:
        g = getattr(self.data, "generated", None)
        if g is None:
            return ""
        return self.t("generated_by", at=self.dt(g.at), by=g.by)

    def draw_footer(self, canvas: Canvas, page: int, total: int) -> None:
        if not self.numbered:
            return
        w, _ = self.pagesize
        y = self.margin_bottom - 9 * mm
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(self.margin_left, y + 9, w - self.margin_right, y + 9)
        canvas.restoreState()
        draw_text(canvas, self.margin_left, y, self.footer_left(), 7, color=MUTED)
        draw_text(canvas, w - self.margin_right, y, self.t("page_x_of_y", x=page, y=total), 7, align="right",
                  color=MUTED)

    def metadata(self) -> dict[str, str]:
        return {"title": self.title(), "author": self.store.name if self.store else "Orchard",
                "creator": "Orchard", "subject": self.title()}

    def render(self) -> bytes:
        buf = io.BytesIO()
        w, h = self.pagesize
        story = self.story()
        if h <= 0:        # a roll: as long as the content
            h = self.content_height(story) + self.margin_top + self.margin_bottom + 1
            self.pagesize = (w, h)
        doc = BaseDocTemplate(buf, pagesize=(w, h), leftMargin=self.margin_left, rightMargin=self.margin_right,
                              topMargin=self.margin_top, bottomMargin=self.margin_bottom, **self.metadata())
        frame = Frame(self.margin_left, self.margin_bottom, w - self.margin_left - self.margin_right,
                      h - self.margin_top - self.margin_bottom, id="body", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate("page", frames=[frame], onPage=self.draw_header)])
        doc.build(story, canvasmaker=functools.partial(NumberedCanvas, document=self))
        return buf.getvalue()

    def content_height(self, story: list[Flowable]) -> float:
        aw = self.width()
        total = 0.0
        for fl in story:
            _, fh = fl.wrap(aw, 100000)
            total += fh + fl.getSpaceBefore() + fl.getSpaceAfter()
        return total


def render_with(cls: type[Document], data: Any, lang: str, pagesize: Any) -> bytes:
    return cls(data, lang=lang, pagesize=pagesize).render()
