"""The escalations queue (hq.escalations): escalations a store raises (a major or overdue
complaint) and the notes that go both ways between the store and its region at HQ.

Revision ID: hq0009
Revises: hq0008
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = 'hq0009'
down_revision = 'hq0008'
branch_labels = None
depends_on = None

Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'hq_escalation',
        sa.Column('id', sa.Integer(), nullable=False, autoincrement=True),
        sa.Column('store_code', sa.String(length=8), nullable=False),
        sa.Column('ref', sa.Uuid(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('priority', sa.String(length=8), nullable=False),
        sa.Column('summary', sa.String(length=500), nullable=False),
        sa.Column('customer_id', sa.Uuid(), nullable=True),
        sa.Column('staff_id', sa.Uuid(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('created_at', Stamp, nullable=False),
        sa.Column('due_at', Stamp, nullable=False),
        sa.Column('updated_at', Stamp, nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_escalation')),
        sa.ForeignKeyConstraint(['store_code'], ['hq_store.code'], name=op.f('fk_hq_escalation_store_code_hq_store')),
    )
    op.create_index('ix_hq_escalation_store_ref', 'hq_escalation', ['store_code', 'ref'], unique=True)
    op.create_index('ix_hq_escalation_state_due', 'hq_escalation', ['state', 'due_at'])
    op.create_table(
        'hq_escalation_note',
        sa.Column('id', sa.Integer(), nullable=False, autoincrement=True),
        sa.Column('escalation_id', sa.Integer(), nullable=False),
        sa.Column('at', Stamp, nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('staff_id', sa.Uuid(), nullable=True),
        sa.Column('action', sa.String(length=16), nullable=True),
        sa.Column('text', sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_escalation_note')),
        sa.ForeignKeyConstraint(['escalation_id'], ['hq_escalation.id'],
                                name=op.f('fk_hq_escalation_note_escalation_id_hq_escalation')),
        sa.ForeignKeyConstraint(['user_id'], ['hq_user.id'], name=op.f('fk_hq_escalation_note_user_id_hq_user')),
    )
    op.create_index('ix_hq_escalation_note_escalation', 'hq_escalation_note', ['escalation_id'])


def downgrade() -> None:
    op.drop_index('ix_hq_escalation_note_escalation', table_name='hq_escalation_note')
    op.drop_table('hq_escalation_note')
    op.drop_index('ix_hq_escalation_state_due', table_name='hq_escalation')
    op.drop_index('ix_hq_escalation_store_ref', table_name='hq_escalation')
    op.drop_table('hq_escalation')
