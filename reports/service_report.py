"""The service report of a repair ticket (A4 or US Letter): what was brought in, found,
done and charged, the warranty decision, the ticket's history, both signatures and
the terms."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from core.money import rate_text
from core.report_data import TicketDocument
from reports.base import MUTED, Document, SignatureBox, barcode128, draw_text, mixed, qr_drawing



class ServiceReport(Document):
    pagesizes = ("a4", "letter")
    margin_top = 20 * mm
    margin_bottom = 15 * mm

    def title(self) -> str:
        return self.t("service_report")

    def story(self) -> list[Flowable]:
        d = self.data.ticket
        s: list[Flowable] = [self._top(), self.spacer(3 * mm)]

        s.append(self.h2(self.t("customer_and_device")))
        s.append(self.kv([
            (self.t("customer"), d.customer_name or "–"),
            (self.t("phone"), d.customer_phone or ""),
            (self.t("email"), d.customer_email or ""),
            (self.t("device"), d.device_model),
            (self.t("serial"), d.serial or ""),
            (self.t("imei"), d.imei or ""),
            (self.t("warranty_until"), self.date(d.warranty_end)),
            (self.t("coverage_until"), self.date(d.coverage_end)),
        ], widths=(0.34, 0.66), columns=2))

        s.append(self.h2(self.t("intake")))
        s.append(self.kv([
            (self.t("reported_fault"), d.reported_fault),
            (self.t("condition_at_intake"), self.condition_text(d.condition, d.condition_notes)),
            (self.t("accessories"), d.accessories or self.t("none")),
            (self.t("received_by"), d.intake_by),
        ], widths=(0.22, 0.78)))

        s.append(self.h2(self.t("diagnosis_and_work")))
        work = [text for h in d.history if h.to_status in ("in_repair", "quality_check", "ready")
                and (text := self.history_note(h))]
        s.append(self.kv([
            (self.t("diagnosis"), d.diagnosis or self.t("not_yet_diagnosed")),
            (self.t("work_done"), "; ".join(work) if work else "–"),
            (self.t("technician"), d.technician or "–"),
            (self.t("quality_check"), self.quality_text()),
        ], widths=(0.22, 0.78)))

        s.append(self.h2(self.t("parts_and_labour")))
        rows = [[self.t("item"), self.t("sku"), self.t("qty"), self.t("unit_price"), self.t("amount")]]
        for p in sorted(d.parts, key=lambda p: p.sku):     # the report lists parts by SKU
            note = f" ({self.label('covered')})" if p.covered else f" ({self.label(p.state)})" \
                if p.state == "released" else ""
            rows.append([p.name + note, p.sku, str(p.quantity), self.money(p.unit_price_cents),
                         self.money(p.charged_cents)])
        labour_note = f" ({self.label('covered')})" if d.labour_cents and not d.labour_charged_cents else ""
        rows.append([self.t("labour") + labour_note, "", "", self.money(d.labour_cents),
                     self.money(d.labour_charged_cents)])
        a, tax = d.amounts, d.amounts.tax
        if tax.applies and not tax.inclusive:
            rows.append([self.t("subtotal"), "", "", "", self.money(a.net_cents)])
            rows.append([self.t("tax_line", label=tax.label, rate=rate_text(tax.rate)), "", "", "",
                         self.money(a.tax_cents)])
        rows.append([self.t("total_charged"), "", "", "", self.money(a.total_cents)])
        s.append(self.table(rows, (0.46, 0.16, 0.06, 0.16, 0.16), align="LLRRR", wrap=(0,), total_row=True))
        if tax.applies and tax.inclusive:
            s.append(self.p(self.tax_note(tax, a.tax_cents), self.s_small))
        s.append(self.spacer(2 * mm))
        s.append(self.kv([
            (self.t("warranty_decision"), self.label(d.warranty_decision) if d.warranty_decision else "–"),
            (self.t("approval"), self.approval_text()),
            (self.t("payment"), self.label(d.payment_status) if d.payment_status else "–"),
        ], widths=(0.22, 0.78)))

        s.append(self.h2(self.t("status_history")))
        hist = [[self.t("when"), self.t("from"), self.t("to"), self.t("by"), self.t("note")]]
        for h in d.history:
            hist.append([self.dt(h.at), self.label(h.from_status) if h.from_status else "–", self.label(h.to_status),
                         h.staff, self.history_note(h)])
        s.append(self.table(hist, (0.21, 0.17, 0.17, 0.15, 0.30), wrap=(1, 2, 3, 4)))

        # signatures and terms as one block: on page 1 when they fit there, else together on the next
        terms = Paragraph(f"<b>{mixed(self.t('terms'))}</b> · {mixed(self.t('service_terms'))}", self.s_small)
        s.append(self.keep(self.spacer(5 * mm), self._signatures(), self.spacer(2 * mm), terms))
        return s

    def _styles(self) -> None:
        """Tighter headings than the other documents: a typical ticket, signatures and terms
        included, fits one page."""
        super()._styles()
        self.s_h2.spaceBefore = self.font_size * 0.5
        self.s_h2.spaceAfter = self.font_size * 0.15
        self.s_h2.leading = self.s_h2.fontSize * 1.3

    def condition_text(self, condition, notes: str = "") -> str:
        parts = []
        for key, value in (*condition, *((("notes", notes),) if notes else ())):
            if isinstance(value, bool):
                value = self.t("yes") if value else self.t("no")
            elif isinstance(value, str):
                value = self.label(value)
            parts.append(f"{self.label('cond_' + key)}: {value}")
        return "; ".join(parts) or "–"

    def quality_text(self) -> str:
        d = self.data.ticket
        if d.quality_passed is None:
            return "–"
        checks = ", ".join(f"{self.label('qc_' + k)} {'✓' if ok else '✗'}" for k, ok in d.quality_checks)
        head = self.t("passed") if d.quality_passed else self.t("failed")
        return f"{head}: {checks}" if checks else head

    def approval_text(self) -> str:
        d = self.data.ticket
        if not d.approval:
            return "–"
        bits = [self.label(d.approval)]
        if d.approval_at:
            bits.append(self.dt(d.approval_at))
        if d.approval_channel:
            bits.append(self.label(d.approval_channel, "approval_channel"))
        return " · ".join(bits)

    def _top(self) -> Table:
        d, store = self.data.ticket, self.data.store
        left = [self.p(store.name, self.s_h1), self.p(store.address, self.s_small),
                self.p(store.phone or "", self.s_small)]
        code = _TicketCode(d.number, self.t("ticket"), self)
        info = self.kv([(self.t("status"), self.label(d.status)), (self.t("opened"), self.dt(d.created_at)),
                        (self.t("due"), self.dt(d.due_at)), (self.t("collected"), self.dt(d.collected_at) or "–")],
                       widths=(0.34, 0.66), columns=2)
        t = Table([[left, code], [info, ""]], colWidths=[self.width() - 62 * mm, 62 * mm])
        t.spaceAfter = 0
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("SPAN", (0, 1), (1, 1))]))
        return t

    def _signatures(self) -> Table:
        """Both signatures; beside them the survey's QR code and its caption when the report
        carries a survey link (core.care.invitations), as tall as the signature boxes."""
        d = self.data.ticket
        url = self.data.survey_url
        qr_size, caption_w = 18 * mm, 30 * mm
        survey = qr_size + caption_w + 8 * mm if url else 0
        w = (self.width() - 10 * mm - survey) / 2
        intake = SignatureBox(self.t("customer_signature_intake"), d.customer_name, self.dt(d.created_at), width=w,
                              height=18 * mm)
        pickup = SignatureBox(self.t("customer_signature_pickup"), d.signature_name or d.collected_by or "",
                              self.dt(d.collected_at), image_png=d.signature_png, width=w, height=18 * mm)
        row: list[Any] = [intake, pickup]
        widths = [w + 10 * mm, w]
        if url:
            row += [qr_drawing(url, qr_size), Paragraph(mixed(self.t("survey_qr")), self.s_small)]
            widths = [w + 10 * mm, w + 6 * mm, qr_size + 2 * mm, caption_w]
        t = Table([row], colWidths=widths)
        t.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (2, 0), (-1, -1), "TOP")]))
        return t


class _TicketCode(Flowable):
    """The ticket number as a Code 128 barcode with the number printed under it."""

    def __init__(self, number: str, caption: str, doc: Document, width: float = 60 * mm):
        super().__init__()
        self.number, self.caption, self.doc = number, caption, doc
        self.width, self.height = width, 23 * mm
        self.barcode = barcode128(number, width, 10 * mm)
        self.value = number

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        c = self.canv
        draw_text(c, self.width, self.height - 7, self.caption, 7.5, align="right", color=MUTED)
        bw = self.barcode.width
        self.barcode.drawOn(c, self.width - bw, 7 * mm)
        draw_text(c, self.width - bw / 2, 2 * mm, self.number, 11, bold=True, align="center")


def render(data: TicketDocument, *, lang: str = "en", pagesize=None) -> bytes:
    return ServiceReport(data, lang=lang, pagesize=pagesize).render()
