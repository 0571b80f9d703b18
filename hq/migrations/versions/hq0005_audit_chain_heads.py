"""Each store's audit-chain heads: per store and epoch, the head HQ acknowledged, the last
head the store reported, when the epoch began (and whether an admin declared it after an
earlier one), the acknowledgement before the last (a store that lost an answer proves that
one) and how often HQ re-sent its answer for it, and when the chain went backwards with
why (see hq.audit_heads). One row per store and epoch, not a history of every push.

Revision ID: hq0005
Revises: hq0004
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

revision = 'hq0005'
down_revision = 'hq0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hq_audit_head',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('epoch', sa.BigInteger(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('mac', sa.String(length=64), nullable=False),
    sa.Column('acked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('declared', sa.Boolean(), nullable=False),
    sa.Column('reported_seq', sa.BigInteger(), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('went_backwards_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('prev_seq', sa.BigInteger(), nullable=False),
    sa.Column('prev_mac', sa.String(length=64), nullable=False),
    sa.Column('resent', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('store_id', 'epoch', name=op.f('pk_hq_audit_head'))
    )


def downgrade() -> None:
    op.drop_table('hq_audit_head')
