"""The chain's figures at HQ (/console/figures) from two real demo stores in two regions that
synced with a real HQ: each store's figures equal what its own manager reports count over the
same days (one definition per fact), on PostgreSQL and on SQLite; a regional manager sees its
region only, on the page and in the CSV; the page draws an SVG chart in a real browser."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import insert, select

from core import clock, repairs, staff
from core.db import StoreDatabase
from core.demo import STORE_TZ, build_demo
from core.models import Appointment, LoyaltyAccount, RepairTicket
from core.permissions import Role
from core.report_data import day_bounds, loyalty_report, period_report, satisfaction_report, tradein_report
from core.sync import client as sync_client
from hq import figures
from hq.console import stores
from hq.models import hq_flag
from tests.conftest import FAST_KDF
from tests.hq_console.conftest import browser, console, region, user  # noqa: F401 - fixtures

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)       # a Friday, 17:30 in Shanghai
LAST = date(2026, 11, 20)
FIRST = LAST - timedelta(days=29)
SPAN = f"from={FIRST.isoformat()}&to={LAST.isoformat()}"


@dataclass
class DemoStore:
    code: str
    db: StoreDatabase
    admin: object
    manager: object
    store_id: object


def _actors(db: StoreDatabase, info) -> tuple:
    with db.session() as s:
        return (staff.actor_for(staff.get_staff(s, info.staff[0].staff_id)),
                staff.actor_for(staff.get_staff(s, info.staff_with_role(Role.MANAGER)[0].staff_id)))


@pytest.fixture(scope="module")
def _demo_files(tmp_path_factory):
    """Two demo stores built once with the clock pinned (copied for each test): SH01 with a
    repair collected in the span that came back for rework (the real service), and BJ01."""
    folder = tmp_path_factory.mktemp("figures-demo")
    built = {}
    for code, seed in (("SH01", 7), ("BJ01", 11)):
        (folder / code).mkdir()
        db = StoreDatabase.create(folder / code / "store.db", passphrase="figures-test", kdf=FAST_KDF)
        info = build_demo(db, customers=40, seed=seed, now=NOW, store_code=code)
        if code == "SH01":
            _, manager = _actors(db, info)
            with clock.pinned(NOW), db.session(write=True) as s:
                lo, hi = day_bounds(ZoneInfo(STORE_TZ), FIRST, LAST)
                back = s.scalars(select(RepairTicket).where(
                    RepairTicket.collected_at >= lo, RepairTicket.collected_at < hi,
                    RepairTicket.rework_of_id.is_(None)).order_by(RepairTicket.collected_at.desc())).first()
                assert back is not None, "the demo collects repairs in the last 30 days"
                repairs.open_rework(s, manager, back.id, reported_fault="screen flickers again")
        db.close()
        built[code] = info
    return folder, built


def _demo_store(hq, tmp_path, files, code: str, region_name: str) -> DemoStore:
    """A copy of a demo store, registered at HQ in its region with the console's own function,
    enrolled with the code and synced."""
    folder, built = files
    (tmp_path / code).mkdir()
    for f in (folder / code).iterdir():
        if f.name.endswith((".db", ".json")):
            shutil.copy2(f, tmp_path / code / f.name)
    db = StoreDatabase.open(tmp_path / code / "store.db", passphrase="figures-test")
    admin, manager = _actors(db, built[code])
    one_time = stores.create_store(hq.engine, stores.StoreForm(
        code=code, name=f"Orchard {code} 果园", region_id=region(hq, region_name), timezone=STORE_TZ,
        currency="CNY", address="", opening_hours=""), by=None)
    sync_client.enrol(db, admin, hq.url, one_time)      # HQ's real clock checks the code's expiry
    with sync_client.SyncClient(db) as c:
        assert c.sync().errors == ()
    return DemoStore(code, db, admin, manager, admin.store_id)


@pytest.fixture
def chain(hq, tmp_path, _demo_files):
    """SH01 (East China) and BJ01 (North China), synced; HQ flagged a negative balance of BJ01's."""
    sh = _demo_store(hq, tmp_path, _demo_files, "SH01", "East China")
    bj = _demo_store(hq, tmp_path, _demo_files, "BJ01", "North China")
    with bj.db.session() as s:
        account = s.scalars(select(LoyaltyAccount.id).where(LoyaltyAccount.store_id == bj.store_id)).first()
    with hq.engine.begin() as conn:      # what hq.push_merge raises when offline redemptions overdraw
        conn.execute(insert(hq_flag).values(kind="negative_balance", entity_id=str(account),
                                            detail="loyalty balance -20 points", raised_at=NOW, cleared=False))
    yield sh, bj
    for st in (sh, bj):
        st.db.close()


def _own(st: DemoStore) -> dict:
    """What the store's own manager reports (and its rows) count over the span."""
    with clock.pinned(NOW), st.db.session() as s:
        period = period_report(s, st.manager, FIRST, LAST, now=NOW).total
        trade = tradein_report(s, st.manager, FIRST, LAST, now=NOW)
        loyal = loyalty_report(s, st.manager, FIRST, LAST, now=NOW)
        happy = satisfaction_report(s, st.manager, FIRST, LAST, now=NOW).figures
        lo, hi = day_bounds(ZoneInfo(STORE_TZ), FIRST, LAST)
        completed = len(s.scalars(select(Appointment.id).where(
            Appointment.starts_at >= lo, Appointment.starts_at < hi, Appointment.status == "completed",
            Appointment.source != "walk_in")).all())
        collected = s.execute(select(RepairTicket.id, RepairTicket.rework_of_id).where(
            RepairTicket.collected_at >= lo, RepairTicket.collected_at < hi)).all()
        named = set(s.scalars(select(RepairTicket.rework_of_id).where(RepairTicket.rework_of_id.is_not(None))))
    firsts = [tid for tid, of in collected if of is None]
    return dict(booked=period.appointments.booked, completed=completed, no_show=period.appointments.no_show,
                repairs=period.tickets.collected, turnaround=period.tickets.turnaround_median_h,
                ftf=sum(1 for t in firsts if t not in named), firsts=len(firsts),
                tradeins=trade.accepted, value=trade.accepted_value_cents, members=loyal.members,
                points=loyal.outstanding_points, surveys=happy.surveys, csat=happy.csat_avg, nps=happy.nps)


def _hq(t: figures.Tally) -> dict:
    return dict(booked=t.booked, completed=t.completed, no_show=t.no_show, repairs=t.repairs,
                turnaround=t.turnaround_median_h, ftf=t.first_fixed, firsts=t.first_attempts, tradeins=t.tradeins,
                value=sum(t.tradein_value.values()), members=t.members, points=t.points, surveys=t.surveys,
                csat=t.csat_avg, nps=t.nps_score)


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_each_store_s_figures_at_hq_are_what_its_own_reports_count(hq, chain):
    sh, bj = chain
    data = figures.chain_figures(hq.engine, figures.stores_in_scope(hq.engine), FIRST, LAST)
    by_code = {line.code: line for line in data.stores}
    assert [(line.code, line.region) for line in data.stores] == [("SH01", "East China"), ("BJ01", "North China")]
    for st in (sh, bj):
        own, at_hq = _own(st), _hq(by_code[st.code].tally)
        assert at_hq == pytest.approx(own), st.code
        assert own["booked"] and own["repairs"] and own["tradeins"] and own["members"] and own["surveys"]
    fixed, firsts = by_code["SH01"].tally.first_fixed, by_code["SH01"].tally.first_attempts
    assert fixed == firsts - 1, "the repair that came back is not a first-time fix"
    assert (by_code["SH01"].tally.negative, by_code["BJ01"].tally.negative) == (0, 1)
    # a region's figures are its stores' (medians over its tickets, not a mean of medians)
    regions = {line.name: line.tally for line in data.regions}
    assert regions["East China"].booked == by_code["SH01"].tally.booked
    assert data.chain.tally.tradeins == by_code["SH01"].tally.tradeins + by_code["BJ01"].tally.tradeins
    assert data.chain.tally.turnaround_median_h is not None

    # a span before the stores opened counts nothing
    empty = figures.chain_figures(hq.engine, figures.stores_in_scope(hq.engine), date(2001, 1, 1), date(2001, 1, 31))
    assert _hq(empty.chain.tally) == _hq(figures.Tally())


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_a_regional_manager_sees_its_region_only_on_the_page_and_in_the_csv(hq, chain, console):
    user(hq, "ada")
    user(hq, "nina", "regional", region_id=region(hq, "North China"))
    admin, nina = console(), console()
    admin.sign_in("ada")
    nina.sign_in("nina")

    page = admin.get(f"/console/figures?{SPAN}")
    assert page.status_code == 200
    assert "SH01" in page.text and "BJ01" in page.text and "The chain" in page.text
    assert page.text.count("<svg") == len(figures_charts()) and "<title id=\"chart-booked-title\">" in page.text

    mine = nina.get(f"/console/figures?{SPAN}")
    assert mine.status_code == 200 and "BJ01" in mine.text
    assert "SH01" not in mine.text and "East China" not in mine.text

    got = nina.get(f"/console/figures.csv?{SPAN}")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert got.content.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    rows = _rows(got.content.decode("utf-8-sig"))
    assert {r["Store code"] for r in rows} == {"BJ01", ""} and {r["Region"] for r in rows} == {"North China"}
    store = next(r for r in rows if r["Level"] == "store")
    assert store["Store"] == "Orchard BJ01 果园" and store["Negative balances"] == "1"
    bj = figures.chain_figures(hq.engine, figures.stores_in_scope(hq.engine), FIRST, LAST).stores
    bj_tally = next(line.tally for line in bj if line.code == "BJ01")
    assert int(store["Booked"]) == bj_tally.booked and int(store["Trade-ins accepted"]) == bj_tally.tradeins
    assert store["Trade-in value"] == f"{sum(bj_tally.tradein_value.values()) / 100:.2f}"
    assert store["Currency"] == "CNY" and (store["From"], store["To"]) == (FIRST.isoformat(), LAST.isoformat())

    everything = _rows(admin.get(f"/console/figures.csv?{SPAN}").content.decode("utf-8-sig"))
    assert [r["Level"] for r in everything] == ["store", "store", "region", "region", "chain"]

    # in Chinese, the headers too
    admin.http.cookies.set("hq_lang", "zh_CN")
    zh = _rows(admin.get(f"/console/figures.csv?{SPAN}").content.decode("utf-8-sig"))
    assert "门店代码" in zh[0]

    # the span is checked; the default is the 30 days to today (HQ's clock, the stores' zone)
    assert nina.get("/console/figures?from=2026-11-20&to=2026-11-01").status_code == 400
    assert nina.get("/console/figures?from=2024-01-01&to=2026-11-01").status_code == 400
    bad = nina.get("/console/figures.csv?from=20-11-2026")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text
    before = clock.system_clock().astimezone(ZoneInfo(STORE_TZ)).date()    # the HQ process's own clock
    default = nina.get("/console/figures").text
    after = clock.system_clock().astimezone(ZoneInfo(STORE_TZ)).date()
    assert any(f'name="from" type="date" required value="{(d - timedelta(days=29)).isoformat()}"' in default
               and f'name="to" type="date" required value="{d.isoformat()}"' in default for d in {before, after})


def figures_charts() -> tuple:
    from hq.console.routes_figures import CHARTS
    return CHARTS


def test_the_page_shows_bar_charts_with_a_title_beside_the_table_in_a_browser(hq, chain, browser):
    from tests.hq_console.test_browser import _sign_in, _wait
    user(hq, "ada")
    _sign_in(browser, hq, "ada")
    browser.get(hq.url + "/console/")
    browser.find_element(By.LINK_TEXT, "Figures").click()
    _wait(browser, "#span")
    browser.execute_script("document.getElementById('from').value = arguments[0];"
                           "document.getElementById('to').value = arguments[1];", FIRST.isoformat(), LAST.isoformat())
    old = browser.find_element(By.ID, "span")
    browser.find_element(By.CSS_SELECTOR, "#span button").click()
    WebDriverWait(browser, 15).until(EC.staleness_of(old))          # the span's page, not the default one
    assert browser.current_url.endswith(SPAN)
    chart = _wait(browser, "svg#chart-booked")
    assert chart.get_attribute("role") == "img"
    assert browser.find_element(By.CSS_SELECTOR, "#chart-booked title").get_attribute("textContent") == \
        "Appointments booked"
    bars = browser.find_elements(By.CSS_SELECTOR, "#chart-booked rect")
    assert len(bars) == 2 and all(b.size["width"] > 0 for b in bars)
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#stores tbody th[scope=row]")]
    assert rows == ["SH01 Orchard SH01 果园", "BJ01 Orchard BJ01 果园"]
    groups = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#stores tbody th[scope=rowgroup]")]
    assert groups == ["East China", "North China"]
    assert browser.find_element(By.ID, "csv").get_attribute("href").endswith(SPAN)
