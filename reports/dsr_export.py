"""The readable summary of a data-subject export made at HQ (the console's customer page):
the person, the stores that serve them, what HQ holds about them entity by entity, their
consents, the on-demand fetches that showed them and their erasure. From the plain dict
:func:`hq.dsr.collect` makes (the JSON export is the complete record; this is its summary).

English and Simplified Chinese; the sentences are here (HQ-only wording), the core's codes
(consent purposes, channels, device kinds) come from the shared catalogue ``core.terms``
through :meth:`Document.label`. Chinese is set in the CJK font (``reports.fonts``)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from types import SimpleNamespace
from typing import Any, Mapping

from reportlab.platypus import Flowable

from reports.base import Document

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Data-subject request: export", "org": "Orchard HQ",
        "intro": "Everything Orchard's head office (HQ) holds about this person on {at}. The JSON export "
                 "made at the same time is the complete record; this is its summary.",
        "person": "The person", "name": "Name", "customer_id": "Customer id", "phone": "Phone",
        "email": "Email", "member": "Member number", "points": "Points balance", "language": "Language",
        "erased": "Erased", "erased_at": "Erased on {at} ({where})", "at_hq": "at HQ", "at_store": "at store {code}",
        "not_erased": "No", "served": "Stores that serve them", "store_code": "Store", "store_name": "Name",
        "held": "What HQ holds", "entity": "Kind of record", "count": "Records", "deleted": "Deleted",
        "consents": "Consents", "purpose": "Purpose", "granted": "Granted", "when": "When",
        "channel": "Channel", "in_force": "In force", "yes": "Yes", "no": "No",
        "devices": "Devices", "kind": "Kind", "model": "Model", "serial": "Serial number",
        "access": "On-demand fetches that showed them", "store": "Store", "key_kind": "Searched by",
        "action": "Result", "fetch_customer": "shown", "fetch_refused": "refused",
        "k_phone": "phone", "k_email": "email", "k_member": "member number",
        "none": "None.", "generated": "Made {at} by {by} at HQ",
        "footer": "Ids are Orchard's own. Search keys (phone, email, member number) are never logged.",
    },
    "zh_CN": {
        "title": "数据主体请求：导出", "org": "Orchard 总部",
        "intro": "截至 {at}，Orchard 总部（HQ）保存的关于此人的全部信息。同时生成的 JSON 导出是完整记录，本文件为其摘要。",
        "person": "本人", "name": "姓名", "customer_id": "客户编号", "phone": "电话", "email": "电子邮件",
        "member": "会员号", "points": "积分余额", "language": "语言", "erased": "已删除",
        "erased_at": "已于 {at} 删除（{where}）", "at_hq": "在总部", "at_store": "在门店 {code}",
        "not_erased": "否", "served": "为其服务的门店", "store_code": "门店", "store_name": "名称",
        "held": "总部保存的内容", "entity": "记录类型", "count": "记录数", "deleted": "已删除",
        "consents": "同意记录", "purpose": "用途", "granted": "同意", "when": "时间", "channel": "渠道",
        "in_force": "现行", "yes": "是", "no": "否",
        "devices": "设备", "kind": "类型", "model": "型号", "serial": "序列号",
        "access": "显示过此人的按需查询", "store": "门店", "key_kind": "查询方式", "action": "结果",
        "fetch_customer": "已显示", "fetch_refused": "被拒绝",
        "k_phone": "电话", "k_email": "电子邮件", "k_member": "会员号",
        "none": "无。", "generated": "{by} 于 {at} 在总部生成",
        "footer": "编号为 Orchard 内部编号。查询所用的电话、电子邮件、会员号从不记录。",
    },
}

ENTITY_WORDS = {
    "en": {"customer": "Profile", "device": "Devices", "consent": "Consents", "customer_note": "Notes",
           "purchase": "Purchases", "loyalty_account": "Loyalty account", "loyalty_entry": "Loyalty entries",
           "repair_ticket": "Repair tickets", "appointment": "Appointments", "tradein": "Trade-ins"},
    "zh_CN": {"customer": "客户资料", "device": "设备", "consent": "同意记录", "customer_note": "备注",
              "purchase": "购买记录", "loyalty_account": "会员账户", "loyalty_entry": "积分记录",
              "repair_ticket": "维修单", "appointment": "预约", "tradein": "以旧换新"},
}


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


class DsrExport(Document):
    pagesizes = ("a4", "letter")

    def __init__(self, data: Mapping[str, Any], lang: str = "en", pagesize=None):
        super().__init__(data, lang=lang, pagesize=pagesize)
        self._store = SimpleNamespace(name=self.w("org"), timezone="UTC", currency="USD", address="", phone=None)

    @property
    def store(self):
        return self._store

    def w(self, key: str, **params: Any) -> str:
        text = WORDS.get(self.lang, WORDS["en"]).get(key) or WORDS["en"][key]
        return text.format(**params) if params else text

    def title(self) -> str:
        return self.w("title")

    def when(self, text: Any) -> str:
        at = _when(text)
        return self.dt(at) if at is not None else str(text or "")

    def footer_left(self) -> str:
        g = self.data.get("generated") or {}
        return self.w("generated", at=self.when(g.get("at")), by=g.get("by", "")) if g else ""

    def _rows(self, entity: str) -> list[dict[str, Any]]:
        return [r.get("data") or {} for r in self.data.get("rows") or []
                if r.get("entity") == entity and not r.get("deleted")]

    def _none(self) -> Flowable:
        return self.p(self.w("none"), self.s_small)

    def story(self) -> list[Flowable]:
        d = self.data
        profile = next(iter(self._rows("customer")), {})
        account = next(iter(self._rows("loyalty_account")), {})
        name = str(d.get("name") or "")
        erasure = d.get("erasure")
        s: list[Flowable] = [self.h1(self.title()), self.p(name, self.s_h2),
                             self.p(self.w("intro", at=self.when((d.get("generated") or {}).get("at"))), self.s_small),
                             self.spacer()]
        erased_text = self.w("not_erased")
        if erasure:
            where = self.w("at_store", code=erasure["store_code"]) if erasure.get("store_code") else self.w("at_hq")
            erased_text = self.w("erased_at", at=self.when(erasure.get("at")), where=where)
        balances = d.get("loyalty_balances") or {}
        s += [self.h2(self.w("person")), self.kv([
            (self.w("name"), name), (self.w("customer_id"), d.get("customer_id", "")),
            (self.w("phone"), profile.get("phone_e164") or ""), (self.w("email"), profile.get("email") or ""),
            (self.w("member"), account.get("member_number") or ""),
            (self.w("points"), f"{balances[str(account['id'])]:,}" if account.get("id") and str(account["id"])
             in balances else ""),
            (self.w("erased"), erased_text)], widths=(0.28, 0.72))]

        s.append(self.h2(self.w("served")))
        served = d.get("served_by") or []
        s.append(self.table([[self.w("store_code"), self.w("store_name")]]
                            + [[x["store_code"], x["store_name"]] for x in served], [0.25, 0.75])
                 if served else self._none())

        s.append(self.h2(self.w("held")))
        live = Counter(r["entity"] for r in d.get("rows") or [] if not r.get("deleted"))
        gone = Counter(r["entity"] for r in d.get("rows") or [] if r.get("deleted"))
        names = ENTITY_WORDS.get(self.lang, ENTITY_WORDS["en"])
        s.append(self.table([[self.w("entity"), self.w("count"), self.w("deleted")]]
                            + [[names.get(e, e.replace("_", " ")), str(live[e]), str(gone[e])]
                               for e in sorted(set(live) | set(gone))], [0.6, 0.2, 0.2], align="LRR"))

        s.append(self.h2(self.w("consents")))
        consents = sorted(self._rows("consent"), key=lambda c: (str(c.get("at") or ""), str(c.get("id"))),
                          reverse=True)
        seen: set[str] = set()
        lines = [[self.w("purpose"), self.w("granted"), self.w("when"), self.w("channel"), self.w("in_force")]]
        for c in consents:
            current = c.get("purpose") not in seen
            seen.add(str(c.get("purpose")))
            lines.append([self.label(c.get("purpose"), "purpose"), self.w("yes") if c.get("granted") else self.w("no"),
                          self.when(c.get("at")), self.label(c.get("channel"), "channel"),
                          self.w("yes") if current else ""])
        s.append(self.table(lines, [0.3, 0.12, 0.28, 0.18, 0.12]) if consents else self._none())

        s.append(self.h2(self.w("devices")))
        devices = self._rows("device")
        s.append(self.table([[self.w("kind"), self.w("model"), self.w("serial")]]
                            + [[self.label(x.get("kind"), "kind"), x.get("model") or "", x.get("serial") or ""]
                               for x in devices], [0.2, 0.5, 0.3]) if devices else self._none())

        s.append(self.h2(self.w("access")))
        access = d.get("access_log") or []
        s.append(self.table([[self.w("when"), self.w("store"), self.w("key_kind"), self.w("action")]]
                            + [[self.when(a.get("at")), a.get("store_code") or "",
                                self.w("k_" + a["key_kind"]) if "k_" + str(a.get("key_kind")) in WORDS["en"]
                                else str(a.get("key_kind")), self.w(a["action"]) if a.get("action") in WORDS["en"]
                                else str(a.get("action"))] for a in access], [0.35, 0.2, 0.25, 0.2])
                 if access else self._none())
        s += [self.spacer(), self.p(self.w("footer"), self.s_small)]
        return s


def render(data: Mapping[str, Any], *, lang: str = "en", pagesize=None) -> bytes:
    return DsrExport(data, lang=lang, pagesize=pagesize).render()
