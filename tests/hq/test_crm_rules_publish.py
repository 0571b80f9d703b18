"""The next best action rules as data from HQ (issue 23): ``orchard-hq crm rules`` shows what
the stores follow (the defaults until HQ publishes), ``orchard-hq crm publish-rules FILE.json``
publishes a checked rule set as reference data, and a store's suggestions follow it after its
next sync; publishing again updates the same rows and turns off the codes left out. On a real
HQ over PostgreSQL and a real encrypted store."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from core import clock, customers
from core.crm import actions
from core.models import Device, NextActionRule
from hq import cli
from hq.crm.cli import RulesError, parse_rules, rule_id
from hq.models import hq_row

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    with clock.pinned(NOW):
        code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def write(path, rules) -> str:
    path.write_text(json.dumps(rules), encoding="utf-8")
    return str(path)


def test_rules_hq_publishes_are_what_the_counter_suggests_after_a_sync(hq, make_store, tmp_path, capsys):
    store = make_store("SA", hq)
    today = NOW.date()
    with store.db.session(write=True) as s:
        cid = customers.create_customer(s, store.admin, given_name="Na", family_name="Li", phone="13800138000").id
        s.add(Device(customer_id=cid, kind="phone", model="iPhone 13", purchase_date=today - timedelta(days=400),
                     warranty_end=today + timedelta(days=10)))
    store.sync()

    def suggested() -> dict[str, int]:
        with store.db.session() as s:
            return {x.code: x.priority for x in actions.suggestions(s, store.admin, cid, now=NOW, lang="en")}

    assert suggested() == {"warranty_ending": 20}          # the defaults: a battery after 730 days
    code, out = run_cli(capsys, "crm", "rules", "--db", hq.db_url)
    assert code == 0 and out.startswith("defaults (no rules published")
    assert "battery_service" in out and '"min_age_days": 730' in out

    path = write(tmp_path / "rules.json", [
        {"code": "battery_service", "priority": 5, "params": {"min_age_days": 365}},
        {"code": "warranty_ending"},
        {"code": "tradein_upgrade", "active": True, "marketing": True, "channel": "sms",
         "params": {"min_age_days": 200}}])
    code, out = run_cli(capsys, "crm", "publish-rules", path, "--db", hq.db_url)
    assert code == 0, out
    assert out.startswith("Published 3 rules.")
    store.sync()
    assert suggested() == {"battery_service": 5, "warranty_ending": 20}
    with store.db.session() as s:
        rows = {r.code: r for r in s.scalars(select(NextActionRule))}
    assert {c: r.id for c, r in rows.items()} == {c: rule_id(c) for c in ("battery_service", "warranty_ending",
                                                                           "tradein_upgrade")}
    assert (rows["tradein_upgrade"].params, rows["tradein_upgrade"].marketing) == (
        {"min_age_days": 200, "channel": "sms"}, True)

    # again, with the battery later and the warranty left out: the same rows, the warranty off
    path = write(tmp_path / "rules.json", [
        {"code": "battery_service", "priority": 5, "params": {"min_age_days": 1000}},
        {"code": "tradein_upgrade", "channel": "sms", "params": {"min_age_days": 200}}])
    code, out = run_cli(capsys, "crm", "publish-rules", path, "--db", hq.db_url)
    assert code == 0 and out.startswith("Published 2 rules; turned off 1 left out of the file.")
    store.sync()
    assert suggested() == {}
    with store.db.session() as s:
        rows = {r.code: r for r in s.scalars(select(NextActionRule))}
    assert (len(rows), rows["warranty_ending"].active, rows["battery_service"].params) == (
        3, False, {"min_age_days": 1000})
    code, out = run_cli(capsys, "crm", "rules", "--db", hq.db_url)
    lines = out.splitlines()
    assert lines[0] == "published:"
    assert lines[1].split()[:4] == ["battery_service", "on", "5", "service"]
    assert any(line.split()[:2] == ["warranty_ending", "off"] for line in lines)


@pytest.mark.parametrize(("rules", "problem"), [
    ({"code": "battery_service"}, "the file must hold a JSON list of at least one rule"),
    ([], "the file must hold a JSON list of at least one rule"),
    ([{"code": "free_coffee"}], "rule 1: code: is not a known suggestion"),
    ([{"code": "accessory"}, {"code": "accessory"}], "rule 2: code: is listed twice"),
    ([{"code": "accessory", "marketing": False}], "rule 1: marketing: a promotional suggestion must stay marketing"),
    ([{"code": "battery_service", "params": {"min_age": 5}}], "rule 1: params.min_age: is not a setting of this rule"),
    ([{"code": "battery_service", "params": {"min_age_days": "730"}}], "rule 1: params.min_age_days: must be a whole"),
    ([{"code": "battery_service", "params": {"kinds": []}}], "rule 1: params.kinds: must be a list of 1 to 20"),
    ([{"code": "warranty_ending", "priority": True}], "rule 1: priority: must be a whole number"),
    ([{"code": "warranty_ending", "channel": "sms"}], "rule 1: channel: only a marketing rule has a channel"),
    ([{"code": "accessory", "channel": "fax"}], "rule 1: channel: must be sms, email"),
    ([{"code": "accessory", "params": {"channel": "fax"}}], "rule 1: channel: must be sms, email"),
    ([{"code": "accessory", "channel": "sms", "params": {"channel": "email"}}],
     "rule 1: channel: differs from params.channel"),
    ([{"code": "accessory", "colour": "red"}], "rule 1: colour: is not a field of a rule"),
])
def test_a_rules_file_is_checked_against_the_codes_and_the_defaults_shape(rules, problem):
    with pytest.raises(RulesError) as caught:
        parse_rules(rules)
    assert str(caught.value).startswith(problem)


def test_a_bad_rules_file_publishes_nothing(hq, tmp_path, capsys):
    path = write(tmp_path / "rules.json", [{"code": "battery_service"}, {"code": "warranty_ending", "active": "yes"}])
    code, out = run_cli(capsys, "crm", "publish-rules", path, "--db", hq.db_url)
    assert (code, out.strip()) == (2, "orchard-hq: rule 2: active: must be true or false")
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    assert run_cli(capsys, "crm", "publish-rules", str(tmp_path / "broken.json"), "--db", hq.db_url)[0] == 2
    with hq.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(hq_row).where(hq_row.c.entity == "next_action_rule")) == 0


def test_what_a_rule_leaves_out_is_the_defaults():
    (rule,) = parse_rules([{"code": "accessory"}])
    default = next(r for r in actions.DEFAULT_RULES if r.code == "accessory")
    assert rule == {"code": "accessory", "active": True, "priority": default.priority, "marketing": True,
                    "params": {}}
