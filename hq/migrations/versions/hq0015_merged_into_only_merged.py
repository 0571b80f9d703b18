"""The merged-into index holds only merged profiles (issue 25: push CPU per change).

``ix_hq_row_merged_into`` (migration hq0010, re-made by hq0014) had an entry for every
customer row, ``NULL`` for all but the few merged away, and every change to a customer row
(the bulk of a push: ``seq`` changes, so no update of hq_row is HOT) wrote one more index
entry. It is now partial on ``merged_into_id IS NOT NULL``: the queries that use it ask for
the profiles merged into given ones (``= value`` or ``IN (...)``, which imply NOT NULL, so
the planner still takes it: PostgreSQL and SQLite alike).

``ix_hq_row_consent``: the consent rows of given customers (hq.push_authority.Guard, every
batch, for every customer it touches) found without visiting each customer's other rows
(through ``ix_hq_row_customer`` every row about them was read to keep the consents): an
index on the consent rows alone, small, and written only when a consent changes.

Revision ID: hq0015
Revises: hq0014
Create Date: 2026-12-07
"""
from alembic import op

revision = 'hq0015'
down_revision = 'hq0014'
branch_labels = None
depends_on = None


def _field(dialect: str) -> str:
    return "(data ->> 'merged_into_id')" if dialect == "postgresql" else "json_extract(data, '$.merged_into_id')"


def upgrade() -> None:
    f = _field(op.get_bind().dialect.name)
    op.execute("DROP INDEX IF EXISTS ix_hq_row_merged_into")
    op.execute(f"CREATE INDEX ix_hq_row_merged_into ON hq_row ({f}) WHERE entity = 'customer' AND {f} IS NOT NULL")
    op.execute("CREATE INDEX ix_hq_row_consent ON hq_row (customer_id) WHERE entity = 'consent'")


def downgrade() -> None:
    f = _field(op.get_bind().dialect.name)
    op.execute("DROP INDEX IF EXISTS ix_hq_row_consent")
    op.execute("DROP INDEX IF EXISTS ix_hq_row_merged_into")
    op.execute(f"CREATE INDEX ix_hq_row_merged_into ON hq_row ({f}) WHERE entity = 'customer'")
