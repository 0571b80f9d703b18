"""the initials index holds the result line too (issue 25: the initials look-up was the
slowest kind at a million customers)

``ix_search_initials`` was left narrow by 0021, so a look-up by initials ("zw") read a
customer row per result: up to 50 random pages of a million-row table, each decrypted
(p95 1.4-4.0 ms in bench/lookup.py, the worst kind in three of four runs). It now carries
what the other name indexes carry after their key (0021's line: given and family name, the
last visit newest first, phone, id, erased, merged), and customers with the same initials
list in that order, as namesakes do in every other scan, instead of the order they were
stored. Sync writes no more indexes than before, the same index wider; but a change of name,
phone or last visit (a ticket or check-in) now rewrites this entry too, as it does the other
name indexes' (an email or address change, the commonest edit a pull brings, still does not).

Revision ID: 0022
Revises: 0021
"""
from alembic import op

from core.db import release_memory

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_LINE = "given_name, family_name, last_visit_at DESC, phone_e164, id, erased, merged_into_id"


def _rebuild(columns: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_search_initials")
    op.execute(f"CREATE INDEX ix_search_initials ON customer ({columns})")
    release_memory(op.get_bind().connection.driver_connection)     # the build's sort (0021)


def upgrade() -> None:
    _rebuild(f"name_initials, {_LINE}")


def downgrade() -> None:
    _rebuild("name_initials")
