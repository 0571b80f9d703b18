"""Customer messages (issue 22, hq/messages/): what HQ sends for the stores and how it went,
the templates edited at HQ, and the signed links used once (quote approval, unsubscribe).

Revision ID: hq0012
Revises: hq0011
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = 'hq0012'
down_revision = 'hq0011'
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'hq_message',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('kind', sa.String(30), nullable=False),
        sa.Column('channel', sa.String(8), nullable=False),
        sa.Column('status', sa.String(12), nullable=False),
        sa.Column('reason', sa.String(40), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', _TS, nullable=True),
        sa.Column('created_at', _TS, nullable=False),
        sa.Column('sent_at', _TS, nullable=True),
        sa.Column('delivered_at', _TS, nullable=True),
        sa.Column('provider_ref', sa.String(100), nullable=True),
        sa.Column('subject', sa.Text(), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('reported_at', _TS, nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_message')),
    )
    op.create_index('ix_hq_message_status_next', 'hq_message', ['status', 'next_attempt_at'])
    op.create_index('ix_hq_message_provider_ref', 'hq_message', ['provider_ref'])
    op.create_table(
        'hq_message_template',
        sa.Column('kind', sa.String(30), nullable=False),
        sa.Column('language', sa.String(10), nullable=False),
        sa.Column('channel', sa.String(8), nullable=False),
        sa.Column('subject', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('updated_at', _TS, nullable=False),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('kind', 'language', 'channel', name=op.f('pk_hq_message_template')),
    )
    op.create_table(
        'hq_link_use',
        sa.Column('token_id', sa.Uuid(), nullable=False),
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('purpose', sa.String(12), nullable=False),
        sa.Column('used_at', _TS, nullable=False),
        sa.PrimaryKeyConstraint('token_id', name=op.f('pk_hq_link_use')),
    )


def downgrade() -> None:
    op.drop_table('hq_link_use')
    op.drop_table('hq_message_template')
    op.drop_index('ix_hq_message_provider_ref', 'hq_message')
    op.drop_index('ix_hq_message_status_next', 'hq_message')
    op.drop_table('hq_message')
