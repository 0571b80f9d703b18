"""Knowing the customer (issue 23, hq/sales and hq/crm): till keys, sales and their lines,
every customer's scores for the chain, and the CRM state (quintile bounds, the lifetime value
model, the incremental cursor).

Revision ID: hq0013
Revises: hq0012
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = 'hq0013'
down_revision = 'hq0012'
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        'hq_till_key',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('name', sa.String(80), nullable=False),
        sa.Column('key_hash', sa.String(64), nullable=False),
        sa.Column('store_code', sa.String(8), nullable=True),
        sa.Column('created_at', _TS, nullable=False),
        sa.Column('revoked_at', _TS, nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_till_key')),
        sa.UniqueConstraint('name', name=op.f('uq_hq_till_key_name')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_hq_till_key_key_hash')))
    op.create_table(
        'hq_sale',
        sa.Column('receipt_id', sa.String(64), nullable=False),
        sa.Column('source', sa.String(8), nullable=False),
        sa.Column('store_code', sa.String(8), nullable=True),
        sa.Column('store_id', sa.Uuid(), nullable=True),
        sa.Column('at', _TS, nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('total_cents', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(8), nullable=False),
        sa.Column('refund_of', sa.String(64), nullable=True),
        sa.Column('member_no', sa.String(40), nullable=True),
        sa.Column('phone', sa.String(20), nullable=True),
        sa.Column('email', sa.String(254), nullable=True),
        sa.Column('customer_id', sa.Uuid(), nullable=True),
        sa.Column('match', sa.String(12), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('imported_at', _TS, nullable=False),
        sa.PrimaryKeyConstraint('receipt_id', name=op.f('pk_hq_sale')))
    op.create_index('ix_hq_sale_customer', 'hq_sale', ['customer_id'])
    op.create_index('ix_hq_sale_match', 'hq_sale', ['match'])
    for key in ('phone', 'email', 'member_no'):      # partial: the keys unmatched sales still hold
        op.create_index(f'ix_hq_sale_{key}', 'hq_sale', [key], postgresql_where=sa.text(f'{key} IS NOT NULL'),
                        sqlite_where=sa.text(f'{key} IS NOT NULL'))
    op.create_table(
        'hq_sale_line',
        sa.Column('receipt_id', sa.String(64), nullable=False),
        sa.Column('line_no', sa.Integer(), nullable=False),
        sa.Column('sku', sa.String(40), nullable=False),
        sa.Column('description', sa.String(200), nullable=False),
        sa.Column('qty', sa.Integer(), nullable=False),
        sa.Column('amount_cents', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['receipt_id'], ['hq_sale.receipt_id'], ondelete='CASCADE',
                                name=op.f('fk_hq_sale_line_receipt_id_hq_sale')),
        sa.PrimaryKeyConstraint('receipt_id', 'line_no', name=op.f('pk_hq_sale_line')))
    op.create_table(
        'hq_customer_score',
        sa.Column('customer_id', sa.Uuid(), nullable=False),
        sa.Column('recency', sa.Integer(), nullable=False),
        sa.Column('frequency', sa.Integer(), nullable=False),
        sa.Column('monetary', sa.Integer(), nullable=False),
        sa.Column('segment', sa.String(20), nullable=False),
        sa.Column('previous_segment', sa.String(20), nullable=False),
        sa.Column('segment_since', _TS, nullable=True),
        sa.Column('visits', sa.Integer(), nullable=False),
        sa.Column('first_visit_at', _TS, nullable=True),
        sa.Column('last_visit_at', _TS, nullable=True),
        sa.Column('historic_cents', sa.BigInteger(), nullable=False),
        sa.Column('predicted_cents', sa.BigInteger(), nullable=False),
        sa.Column('value_band', sa.String(8), nullable=False),
        sa.Column('churn_score', sa.Integer(), nullable=False),
        sa.Column('churn_reasons', _JSON, nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('computed_at', _TS, nullable=False),
        sa.Column('published', sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_hq_customer_score')))
    op.create_index('ix_hq_customer_score_segment', 'hq_customer_score', ['segment'])
    op.create_table(
        'hq_crm_state',
        sa.Column('key', sa.String(40), nullable=False),
        sa.Column('data', _JSON, nullable=False),
        sa.Column('updated_at', _TS, nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_hq_crm_state')))


def downgrade() -> None:
    op.drop_table('hq_crm_state')
    op.drop_index('ix_hq_customer_score_segment', table_name='hq_customer_score')
    op.drop_table('hq_customer_score')
    op.drop_table('hq_sale_line')
    for key in ('phone', 'email', 'member_no'):
        op.drop_index(f'ix_hq_sale_{key}', table_name='hq_sale')
    op.drop_index('ix_hq_sale_match', table_name='hq_sale')
    op.drop_index('ix_hq_sale_customer', table_name='hq_sale')
    op.drop_table('hq_sale')
    op.drop_table('hq_till_key')
