"""Knowing the customer, the whole loop (issue 23), on a real HQ process over PostgreSQL and
real encrypted stores: a member of store SA buys three times over the months and returns part
of the last purchase, all sent by SA's till to ``POST /api/sales`` and matched by phone; HQ
scores the chain; SA pulls the purchases, the points and the scores, and the counter shows the
segment and the churn reasons in English and Chinese, a marketing suggestion only once SMS
marketing is granted, and the customer on an SMS list until they withdraw that consent. Store
SB, which never served them, holds nothing of theirs."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from core import clock, customers, loyalty, privacy
from core.care import complaints
from core.crm import actions, lists, value
from core.crm.sales import purchase_id
from core.models import Customer, CustomerScore, ListExport, Purchase
from hq.crm import scores
from hq.sales import tills
from tests.hq.conftest import hq_post
from tests.hq.util import local_view

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
ENROLLED = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
COMPLAINED = (datetime(2026, 10, 20, 3, 0, tzinfo=timezone.utc), datetime(2026, 11, 15, 3, 0, tzinfo=timezone.utc))
LI_PHONE = "13800138000"
OTHERS = ("13900139001", "13900139002", "13900139003", "13900139004")
B_PHONE = "13700137000"


def sale(receipt: str, at: str, total: int, description: str, *, store: str = "SA", phone: str, **more) -> dict:
    return {"receipt_id": receipt, "store": store, "at": at, "currency": "CNY", "total_cents": total,
            "lines": [{"sku": receipt[-4:], "description": description, "qty": 1 if total > 0 else -1,
                       "amount_cents": total}], "phone": phone, **more}


def post(hq, key: str, body: dict) -> list[dict]:
    answer = hq_post(hq, "/api/sales", json=body, headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


def test_a_till_sale_reaches_the_counter_as_scores_suggestions_and_a_consented_list(hq, make_store):
    sa, sb = make_store("SA", hq), make_store("SB", hq)
    with clock.pinned(ENROLLED), sa.db.session(write=True) as s:
        li = customers.create_customer(s, sa.admin, given_name="Na", family_name="Li", phone=LI_PHONE,
                                       email="li.na@example.com").id
        for i, phone in enumerate(OTHERS):
            customers.create_customer(s, sa.admin, given_name=f"Other{i}", family_name="Test", phone=phone)
        terms_version = loyalty.current_rules(s, sa.admin).terms_version
        account = loyalty.enroll(s, sa.admin, li, terms_version=terms_version, programme=True, now=ENROLLED).id
    with clock.pinned(ENROLLED), sb.db.session(write=True) as s:
        b_own = customers.create_customer(s, sb.admin, given_name="Wei", family_name="Wang", phone=B_PHONE).id
    sa.sync()
    sb.sync()

    # the tills send the sales: SA's three for Li over the months and one each for four others,
    # SB's for its own customer; then SA's till refunds part of Li's last purchase
    sa_till = tills.add_key(hq.engine, "till-sa", store_code="SA", now=NOW)
    sb_till = tills.add_key(hq.engine, "till-sb", store_code="SB", now=NOW)
    results = post(hq, sa_till, {"sales": [
        sale("SA-0001", "2026-06-12T15:00:00+08:00", 129_900, "iPhone 16 128 GB", phone=LI_PHONE),
        sale("SA-0002", "2026-09-03T11:00:00+08:00", 50_000, "AirPods 4", phone=LI_PHONE),
        sale("SA-0003", "2026-11-10T14:00:00+08:00", 30_000, "Watch band", phone=LI_PHONE),
        *(sale(f"SA-01{i:02d}", f"2026-0{i + 3}-20T10:00:00+08:00", 9_900 * (i + 1), "Clear case", phone=p)
          for i, p in enumerate(OTHERS))]})
    assert [(r["status"], r["match"]) for r in results] == [("imported", "phone")] * 7
    refund = sale("SA-0004", "2026-11-12T16:00:00+08:00", -10_000, "Watch band", phone=LI_PHONE,
                  refund_of="SA-0003")
    assert post(hq, sa_till, refund) == [{"receipt_id": "SA-0004", "status": "imported", "match": "phone"}]
    assert post(hq, sb_till, sale("SB-0001", "2026-10-01T12:00:00+08:00", 4_900, "USB-C cable", store="SB",
                                  phone=B_PHONE))[0]["status"] == "imported"

    # two complaints within 90 days: a churn signal HQ reads from SA's push
    with sa.db.session(write=True) as s:
        for day in COMPLAINED:
            complaints.open_complaint(s, sa.admin, customer_id=li, text="The strap broke", now=day)
    sa.sync()

    result = scores.recompute(hq.engine, now=NOW)
    assert (result.customers, result.scored) == (6, 6)
    sa.sync()
    sb.sync()

    # at SA: the purchases (the refund negative), the points earned less those the refund took back
    with sa.db.session() as s:
        bought = {p.receipt_id: p for p in s.scalars(select(Purchase).where(Purchase.customer_id == li))}
        assert {r: (p.kind, p.total_cents) for r, p in bought.items()} == {
            "SA-0001": ("sale", 129_900), "SA-0002": ("sale", 50_000), "SA-0003": ("sale", 30_000),
            "SA-0004": ("refund", -10_000)}
        assert bought["SA-0004"].id == purchase_id("SA-0004")
        assert bought["SA-0001"].at == datetime(2026, 6, 12, 7, 0, tzinfo=timezone.utc)
        welcome, earned, taken_back = 200, 1299 + 500 + 300, 300 * 10_000 // 30_000
        assert loyalty.balance(s, sa.admin, account) == welcome + earned - taken_back == 2199

        # the scores HQ computed for the chain: Li came last and most often, and spent the most
        en = value.customer_value(s, sa.admin, li, lang="en")
        zh = value.customer_value(s, sa.admin, li, lang="zh_CN")
        assert en is not None and zh is not None
        assert (en.recency, en.frequency, en.monetary, en.segment, en.value_band) == (5, 5, 5, "champions", "top")
        assert (en.segment_name, en.value_band_name) == ("Champions", "Top value")
        assert (zh.segment_name, zh.value_band_name) == ("冠军客户", "最高价值")
        assert (en.visits, en.historic_cents, en.currency) == (3, 129_900 + 50_000 + 30_000 - 10_000, "CNY")
        assert en.last_visit_at.replace(tzinfo=timezone.utc) == datetime(2026, 11, 10, 6, 0, tzinfo=timezone.utc)
        assert en.churn_score == 20 and en.predicted_cents > 0
        assert en.reasons == ("2 complaints in 90 days",)
        assert zh.reasons == ("90 天内投诉 2 次",)

        # no marketing consent yet: only service suggestions, none of them marketing
        assert not [x for x in actions.suggestions(s, sa.admin, li, now=NOW, lang="en") if x.marketing]

    with clock.pinned(NOW), sa.db.session(write=True) as s:
        privacy.set_consent(s, sa.admin, li, "marketing_sms", True)
    with sa.db.session() as s:
        offered = [(x.code, x.subject, x.title, x.why) for x in actions.suggestions(s, sa.admin, li, now=NOW,
                                                                                    lang="en") if x.marketing]
        assert offered == [("accessory", f"purchase:{purchase_id('SA-0003')}", "Accessory for a new device",
                            "Bought Watch band on Nov 10, 2026")]
        zh_offered = [(x.title, x.why) for x in actions.suggestions(s, sa.admin, li, now=NOW, lang="zh_CN")
                      if x.marketing]
        assert zh_offered == [("新设备配件", "2026年11月10日 购买了 Watch band")]

    # an SMS list of the champions: Li alone (the others have no consent, and are not champions)
    champions = lists.ListFilter(segments=("champions",))
    with sa.db.session(write=True) as s:
        assert lists.count(s, sa.admin, champions, "sms") == lists.ListCount(matching=1, consented=1)
        assert lists.count(s, sa.admin, lists.ListFilter(), "sms") == lists.ListCount(matching=5, consented=1)
        exported = lists.export(s, sa.admin, champions, "sms", "Watch accessories offer", now=NOW)
    rows = list(csv.DictReader(io.StringIO(exported.csv_text)))
    assert exported.count == 1
    assert [(r["customer"], r["address"], r["segment"]) for r in rows] == [(str(li), "+86" + LI_PHONE, "champions")]

    # Li withdraws SMS marketing at the counter; after the sync no later list has them
    with clock.pinned(NOW + timedelta(hours=1)), sa.db.session(write=True) as s:
        privacy.set_consent(s, sa.admin, li, "marketing_sms", False)
    sa.sync()
    with sa.db.session(write=True) as s:
        later = lists.export(s, sa.admin, lists.ListFilter(), "sms", "Watch accessories offer",
                             now=NOW + timedelta(hours=2))
        assert (later.count, later.csv_text.splitlines()) == (0, [",".join(lists.COLUMNS)])
        assert lists.count(s, sa.admin, champions, "sms") == lists.ListCount(matching=1, consented=0)
        assert not [x for x in actions.suggestions(s, sa.admin, li, now=NOW, lang="en") if x.marketing]
        assert [(e.channel, e.purpose, e.count) for e in s.scalars(select(ListExport).order_by(ListExport.at))] == [
            ("sms", "Watch accessories offer", 1), ("sms", "Watch accessories offer", 0)]

    # SB never served Li: none of Li's rows (customer, purchases, points, score, complaints) is
    # there, while SB's own customer arrived with their purchase and score
    at_b = local_view(sb.db)
    assert not [key for key, data in at_b.items() if str(li) in key[1] or str(li) in repr(data)]
    assert LI_PHONE not in repr(at_b)
    with sb.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Customer).where(Customer.id == li)) == 0
        assert [p.receipt_id for p in s.scalars(select(Purchase))] == ["SB-0001"]
        assert [c.customer_id for c in s.scalars(select(CustomerScore))] == [b_own]
