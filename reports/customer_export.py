"""The customer's data export for an access request: everything the store holds about one
person, section by section, from a plain dict (``core.report_data.customer_export``
makes one; the customers issue's export may hand over its own).

Expected shape: ``profile`` (a dict) and lists of dicts (``consents``, ``devices``,
``purchases``, ``notes``, ``tickets``, ``appointments``, ``tradeins``,
``loyalty_entries``, ``surveys``, ``feedback`` (complaints), ``complaint_notes``, ``care_calls``),
``loyalty`` (a dict), plus optional
``store`` and ``generated`` dicts for the header and footer.  Sections it does not
know are printed too, with their field names as headings: an export never leaves
something out because the renderer was older than the data.
"""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, Mapping

from reportlab.platypus import Flowable

from core.crm.churn import reasons_text
from reports.base import Document

SECTIONS = ("profile", "consents", "devices", "purchases", "notes", "tickets", "appointments", "tradeins",
            "loyalty", "loyalty_entries", "surveys", "feedback", "complaint_notes", "care_calls")
META = ("store", "generated")
CODE_FIELDS = {"purpose", "channel", "kind", "status", "source", "grade", "payout", "warranty_decision", "tier",
               "category", "language", "survey_channel", "severity", "outcome", "call", "segment", "value_band",
               "action", "action_outcome"}
WIDE_FIELDS = {"reported_fault": 3, "diagnosis": 3, "text": 4, "reason": 3, "comment": 3, "resolution": 3, "note": 3, "description": 3,
               "device": 2, "model": 2, "service": 2, "imei": 1.6, "serial": 1.3, "at": 1.6, "number": 1.4}


class CustomerExport(Document):
    pagesizes = ("a4", "letter")

    def __init__(self, data: Mapping[str, Any], lang: str = "en", pagesize=None):
        super().__init__(data, lang=lang, pagesize=pagesize)
        st = data.get("store") or {}
        self._store = SimpleNamespace(name=st.get("name", ""), timezone=st.get("timezone") or "UTC",
                                      currency=st.get("currency") or "USD", address=st.get("address", ""),
                                      phone=st.get("phone"))

    @property
    def store(self):
        return self._store

    def title(self) -> str:
        return self.t("customer_export")

    def footer_left(self) -> str:
        g = self.data.get("generated") or {}
        if not g:
            return ""
        return self.t("generated_by", at=self.dt(g.get("at")), by=g.get("by", ""))

    def value(self, field: str, v: Any) -> str:
        if v is None or v == "":
            return ""
        if field == "churn_reasons":         # issue 23: HQ's reasons, in this document's words
            return "; ".join(reasons_text(list(v), self.lang))
        if isinstance(v, bool):
            return self.t("yes") if v else self.t("no")
        if isinstance(v, datetime):
            return self.dt(v)
        if isinstance(v, date):
            return self.date(v)
        if isinstance(v, int) and field.endswith("_cents"):
            return self.money(v)
        if isinstance(v, (int, float)):
            return f"{v:,}"
        if field in CODE_FIELDS:
            return self.label(str(v), field)
        return str(v)

    def heading(self, field: str) -> str:
        return self.label("f_" + field)

    def story(self) -> list[Flowable]:
        d = self.data
        profile = d.get("profile") or {}
        s: list[Flowable] = [self.h1(self.title()),
                             self.p(self.t("export_intro", name=profile.get("display_name", ""),
                                           store=self.store.name), self.s_small), self.spacer()]
        keys = [k for k in SECTIONS if k in d] + [k for k in d if k not in SECTIONS and k not in META]
        for key in keys:
            section = d[key]
            s.append(self.h2(self.label("sec_" + key)))
            if isinstance(section, Mapping):
                if not section:
                    s.append(self.p(self.t("nothing_held"), self.s_small))
                    continue
                s.append(self.kv([(self.heading(k), self.value(k, v)) for k, v in section.items()],
                                 widths=(0.28, 0.72)))
            elif isinstance(section, (list, tuple)):
                rows = [r for r in section if isinstance(r, Mapping)]
                if not rows:
                    s.append(self.p(self.t("nothing_held"), self.s_small))
                    continue
                fields: list[str] = []
                for r in rows:
                    fields += [f for f in r if f not in fields]
                weights = [WIDE_FIELDS.get(f, 1.6 if f.endswith("_at") else 1) for f in fields]
                total = sum(weights)
                table = [[self.heading(f) for f in fields]]
                table += [[self.value(f, r.get(f)) for f in fields] for r in rows]
                align = "".join("R" if f.endswith("_cents") or f in ("points", "nps", "csat", "quantity")
                                else "L" for f in fields)
                s.append(self.table(table, [w / total for w in weights], align=align,
                                    size=self.s_cell.fontSize * (0.9 if len(fields) > 6 else 1)))
            else:
                s.append(self.p(self.value(key, section)))
        s += [self.spacer(), self.p(self.t("export_footer"), self.s_small)]
        return s


def render(data: Mapping[str, Any], *, lang: str = "en", pagesize=None) -> bytes:
    return CustomerExport(data, lang=lang, pagesize=pagesize).render()
