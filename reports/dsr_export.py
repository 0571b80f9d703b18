"""The readable summary of a data-subject export made at HQ (the console's customer page):
the person, the stores that serve them, what HQ holds about them entity by entity, their
consents, the on-demand fetches that showed them and their erasure. From the plain dict
:func:`hq.dsr.collect` makes (the JSON export is the complete record; this is its summary).

English and Simplified Chinese, one word per fact: the export's own sentences are in
``reports.i18n`` (keys ``dsr_*``) with the other documents' sentences, the words it shares
with them (phone, email, when, serial...) are theirs, and the core's codes (consent
purposes, channels, device kinds, the sections of a customer's data) come from the shared
catalogue ``core.terms`` through :meth:`Document.label`. Chinese is set in the CJK font
(``reports.fonts``)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from types import SimpleNamespace
from typing import Any, Mapping

from reportlab.platypus import Flowable

from reports.base import Document

# the synced entity a row at HQ is -> the section of a customer's data it belongs to (the
# catalogue's ``export_section``, the store's own export names them so); codes only
ENTITY_SECTIONS = {
    "customer": "profile", "consent": "consents", "device": "devices", "purchase": "purchases",
    "customer_note": "notes", "repair_ticket": "tickets", "appointment": "appointments",
    "tradein_quote": "tradeins", "loyalty_account": "loyalty", "loyalty_entry": "loyalty_entries",
    "survey": "surveys", "feedback": "feedback", "repair_event": "ticket_history", "repair_part": "ticket_parts",
    "walk_in": "walk_ins", "feedback_note": "complaint_notes", "care_task": "care_calls",
    "survey_invitation": "survey_invitations", "message_request": "messages", "link_answer": "messages",
    "customer_score": "scores", "action_outcome": "action_outcomes",
}
# how a fetch was searched (``hq_access.key_kind``, several joined by "+") -> the shared word
KEY_WORDS = {"phone": "phone", "email": "email", "member": "member_number"}
ACTIONS = {"fetch_customer": "dsr_fetch_customer", "fetch_refused": "dsr_fetch_refused"}


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


class DsrExport(Document):
    pagesizes = ("a4", "letter")

    def __init__(self, data: Mapping[str, Any], lang: str = "en", pagesize=None):
        super().__init__(data, lang=lang, pagesize=pagesize)
        self._store = SimpleNamespace(name=self.t("dsr_org"), timezone="UTC", currency="USD", address="",
                                      phone=None)

    @property
    def store(self):
        return self._store

    def title(self) -> str:
        return self.t("dsr_export")

    def when(self, text: Any) -> str:
        at = _when(text)
        return self.dt(at) if at is not None else str(text or "")

    def footer_left(self) -> str:
        g = self.data.get("generated") or {}
        return self.t("dsr_generated", at=self.when(g.get("at")), by=g.get("by", "")) if g else ""

    def entity(self, entity: str) -> str:
        """A kind of record HQ holds, as the customer's own export names its section."""
        section = ENTITY_SECTIONS.get(entity)
        return self.label("sec_" + section) if section else entity.replace("_", " ")

    def key_kind(self, kinds: Any) -> str:
        """How a fetch searched (one or several keys: ``phone+email``), in the shared words."""
        return " + ".join(self.t(KEY_WORDS[k]) if k in KEY_WORDS else k for k in str(kinds or "").split("+"))

    def action(self, action: Any) -> str:
        return self.t(ACTIONS[action]) if action in ACTIONS else str(action or "")

    def _rows(self, entity: str) -> list[dict[str, Any]]:
        return [r.get("data") or {} for r in self.data.get("rows") or []
                if r.get("entity") == entity and not r.get("deleted")]

    def _none(self) -> Flowable:
        return self.p(self.t("nothing_held"), self.s_small)

    def story(self) -> list[Flowable]:
        d = self.data
        profile = next(iter(self._rows("customer")), {})
        account = next(iter(self._rows("loyalty_account")), {})
        name = str(d.get("name") or "")
        erasure = d.get("erasure")
        s: list[Flowable] = [self.h1(self.title()), self.p(name, self.s_h2),
                             self.p(self.t("dsr_intro", at=self.when((d.get("generated") or {}).get("at"))),
                                    self.s_small),
                             self.spacer()]
        erased_text = self.t("no")
        if erasure:
            where = (self.t("dsr_at_store", code=erasure["store_code"]) if erasure.get("store_code")
                     else self.t("dsr_at_hq"))
            erased_text = self.t("dsr_erased_at", at=self.when(erasure.get("at")), where=where)
        balances = d.get("loyalty_balances") or {}
        s += [self.h2(self.t("dsr_person")), self.kv([
            (self.label("f_display_name"), name), (self.t("dsr_customer_id"), d.get("customer_id", "")),
            (self.t("phone"), profile.get("phone_e164") or ""), (self.t("email"), profile.get("email") or ""),
            (self.t("member_number"), account.get("member_number") or ""),
            (self.t("points_balance"), f"{balances[str(account['id'])]:,}" if account.get("id")
             and str(account["id"]) in balances else ""),
            (self.t("dsr_erased"), erased_text)], widths=(0.28, 0.72))]

        s.append(self.h2(self.t("dsr_served")))
        served = d.get("served_by") or []
        s.append(self.table([[self.label("store", "record"), self.t("dsr_store_name")]]
                            + [[x["store_code"], x["store_name"]] for x in served], [0.25, 0.75])
                 if served else self._none())

        s.append(self.h2(self.t("dsr_held")))
        live = Counter(r["entity"] for r in d.get("rows") or [] if not r.get("deleted"))
        gone = Counter(r["entity"] for r in d.get("rows") or [] if r.get("deleted"))
        s.append(self.table([[self.t("dsr_record_kind"), self.t("dsr_records"), self.t("dsr_deleted")]]
                            + [[self.entity(e), str(live[e]), str(gone[e])] for e in sorted(set(live) | set(gone))],
                            [0.6, 0.2, 0.2], align="LRR"))

        s.append(self.h2(self.label("sec_consents")))
        consents = sorted(self._rows("consent"), key=lambda c: (str(c.get("at") or ""), str(c.get("id"))),
                          reverse=True)
        seen: set[str] = set()
        lines = [[self.label("f_purpose"), self.label("f_granted"), self.t("when"), self.label("f_channel"),
                  self.t("dsr_in_force")]]
        for c in consents:
            current = c.get("purpose") not in seen
            seen.add(str(c.get("purpose")))
            lines.append([self.label(c.get("purpose"), "purpose"), self.t("yes") if c.get("granted") else self.t("no"),
                          self.when(c.get("at")), self.label(c.get("channel"), "channel"),
                          self.t("yes") if current else ""])
        s.append(self.table(lines, [0.3, 0.12, 0.28, 0.18, 0.12]) if consents else self._none())

        s.append(self.h2(self.label("sec_devices")))
        devices = self._rows("device")
        s.append(self.table([[self.t("kind"), self.label("f_model"), self.t("serial")]]
                            + [[self.label(x.get("kind"), "kind"), x.get("model") or "", x.get("serial") or ""]
                               for x in devices], [0.2, 0.5, 0.3]) if devices else self._none())

        s.append(self.h2(self.t("dsr_access")))
        access = d.get("access_log") or []
        s.append(self.table([[self.t("when"), self.label("store", "record"), self.t("dsr_key_kind"),
                              self.t("dsr_result")]]
                            + [[self.when(a.get("at")), a.get("store_code") or "", self.key_kind(a.get("key_kind")),
                                self.action(a.get("action"))] for a in access], [0.35, 0.2, 0.25, 0.2])
                 if access else self._none())
        s += [self.spacer(), self.p(self.t("dsr_footer"), self.s_small)]
        return s


def render(data: Mapping[str, Any], *, lang: str = "en", pagesize=None) -> bytes:
    return DsrExport(data, lang=lang, pagesize=pagesize).render()
