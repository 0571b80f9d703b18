"""Sales from the till into HQ (issue 23, "Sales in"), on a real HQ over PostgreSQL and real
encrypted stores: the till endpoint with its key, the CSV import (twice changes nothing;
``--dry-run`` writes nothing and names bad rows by line and reason), matching by member
number, phone and e-mail (ambiguous left unmatched and listed), a matched sale reaching the
stores that serve the customer and no other, and loyalty earned once per receipt with a
refund taking its points back."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from core import clock, customers, loyalty, privacy
from core.crm import actions
from core.crm.sales import purchase_id
from core.models import ActionOutcome, LoyaltyEntry, Purchase
from core.sync import client as sync_client
from hq import cli
from hq.common import lane_heads
from hq.models import (
    hq_balance, hq_crm_state, hq_customer_score, hq_row, hq_sale, hq_sale_line, hq_served, hq_till_key,
)
from hq.sales import tills
from tests.hq.conftest import hq_post

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
ENROLLED = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
HEADER = "receipt_id,store,at,currency,total_cents,member_no,phone,email,refund_of,sku,description,qty,amount_cents"
LI_PHONE, LI_EMAIL = "13800138000", "li.na@example.com"
WANG_PHONE, SHARED_PHONE, NOBODY_PHONE = "13900139000", "13700137000", "13600136000"


class Chain:
    """Store SA with its customers (synced to HQ), store SB that serves none of them."""

    def __init__(self, hq, make_store):
        self.hq = hq
        self.a = make_store("SA", hq)
        self.b = make_store("SB", hq)
        with self.a.db.session(write=True) as s:
            new = lambda **kw: customers.create_customer(s, self.a.admin, **kw).id     # noqa: E731
            self.li = new(given_name="Na", family_name="Li", phone=LI_PHONE, email=LI_EMAIL)
            self.wang = new(given_name="Wei", family_name="Wang", phone=WANG_PHONE)
            self.twins = (new(given_name="Lei", family_name="Zhao", phone=SHARED_PHONE),
                          new(given_name="Lin", family_name="Zhao", phone=SHARED_PHONE))
            terms = loyalty.current_rules(s, self.a.admin).terms_version
            member = loyalty.enroll(s, self.a.admin, self.li, terms_version=terms, programme=True, now=ENROLLED)
            self.account, self.member_no = member.id, member.member_number
        self.a.sync()
        self.b.sync()

    def balance(self) -> int:
        with self.a.db.session() as s:
            return loyalty.balance(s, self.a.admin, self.account)

    def purchases(self, store) -> dict[str, Purchase]:
        with store.db.session() as s:
            return {p.receipt_id: p for p in s.scalars(select(Purchase))}

    def snapshot(self) -> tuple:
        """What an import could change at HQ (not the scores: HQ's own loop recomputes them
        after new activity, whenever it runs)."""
        with self.hq.engine.connect() as c:
            return (tuple(c.execute(select(hq_row.c.entity, hq_row.c.entity_id, hq_row.c.seq, hq_row.c.data).where(
                        hq_row.c.entity.in_(["purchase", "loyalty_entry"])).order_by(hq_row.c.seq)).all()),
                    c.scalar(select(func.count()).select_from(hq_sale)),
                    c.scalar(select(func.count()).select_from(hq_sale_line)),
                    tuple(c.execute(select(hq_balance).order_by(hq_balance.c.account_id)).all()),
                    c.scalar(select(func.count()).select_from(hq_served)))

    def sales(self) -> dict[str, dict]:
        with self.hq.engine.connect() as c:
            return {r["receipt_id"]: dict(r) for r in c.execute(select(hq_sale)).mappings()}


@pytest.fixture
def chain(hq, make_store) -> Chain:
    # the hq fixture empties hq.models.ALL_TABLES, which predates the sales tables
    with hq.engine.connect().execution_options(hq_write=True) as c, c.begin():
        for table in (hq_sale_line, hq_sale, hq_till_key):
            c.execute(delete(table))
    return Chain(hq, make_store)


def sale(receipt: str, total: int = 129_900, *, store: str = "SA", at: str = "2026-11-20T17:30:00+08:00",
         lines=None, **keys) -> dict:
    lines = lines or [{"sku": "IP16-128", "description": "iPhone 16 128 GB", "qty": 1, "amount_cents": total}]
    return {"receipt_id": receipt, "store": store, "at": at, "currency": "CNY", "total_cents": total,
            "lines": lines, **keys}


def till(chain: Chain, name: str = "till-1", store: str | None = "SA") -> dict:
    key = tills.add_key(chain.hq.engine, name, store_code=store, now=NOW)
    return {"Authorization": f"Bearer {key}"}


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    with clock.pinned(NOW):
        code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


# --- the till endpoint ----------------------------------------------------------------------------

def test_the_till_endpoint_needs_a_live_key_and_takes_a_receipt_once(chain):
    one = sale("SA-1001", phone=LI_PHONE)
    assert hq_post(chain.hq, "/api/sales", json=one).status_code == 401
    assert hq_post(chain.hq, "/api/sales", json=one, headers={"Authorization": "Bearer otk_wrong"}).status_code == 401
    headers = till(chain)
    first = hq_post(chain.hq, "/api/sales", json=one, headers=headers)
    assert first.status_code == 200
    assert first.json() == {"results": [{"receipt_id": "SA-1001", "status": "imported", "match": "phone"}]}
    before = chain.snapshot()
    again = hq_post(chain.hq, "/api/sales", json=one, headers=headers)
    assert again.json() == {"results": [{"receipt_id": "SA-1001", "status": "duplicate", "match": "phone"}]}
    assert chain.snapshot() == before                      # the same receipt again changes nothing

    batch = {"sales": [sale("SA-1002", email=" Li.Na@Example.com"), sale("SA-1003", 100, member_no="8800-0000"),
                       sale("SB-1", store="SB", phone=WANG_PHONE), sale("SA-1004", 5, phone="12"),
                       sale("SA-1005", 7, phone=SHARED_PHONE)]}
    answer = hq_post(chain.hq, "/api/sales", json=batch, headers=headers)
    assert answer.json()["results"] == [
        {"receipt_id": "SA-1002", "status": "imported", "match": "email"},
        {"receipt_id": "SA-1003", "status": "imported", "match": "none"},
        {"receipt_id": "SB-1", "status": "refused", "match": None,
         "reason": "store: is not the store this till key sends for"},
        {"receipt_id": "SA-1004", "status": "refused", "match": None, "reason": "phone: is too short"},
        {"receipt_id": "SA-1005", "status": "imported", "match": "ambiguous"}]
    for secret in ("+86137", LI_EMAIL, "Li", "8800"):
        assert secret not in answer.text.replace("SA-", "")
    stored = chain.sales()
    assert stored["SA-1002"]["customer_id"] == chain.li and stored["SA-1002"]["email"] is None
    assert stored["SA-1003"]["member_no"] == "88000000"                # kept while unmatched
    assert "SB-1" not in stored and "SA-1004" not in stored

    web = till(chain, "web-shop", store=None)                          # any store's sales
    assert hq_post(chain.hq, "/api/sales", json=sale("SB-2", store="SB"), headers=web).json()["results"][0][
        "status"] == "imported"
    assert tills.revoke_key(chain.hq.engine, "till-1", now=NOW)
    assert hq_post(chain.hq, "/api/sales", json=sale("SA-1006"), headers=headers).status_code == 401


# --- the CSV import ---------------------------------------------------------------------------------

def rows_for(chain: Chain) -> list[str]:
    at = "2026-11-20T09:15:00+00:00"
    return [
        # by member number (as printed, with spaces), two lines
        f"SA-2001,SA,{at},CNY,129900,{chain.member_no[:4]} {chain.member_no[4:]},,,,IP16-128,iPhone 16,1,119900",
        f"SA-2001,SA,{at},CNY,129900,{chain.member_no[:4]} {chain.member_no[4:]},,,,CASE-16,Clear case,2,10000",
        f"SA-2002,SA,{at},CNY,5000,,{WANG_PHONE},,,CBL-1,USB-C cable,1,5000",            # by phone
        f"SA-2003,SA,{at},CNY,2500,,,LI.NA@example.com,,FILM-1,Screen film,1,2500",     # by e-mail
        f"SA-2004,SA,{at},CNY,9900,,{SHARED_PHONE},,,CHG-1,Charger,1,9900",               # two people
        f"SA-2005,SA,{at},CNY,1200,,{NOBODY_PHONE},nobody@example.com,,CLN-1,Cleaning kit,1,1200",
    ]


def test_a_csv_import_matches_by_member_phone_and_email_and_twice_changes_nothing(chain, tmp_path, capsys):
    path = write_csv(tmp_path / "sales.csv", rows_for(chain))
    code, out = run_cli(capsys, "import-sales", str(path), "--db", chain.hq.db_url)
    assert code == 0, out
    assert out.splitlines()[0] == ("6 lines, 5 receipts: imported 5 (matched 3, unmatched 1, ambiguous 1), "
                                   "duplicates 0, bad rows 0")
    stored = chain.sales()
    assert {r: (s["match"], s["customer_id"]) for r, s in stored.items()} == {
        "SA-2001": ("member", chain.li), "SA-2002": ("phone", chain.wang), "SA-2003": ("email", chain.li),
        "SA-2004": ("ambiguous", None), "SA-2005": ("none", None)}
    # the keys are kept only while a sale is unmatched
    assert all(stored[r][k] is None for r in ("SA-2001", "SA-2002", "SA-2003") for k in ("member_no", "phone", "email"))
    assert (stored["SA-2004"]["phone"], stored["SA-2005"]["email"]) == ("+86" + SHARED_PHONE, "nobody@example.com")

    before = chain.snapshot()
    code, out = run_cli(capsys, "import-sales", str(path), "--db", chain.hq.db_url)
    assert code == 0
    assert "imported 0 (matched 0, unmatched 0, ambiguous 0), duplicates 5, bad rows 0" in out
    assert chain.snapshot() == before

    code, out = run_cli(capsys, "unmatched-sales", "--db", chain.hq.db_url)
    listed = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(listed) == {"SA-2004", "SA-2005"}
    assert "ambiguous" in listed["SA-2004"] and "phone " + "•" * 12 + "00" in listed["SA-2004"]
    assert "email n•••@e•••" in listed["SA-2005"] and "99.00 CNY" in listed["SA-2004"]
    assert SHARED_PHONE not in out and NOBODY_PHONE not in out and "nobody" not in out


def test_a_dry_run_writes_nothing_and_names_bad_rows_by_line_and_reason(chain, tmp_path, capsys):
    at = "2026-11-20T09:15:00+00:00"
    rows = rows_for(chain) + [
        f"SA-2006,SA,{at},CNY,1000,,,,,A-1,Thing,1,900",                    # line 8: total off
        f"SA-2007,SA,{at},CNY,1000,,,,,A-1,Thing,1,500",                    # line 9
        f"SA-2007,SA,{at},CNY,1000,,,,,A-2,Other,two,500",                  # line 10: qty
        f"SA-2008,SA,{at},CNY,1000,,,,,A-1,Thing,1,500",                    # line 11
        f"SA-2008,SA,{at},USD,1000,,,,,A-2,Other,1,500",                    # line 12: differs
        f"SA-2009,XX,{at},CNY,1000,,,,,A-1,Thing,1,1000",                   # line 13: no such store
        f"SA-2010,SA,2026-11-20 09:15,CNY,1000,,{LI_PHONE},,,A-1,Thing,1,1000",   # line 14: no offset
        "SA-2011,SA,too,few,columns",                                       # line 15
    ]
    path = write_csv(tmp_path / "sales.csv", rows)
    before = chain.snapshot()
    code, out = run_cli(capsys, "import-sales", str(path), "--dry-run", "--db", chain.hq.db_url)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == ("dry run, nothing written: 14 lines, 10 receipts: imported 5 (matched 3, unmatched 1, "
                        "ambiguous 1), duplicates 0, bad rows 6")
    assert lines[1:] == [
        "line 8: total_cents: is not the sum of the lines",
        "line 10: qty: must be a whole number",
        "line 12: currency: differs from the receipt's first line",
        "line 13: store: is not a store of the chain",
        "line 14: at: must carry its UTC offset",
        "line 15: row: has 5 columns, the header 13",
    ]
    assert chain.snapshot() == before
    assert LI_PHONE not in out
    # the real import reports the same, and writes the good receipts only
    code, real = run_cli(capsys, "import-sales", str(path), "--db", chain.hq.db_url)
    assert code == 1
    assert real.splitlines()[0] == lines[0].removeprefix("dry run, nothing written: ")
    assert real.splitlines()[1:] == lines[1:]
    assert set(chain.sales()) == {"SA-2001", "SA-2002", "SA-2003", "SA-2004", "SA-2005"}


# --- reaching the stores, and the points -------------------------------------------------------------

@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)      # the demo's HQ is SQLite
def test_a_matched_sale_reaches_the_stores_serving_the_customer_only(chain, tmp_path, capsys):
    path = write_csv(tmp_path / "sales.csv", rows_for(chain))
    assert run_cli(capsys, "import-sales", str(path), "--db", chain.hq.db_url)[0] == 0
    chain.a.sync()
    chain.b.sync()
    at_a = chain.purchases(chain.a)
    assert set(at_a) == {"SA-2001", "SA-2002", "SA-2003"}
    p = at_a["SA-2001"]
    assert (p.id, p.customer_id, p.store_id, p.kind, p.total_cents, p.currency) == (
        purchase_id("SA-2001"), chain.li, chain.a.store_id, "sale", 129_900, "CNY")
    assert (p.description, p.sku, p.at) == ("iPhone 16 and 1 more", "IP16-128",
                                            datetime(2026, 11, 20, 9, 15, tzinfo=timezone.utc))
    assert p.lines == [{"sku": "IP16-128", "description": "iPhone 16", "qty": 1, "amount_cents": 119_900},
                       {"sku": "CASE-16", "description": "Clear case", "qty": 2, "amount_cents": 10_000}]
    assert at_a["SA-2002"].customer_id == chain.wang
    assert chain.purchases(chain.b) == {}                 # SB serves none of them
    with chain.b.db.session() as s:
        assert s.scalar(select(func.count()).select_from(LoyaltyEntry)) == 0
    with chain.hq.engine.connect() as c:                   # HQ placed them with the customer, serves no one
        assert c.execute(select(hq_row.c.bucket, hq_row.c.customer_id).where(
            hq_row.c.entity == "purchase", hq_row.c.entity_id == str(purchase_id("SA-2002")))).one() == \
            ("c", chain.wang)
        assert c.scalar(select(func.count()).select_from(hq_served).where(
            hq_served.c.store_id == uuid.UUID(int=0))) == 0


def test_loyalty_earns_once_per_receipt_and_a_refund_takes_the_points_back(chain, tmp_path, capsys):
    assert chain.balance() == 200                          # the welcome bonus
    headers = till(chain)
    original = sale("SA-3001", 129_900, member_no=chain.member_no)
    assert hq_post(chain.hq, "/api/sales", json=original, headers=headers).json()["results"][0]["match"] == "member"
    assert hq_post(chain.hq, "/api/sales", json=original, headers=headers).json()["results"][0]["status"] == \
        "duplicate"
    chain.a.sync()
    assert chain.balance() == 200 + 1299                   # 1 point per whole yuan, once
    with chain.a.db.session() as s:                        # the counter does not offer it again
        assert all(o.ref_id != purchase_id("SA-3001") for o in loyalty.earnable(s, chain.a.admin, chain.account))

    # a partial refund takes back its share, in a file this time, naming only the receipt it refunds
    at = "2026-11-20T09:40:00+00:00"
    path = write_csv(tmp_path / "refunds.csv", [f"SA-3002,SA,{at},CNY,-10000,,,,SA-3001,CASE-16,Clear case,-1,-10000"])
    assert run_cli(capsys, "import-sales", str(path), "--db", chain.hq.db_url)[0] == 0
    assert run_cli(capsys, "import-sales", str(path), "--db", chain.hq.db_url)[0] == 0     # once
    chain.a.sync()
    assert chain.balance() == 200 + 1299 - 100
    # the rest of it, then a refund beyond what was paid: never more than was earned
    rest = sale("SA-3003", -119_900, refund_of="SA-3001", at="2026-11-20T17:50:00+08:00",
                lines=[{"sku": "IP16-128", "description": "iPhone 16 128 GB", "qty": -1, "amount_cents": -119_900}])
    beyond = {**rest, "receipt_id": "SA-3004", "total_cents": -5_000,
              "lines": [{"sku": "X", "description": "Goodwill", "qty": 1, "amount_cents": -5_000}]}
    results = hq_post(chain.hq, "/api/sales", json={"sales": [rest, beyond]}, headers=headers).json()["results"]
    assert [(r["status"], r["match"]) for r in results] == [("imported", "member"), ("imported", "member")]
    chain.a.sync()
    assert chain.balance() == 200
    stored = chain.sales()
    assert [stored[r]["points"] for r in ("SA-3001", "SA-3002", "SA-3003", "SA-3004")] == [1299, -100, -1199, 0]
    with chain.a.db.session() as s:
        refunds = {p.receipt_id: p for p in s.scalars(select(Purchase).where(Purchase.kind == "refund"))}
        assert {r: p.total_cents for r, p in refunds.items()} == {"SA-3002": -10_000, "SA-3003": -119_900,
                                                                  "SA-3004": -5_000}
        spend = s.scalar(select(func.sum(LoyaltyEntry.spend_cents)).where(LoyaltyEntry.account_id == chain.account))
        assert spend == 0                                  # the tier's spend is given back too
    with chain.hq.engine.connect() as c:
        assert c.scalar(select(hq_balance.c.points).where(hq_balance.c.account_id == chain.account)) == 200



def test_hq_writes_customer_data_only_and_only_where_a_store_can_pull_it(hq):
    from hq.common import BadRequest
    from hq.publish import Change, write_customer_data
    def head() -> int:
        with hq.engine.connect() as c:
            return sum(lane_heads(c).values())
    before = head()
    with pytest.raises(BadRequest):                        # reference data is publish()'s
        write_customer_data(hq.engine, [Change("service_type", str(uuid.uuid4()), {})])
    orphan = str(uuid.uuid4())                              # an entry of an account HQ does not hold
    with pytest.raises(BadRequest):
        write_customer_data(hq.engine, [Change("loyalty_entry", orphan, {
            "id": orphan, "account_id": str(uuid.uuid4()), "kind": "earn", "points": 5, "reason": "",
            "ref_type": None, "ref_id": None, "spend_cents": 0, "store_id": None, "staff_id": None,
            "at": NOW.isoformat(), "expires_at": None})])
    assert head() == before


# --- review fixes: clashing ids, split receipts, points the ledger holds, erasure -----------------

def test_a_receipt_id_used_for_another_sale_is_a_conflict_and_a_till_never_waits_for_scores(chain, tmp_path,
                                                                                            capsys):
    headers, web = till(chain), till(chain, "web-shop", store=None)
    assert hq_post(chain.hq, "/api/sales", json=sale("SA-7001", 1000), headers=headers).json()["results"][0][
        "status"] == "imported"
    before = chain.snapshot()
    clash = {"receipt_id": "SA-7001", "status": "conflict", "match": None,
             "reason": "receipt_id: already used for another sale"}
    # another total, another store (the web shop numbering its receipts as SA's till does), and
    # two different sales under one new id in one request
    answers = [hq_post(chain.hq, "/api/sales", json=body, headers=key).json()["results"] for body, key in (
        (sale("SA-7001", 2000), headers), (sale("SA-7001", 1000, store="SB"), web))]
    assert answers == [[clash], [clash]]
    assert chain.snapshot() == before                      # nothing changed
    answer = hq_post(chain.hq, "/api/sales", headers=headers, json={"sales": [
        sale("SA-7009", 500), sale("SA-7009", 700), sale("SA-7009", 500)]}).json()["results"]
    assert answer == [{"receipt_id": "SA-7009", "status": "imported", "match": "none"},
                      {**clash, "receipt_id": "SA-7009"},
                      {"receipt_id": "SA-7009", "status": "duplicate", "match": "none"}]
    assert chain.sales()["SA-7001"]["total_cents"] == 1000 and chain.sales()["SA-7009"]["total_cents"] == 500
    # the till's request stored the sales and answered: no chain-wide recompute inside it
    with chain.hq.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(hq_customer_score)) == 0
        assert c.scalar(select(func.count()).select_from(hq_crm_state)) == 0

    # in a file: the clash is a bad row, as are the rows of a receipt that come apart
    at = "2026-11-20T09:15:00+00:00"
    path = write_csv(tmp_path / "sales.csv", [
        f"SA-7001,SA,{at},CNY,5000,,,,,A-1,Thing,1,5000",                  # line 2: HQ holds another SA-7001
        f"SA-7002,SA,{at},CNY,3000,,,,,A-1,Thing,1,1000",                  # line 3
        f"SA-7003,SA,{at},CNY,2500,,,,,B-1,Other,1,2500",                  # line 4
        f"SA-7002,SA,{at},CNY,3000,,,,,A-2,Thing two,1,2000",              # line 5: SA-7002 again, apart
        f"SA-7009,SA,{at},CNY,500,,,,,IP16-128,iPhone 16 128 GB,1,500",    # line 6: the same sale: a duplicate
    ])
    expected = ["line 2: receipt_id: already used for another sale",
                "line 3: receipt_id: rows of one receipt must come together",
                "line 5: receipt_id: rows of one receipt must come together"]
    for dry in (True, False):
        code, out = run_cli(capsys, "import-sales", str(path), *(["--dry-run"] if dry else []),
                            "--db", chain.hq.db_url)
        assert code == 1
        assert out.splitlines()[0].endswith("5 lines, 4 receipts: imported 1 (matched 0, unmatched 1, ambiguous 0), "
                                            "duplicates 1, bad rows 3")
        assert out.splitlines()[1:] == expected
    assert set(chain.sales()) == {"SA-7001", "SA-7003", "SA-7009"}
    assert chain.sales()["SA-7001"]["total_cents"] == 1000


def test_a_refund_takes_back_what_the_ledger_holds_for_a_purchase_earned_at_the_counter(chain):
    headers = till(chain)
    bought = sale("SA-4001", 129_900, phone=WANG_PHONE)
    assert hq_post(chain.hq, "/api/sales", json=bought, headers=headers).json()["results"][0]["match"] == "phone"
    chain.a.sync()                                         # Wang is no member yet: HQ earned nothing
    with chain.a.db.session(write=True) as s:
        terms = loyalty.current_rules(s, chain.a.admin).terms_version
        account = loyalty.enroll(s, chain.a.admin, chain.wang, terms_version=terms, programme=True, now=NOW).id
        welcome = loyalty.balance(s, chain.a.admin, account)
        loyalty.earn(s, chain.a.admin, account, ref_type="purchase", ref_id=purchase_id("SA-4001"), now=NOW)
        assert loyalty.balance(s, chain.a.admin, account) == welcome + 1299      # joined at the till, earned by hand
    chain.a.sync()
    assert chain.sales()["SA-4001"]["points"] == 0

    refund = sale("SA-4002", -129_900, refund_of="SA-4001", at="2026-11-20T18:30:00+08:00",
                  lines=[{"sku": "IP16-128", "description": "iPhone 16 128 GB", "qty": -1, "amount_cents": -129_900}])
    assert hq_post(chain.hq, "/api/sales", json=refund, headers=headers).json()["results"] == [
        {"receipt_id": "SA-4002", "status": "imported", "match": "phone"}]
    chain.a.sync()
    with chain.a.db.session() as s:
        assert loyalty.balance(s, chain.a.admin, account) == welcome
    assert chain.sales()["SA-4002"]["points"] == -1299
    with chain.hq.engine.connect() as c:
        assert c.scalar(select(hq_balance.c.points).where(hq_balance.c.account_id == account)) == welcome


ZHOU_PHONE, ZHOU_EMAIL = "13500135000", "zhou.min@example.com"


def test_an_erasure_makes_hq_forget_the_keys_of_the_persons_sales_and_every_stores_outcomes(chain, tmp_path, capsys):
    with chain.a.db.session(write=True) as s:              # not at HQ yet: sales with her keys stay unmatched
        zhou = customers.create_customer(s, chain.a.admin, given_name="Min", family_name="Zhou", phone=ZHOU_PHONE,
                                         email=ZHOU_EMAIL).id
        privacy.set_consent(s, chain.a.admin, zhou, "hq_transfer", True)
    headers = till(chain)
    results = hq_post(chain.hq, "/api/sales", headers=headers, json={"sales": [
        sale("SA-6001", 100, phone=ZHOU_PHONE), sale("SA-6002", 200, email=ZHOU_EMAIL.upper()),
        sale("SA-6003", 300, phone=NOBODY_PHONE), sale("SA-6005", 500, phone=SHARED_PHONE),
        sale("SA-6007", 700, email="nobody@example.com")]}).json()["results"]
    assert [r["match"] for r in results] == ["none", "none", "none", "ambiguous", "none"]
    chain.a.sync()
    assert hq_post(chain.hq, "/api/sales", json=sale("SA-6004", 400, phone=ZHOU_PHONE),
                   headers=headers).json()["results"][0]["match"] == "phone"
    # store SB serves her too, and dismisses a suggestion made to her
    assert sync_client.fetch_customer(chain.b.db, chain.b.admin, phone="+86" + ZHOU_PHONE) == [zhou]
    with chain.b.db.session(write=True) as s:
        actions.record_outcome(s, chain.b.admin, zhou, "battery_service", "device:1", "dismissed", now=NOW)
    chain.b.sync()
    assert len(outcomes(chain.hq, deleted=False)) == 1

    with chain.a.db.session(write=True) as s:
        privacy.erase_customer(s, chain.a.admin, zhou)
        privacy.erase_customer(s, chain.a.admin, chain.twins[0])
    assert chain.a.sync().rejected == 0
    keys = {r: (s["phone"], s["email"], s["member_no"]) for r, s in chain.sales().items()}
    assert keys == {"SA-6001": (None, None, None), "SA-6002": (None, None, None), "SA-6004": (None, None, None),
                    "SA-6003": ("+86" + NOBODY_PHONE, None, None), "SA-6005": (None, None, None),
                    "SA-6007": (None, "nobody@example.com", None)}
    assert outcomes(chain.hq, deleted=False) == [] and len(outcomes(chain.hq, deleted=True)) == 1
    report = chain.b.sync()
    assert report.rejected == 0
    with chain.b.db.session() as s:
        assert s.scalar(select(func.count()).select_from(ActionOutcome)) == 0

    # a refund of her purchase is stored, and is nobody's: no points, no purchase, no key kept
    refund = sale("SA-6006", -400, refund_of="SA-6004", phone=ZHOU_PHONE,
                  lines=[{"sku": "IP16-128", "description": "iPhone 16 128 GB", "qty": -1, "amount_cents": -400}])
    assert hq_post(chain.hq, "/api/sales", json=refund, headers=headers).json()["results"] == [
        {"receipt_id": "SA-6006", "status": "imported", "match": "none"}]
    stored = chain.sales()["SA-6006"]
    assert (stored["customer_id"], stored["phone"], stored["points"]) == (None, None, 0)
    with chain.hq.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(hq_row).where(
            hq_row.c.entity == "purchase", hq_row.c.entity_id == str(purchase_id("SA-6006")))) == 0

    # the other unmatched keys go 90 days after their import (run daily: --forget-older-than 90)
    with chain.hq.engine.connect().execution_options(hq_write=True) as c, c.begin():
        for receipt, days in (("SA-6003", 91), ("SA-6007", 89)):
            c.execute(update(hq_sale).where(hq_sale.c.receipt_id == receipt).values(
                imported_at=NOW - timedelta(days=days)))
    code, out = run_cli(capsys, "unmatched-sales", "--forget-older-than", "90", "--db", chain.hq.db_url)
    assert code == 0 and "Forgot the keys of 1 unmatched sales imported over 90 days ago." in out
    assert "email n•••@e•••" in out and "nobody" not in out
    keys = {r: (s["phone"], s["email"]) for r, s in chain.sales().items() if s["phone"] or s["email"]}
    assert keys == {"SA-6007": (None, "nobody@example.com")}


def outcomes(hq, *, deleted: bool) -> list[dict]:
    with hq.engine.connect() as c:
        return [dict(r) for r in c.execute(select(hq_row.c.entity_id, hq_row.c.data).where(
            hq_row.c.entity == "action_outcome", hq_row.c.deleted.is_(deleted))).mappings()]
