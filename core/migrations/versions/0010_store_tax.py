"""store tax: rate, inclusive or exclusive, printed label

Each store says how tax applies to what it charges (core.money.TaxRule). Existing
stores keep what they printed before: prices as entered, tax included; a Chinese
store's prices include 13 % VAT; a US store adds sales tax once its manager sets a rate.

Revision ID: 0010
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('store', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_rate', sa.String(length=12), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('tax_inclusive', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('tax_label', sa.String(length=40), nullable=False, server_default=''))
    op.execute("UPDATE store SET tax_rate = '13', tax_label = '增值税/VAT' WHERE currency = 'CNY'")
    op.execute("UPDATE store SET tax_inclusive = false, tax_label = 'Sales tax' WHERE currency = 'USD'")


def downgrade() -> None:
    with op.batch_alter_table('store', schema=None) as batch_op:
        batch_op.drop_column('tax_label')
        batch_op.drop_column('tax_inclusive')
        batch_op.drop_column('tax_rate')
