"""The trade-in receipt: the device and its identifiers, the answers that graded it, the
grade, how the value was worked out (price-book version included), the customer's
declaration and signature."""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from core.report_data import TradeInReceiptData
from reports.base import Document, SignatureBox, barcode128


class TradeInReceipt(Document):
    pagesizes = ("a4", "letter")

    def title(self) -> str:
        return self.t("tradein_receipt")

    @property
    def currency(self) -> str:
        return self.data.currency

    def answer_text(self, value) -> str:
        if isinstance(value, bool):
            return self.t("yes") if value else self.t("no")
        if isinstance(value, (int, float)):
            return f"{value}"
        if value is None:
            return self.t("not_measured")
        return self.label(str(value))

    def step_text(self, step: str, detail: dict) -> str:
        name = self.label("step_" + step)
        if step == "base" and detail.get("grade"):
            return f"{name} ({self.label(detail['grade'])})"
        if step == "age":
            return f"{name} ({self.t('months_old', n=detail.get('months', 0))}, {detail.get('pct', 0)}%)"
        if step == "battery":
            health = detail.get("health")
            shown = f"{health}%" if health is not None else self.t("not_measured")
            return f"{name} ({shown}, {detail.get('pct', 0)}%)"
        if step == "promotion":
            code = detail.get("code", "")
            for c, en, zh in self.data.promotion_labels:
                if c == code:
                    return f"{name}: {zh if self.lang == 'zh_CN' and zh else en or code}"
            return f"{name}: {code}"
        return name

    def voucher_box(self, code: str) -> Table:
        """The voucher the customer redeems: the code large and bold in a heavy box, and its
        Code 128 barcode holding the code exactly as given (``TI-XXXX-XXXX``, what
        ``core.scan`` reads), so a scan into the counter's search opens the quote."""
        caption = ParagraphStyle("vc", parent=self.s_body, alignment=TA_CENTER, textColor=self.muted)
        big = ParagraphStyle("vcode", parent=self.s_h1, alignment=TA_CENTER, fontSize=self.font_size * 2.8,
                             leading=self.font_size * 3.3, spaceAfter=0)
        note = ParagraphStyle("vn", parent=self.s_small, alignment=TA_CENTER)
        bar = barcode128(code, 85 * mm, 14 * mm)
        rows = [[self.p(self.t("voucher_code"), caption)], [self.p(code, big)], [bar],
                [self.p(self.t("voucher_redeem", amount=self.money(self.data.value_cents)), note)]]
        box = Table(rows, colWidths=[self.width()])
        box.setStyle(TableStyle([
            ("BOX", (0, 0), (-1, -1), 2, self.ink), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, 0), 6),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 7), ("TOPPADDING", (0, 2), (-1, 2), 4),
        ]))
        box.spaceBefore, box.spaceAfter = 4 * mm, 2 * mm
        return box

    def story(self) -> list[Flowable]:
        d: TradeInReceiptData = self.data
        s: list[Flowable] = [self.h1(self.title())]
        s.append(self.kv([
            (self.t("quote_reference"), str(d.quote_id)[-12:].upper()),
            (self.t("status"), self.label(d.status)),
            (self.t("quoted_on"), self.dt(d.created_at)),
            (self.t("valid_until"), self.dt(d.expires_at)),
            (self.t("accepted_on"), self.dt(d.accepted_at) or "–"),
            (self.t("associate"), d.staff),
        ], widths=(0.36, 0.64), columns=2))
        if d.voucher_code:
            s.append(self.keep(self.voucher_box(d.voucher_code)))

        s.append(self.h2(self.t("customer_and_device")))
        s.append(self.kv([
            (self.t("customer"), d.customer_name or "–"),
            (self.t("phone"), d.customer_phone or ""),
            (self.t("device"), f"{d.model_name} {d.configuration}".strip()),
            (self.t("kind"), self.label(d.kind, "kind")),
            (self.t("imei"), d.imei or "–"),
            (self.t("serial"), d.serial or "–"),
        ], widths=(0.36, 0.64), columns=2))

        s.append(self.h2(self.t("condition_answers")))
        rows = [[self.t("question"), self.t("answer")]]
        for a in d.answers:
            question = (a.label_zh if self.lang == "zh_CN" and a.label_zh else a.label_en) or self.label(a.key)
            rows.append([question, self.answer_text(a.value if a.yes is None else a.yes)])
        s.append(self.table(rows, (0.62, 0.38)))

        s.append(self.h2(self.t("grade_and_value")))
        vrows = [[self.t("step"), self.t("amount")]]
        for b in d.breakdown:
            vrows.append([self.step_text(b.step, dict(b.detail)), self.money(b.cents)])
        vrows.append([self.t("tradein_value"), self.money(d.value_cents)])
        s.append(self.table(vrows, (0.75, 0.25), align="LR", total_row=True))
        s.append(self.spacer(2 * mm))
        s.append(self.kv([
            (self.t("grade"), self.label(d.grade)),
            (self.t("price_book"), d.price_book_version),
            (self.t("payout"), self.label(d.payout) if d.payout else "–"),
        ], widths=(0.2, 0.8)))

        s.append(self.h2(self.t("declaration")))
        s.append(self.p(self.t("tradein_declaration"), self.s_small))
        s.append(self.spacer(8 * mm))
        w = (self.width() - 10 * mm) / 2
        sig = Table([[SignatureBox(self.t("customer_signature"), d.signature_name or d.customer_name,
                                   self.dt(d.accepted_at), width=w),
                      SignatureBox(self.t("staff_signature"), d.staff, width=w)]], colWidths=[w + 10 * mm, w])
        sig.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        s.append(self.keep(sig))
        return s


def render(data: TradeInReceiptData, *, lang: str = "en", pagesize=None) -> bytes:
    return TradeInReceipt(data, lang=lang, pagesize=pagesize).render()
