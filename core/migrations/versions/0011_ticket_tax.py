"""ticket tax: the store's tax rule kept on each quoted ticket

A quote's total is what the customer approves; when the store later changes its tax rate,
tickets already quoted keep the rule they were quoted under. Tickets quoted before this
revision take the store's rule as it stands (the one they were printed with until now).

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('repair_ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_rate', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('tax_inclusive', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('tax_label', sa.String(length=40), nullable=True))
    op.execute("UPDATE repair_ticket SET tax_rate = (SELECT tax_rate FROM store WHERE store.id = repair_ticket.store_id),"
               " tax_inclusive = (SELECT tax_inclusive FROM store WHERE store.id = repair_ticket.store_id),"
               " tax_label = (SELECT tax_label FROM store WHERE store.id = repair_ticket.store_id)"
               " WHERE quote_cents IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('repair_ticket', schema=None) as batch_op:
        batch_op.drop_column('tax_label')
        batch_op.drop_column('tax_inclusive')
        batch_op.drop_column('tax_rate')
