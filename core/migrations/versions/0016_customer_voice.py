"""the customer's voice (issue 21): survey channel and invitations, complaint clocks,
notes and care tasks; HQ's complaint rules, response scripts and care settings

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""
from typing import Any

from alembic import op
import sqlalchemy as sa
import core.models.base

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

_DT = core.models.base.UTCDateTime


def _stamps() -> list[sa.Column[Any]]:
    return [sa.Column('created_at', _DT(), nullable=False), sa.Column('updated_at', _DT(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        'survey_invitation',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('customer_id', sa.Uuid(), nullable=True),
        sa.Column('ticket_id', sa.Uuid(), nullable=True),
        sa.Column('appointment_id', sa.Uuid(), nullable=True),
        sa.Column('created_at', _DT(), nullable=False),
        sa.Column('expires_at', _DT(), nullable=False),
        sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_survey_invitation_store_id_store')),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'],
                                name=op.f('fk_survey_invitation_customer_id_customer')),
        sa.ForeignKeyConstraint(['ticket_id'], ['repair_ticket.id'],
                                name=op.f('fk_survey_invitation_ticket_id_repair_ticket')),
        sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'],
                                name=op.f('fk_survey_invitation_appointment_id_appointment')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitation')))
    op.create_index(op.f('ix_survey_invitation_customer_id'), 'survey_invitation', ['customer_id'])
    with op.batch_alter_table('survey') as b:
        b.add_column(sa.Column('channel', sa.String(12), nullable=False, server_default='display'))
        b.add_column(sa.Column('staff_id', sa.Uuid(), nullable=True))
        b.add_column(sa.Column('language', sa.String(10), nullable=True))
        b.add_column(sa.Column('invitation_id', sa.Uuid(), nullable=True))
        b.create_foreign_key(op.f('fk_survey_staff_id_staff'), 'staff', ['staff_id'], ['id'])
        b.create_foreign_key(op.f('fk_survey_invitation_id_survey_invitation'), 'survey_invitation',
                             ['invitation_id'], ['id'])
    with op.batch_alter_table('feedback') as b:
        b.add_column(sa.Column('severity', sa.String(10), nullable=False, server_default=''))
        b.add_column(sa.Column('channel', sa.String(12), nullable=False, server_default='counter'))
        for col, table in (('ticket_id', 'repair_ticket'), ('appointment_id', 'appointment'), ('survey_id', 'survey'),
                           ('opened_by_id', 'staff'), ('classified_by_id', 'staff'), ('resolved_by_id', 'staff')):
            b.add_column(sa.Column(col, sa.Uuid(), nullable=True))
            b.create_foreign_key(op.f(f'fk_feedback_{col}_{table}'), table, [col], ['id'])
        # a complaint recorded before this revision was opened when it was created
        b.add_column(sa.Column('opened_at', _DT(), nullable=True))
        b.add_column(sa.Column('classify_due_at', _DT(), nullable=True))
        b.add_column(sa.Column('classified_at', _DT(), nullable=True))
        b.add_column(sa.Column('resolved_at', _DT(), nullable=True))
        b.add_column(sa.Column('resolution', sa.Text(), nullable=False, server_default=''))
        b.add_column(sa.Column('escalation_pending', sa.Boolean(), nullable=False, server_default=sa.false()))
        b.add_column(sa.Column('escalation_ref', sa.Uuid(), nullable=True))
        b.add_column(sa.Column('escalated_at', _DT(), nullable=True))
        b.add_column(sa.Column('escalation_state', sa.String(16), nullable=False, server_default=''))
    op.execute("UPDATE feedback SET opened_at = created_at WHERE opened_at IS NULL")
    with op.batch_alter_table('feedback') as b:
        b.alter_column('opened_at', existing_type=_DT(), nullable=False)
    op.create_table(
        'feedback_note',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('feedback_id', sa.Uuid(), nullable=False),
        sa.Column('at', _DT(), nullable=False),
        sa.Column('author', sa.String(8), nullable=False),
        sa.Column('staff_id', sa.Uuid(), nullable=True),
        sa.Column('hq_role', sa.String(20), nullable=False),
        sa.Column('hq_note_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], name=op.f('fk_feedback_note_feedback_id_feedback')),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_feedback_note_staff_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_note')),
        sa.UniqueConstraint('feedback_id', 'hq_note_id', name=op.f('uq_feedback_note_feedback_id')))
    op.create_index(op.f('ix_feedback_note_feedback_id'), 'feedback_note', ['feedback_id'])
    op.create_table(
        'care_task',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('customer_id', sa.Uuid(), nullable=True),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('feedback_id', sa.Uuid(), nullable=True),
        sa.Column('survey_id', sa.Uuid(), nullable=True),
        sa.Column('due_at', _DT(), nullable=False),
        sa.Column('done_at', _DT(), nullable=True),
        sa.Column('done_by_id', sa.Uuid(), nullable=True),
        sa.Column('outcome', sa.String(16), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_care_task_store_id_store')),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_care_task_customer_id_customer')),
        sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], name=op.f('fk_care_task_feedback_id_feedback')),
        sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_care_task_survey_id_survey')),
        sa.ForeignKeyConstraint(['done_by_id'], ['staff.id'], name=op.f('fk_care_task_done_by_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_care_task')))
    op.create_index(op.f('ix_care_task_customer_id'), 'care_task', ['customer_id'])
    op.create_table(
        'complaint_rule',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('severity', sa.String(10), nullable=False),
        sa.Column('resolve_hours', sa.Integer(), nullable=False),
        sa.Column('business_hours', sa.Boolean(), nullable=False),
        sa.Column('escalate_at_once', sa.Boolean(), nullable=False),
        sa.Column('escalate_overdue_hours', sa.Integer(), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_rule')),
        sa.UniqueConstraint('severity', name=op.f('uq_complaint_rule_severity')))
    op.create_table(
        'response_script',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('category', sa.String(30), nullable=False),
        sa.Column('language', sa.String(10), nullable=False),
        sa.Column('acknowledge', sa.Text(), nullable=False),
        sa.Column('ask', sa.Text(), nullable=False),
        sa.Column('offer', sa.Text(), nullable=False),
        sa.Column('escalate', sa.Text(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_response_script')),
        sa.UniqueConstraint('category', 'language', name=op.f('uq_response_script_category')))
    op.create_table(
        'care_setting',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('key', sa.String(40), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_care_setting')),
        sa.UniqueConstraint('key', name=op.f('uq_care_setting_key')))


def downgrade() -> None:
    for table in ('care_setting', 'response_script', 'complaint_rule', 'care_task', 'feedback_note'):
        op.drop_table(table)
    with op.batch_alter_table('feedback') as b:
        for col in ('escalation_state', 'escalated_at', 'escalation_ref', 'escalation_pending', 'resolution',
                    'resolved_at', 'classified_at', 'classify_due_at', 'opened_at', 'resolved_by_id',
                    'classified_by_id', 'opened_by_id', 'survey_id', 'appointment_id', 'ticket_id', 'channel',
                    'severity'):
            b.drop_column(col)
    with op.batch_alter_table('survey') as b:
        for col in ('invitation_id', 'language', 'staff_id', 'channel'):
            b.drop_column(col)
    op.drop_table('survey_invitation')
