"""customer search indexes

Expression indexes that let every kind of lookup run as an index range scan on a
store with a million customers: name prefixes in both orders and scripts (Chinese
names of one or two characters included, which a trigram index cannot match),
pinyin and its initials, the last four digits of the phone, and email.
They live only in the store database (SQLite); HQ has its own schema.

Revision ID: 0005
Revises: 0001
"""
from alembic import op

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


def upgrade() -> None:
    for name, expr in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON customer ({expr})")
    op.execute("CREATE INDEX ix_search_device_serial ON device (upper(serial))")


def downgrade() -> None:
    for name in [*INDEXES, "ix_search_device_serial"]:
        op.execute(f"DROP INDEX {name}")
