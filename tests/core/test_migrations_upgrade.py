"""A store database at the heads before issue 17 (0005, 0006, 0008, 0009, 0011) upgrades to
today's heads and back down past 0012 without losing the last-visit triggers 0005 keeps on
repair tickets (a table copy in 0012 used to drop them)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from core import db, folding

OLD_HEADS = ("0005", "0006", "0008", "0009", "0011")


def _engine(path):
    engine = sa.create_engine(f"sqlite:///{path}")
    sa.event.listen(engine, "connect", lambda conn, _record: folding.install(conn))
    return engine


def _triggers(engine) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'repair_ticket'")}


def test_an_old_store_upgrades_and_downgrades_keeping_the_repair_ticket_triggers(tmp_path):
    engine = _engine(tmp_path / "store.db")
    with engine.begin() as conn:
        for head in OLD_HEADS:
            command.upgrade(db._alembic_config(conn), head)
    before = _triggers(engine)
    assert before == {"trg_visit_repair_ticket_ins", "trg_visit_repair_ticket_upd"}
    with engine.begin() as conn:
        command.upgrade(db._alembic_config(conn), "heads")
    assert db.current_revisions(engine) == db.head_revisions()
    assert _triggers(engine) == before
    with engine.connect() as conn:
        cols = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(repair_ticket)")}
    assert {"pickup_proof", "rework_of_id"} <= cols
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0011")
    with engine.connect() as conn:
        cols = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(repair_ticket)")}
    assert "rework_of_id" not in cols and "pickup_proof" not in cols
    assert _triggers(engine) == before
