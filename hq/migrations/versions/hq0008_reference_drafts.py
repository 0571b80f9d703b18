"""Reference data drafted and published from the console (hq.console): a draft of a price
book, service types, parts or loyalty rules goes draft -> review -> published (or back to
draft); what is published becomes global rows (hq.publish) that stores pull.

Revision ID: hq0008
Revises: hq0007
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'hq0008'
down_revision = 'hq0007'
branch_labels = None
depends_on = None

Stamp = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        'hq_reference_draft',
        sa.Column('id', sa.Integer(), nullable=False, autoincrement=True),
        sa.Column('kind', sa.String(length=20), nullable=False),          # pricebook, services, parts, loyalty
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('version', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),        # draft, review, published, withdrawn
        sa.Column('data', Json, nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('created_at', Stamp, nullable=False),
        sa.Column('updated_at', Stamp, nullable=False),
        sa.Column('submitted_by', sa.Integer(), nullable=True),
        sa.Column('reviewed_by', sa.Integer(), nullable=True),
        sa.Column('published_at', Stamp, nullable=True),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_reference_draft')),
        sa.ForeignKeyConstraint(['created_by'], ['hq_user.id'], name=op.f('fk_hq_reference_draft_created_by_hq_user')),
        sa.ForeignKeyConstraint(['submitted_by'], ['hq_user.id'],
                                name=op.f('fk_hq_reference_draft_submitted_by_hq_user')),
        sa.ForeignKeyConstraint(['reviewed_by'], ['hq_user.id'], name=op.f('fk_hq_reference_draft_reviewed_by_hq_user')),
    )
    op.create_index(op.f('ix_hq_reference_draft_kind_status'), 'hq_reference_draft', ['kind', 'status'])


def downgrade() -> None:
    op.drop_index(op.f('ix_hq_reference_draft_kind_status'), table_name='hq_reference_draft')
    op.drop_table('hq_reference_draft')
