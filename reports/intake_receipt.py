"""The intake receipt the customer takes home: on an 80 mm receipt printer (the default;
the page is as long as the receipt) or on A4."""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from core.report_data import TicketDocument
from reports.base import ROLL_80, Document, Line, SignatureBox, barcode128
from reports.service_report import ServiceReport


class IntakeReceipt(Document):
    pagesize = ROLL_80
    pagesizes = ("roll80", "a4", "letter")

    def __init__(self, data, lang="en", pagesize=None):
        super().__init__(data, lang=lang, pagesize=pagesize)
        self.roll = self.pagesize[1] <= 0
        if self.roll:       # a thermal printer: 8 pt black text at least (reports.base.THERMAL_MIN_PT)
            self.margin_left = self.margin_right = 4 * mm
            self.margin_top = self.margin_bottom = 5 * mm
            self.numbered = False
            self.thermal = True
            self.font_size = 8.5
            self._styles()

    def title(self) -> str:
        return self.t("intake_receipt")

    def draw_header(self, canvas, doc) -> None:
        if not self.roll:
            super().draw_header(canvas, doc)

    def story(self) -> list[Flowable]:
        d, store = self.data.ticket, self.data.store
        center = ParagraphStyle("c", parent=self.s_body, alignment=TA_CENTER)
        big = ParagraphStyle("big", parent=self.s_h1, alignment=TA_CENTER if self.roll else 0,
                             fontSize=self.font_size * 1.9, leading=self.font_size * 2.3)
        s: list[Flowable] = []
        head_style = center if self.roll else self.s_body
        s += [self.p(store.name, ParagraphStyle("sn", parent=head_style, fontName=self.f.latin_bold,
                                                   fontSize=self.font_size * 1.3, leading=self.font_size * 1.7)),
              self.p(store.address, ParagraphStyle("sa", parent=self.s_small,
                                                     alignment=TA_CENTER if self.roll else 0)),
              self.p(store.phone or "", ParagraphStyle("sp", parent=self.s_small,
                                                         alignment=TA_CENTER if self.roll else 0)),
              Line(), self.p(self.title(), ParagraphStyle("t", parent=head_style, fontName=self.f.latin_bold))]
        code = barcode128(d.number, self.width() if self.roll else 70 * mm, 11 * mm)
        code.hAlign = "CENTER" if self.roll else "LEFT"
        s += [self.spacer(2 * mm), code, self.p(d.number, big), Line()]
        pairs = [
            (self.t("received"), self.dt(d.created_at)),
            (self.t("customer"), d.customer_name or "–"),
            (self.t("phone"), self.t("phone_ending", tail=d.phone_tail) if d.phone_tail else ""),
            (self.t("device"), d.device_model),
            (self.t("serial"), d.serial or ""),
            (self.t("imei"), d.imei or ""),
            (self.t("reported_fault"), d.reported_fault),
            (self.t("condition_at_intake"), ServiceReport.condition_text(self, d.condition, d.condition_notes)),
            (self.t("accessories"), d.accessories or self.t("none")),
            (self.t("approval_limit"), self.money(d.approval_limit_cents) if d.approval_limit_cents
             else self.t("call_before_any_charge")),
            (self.t("contact_by"), self.label(d.contact_preference)),
            (self.t("ready_by"), self.dt(d.due_at)),
            (self.t("received_by"), d.intake_by),
        ]
        s.append(self.kv([(k, v) for k, v in pairs if v], widths=(0.36, 0.64) if self.roll else (0.25, 0.75)))
        s += [Line(), self.p(self.t("intake_terms"), self.s_small)]
        if store.tax.applies:
            s.append(self.p(self.tax_note(store.tax), self.s_small))
        s += [self.spacer(8 * mm),
              SignatureBox(self.t("customer_signature"), d.customer_name, width=self.width() if self.roll
                           else 80 * mm, height=16 * mm, size=self.text_pt(7), ink=self.ink, muted=self.muted),
              self.spacer(2 * mm),
              self.p(self.t("bring_receipt"), ParagraphStyle("f", parent=self.s_small, alignment=TA_CENTER
                                                            if self.roll else 0))]
        return s


def render(data: TicketDocument, *, lang: str = "en", pagesize=None) -> bytes:
    return IntakeReceipt(data, lang=lang, pagesize=pagesize).render()
