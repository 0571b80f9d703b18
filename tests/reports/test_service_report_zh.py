"""A Chinese service report prints the ticket's history in Chinese: the system's entries
(checked in, diagnosis started, quote sent with its amount, collected) are worded from
their codes, the amount in yuan as Chinese writes it; an English report words them in
English. What staff typed prints as typed."""

from __future__ import annotations

from sqlalchemy import select

from core import repairs
from core import report_data as rd
from core.models import RepairEvent, RepairTicket
from core.permissions import Role
from reports import service_report
from reports.wording import money
from tests.reports.conftest import compact, squash


def _collected_after_a_quote(demo) -> RepairTicket:
    """A collected demo ticket whose customer approved a quote (its history has every step)."""
    with demo.db.session() as s:
        quoted = select(RepairEvent.ticket_id).where(RepairEvent.to_status == "awaiting_approval")
        return s.scalars(select(RepairTicket).where(RepairTicket.status == "collected", RepairTicket.id.in_(quoted))
                         .order_by(RepairTicket.number)).first()


def test_the_chinese_service_report_words_the_history_in_chinese(demo):
    t = _collected_after_a_quote(demo)
    assert t is not None and t.quote_cents
    with demo.db.session(write=True) as s:
        repairs.workflow._note(s, demo.actors[Role.TECHNICIAN], s.get(RepairTicket, t.id), "保护膜已按客户要求保留")
    with demo.db.session() as s:
        data = rd.service_report(s, demo.actors[Role.ASSOCIATE], t.id)
    text = compact(service_report.render(data, lang="zh_CN"))
    amount = money(t.quote_cents, "CNY", "zh_CN")
    assert amount.startswith("¥")
    for words in ("已在柜台登记", "开始检测", f"报价已发送给客户：{amount}", "维修完成，测试中", "质检通过，已通知客户",
                  "客户已取机", "保护膜已按客户要求保留"):
        assert squash(words) in text, words
    for english in ("Checked in at the counter", "Diagnosis started", "Quote sent", "Collected by", "Passed checks"):
        assert squash(english) not in text, english

    english_text = compact(service_report.render(data, lang="en"))
    for words in ("Checked in at the counter", "Diagnosis started",
                  f"Quote sent to the customer: {money(t.quote_cents, 'CNY', 'en')}", "Collected by the customer",
                  "保护膜已按客户要求保留"):
        assert squash(words) in english_text, words
    assert "已在柜台登记" not in english_text
