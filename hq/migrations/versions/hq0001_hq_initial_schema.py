"""HQ initial schema: stores, merged rows with per-field stamps, served customers,
seen operations and batches, erasure tombstones, lookup keys, balances, flags, state.

Revision ID: hq0001
Revises: 
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = 'hq0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hq_balance',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('points', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_hq_balance'))
    )
    op.create_table('hq_batch',
    sa.Column('batch_id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ops', sa.Integer(), nullable=False),
    sa.Column('rejected', JSON, nullable=False),
    sa.PrimaryKeyConstraint('batch_id', name=op.f('pk_hq_batch'))
    )
    op.create_table('hq_erased',
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_hq_erased'))
    )
    op.create_table('hq_flag',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.String(length=80), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cleared', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'entity_id', name=op.f('pk_hq_flag'))
    )
    op.create_table('hq_lookup',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('value', sa.String(length=254), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('entity_id', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'value', 'customer_id', name=op.f('pk_hq_lookup'))
    )
    with op.batch_alter_table('hq_lookup', schema=None) as batch_op:
        batch_op.create_index('ix_hq_lookup_entity', ['entity_id'], unique=False)
        batch_op.create_index('ix_hq_lookup_customer', ['customer_id'], unique=False)

    op.create_table('hq_op',
    sa.Column('op_id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('batch_id', sa.Uuid(), nullable=False),
    sa.Column('rejected', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('op_id', name=op.f('pk_hq_op'))
    )
    op.create_table('hq_row',
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=80), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('bucket', sa.String(length=1), nullable=False),
    sa.Column('owner_store_id', sa.Uuid(), nullable=True),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('data', JSON, nullable=False),
    sa.Column('stamps', JSON, nullable=False),
    sa.PrimaryKeyConstraint('entity', 'entity_id', name=op.f('pk_hq_row'))
    )
    with op.batch_alter_table('hq_row', schema=None) as batch_op:
        batch_op.create_index('ix_hq_row_bucket_owner_seq', ['bucket', 'owner_store_id', 'seq'], unique=False)
        batch_op.create_index('ix_hq_row_customer', ['customer_id'], unique=False)
        batch_op.create_index('ix_hq_row_seq', ['seq'], unique=True)

    op.create_table('hq_served',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('store_id', 'customer_id', name=op.f('pk_hq_served'))
    )
    with op.batch_alter_table('hq_served', schema=None) as batch_op:
        batch_op.create_index('ix_hq_served_customer', ['customer_id'], unique=False)

    op.create_table('hq_state',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('num', sa.BigInteger(), nullable=False),
    sa.Column('text', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_hq_state'))
    )
    op.create_table('hq_store',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=True),
    sa.Column('publisher', sa.Boolean(), nullable=False),
    sa.Column('enrol_code_hash', sa.String(length=64), nullable=True),
    sa.Column('enrol_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('credential_hash', sa.String(length=64), nullable=True),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_contact_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_push_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_pull_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pull_cursor', sa.BigInteger(), nullable=False),
    sa.Column('pending_ops', sa.Integer(), nullable=False),
    sa.Column('parked_ops', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_hq_store')),
    sa.UniqueConstraint('store_id', name=op.f('uq_hq_store_store_id'))
    )


def downgrade() -> None:
    op.drop_table('hq_store')
    op.drop_table('hq_state')
    with op.batch_alter_table('hq_served', schema=None) as batch_op:
        batch_op.drop_index('ix_hq_served_customer')

    op.drop_table('hq_served')
    with op.batch_alter_table('hq_row', schema=None) as batch_op:
        batch_op.drop_index('ix_hq_row_seq')
        batch_op.drop_index('ix_hq_row_customer')
        batch_op.drop_index('ix_hq_row_bucket_owner_seq')

    op.drop_table('hq_row')
    op.drop_table('hq_op')
    with op.batch_alter_table('hq_lookup', schema=None) as batch_op:
        batch_op.drop_index('ix_hq_lookup_entity')
        batch_op.drop_index('ix_hq_lookup_customer')

    op.drop_table('hq_lookup')
    op.drop_table('hq_flag')
    op.drop_table('hq_erased')
    op.drop_table('hq_batch')
    op.drop_table('hq_balance')
