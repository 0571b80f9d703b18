"""lookup indexes that answer without reading rows they do not return (issue 25)

- ``ix_search_phone_tail`` holds the whole number beside its last four digits: a lookup by
  more digits (``LIKE '%<digits>'``) is decided in the index, so only the customers it
  returns are read, not the hundred or so of a million who share the last four digits.
  The same number of indexes on ``customer`` as before (sync writes each of them).
- ``ix_search_loyalty`` on ``loyalty_account (customer_id, tier, member_number)`` (``ix_search_``:
  made here by hand like the others, so the models do not declare it, core.migrations.env_filter):
  the result line's tier and member number come from the index, not from the account's row.

Revision ID: 0019
Revises: 0018
"""
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_search_phone_tail")
    op.execute("CREATE INDEX ix_search_phone_tail ON customer (substr(phone_e164, -4), phone_e164)")
    op.execute("CREATE INDEX ix_search_loyalty ON loyalty_account (customer_id, tier, member_number)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_search_loyalty")
    op.execute("DROP INDEX IF EXISTS ix_search_phone_tail")
    op.execute("CREATE INDEX ix_search_phone_tail ON customer (substr(phone_e164, -4))")
