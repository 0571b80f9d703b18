"""Every connection of a store database keeps its decrypted pages inside one budget for the
whole process (issue 25): the pool's, the writer's and sync's bulk connections alike."""

from core import db as dbmod


def _pragmas(conn) -> tuple[int, int]:
    limit = conn.exec_driver_sql("PRAGMA soft_heap_limit").scalar()
    cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    return limit, cache


def test_every_kind_of_connection_shares_the_process_budget(db):
    budget = dbmod.CACHE_BUDGET_KIB * 1024
    with db.session() as s:
        assert _pragmas(s.connection()) == (budget, -dbmod.CACHE_KIB)
    with db.session(write=True) as s:
        assert _pragmas(s.connection()) == (budget, -dbmod.CACHE_KIB)
    with db.session(bulk=True) as s:
        assert _pragmas(s.connection()) == (budget, -dbmod.BULK_CACHE_KIB)


def test_one_connection_may_not_take_the_whole_budget_from_the_bulk_ones():
    assert dbmod.CACHE_KIB + dbmod.BULK_CACHE_KIB <= dbmod.CACHE_BUDGET_KIB <= 64 * 1024
