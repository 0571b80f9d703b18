"""Price books drafted, reviewed and published from the console, against a real HQ process on
PostgreSQL: draft -> submit -> (the drafter cannot publish) -> a second person publishes; a real
store pulls the book and values a trade-in with core.tradein exactly as the preview did; field
errors, CSRF and roles; and the main flow in Debian's chromium."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timezone

from selenium.webdriver.common.by import By
from sqlalchemy import select

from core import clock, demo, tradein
from core.models import PriceBook, TradeInModel
from hq import publish
from hq.console import pricebooks as pb
from hq.models import hq_console_audit, hq_reference_draft, hq_row
from tests.hq_console.conftest import region, user
from tests.hq_console.pages import press as _press, sign_in as _sign_in, wait_for as _wait

OLD_VERSION, NEW_VERSION = "2024.01", "2025.01"
ON = date(2026, 12, 10)                  # the preview's and the store's valuation date
MODELS = [("iPhone", "phone", "iPhone 15", "128 GB", "2023-09-22", 400000),
          ("Galaxy S", "phone", "Galaxy S23", "256 GB", "2023-02-17", 300000)]
GRADE_SHARE = {"like_new": 100, "good": 85, "fair": 65, "damaged": 35, "unusable": 5}
ANSWERS = {"powers_on": "yes", "activation_lock": "off", "liquid_damage": "no", "screen": "light_scratches",
           "housing": "flawless", "functions": "all_work", "battery_health": 87}


def seed_book(hq) -> str:
    """The version in force: published as HQ publishes (hq.publish), demo rules, two models."""
    book_id = str(uuid.uuid4())
    rules = demo.price_book_rules(date(2026, 12, 1))
    changes = []
    for family, kind, name, config, released, like_new in MODELS:
        mid = str(uuid.uuid4())
        changes.append(publish.Change("tradein_model", mid, {"id": mid, "family": family, "kind": kind, "name": name,
                                                              "configuration": config, "release_date": released}))
        for g, share in GRADE_SHARE.items():
            eid = str(uuid.uuid4())
            changes.append(publish.Change("price_book_entry", eid, {
                "id": eid, "price_book_id": book_id, "model_id": mid, "grade": g,
                "base_cents": like_new * share // 100}))
    changes.insert(0, publish.Change("price_book", book_id, {
        "id": book_id, "version": OLD_VERSION, "valid_from": "2024-01-01", "valid_to": None, "currency": "CNY",
        "rules": rules}))
    publish.publish(hq.engine, changes)
    return book_id


def _status(hq, draft_id: int) -> str:
    with hq.engine.connect() as conn:
        return conn.scalar(select(hq_reference_draft.c.status).where(hq_reference_draft.c.id == draft_id))


def _new_draft(c, version=NEW_VERSION, start="copy") -> int:
    r = c.post("/console/pricebooks", {"version": version, "title": "New year prices", "start": start})
    assert r.status_code == 303, r.text
    return int(r.headers["location"].split("/")[-1].split("?")[0])


def _models_form(book: pb.Book, changes: dict) -> dict[str, str]:
    """The models form as the page sends it, with ``changes`` (field -> value) applied."""
    form = {"mrows": str(len(book.models) + 1)}
    for i, m in enumerate(book.models):
        for f in ("family", "kind", "name", "configuration", "release_date"):
            form[f"m{i}_{f}"] = m[f]
        for g, cents in m["bases"].items():
            form[f"m{i}_{g}"] = pb.amount(cents)
    form.update(changes)
    return form


def _rules_form(rules: dict, changes: dict) -> dict[str, str]:
    form = {"arows": str(len(rules["age_adjustment"]["bands"])),
            "brows": str(len(rules["battery_adjustment"]["bands"])),
            "prows": str(len(rules["promotions"])), "unknown_pct": str(rules["battery_adjustment"]["unknown_pct"]),
            "rounding": pb.amount(rules["rounding_cents"]), "floor": pb.amount(rules["floor_cents"]),
            "quote_valid_days": str(rules["quote_valid_days"])}
    for i, b in enumerate(rules["age_adjustment"]["bands"]):
        form.update({f"a{i}_from_months": str(b["from_months"]), f"a{i}_pct": str(b["pct"])})
    for i, b in enumerate(rules["battery_adjustment"]["bands"]):
        form.update({f"b{i}_min_health": str(b["min_health"]), f"b{i}_pct": str(b["pct"])})
    for i, p in enumerate(rules["promotions"]):
        form.update({f"p{i}_code": p["code"], f"p{i}_label_en": p["label"]["en"], f"p{i}_label_zh": p["label"]["zh_CN"],
                     f"p{i}_bonus": pb.amount(p["bonus_cents"]), f"p{i}_families": ", ".join(p["families"]),
                     f"p{i}_min_grade": p["min_grade"], f"p{i}_valid_from": p["valid_from"],
                     f"p{i}_valid_to": p["valid_to"]})
        form.update({f"p{i}_kind_{k}": "1" for k in p["kinds"]})
        form.update({f"p{i}_payout_{o}": "1" for o in p["payouts"]})
    form.update(changes)
    return form


def _offer(html: str, which: str) -> int:
    found = re.search(rf'id="offer-{which}" data-cents="(\d+)"', html)
    assert found, f"no {which} offer on the page"
    return int(found.group(1))


def test_draft_review_by_a_second_person_publish_and_a_store_values_with_it(hq, console, make_store):
    old_id = seed_book(hq)
    user(hq, "paula", "pricing")
    user(hq, "quinn", "pricing")
    drafter, reviewer = console(), console()
    assert drafter.sign_in("paula").status_code == 303 and reviewer.sign_in("quinn").status_code == 303
    listing = drafter.get("/console/pricebooks")
    assert listing.status_code == 200 and f"version {OLD_VERSION}" in listing.text

    draft_id = _new_draft(drafter)
    page = f"/console/pricebooks/{draft_id}"
    d = pb.get_draft(hq.engine, draft_id)
    assert [m["name"] for m in d.book.models] == ["Galaxy S23", "iPhone 15"] and d.book.rules["grades"]
    r = drafter.post(page + "/book", {"version": NEW_VERSION, "title": "New year prices", "valid_from": "2025-01-01",
                                      "valid_to": "", "currency": "CNY"}, page=page)
    assert r.status_code == 303
    # iPhone good 3400 -> 3550; the Galaxy leaves; a Pixel arrives
    iphone = next(i for i, m in enumerate(d.book.models) if m["name"] == "iPhone 15")
    galaxy = 1 - iphone
    pixel = {f"m2_{k}": v for k, v in (("family", "Pixel"), ("kind", "phone"), ("name", "Pixel 9"),
                                       ("configuration", "128 GB"), ("release_date", "2024-08-22"))}
    pixel.update({f"m2_{g}": str(2500 * s // 100) for g, s in GRADE_SHARE.items()})
    r = drafter.post(page + "/models", _models_form(d.book, {f"m{iphone}_good": "3550", f"m{galaxy}_remove": "1",
                                                            **pixel}), page=page)
    assert r.status_code == 303, r.text
    # from 36 months: -12 % instead of -10 %; a promotion of CNY 400 for December 2026
    rules = d.book.rules
    band36 = next(i for i, b in enumerate(rules["age_adjustment"]["bands"]) if b["from_months"] == 36)
    r = drafter.post(page + "/rules", _rules_form(rules, {
        f"a{band36}_pct": "-12", "p0_code": "WINTER-2026", "p0_bonus": "400", "p0_valid_from": "2026-12-01",
        "p0_valid_to": "2026-12-31"}), page=page)
    assert r.status_code == 303, r.text

    assert drafter.post(page + "/submit", {}, page=page).status_code == 303
    assert _status(hq, draft_id) == "review"
    review = f"{page}/review"
    # the drafter may not publish it (the second person rule), even by posting the form
    own = drafter.get(review)
    assert "another person must review" in own.text and 'id="publish"' not in own.text
    refused = drafter.post(review.replace("/review", "/publish"), {}, page=review)
    assert refused.status_code == 403 and _status(hq, draft_id) == "review"

    preview = reviewer.get(review, params={"model": "iPhone 15 · 128 GB", "grade": "good", "health": "87",
                                           "on": ON.isoformat(), "payout": "purchase"})
    assert preview.status_code == 200 and 'id="publish"' in preview.text
    html = preview.text
    assert "Pixel 9" in html.split('id="models-added"')[1].split("</div>")[0]
    assert "Galaxy S23" in html.split('id="models-removed"')[1].split("</div>")[0]
    assert re.search(r"iPhone 15 · 128 GB</td><td>good</td><td class=\"num\">3,400.00</td><td class=\"num\">"
                     r"3,550.00</td>", html)
    assert "WINTER-2026" in html.split('id="diff-rules"')[1] and "36 mo: -12 %" in html
    draft_cents, current_cents = _offer(html, "draft"), _offer(html, "current")
    # 3550 - 12 % age - 5 % battery, rounded down to 10, + 400 (WINTER replaced UPGRADE) vs 3400 - 10 % - 5 % + 300
    assert (draft_cents, current_cents) == (294000 + 40000, 289000 + 30000)

    assert reviewer.post(review.replace("/review", "/publish"), {}, page=review).status_code == 303
    assert _status(hq, draft_id) == "published"
    with hq.engine.connect() as conn:
        actions = [a for a, in conn.execute(select(hq_console_audit.c.action).order_by(hq_console_audit.c.id))
                   if a.startswith("pricebook.")]
        models = {r.data["name"]: r.entity_id for r in conn.execute(
            select(hq_row).where(hq_row.c.entity == "tradein_model"))}
    assert actions == ["pricebook.draft", "pricebook.edit_book", "pricebook.edit_models", "pricebook.edit_rules",
                       "pricebook.submit", "pricebook.publish"]
    assert set(models) == {"iPhone 15", "Galaxy S23", "Pixel 9"}      # the iPhone kept its id (one row)
    assert "in force" in reviewer.get("/console/pricebooks").text and NEW_VERSION in pb.book_in_force(
        hq.engine).version

    # a real store pulls it and values the same trade-in with core.tradein: the preview's figure
    store = make_store("SH1", hq)
    assert store.sync().rejected == 0
    with clock.pinned(datetime(2026, 12, 10, 3, 0, tzinfo=timezone.utc)), store.db.session() as s:
        model_id = s.scalars(select(TradeInModel.id).where(TradeInModel.name == "iPhone 15")).one()
        assert str(model_id) == models["iPhone 15"]
        p = tradein.pricing(s, store.admin, model_id, on=ON)
        assert p.book.version == NEW_VERSION
        assert tradein.valuate(p.rules, p.facts, ANSWERS, on=ON, payout="purchase").value_cents == draft_cents
        old = tradein.pricing(s, store.admin, model_id, on=ON, price_book_id=uuid.UUID(old_id))
        assert tradein.valuate(old.rules, old.facts, ANSWERS, on=ON, payout="purchase").value_cents == current_cents
        assert s.scalars(select(PriceBook.version).order_by(PriceBook.valid_from)).all() == [OLD_VERSION,
                                                                                             NEW_VERSION]


def test_field_errors_say_which_field_and_why_and_a_returned_draft_keeps_the_note(hq, console):
    seed_book(hq)
    user(hq, "paula", "pricing")
    user(hq, "ada", "admin")
    c = console()
    c.sign_in("paula")
    taken = c.post("/console/pricebooks", {"version": OLD_VERSION, "title": "x", "start": "copy"},
                   page="/console/pricebooks")
    assert taken.status_code == 400 and f"Version {OLD_VERSION} is taken" in taken.text
    draft_id = _new_draft(c)
    page = f"/console/pricebooks/{draft_id}"
    d = pb.get_draft(hq.engine, draft_id)
    bad = c.post(page + "/models", _models_form(d.book, {"m0_release_date": "22/09/2023", "m1_fair": "-5",
                                                         "m1_kind": "toaster"}), page=page)
    assert bad.status_code == 400
    assert "Model row 1 · release date must be a date written YYYY-MM-DD." in bad.text
    assert "Model row 2 · fair must be an amount such as 1250 or 1250.50, not negative." in bad.text
    assert "Model row 2 · kind must be one of the listed kinds." in bad.text
    assert 'value="22/09/2023"' in bad.text                 # what was typed stays to be corrected
    bad = c.post(page + "/rules", _rules_form(d.book.rules, {"a1_pct": "-150", "quote_valid_days": "0",
                                                             "p0_valid_to": "2020-01-01"}), page=page)
    assert bad.status_code == 400
    assert "Age band 2 · percent must be a whole number from -100 to 100." in bad.text
    assert "A quote holds for (days) must be a whole number from 1 to 90." in bad.text
    assert "Promotion row 1 · valid to must not be before the first day it is valid." in bad.text
    assert pb.get_draft(hq.engine, draft_id).book.rules == d.book.rules          # nothing saved
    # in Chinese, the field names too
    c.http.cookies.set("hq_lang", "zh_CN")
    zh = c.post(page + "/models", _models_form(d.book, {"m0_release_date": "x"}), page=page)
    assert zh.status_code == 400 and "第 1 行型号 · 上市日期" in zh.text
    c.http.cookies.set("hq_lang", "en")

    assert c.post(page + "/submit", {}, page=page).status_code == 303
    admin = console()
    admin.sign_in("ada")
    review = page + "/review"
    assert admin.post(page + "/return", {"note": ""}, page=review).status_code == 400
    assert admin.post(page + "/return", {"note": "The Pixel is missing."}, page=review).status_code == 303
    assert _status(hq, draft_id) == "draft" and "The Pixel is missing." in c.get(page).text
    # back in review, the admin who returned it may still publish: returning is not editing
    assert c.post(page + "/submit", {}, page=page).status_code == 303
    assert admin.post(page + "/publish", {}, page=review).status_code == 303


def test_csrf_and_who_may_edit(hq, console):
    seed_book(hq)
    east = region(hq, "East")
    user(hq, "paula", "pricing")
    user(hq, "rita", "regional", region_id=east)
    user(hq, "audrey", "auditor")
    c = console()
    c.sign_in("paula")
    for token in (None, "", "x" * 43):
        r = c.post("/console/pricebooks", {"version": "9.9", "title": "t", "start": "empty"}, csrf=token)
        assert r.status_code == 403
    assert pb.drafts(hq.engine) == []
    draft_id = _new_draft(c)
    rita = console()
    rita.sign_in("rita")
    assert rita.get("/console/pricebooks").status_code == 403
    assert rita.get(f"/console/pricebooks/{draft_id}").status_code == 403
    audrey = console()
    audrey.sign_in("audrey")
    seen = audrey.get(f"/console/pricebooks/{draft_id}")
    assert seen.status_code == 200 and 'id="save-models"' not in seen.text     # read only
    token = re.search(r'name="csrf" value="([^"]+)"', seen.text).group(1)
    for who, signed in ((audrey, token), (rita, None)):
        for action in ("", "/book", "/models", "/rules", "/submit", "/publish", "/return"):
            path = "/console/pricebooks" + (f"/{draft_id}{action}" if action else "")
            r = who.post(path, {"version": "X1", "title": "t", "note": "n"},
                         **({"csrf": signed} if signed else {"page": "/console/"}))
            assert r.status_code == 403, (path, r.status_code)
    assert [d.status for d in pb.drafts(hq.engine)] == ["draft"]


def test_draft_and_publish_in_the_browser(hq, browser):
    seed_book(hq)
    user(hq, "paula", "pricing")
    user(hq, "quinn", "pricing")
    _sign_in(browser, hq, "paula")
    browser.get(hq.url + "/console/pricebooks")
    _wait(browser, "#new-version").send_keys(NEW_VERSION)
    browser.find_element(By.ID, "new-title").send_keys("New year prices")
    _press(browser, browser.find_element(By.ID, "create-draft"))
    assert _wait(browser, ".notice").text == "Draft created."
    good = browser.find_element(By.CSS_SELECTOR, "#model-table input[name$='_good'][value='3400.00']")
    good.clear()
    good.send_keys("3550")
    _press(browser, browser.find_element(By.ID, "save-models"))
    assert _wait(browser, ".notice").text == "Draft saved."
    _press(browser, browser.find_element(By.ID, "submit-review"))
    assert "another person must review" in _wait(browser, "#second-person").text
    assert browser.find_elements(By.ID, "publish") == []

    _sign_in(browser, hq, "quinn")
    browser.get(hq.url + "/console/pricebooks")
    _wait(browser, "#drafts")
    _press(browser, browser.find_element(By.LINK_TEXT, "New year prices"))
    _press(browser, _wait(browser, "#review-link"))
    assert "3,400.00" in _wait(browser, "#diff-values").text and "3,550.00" in browser.find_element(
        By.ID, "diff-values").text
    _press(browser, browser.find_element(By.ID, "preview-button"))
    assert _wait(browser, "#offer-draft").text.startswith("CNY ")
    _press(browser, browser.find_element(By.ID, "publish"))
    assert "Published" in _wait(browser, ".notice").text
    assert "in force" in browser.find_element(By.ID, "published").text
    assert pb.book_in_force(hq.engine).version == NEW_VERSION
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1280
