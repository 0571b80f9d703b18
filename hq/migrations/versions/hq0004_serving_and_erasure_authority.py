"""Who erased a customer: the store that pushed the erasure and its staff member.

HQ accepts an erasure only from a store that serves the customer, authored by a staff
member whose role may erase (hq.push_authority); ``hq_erased`` records both. Nullable:
erasures recorded before this revision do not know. Which stores serve which customers
is ``hq_served`` (hq0001) and needs no change.

Revision ID: hq0004
Revises: hq0003
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

revision = 'hq0004'
down_revision = 'hq0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hq_erased', schema=None) as batch_op:
        batch_op.add_column(sa.Column('store_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('staff_id', sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('hq_erased', schema=None) as batch_op:
        batch_op.drop_column('staff_id')
        batch_op.drop_column('store_id')
