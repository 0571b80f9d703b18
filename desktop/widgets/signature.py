"""The signature pad: the customer signs with the mouse, a pen or a finger, and the strokes
become a grayscale PNG without passing through a file on disk."""

from __future__ import annotations

import struct
import zlib
from typing import TYPE_CHECKING

from desktop.qt import QColor, QImage, QPainter, QPoint, Qt, QWidget, Signal

if TYPE_CHECKING:
    from desktop.qt import QMouseEvent, QPaintEvent


def png_from_gray(image: QImage) -> bytes:
    """A grayscale PNG of ``image`` (Format_Grayscale8), written here so the signature
    never touches a file on disk on its way into the database."""
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    bits = bytes(image.constBits())
    raw = b"".join(b"\x00" + bits[y * bpl:y * bpl + w] for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


class SignaturePad(QWidget):
    """The customer signs with the mouse, a pen or a finger; strokes become a PNG."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setMinimumSize(380, 130)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.strokes: list[list[tuple[float, float]]] = []
        self._drawing = False
        self.placeholder: str | None = None      # the customer display's own words (another language)

    def is_empty(self) -> bool:
        return not self.strokes

    def clear(self) -> None:
        self.strokes = []
        self._drawing = False
        self.update()
        self.changed.emit()

    @staticmethod
    def _pos(event: QMouseEvent) -> tuple[float, float]:
        p = event.position()
        return (p.x(), p.y())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drawing = True
            self.strokes.append([self._pos(event)])
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing:
            self.strokes[-1].append(self._pos(event))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drawing:
            self.strokes[-1].append(self._pos(event))
            self._drawing = False
            self.update()
            self.changed.emit()

    def _paint_strokes(self, painter: QPainter, color: QColor, width: float) -> None:
        pen = painter.pen()
        pen.setColor(color)
        pen.setWidthF(width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self.strokes:
            if len(stroke) == 1:
                x, y = stroke[0]
                painter.drawPoint(QPoint(round(x), round(y)))
            for (x1, y1), (x2, y2) in zip(stroke, stroke[1:]):
                painter.drawLine(QPoint(round(x1), round(y1)), QPoint(round(x2), round(y2)))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        p.setPen(QColor("#c8d1db"))
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        base = self.height() - 28
        p.drawLine(16, base, self.width() - 16, base)
        if not self.strokes:
            p.setPen(QColor("#a0a9b5"))
            p.drawText(self.rect().adjusted(0, 0, 0, -34), int(Qt.AlignmentFlag.AlignCenter),
                       self.placeholder or self.tr("Customer signs here"))
        self._paint_strokes(p, QColor("#1a202c"), 2.4)
        p.end()

    def png(self) -> bytes:
        image = QImage(self.width(), self.height(), QImage.Format.Format_Grayscale8)
        image.fill(QColor("#ffffff"))
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_strokes(p, QColor("#000000"), 2.4)
        p.end()
        return png_from_gray(image)
