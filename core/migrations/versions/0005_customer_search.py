"""customer search indexes

Expression indexes that let every kind of lookup run as an index range scan on a
store with a million customers: name prefixes in both orders and scripts (Chinese
names of one or two characters included, which a trigram index cannot match),
pinyin and its initials, the last four digits of the phone, and email.
They live only in the store database (SQLite); HQ has its own schema.

Revision ID: 0005
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

import core.models.base

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_search_given_family": "lower(given_name || ' ' || family_name)",
    "ix_search_family_given": "lower(family_name || given_name)",
    "ix_search_family": "lower(family_name)",
    "ix_search_given": "lower(given_name)",
    "ix_search_pinyin": "replace(name_pinyin, ' ', '')",
    "ix_search_initials": "name_initials",
    "ix_search_phone_tail": "substr(phone_e164, -4)",
    "ix_search_email": "lower(email)",
}


VISIT_SOURCES = {
    # table: (time column, condition on NEW for the row to count as a visit)
    "repair_ticket": ("created_at", "1"),
    "purchase": ("at", "1"),
    "appointment": ("starts_at", "NEW.status IN ('checked_in', 'in_service', 'completed')"),
}


def upgrade() -> None:
    for name, expr in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON customer ({expr})")
    op.execute("CREATE INDEX ix_search_device_serial ON device (upper(serial))")
    # last visit, kept by triggers so the result list reads it from the customer row;
    # triggers also cover rows that arrive by sync or bulk seeding, not only the services
    op.add_column("customer", sa.Column("last_visit_at", core.models.base.UTCDateTime(), nullable=True))
    for table, (col, cond) in VISIT_SOURCES.items():
        for event in ("INSERT", f"UPDATE OF customer_id, {col}" + (", status" if table == "appointment" else "")):
            tag = "ins" if event == "INSERT" else "upd"
            op.execute(f"""
                CREATE TRIGGER trg_visit_{table}_{tag} AFTER {event} ON {table}
                WHEN NEW.customer_id IS NOT NULL AND {cond}
                BEGIN
                    UPDATE customer SET last_visit_at = NEW.{col}
                    WHERE id = NEW.customer_id AND (last_visit_at IS NULL OR last_visit_at < NEW.{col});
                END""")
    cond_appt = VISIT_SOURCES["appointment"][1].replace("NEW.", "x.")
    op.execute(f"""
        UPDATE customer SET last_visit_at = (
            SELECT max(v) FROM (
                SELECT max(x.created_at) AS v FROM repair_ticket x WHERE x.customer_id = customer.id
                UNION ALL SELECT max(x.at) FROM purchase x WHERE x.customer_id = customer.id
                UNION ALL SELECT max(x.starts_at) FROM appointment x
                          WHERE x.customer_id = customer.id AND {cond_appt}))""")


def downgrade() -> None:
    for table in VISIT_SOURCES:
        op.execute(f"DROP TRIGGER IF EXISTS trg_visit_{table}_ins")
        op.execute(f"DROP TRIGGER IF EXISTS trg_visit_{table}_upd")
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("last_visit_at")
    for name in [*INDEXES, "ix_search_device_serial"]:
        op.execute(f"DROP INDEX {name}")
