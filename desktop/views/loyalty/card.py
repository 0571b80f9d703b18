"""The member card: painted on screen (QR code and Code 128 from ReportLab's encoders, the
same as the printed card) and the printable card's preview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import loyalty
from desktop.labels import label
from desktop.qt import QColor, QCoreApplication, QFont, QImage, QLocale, QPainter, QRect, QSize, Qt, QWidget
from desktop.views.loyalty._common import TIER_COLOURS

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from desktop.context import AppContext
    from desktop.qt import QPaintEvent


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR code's modules (ReportLab's encoder: the same one the printed card uses)."""
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(payload)
    qr.make()
    n = qr.getModuleCount()
    return [[bool(qr.isDark(r, c)) for c in range(n)] for r in range(n)]


def code128_runs(value: str) -> list[tuple[bool, int]]:
    """Code 128 as (is a bar, width in modules) runs, start and stop codes included."""
    from reportlab.graphics.barcode.code128 import Code128
    code = Code128(value)
    code.validate()
    code.encode()
    code.decompose()
    return [(ch.isupper(), ord(ch.lower()) - ord("a") + 1) for ch in code.decomposed]


class CardView(QWidget):
    """The member card as the customer gets it: name, tier, number, a QR code (the payload
    ``ORCHARD:M:<number>``) and a Code 128 barcode of the number, for either scanner."""

    SIZE = QSize(340, 215)        # ID-1 proportions

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberCard")
        self.setFixedSize(self.SIZE)
        self.number = ""
        self.name = ""
        self.tier = ""
        self._qr: list[list[bool]] = []
        self._bars: list[tuple[bool, int]] = []

    def set_member(self, number: str, name: str, tier: str) -> None:
        self.number, self.name, self.tier = number, name, tier
        self._qr = qr_matrix(loyalty.card_payload(number)) if number else []
        self._bars = code128_runs(number) if number else []
        self.setAccessibleName(self.tr("Member card {0}").format(number))
        self.update()

    def clear(self) -> None:
        self.set_member("", "", "")

    def payload(self) -> str:
        return loyalty.card_payload(self.number) if self.number else ""

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        p.setPen(QColor("#c9d1d9"))
        p.setBrush(QColor("#ffffff"))
        p.drawRoundedRect(0, 0, w - 1, h - 1, 14, 14)
        if not self.number:
            p.end()
            return
        band = QColor(TIER_COLOURS.get(self.tier, "#2f855a"))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(band)
        p.drawRoundedRect(0, 0, w - 1, 46, 14, 14)
        p.drawRect(0, 26, w - 1, 20)
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(15)
        p.setFont(font)
        p.setPen(QColor("#ffffff"))
        p.drawText(QRect(14, 0, w - 28, 46), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                   self.tr("Orchard Rewards"))
        font.setPixelSize(13)
        p.setFont(font)
        p.drawText(QRect(14, 0, w - 28, 46), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                   label(self.tier))
        # the QR code on the right, whole pixels per module so it scans off a screen
        n = len(self._qr)
        qr_px = 0
        if n:
            cell = max(2, 92 // n)
            qr_px = cell * n
            x0, y0 = w - qr_px - 14, 56
            p.setBrush(QColor("#000000"))
            for r, row in enumerate(self._qr):
                for c, dark in enumerate(row):
                    if dark:
                        p.drawRect(x0 + c * cell, y0 + r * cell, cell, cell)
        # name and number on the left
        text_w = w - qr_px - 40
        p.setPen(QColor("#1a202c"))
        font.setPixelSize(17)
        p.setFont(font)
        name = p.fontMetrics().elidedText(self.name, Qt.TextElideMode.ElideRight, text_w)
        p.drawText(QRect(14, 58, text_w, 26), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        font.setBold(False)
        font.setPixelSize(11)
        p.setFont(font)
        p.setPen(QColor("#5f6b7a"))
        p.drawText(QRect(14, 92, text_w, 16), Qt.AlignmentFlag.AlignLeft, self.tr("Member number"))
        font.setBold(True)
        font.setPixelSize(16)
        p.setFont(font)
        p.setPen(QColor("#1a202c"))
        grouped = " ".join(self.number[i:i + 4] for i in range(0, len(self.number), 4))
        p.drawText(QRect(14, 108, text_w + 14, 24), Qt.AlignmentFlag.AlignLeft, grouped)
        # the barcode along the foot
        modules = sum(width for _, width in self._bars)
        if modules:
            unit = max(1, (w - 40) // modules)
            x = (w - modules * unit) // 2
            p.setBrush(QColor("#000000"))
            for is_bar, width in self._bars:
                if is_bar:
                    p.drawRect(x, 158, width * unit, 42)
                x += width * unit
        p.end()

    def image(self) -> QImage:
        return self.grab().toImage()


def print_card(parent: QWidget | None, ctx: AppContext, account_id: uuid.UUID) -> None:
    """The printable card (front, back, welcome letter) is the reports' document; preview it."""
    try:
        from core import report_data
        from desktop.views.preview import PreviewDialog
        from reports import member_card
    except ImportError:
        from desktop.qt import QMessageBox
        QMessageBox.information(parent, QCoreApplication.translate("MemberPanel", "Not available"),
                                QCoreApplication.translate(
                                    "MemberPanel", "Printing is not installed on this counter; the card on screen "
                                                   "scans."))
        return
    actor = ctx.actor
    lang = "zh_CN" if QLocale().name().startswith("zh") else "en"

    def render(session: Session) -> bytes:
        return member_card.render(report_data.member_card(session, actor, account_id), lang=lang)
    PreviewDialog(ctx, QCoreApplication.translate("MemberPanel", "Member card"), render, parent).open()
