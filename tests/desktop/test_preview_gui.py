"""The print preview, driven as staff use it: open a ticket's service report, print it to
a PDF-format printer, save it; open a manager report from the Reports screen; the
preview goes away when the counter locks."""

from __future__ import annotations

import io
import os
import stat
import uuid
from datetime import timedelta

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter

from core.db import StoreDatabase
from core.models import Customer, Device, RepairEvent, RepairTicket
from core.permissions import Role
from core import clock
from desktop.qt import QDialog
from desktop.views import preview
from tests.desktop.conftest import PINS, sign_in


@pytest.fixture
def store_with_ticket(gui_store):
    path, people = gui_store
    db = StoreDatabase.open(path)
    with db.session(write=True) as s:
        c = s.query(Customer).filter(Customer.family_name == "张").one()
        store_id = people[Role.ADMIN].store_id
        d = Device(customer_id=c.id, kind="phone", model="iPhone 15 Pro", serial="F2LXK9Q1MN",
                   imei="353263106527443")
        s.add(d)
        s.flush()
        now = clock.now()
        t = RepairTicket(id=uuid.uuid4(), store_id=store_id, number="SH01-000042", customer_id=c.id, device_id=d.id,
                         status="diagnosing", reported_fault="屏幕碎裂 / cracked screen", due_at=now + timedelta(days=3),
                         created_at=now - timedelta(hours=2))
        s.add(t)
        s.flush()
        s.add(RepairEvent(ticket_id=t.id, at=now - timedelta(hours=2), staff_id=people[Role.ASSOCIATE].id,
                          from_status=None, to_status="new", note_code="checked_in"))
        s.add(RepairEvent(ticket_id=t.id, at=now - timedelta(hours=1), staff_id=people[Role.TECHNICIAN].id,
                          from_status="new", to_status="diagnosing", note_code="diagnosis_started"))
        ticket_id = t.id
    db.close()
    return path, people, ticket_id


def _signed_in(qtbot, make_window, path, person, role, language="en"):
    w = make_window(path, language=language)
    sign_in(qtbot, w, person, PINS[role])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=15000)
    return w


def test_service_report_preview_prints_every_page_to_a_pdf_printer(qtbot, store_with_ticket, make_window,
                                                                   tmp_path):
    path, people, ticket_id = store_with_ticket
    w = _signed_in(qtbot, make_window, path, people[Role.TECHNICIAN], Role.TECHNICIAN)
    dlg = preview.open_service_report(w.ctx, ticket_id, parent=w)
    qtbot.waitUntil(lambda: dlg.ready, timeout=20000)
    assert dlg.isVisible() and dlg.print_button.isEnabled()
    pages = dlg.document.pageCount()
    assert pages >= 1 and str(pages) in dlg.pages_label.text()
    # the PDF made in the worker is the service report of this ticket
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(dlg.pdf)).pages)
    assert "SH01-000042" in text and "Service report" in text and "iPhone 15 Pro" in text

    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert dlg.print_to(printer) == pages
    printed = pypdf.PdfReader(str(out))
    assert len(printed.pages) == pages
    box = printed.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2     # A4, as the report
    # each printed page carries the page drawn at print resolution, on white (not transparent)
    images = printed.pages[0].images
    assert images and images[0].image.width >= 2000
    img = images[0].image.convert("RGB")
    assert img.getpixel((10, 10)) == (255, 255, 255)
    assert img.convert("L").getextrema()[0] < 60, "the page has ink on it"

    saved = dlg.save_to(tmp_path / "copy")
    assert saved.suffix == ".pdf" and saved.read_bytes() == dlg.pdf
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600
    dlg.close()


def test_print_to_pdf_printer_helper_keeps_the_page_count(qtbot, tmp_path):
    from reports.base import Document

    class Long(Document):
        def title(self):
            return "Long"

        def story(self):
            return [self.table([["n"]] + [[str(i)] for i in range(150)], (0.2,))]
    pdf = Long(None).render()
    n = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert n >= 3
    assert preview.print_to_pdf_printer(pdf, tmp_path / "p.pdf") == n
    assert len(pypdf.PdfReader(str(tmp_path / "p.pdf")).pages) == n


def test_reports_screen_opens_the_day_report_and_the_lock_closes_it(qtbot, store_with_ticket, make_window):
    path, people, _ = store_with_ticket
    w = _signed_in(qtbot, make_window, path, people[Role.MANAGER], Role.MANAGER, language="zh_CN")
    assert w.shell.go("reports")
    screen = w.shell.screens["reports"]
    qtbot.waitUntil(lambda: screen.tiles["open_tickets"].text() == "1", timeout=15000)
    screen.buttons["day"].click()
    dlg = next(d for d in screen.findChildren(QDialog) if d.objectName() == "previewDialog")
    qtbot.waitUntil(lambda: dlg.ready, timeout=20000)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(dlg.pdf)).pages)
    assert "日报" in text                     # the staff's language: Chinese
    # a span that runs backwards cannot be asked for
    screen.first_edit.setDate(screen.last_edit.date().addDays(1))
    assert not screen.buttons["period"].isEnabled() and screen.span_error.isVisible()
    screen.first_edit.setDate(screen.last_edit.date().addDays(-6))
    assert screen.buttons["period"].isEnabled()
    w.lock()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5000)
