"""Survey answers (hq.survey): the invitations answered on HQ's survey page, so a receipt's
link answers once (the answer itself goes to the store as its survey row).

Revision ID: hq0011
Revises: hq0010
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

revision = 'hq0011'
down_revision = 'hq0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'hq_survey_answer',
        sa.Column('invitation_id', sa.Uuid(), nullable=False),
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('invitation_id', name=op.f('pk_hq_survey_answer')),
    )


def downgrade() -> None:
    op.drop_table('hq_survey_answer')
