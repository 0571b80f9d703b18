"""On-demand fetch log: which staff member asked.

HQ authenticates stores, so a store is the unit a fetch is allowed or refused to; the
staff member who searched is recorded beside it (nullable: fetches logged before this
revision do not know). Refused fetches (over the hourly allowance) are logged in the
same table with action ``fetch_refused``; no new column is needed for them.

Revision ID: hq0003
Revises: hq0002
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

revision = 'hq0003'
down_revision = 'hq0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hq_access', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_id', sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('hq_access', schema=None) as batch_op:
        batch_op.drop_column('staff_id')
