"""trade-in acceptance: declarations and the payout voucher

The customer's declaration that the device is theirs and wiped, recorded with the
signature on acceptance, and the code issued when the payout is not credited to a
loyalty account.

Revision ID: 0008
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tradein_quote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declared_owner', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('declared_wiped', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('voucher_code', sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_tradein_quote_voucher_code'), ['voucher_code'])


def downgrade() -> None:
    with op.batch_alter_table('tradein_quote', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_tradein_quote_voucher_code'), type_='unique')
        batch_op.drop_column('voucher_code')
        batch_op.drop_column('declared_wiped')
        batch_op.drop_column('declared_owner')
