"""Find the profiles merged into a customer through an index: an erasure takes the person
(every profile the merges join, hq.push_merge ``_Batch._person``) and, under HQ's sequence
lock, asked for the customer rows whose ``merged_into_id`` names a profile by scanning every
customer row. A partial expression index on the merged row, written as hq0002's are.

Revision ID: hq0010
Revises: hq0009
Create Date: 2026-12-07
"""
from alembic import op

revision = 'hq0010'
down_revision = 'hq0009'
branch_labels = None
depends_on = None


def _index(dialect: str) -> str:
    if dialect == "postgresql":
        field = "(data ->> '{0}')"
    else:
        field = "json_extract(data, '$.{0}')"
    return (f"CREATE INDEX ix_hq_row_merged_into ON hq_row ({field.format('merged_into_id')}) "
            "WHERE entity = 'customer'")


def upgrade() -> None:
    op.execute(_index(op.get_bind().dialect.name))


def downgrade() -> None:
    op.execute("DROP INDEX ix_hq_row_merged_into")
