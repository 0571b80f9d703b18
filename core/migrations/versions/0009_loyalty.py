"""loyalty rules and ledger reference index

The programme rules HQ publishes (one row per version); an index on the ledger's
reference so "were points already earned for this ticket?" and "which expiry belongs
to this lot?" are index look-ups; and one on the enrolment time, the member list's order.

Revision ID: 0009
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import core.models.base


revision = "0009"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('loyalty_rules',
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('published_at', core.models.base.UTCDateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loyalty_rules')),
    sa.UniqueConstraint('version', name=op.f('uq_loyalty_rules_version'))
    )
    with op.batch_alter_table('loyalty_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loyalty_entry_ref_id'), ['ref_id'], unique=False)
    with op.batch_alter_table('loyalty_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loyalty_account_enrolled_at'), ['enrolled_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('loyalty_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loyalty_account_enrolled_at'))
    with op.batch_alter_table('loyalty_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loyalty_entry_ref_id'))
    op.drop_table('loyalty_rules')
