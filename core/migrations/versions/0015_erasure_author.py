"""Who erased a customer: ``customer.erased_by_id``.

``privacy.erase_customer`` sets it to the staff member who erased; it syncs with the
erasure, and HQ accepts the erasure only when that staff member (its synced staff row)
belongs to the pushing store and has a role that may erase. A plain column (no foreign
key: the staff row may arrive after the customer row in a pull), nullable (customers
erased before this revision do not say).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_by_id', sa.Uuid(), nullable=True))


def downgrade() -> None:
    # SQLite drops the column in place (3.35+): a batch copy of the table would lose the
    # customer table's triggers (migrations 0005, 0014)
    op.execute("ALTER TABLE customer DROP COLUMN erased_by_id")
