"""Issue 20: a store's page shows what HQ refused from it (hq_op.rejected), per reason over the
last 30 days and the latest operations, the reasons in the catalogue's words (core.terms, the
same words as the store's sync screen) in the viewer's language, and never a field value."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core import clock, customers
from core.sync import client as sync_client
from hq.console import stores
from hq.models import hq_op, hq_store
from tests.hq.util import parked
from tests.hq_console.conftest import signed_in, user

EN_WORDS = "this computer's clock is far ahead"
ZH_WORDS = "本机时钟超前过多"


def _refused_at_hq(hq) -> list[str]:
    with hq.engine.connect() as conn:
        return sorted(conn.scalars(select(hq_op.c.rejected).where(hq_op.c.rejected.is_not(None))))


def test_the_store_page_shows_hq_refusals_with_their_reason_in_english_and_chinese(hq, make_store, console):
    store = make_store("RF", hq)
    user(hq, "ada")
    c = signed_in(console, "ada")
    assert "Refused by HQ" in c.get("/console/stores/RF").text
    assert "HQ has refused none of this store" in c.get("/console/stores/RF").text

    # HQ keeps real time in its own process; the store's clock is pinned to it, then runs 3 days fast
    with clock.pinned(clock.system_clock()) as store_clock:
        with store.db.session(write=True) as s:
            cid = customers.create_customer(s, store.admin, given_name="Ann", family_name="Lee",
                                            phone="13800138000").id
        assert store.sync().rejected == 0
        store_clock.advance(days=3)
        with store.db.session(write=True) as s:
            customers.update_customer(s, store.admin, cid, family_name="Futurelee")
        with store.db.session(write=True) as s:
            customers.update_customer(s, store.admin, cid, address="9 Harbour Road")
        assert store.sync().rejected == 2
    assert [p.rejected.split(":")[0] for p in parked(store.db)] == ["clock_ahead", "clock_ahead"]
    refused = _refused_at_hq(hq)
    assert [r.split(":")[0] for r in refused] == ["clock_ahead", "clock_ahead"]
    hours = refused[0].split(":")[1].strip()
    assert hours.isdigit() and 70 <= int(hours) <= 73

    texts = {}
    for lang in ("en", "zh_CN"):
        c.http.cookies.set("hq_lang", lang, path="/console")
        r = c.get("/console/stores/RF")
        assert r.status_code == 200
        texts[lang] = r.text
    en, zh = texts["en"], texts["zh_CN"]
    # the count per reason, worded without the hours
    assert f"<td>{EN_WORDS.replace(chr(39), '&#39;')}</td><td>2</td>" in en
    assert f"<td>{ZH_WORDS}</td><td>2</td>" in zh
    # the latest operations, with the hours HQ recorded
    assert en.count(f"{EN_WORDS.replace(chr(39), '&#39;')} ({hours} h)") == 2
    assert zh.count(f"{ZH_WORDS}（{hours} 小时）") == 2
    assert "总部已拒绝" in zh and "最近 30 天，按原因统计" in zh and "Last 30 days, by reason" in en
    # the store page names no value the refused operations carried
    for page in (en, zh):
        assert "Futurelee" not in page and "Harbour" not in page and "13800138000" not in page
        assert "clock_ahead" not in page, "the reason is worded, never shown as its code"


def test_the_counts_cover_thirty_days_and_the_list_the_latest_operations(hq, make_store):
    store = make_store("RW", hq)
    with clock.pinned(clock.system_clock()) as store_clock:
        with store.db.session(write=True) as s:
            cid = customers.create_customer(s, store.admin, given_name="Bo", family_name="Wu",
                                            phone="13900139000").id
        store.sync()
        store_clock.advance(days=3)
        for n in range(3):
            with store.db.session(write=True) as s:
                customers.update_customer(s, store.admin, cid, family_name=f"Wu{n}")
        assert store.sync().rejected == 3
    with hq.engine.connect() as conn:
        store_id = conn.scalar(select(hq_store.c.store_id).where(hq_store.c.code == "RW"))
    now = clock.system_clock()
    today = stores.refusals(hq.engine, store_id, now, rows=2)
    assert today.counts == [("clock_ahead", 3)] and len(today.recent) == 2
    later = stores.refusals(hq.engine, store_id, now + timedelta(days=31))
    assert later.counts == [] and len(later.recent) == 3, "older refusals leave the counts, not the list"
    with store.db.session() as s:                   # nothing else refused: the store has all three parked
        assert len(sync_client.parked_ops(s)) == 3
