"""Print preview for every printable document: the PDF is made in a worker (the data on
the database thread, the rendering on the I/O pool), shown in a QPdfView, and printed
through QPrinter / QPrintDialog or saved as a PDF file.

``PreviewDialog(ctx, title, render_fn, parent, data_fn=None)``: without ``data_fn``,
``render_fn()`` returns the PDF bytes; with it, ``data_fn(session)`` runs first on the
database thread and ``render_fn(data)`` then makes the bytes.  The ``open_*`` functions
below are what the ticket, trade-in, profile and Reports screens call (one line each).

QPdfDocument renders pages with a transparent background; everything here that
rasterises a page (printing) paints it onto white first.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

# QtPdf, QtPdfWidgets and QtPrintSupport are used by this module only (the PySide6-Pdf
# wheel provides the first two); desktop.qt holds the rest.
from PySide6.QtCore import QT_TRANSLATE_NOOP, QBuffer, QIODevice, QMarginsF, QRect, QSizeF
from PySide6.QtCore import QByteArray as _QByteArray
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from core import report_data as rd
from desktop.context import AppContext
from desktop.errors import show_error
from desktop.qt import (
    QColor, QCoreApplication, QDialog, QFileDialog, QHBoxLayout, QImage, QLabel, QLocale, QPainter, QProgressBar,
    QPushButton, Qt, QVBoxLayout, QWidget,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.permissions import Actor
    from desktop.qt import QObject

PRINT_DPI = 300


def document_language() -> str:
    """Documents follow the staff's language: the one the app runs in."""
    return "zh_CN" if QLocale().name().startswith("zh") else "en"


# --- printing ----------------------------------------------------------------------------

def page_image(doc: QPdfDocument, page: int, dpi: int = PRINT_DPI) -> QImage:
    """The page rasterised at ``dpi`` onto a white background."""
    pts = doc.pagePointSize(page)
    size = pts.toSize() * (dpi / 72.0)
    raw = doc.render(page, size)
    out = QImage(raw.size(), QImage.Format.Format_RGB32)
    out.fill(QColor("white"))
    p = QPainter(out)
    p.drawImage(0, 0, raw)
    p.end()
    return out


def print_document(doc: QPdfDocument, printer: QPrinter) -> int:
    """Print every page of ``doc`` on ``printer``, each scaled to fit its page; returns the
    number of pages printed. The paper follows the document (A4, Letter, a 62 mm label)."""
    n = doc.pageCount()
    if n <= 0:
        return 0
    first = doc.pagePointSize(0)
    printer.setPageLayout(QPageLayout(QPageSize(QSizeF(first.width(), first.height()), QPageSize.Unit.Point),
                                      QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)
    dpi = min(PRINT_DPI, printer.resolution())
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be opened")
    try:
        for i in range(n):
            if i:
                printer.newPage()
            img = page_image(doc, i, dpi)
            area = painter.viewport()
            scaled = img.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.fillRect(area, QColor("white"))
            # drawn into a target rectangle: a PDF printer keeps the image at its own
            # resolution (no resampling up to the printer's 1200 dpi)
            painter.drawImage(QRect(area.x(), area.y(), scaled.width(), scaled.height()), img)
    finally:
        painter.end()
    return n


def load_pdf(pdf: bytes, owner: QObject | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over ``pdf`` (the buffer must live as long as the document)."""
    doc = QPdfDocument(owner)
    buf = QBuffer(owner)
    buf.setData(_QByteArray(pdf))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buf)
    return doc, buf


def print_to_pdf_printer(pdf_bytes: bytes, path: str | Path) -> int:
    """Print ``pdf_bytes`` on a PDF-format QPrinter writing ``path``; returns the pages printed."""
    doc, buf = load_pdf(pdf_bytes)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    try:
        return print_document(doc, printer)
    finally:
        doc.close()
        buf.close()


# --- the dialog -----------------------------------------------------------------------------

class PreviewDialog(QDialog):
    def __init__(self, ctx: AppContext, title: str, render_fn: Callable[..., bytes], parent: QWidget | None = None,
                 data_fn: Callable[[Any], Any] | None = None, file_name: str = "document.pdf") -> None:
        super().__init__(parent)
        self.setObjectName("previewDialog")
        self.ctx = ctx
        self.render_fn = render_fn
        self.data_fn = data_fn
        self.file_name = file_name
        self.pdf: bytes | None = None
        self.setWindowTitle(title)
        self.resize(860, 980)
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        heading = QLabel(title)
        heading.setObjectName("screenTitle")
        bar.addWidget(heading)
        bar.addStretch(1)
        self.pages_label = QLabel()
        bar.addWidget(self.pages_label)
        self.fit_button = QPushButton(self.tr("Fit width"))
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.fit_button.toggled.connect(self._fit)
        bar.addWidget(self.fit_button)
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.clicked.connect(self.save_as)
        bar.addWidget(self.save_button)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_dialog)
        bar.addWidget(self.print_button)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        bar.addWidget(close)
        lay.addLayout(bar)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(3)
        self.busy.setTextVisible(False)
        lay.addWidget(self.busy)
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        lay.addWidget(self.view, 1)
        self.status = QLabel(self.tr("Preparing the document…"))
        self.status.setObjectName("emptyNote")
        lay.addWidget(self.status)
        for b in (self.save_button, self.print_button):
            b.setEnabled(False)
        # a locked counter shows no customer data: the preview goes with the lock, and
        # with the user who opened it
        ctx.locked_changed.connect(self._locked)
        ctx.actor_changed.connect(self._actor_changed)
        self.start()

    def _locked(self, locked: bool) -> None:
        if locked:
            self.reject()

    def _actor_changed(self, actor: Actor | None) -> None:
        if actor is None:
            self.reject()

    # -- making the PDF
    def start(self) -> None:
        if self.data_fn is None:
            self._render(None, direct=True)
        else:
            self.ctx.read(self.data_fn, on_result=self._render, on_error=self._failed, owner=self)

    def _render(self, data: object, direct: bool = False) -> None:
        fn = self.render_fn
        work = (lambda progress: fn()) if direct else (lambda progress: fn(data))
        self.ctx.runner.submit(work, on_result=self._show, on_error=self._failed, pool="io", owner=self)

    def _show(self, pdf: bytes) -> None:
        self.pdf = pdf
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(_QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        n = self.document.pageCount()
        self.busy.hide()
        self.status.hide()
        self.pages_label.setText(self.tr("1 page") if n == 1 else self.tr("{0} pages").format(n))
        for b in (self.save_button, self.print_button):
            b.setEnabled(n > 0)

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.status.setText(self.tr("The document could not be made."))
        show_error(self, exc)

    def _fit(self, on: bool) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth if on else QPdfView.ZoomMode.Custom)
        if not on:
            self.view.setZoomFactor(1.0)

    @property
    def ready(self) -> bool:
        return self.pdf is not None and self.document.pageCount() > 0

    # -- output
    def print_to(self, printer: QPrinter) -> int:
        return print_document(self.document, printer)

    def print_dialog(self) -> None:
        if not self.ready:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                self.print_to(printer)
            except Exception as exc:  # noqa: BLE001 - shown to the user, logged without data
                show_error(self, exc)

    def save_as(self) -> None:
        if not self.ready:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save as PDF"), self.file_name,
                                              self.tr("PDF documents (*.pdf)"))
        if path:
            self.save_to(path)

    def save_to(self, path: str | Path) -> Path:
        from core.vault import atomic_write
        path = Path(path)
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        atomic_write(path, self.pdf, mode=0o600)     # holds customer data: readable by this user only
        return path


# --- where each document is opened from -------------------------------------------------------------

def _open(ctx: AppContext, title: str, data_fn: Callable[[Session], Any], render: Callable[..., bytes], parent: QWidget | None, file_name: str, **render_kw: Any) -> PreviewDialog:
    lang = document_language()
    dialog = PreviewDialog(ctx, title, lambda data: render(data, lang=lang, **render_kw), parent, data_fn=data_fn,
                           file_name=file_name)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _title(text: str) -> str:
    return QCoreApplication.translate("Preview", text)


# The titles, for lupdate (QT_TRANSLATE_NOOP marks them without translating here).
TITLES = {
    "service": QT_TRANSLATE_NOOP("Preview", "Service report"),
    "intake": QT_TRANSLATE_NOOP("Preview", "Intake receipt"),
    "label": QT_TRANSLATE_NOOP("Preview", "Device label"),
    "tradein": QT_TRANSLATE_NOOP("Preview", "Trade-in receipt"),
    "card": QT_TRANSLATE_NOOP("Preview", "Member card"),
    "letter": QT_TRANSLATE_NOOP("Preview", "Welcome letter"),
    "export": QT_TRANSLATE_NOOP("Preview", "Customer data export"),
}


def open_service_report(ctx: AppContext, ticket_id: uuid.UUID, parent: QWidget | None = None, pagesize: str | None = None) -> PreviewDialog:
    from reports import service_report
    actor, db = ctx.actor, ctx.db
    return _open(ctx, _title(TITLES["service"]), lambda s: service_report_data(db, s, actor, ticket_id),
                 service_report.render, parent, "service-report.pdf", pagesize=pagesize)


def service_report_data(db: Any, session: Session, actor: Actor, ticket_id: uuid.UUID) -> rd.TicketDocument:
    """The service report's data, with the survey QR code's link when the store is enrolled
    with HQ and the customer is due an invitation (core.care.invitations)."""
    from dataclasses import replace

    from core.care.invitations import invite, survey_link
    link = survey_link(db)
    invitation = invite(session, actor, link, ticket_id=ticket_id) if link is not None else None
    data = rd.service_report(session, actor, ticket_id)
    return data if invitation is None else replace(data, survey_url=invitation.url)


def open_intake_receipt(ctx: AppContext, ticket_id: uuid.UUID, parent: QWidget | None = None, pagesize: str = "roll80") -> PreviewDialog:
    from reports import intake_receipt
    actor = ctx.actor
    return _open(ctx, _title(TITLES["intake"]), lambda s: rd.intake_receipt(s, actor, ticket_id),
                 intake_receipt.render, parent, "intake-receipt.pdf", pagesize=pagesize)


def open_device_label(ctx: AppContext, ticket_id: uuid.UUID, parent: QWidget | None = None) -> PreviewDialog:
    from reports import device_label
    actor = ctx.actor
    return _open(ctx, _title(TITLES["label"]), lambda s: rd.device_label(s, actor, ticket_id),
                 device_label.render, parent, "device-label.pdf")


def open_tradein_receipt(ctx: AppContext, quote_id: uuid.UUID, parent: QWidget | None = None) -> PreviewDialog:
    from reports import tradein_receipt
    actor = ctx.actor
    return _open(ctx, _title(TITLES["tradein"]), lambda s: rd.tradein_receipt(s, actor, quote_id),
                 tradein_receipt.render, parent, "tradein-receipt.pdf")


def open_member_card(ctx: AppContext, account_id: uuid.UUID, parent: QWidget | None = None) -> PreviewDialog:
    from reports import member_card
    actor = ctx.actor
    return _open(ctx, _title(TITLES["card"]), lambda s: rd.member_card(s, actor, account_id),
                 member_card.render, parent, "member-card.pdf")


def open_welcome_letter(ctx: AppContext, account_id: uuid.UUID, parent: QWidget | None = None) -> PreviewDialog:
    from reports import member_card
    actor = ctx.actor
    return _open(ctx, _title(TITLES["letter"]), lambda s: rd.member_card(s, actor, account_id),
                 member_card.render_welcome_letter, parent, "welcome-letter.pdf")


def open_customer_export(ctx: AppContext, customer_id: uuid.UUID, parent: QWidget | None = None) -> PreviewDialog:
    from reports import customer_export
    actor = ctx.actor
    return _open(ctx, _title(TITLES["export"]), lambda s: rd.customer_export(s, actor, customer_id),
                 customer_export.render, parent, "customer-data.pdf")


def manager_data_fn(kind: str, actor: Actor | None, first: date, last: date) -> Callable[[Session], Any]:
    """The data function of one manager report for a span (the day report uses ``first``)."""
    fns = {"day": lambda s: rd.day_report(s, actor, first),
           "period": lambda s: rd.period_report(s, actor, first, last),
           "technicians": lambda s: rd.technician_report(s, actor, first, last),
           "loyalty": lambda s: rd.loyalty_report(s, actor, first, last),
           "tradein": lambda s: rd.tradein_report(s, actor, first, last),
           "satisfaction": lambda s: rd.satisfaction_report(s, actor, first, last)}
    return fns[kind]


def open_manager_report(ctx: AppContext, kind: str, first: date, last: date, parent: QWidget | None = None, title: str = "") -> PreviewDialog:
    from reports import manager_reports
    return _open(ctx, title or kind, manager_data_fn(kind, ctx.actor, first, last), manager_reports.render, parent,
                 f"{kind}-report-{first.isoformat()}.pdf")
