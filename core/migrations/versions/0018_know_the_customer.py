"""knowing the customer (issue 23): sales from the till on purchases, HQ's customer scores,
next-best-action rules and their outcomes, marketing list exports, segment snapshots

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa
import core.models.base

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

_DT = core.models.base.UTCDateTime


def upgrade() -> None:
    # plain ADD COLUMNs: a batch copy of the purchase table would lose its triggers (0005)
    op.execute("ALTER TABLE purchase ADD COLUMN receipt_id VARCHAR(64) NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE purchase ADD COLUMN currency VARCHAR(3) NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE purchase ADD COLUMN kind VARCHAR(8) NOT NULL DEFAULT 'sale'")
    op.execute("ALTER TABLE purchase ADD COLUMN lines JSON NOT NULL DEFAULT '[]'")
    op.create_table(
        'customer_score',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('customer_id', sa.Uuid(), nullable=False),
        sa.Column('recency', sa.SmallInteger(), nullable=False),
        sa.Column('frequency', sa.SmallInteger(), nullable=False),
        sa.Column('monetary', sa.SmallInteger(), nullable=False),
        sa.Column('segment', sa.String(20), nullable=False),
        sa.Column('previous_segment', sa.String(20), nullable=False),
        sa.Column('segment_since', _DT(), nullable=True),
        sa.Column('visits', sa.Integer(), nullable=False),
        sa.Column('last_visit_at', _DT(), nullable=True),
        sa.Column('historic_cents', sa.BigInteger(), nullable=False),
        sa.Column('predicted_cents', sa.BigInteger(), nullable=False),
        sa.Column('value_band', sa.String(8), nullable=False),
        sa.Column('churn_score', sa.SmallInteger(), nullable=False),
        sa.Column('churn_reasons', sa.JSON(), nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('computed_at', _DT(), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_score_customer_id_customer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_score')))
    op.create_index(op.f('ix_customer_score_customer_id'), 'customer_score', ['customer_id'])
    op.create_table(
        'next_action_rule',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('code', sa.String(30), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('priority', sa.Integer(), nullable=False),
        sa.Column('marketing', sa.Boolean(), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('updated_at', _DT(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_next_action_rule')),
        sa.UniqueConstraint('code', name=op.f('uq_next_action_rule_code')))
    op.create_table(
        'action_outcome',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('customer_id', sa.Uuid(), nullable=False),
        sa.Column('code', sa.String(30), nullable=False),
        sa.Column('subject', sa.String(80), nullable=False),
        sa.Column('outcome', sa.String(10), nullable=False),
        sa.Column('staff_id', sa.Uuid(), nullable=True),
        sa.Column('at', _DT(), nullable=False),
        sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_action_outcome_store_id_store')),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_action_outcome_customer_id_customer')),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_action_outcome_staff_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action_outcome')),
        sa.UniqueConstraint('store_id', 'customer_id', 'code', 'subject', name=op.f('uq_action_outcome_store_id')))
    op.create_index(op.f('ix_action_outcome_customer_id'), 'action_outcome', ['customer_id'])
    op.create_table(
        'list_export',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('staff_id', sa.Uuid(), nullable=True),
        sa.Column('at', _DT(), nullable=False),
        sa.Column('channel', sa.String(8), nullable=False),
        sa.Column('purpose', sa.String(200), nullable=False),
        sa.Column('filters', sa.JSON(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_list_export_store_id_store')),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_list_export_staff_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_list_export')))
    op.create_table(
        'segment_snapshot',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('segment', sa.String(20), nullable=False),
        sa.Column('customers', sa.Integer(), nullable=False),
        sa.Column('moved_in', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_segment_snapshot_store_id_store')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_segment_snapshot')),
        sa.UniqueConstraint('store_id', 'day', 'segment', name=op.f('uq_segment_snapshot_store_id')))


def downgrade() -> None:
    op.drop_table('segment_snapshot')
    op.drop_table('list_export')
    op.drop_table('action_outcome')
    op.drop_table('next_action_rule')
    op.drop_table('customer_score')
    for col in ('lines', 'kind', 'currency', 'receipt_id'):
        op.execute(f"ALTER TABLE purchase DROP COLUMN {col}")
