"""Search folds accents, case, decomposed input and Chinese script, the index and the query
alike (issue 17); whatever is typed, the search box answers and never fails."""

import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core import customers, search
from core.folding import fold
from core.loyalty import members


@pytest.fixture
def shop(store_setup):
    db, _store_id, admin = store_setup
    with db.session(write=True) as s:
        jose = customers.create_customer(s, admin, given_name="José", family_name="Müller", phone="13800138000")
        zw = customers.create_customer(s, admin, given_name="伟", family_name="張", phone="13912345678")
        zws = customers.create_customer(s, admin, given_name="伟", family_name="张", phone="13912340000")
        bjork = customers.create_customer(s, admin, given_name="Bjørk", family_name="Guðmundsdóttir",
                                          phone="13600001111")
    return db, admin, {"jose": jose.id, "zw_trad": zw.id, "zw_simp": zws.id, "bjork": bjork.id}


def found(db, admin, query):
    with db.session() as s:
        return {r.id for r in search.lookup(s, admin, query)}


@pytest.mark.parametrize("query", [
    "jose muller", "JOSE MULLER", "José Müller", "Jose\u0301 Mu\u0308ller", "muller", "MÜLL", "jos",
    "ＪＯＳＥ",          # full-width letters, as some input methods type them
])
def test_accents_case_and_decomposed_input_find_jose_muller(shop, query):
    db, admin, people = shop
    assert people["jose"] in found(db, admin, query)


def test_letters_that_carry_their_accent_find_their_base_letter(shop):
    db, admin, people = shop
    assert people["bjork"] in found(db, admin, "bjork")
    assert people["bjork"] in found(db, admin, "gudmundsdottir")


@pytest.mark.parametrize("query", ["張偉", "张伟", "張", "张"])
def test_traditional_and_simplified_find_each_other(shop, query):
    db, admin, people = shop
    assert {people["zw_trad"], people["zw_simp"]} <= found(db, admin, query)


def test_the_older_search_lists_fold_too(shop):
    """The pickers of intake, trade-in and the queue (customers.search) and the loyalty
    member list fold as the lookup does."""
    db, admin, people = shop
    with db.session(write=True) as s:
        assert people["jose"] in {r.id for r in customers.search(s, admin, "jose muller")}
        assert {people["zw_trad"], people["zw_simp"]} <= {r.id for r in customers.search(s, admin, "張偉")}
        assert members.list_members(s, admin, text="\ud800") == []
        assert customers.search(s, admin, "a\x00b") == []


@pytest.mark.parametrize("query", ["\ud800", "jos\udfffe", "\x00", "Jos\x00e", "\udc80\udc80\udc80\udc80"])
def test_unencodable_input_finds_nothing_and_does_not_fail(shop, query):
    db, admin, _ = shop
    assert found(db, admin, query) == set()


def test_renaming_keeps_the_folded_key(shop):
    db, admin, people = shop
    with db.session(write=True) as s:
        customers.update_customer(s, admin, people["jose"], family_name="Ñúñez")
    assert people["jose"] in found(db, admin, "jose nunez")
    assert people["jose"] not in found(db, admin, "jose muller")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_any_text_is_answered_without_an_exception(shop, text):
    db, admin, _ = shop
    with db.session() as s:
        search.lookup(s, admin, text)
        customers.search(s, admin, text)


@given(st.text())
@example("薴")           # Traditional -> Simplified in two steps (薴 -> 苧 -> 苎): one fold goes all the way
def test_fold_never_raises_and_is_stable(text):
    key = fold(text)
    assert isinstance(key, str)
    assert fold(key) == key if "\x00" not in text else key == ""


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1))
def test_fold_of_a_prefix_starts_the_fold_of_the_whole(text):
    """The lookup is a prefix scan: what is typed so far must lead to the whole name."""
    text = unicodedata.normalize("NFC", text)
    cut = len(text) // 2
    head = text[:cut]
    # a cut inside a composed sequence (a Hangul syllable's jamo, a base and its mark) is
    # not what a person types; compare at characters that stand alone
    if unicodedata.normalize("NFC", head) != head or "\x00" in text:
        return
    assert fold(text).startswith(fold(head)) or not fold(head)


def uses_folded_index(db) -> bool:
    from sqlalchemy import text as sql
    expr = "orchard_fold(c.given_name || ' ' || c.family_name)"
    with db.session() as s:
        plan = " ".join(str(r) for r in s.execute(sql(
            f"EXPLAIN QUERY PLAN SELECT c.id FROM customer c WHERE {expr} >= 'j' AND {expr} < 'k'")))
    return "INDEX ix_search_given_family " in plan      # a COVERING INDEX since 0021


def test_a_store_upgraded_to_0014_finds_its_existing_customers_folded(shop):
    """Customers saved under 0005's lower() keys are found folded once 0014 has run."""
    import importlib

    from core.db import migrate
    db, admin, people = shop
    m0014 = importlib.import_module("core.migrations.versions.0014_search_folding")
    from alembic import command

    from core.db import _alembic_config
    with db.engine.begin() as conn:      # back to 0014 first: later revisions build on it
        command.downgrade(_alembic_config(conn), "0014")
    with db.engine.begin() as conn:      # the store as it was before 0014: 0005's lower() indexes
        for name, (plain, _) in m0014.NAME_INDEXES.items():
            conn.exec_driver_sql(f"DROP INDEX {name}")
            conn.exec_driver_sql(f"CREATE INDEX {name} ON customer ({plain})")
        conn.exec_driver_sql("DELETE FROM alembic_version WHERE version_num = '0014'")
        conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('0005'), ('0013')")
    assert not uses_folded_index(db)
    migrate(db.engine)
    assert uses_folded_index(db)
    assert people["jose"] in found(db, admin, "jose muller")
    assert {people["zw_trad"], people["zw_simp"]} <= found(db, admin, "张伟")
