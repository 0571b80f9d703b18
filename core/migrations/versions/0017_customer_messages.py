"""customer messages (issue 22): message requests with HQ's delivery status, answers given
on HQ's approval page, and the customer's contact preference

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa
import core.models.base

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_DT = core.models.base.UTCDateTime


def upgrade() -> None:
    # a plain ADD COLUMN: a batch copy of the customer table would lose its triggers (0005, 0014)
    op.execute("ALTER TABLE customer ADD COLUMN contact_preference VARCHAR(12) NOT NULL DEFAULT ''")
    op.create_table(
        'message_request',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('customer_id', sa.Uuid(), nullable=True),
        sa.Column('kind', sa.String(30), nullable=False),
        sa.Column('event_key', sa.String(120), nullable=False),
        sa.Column('ticket_id', sa.Uuid(), nullable=True),
        sa.Column('appointment_id', sa.Uuid(), nullable=True),
        sa.Column('tradein_quote_id', sa.Uuid(), nullable=True),
        sa.Column('channel', sa.String(8), nullable=False),
        sa.Column('language', sa.String(10), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('created_at', _DT(), nullable=False),
        sa.Column('send_after', _DT(), nullable=False),
        sa.Column('cancelled', sa.Boolean(), nullable=False),
        sa.Column('cancelled_at', _DT(), nullable=True),
        sa.Column('status', sa.String(12), nullable=False),
        sa.Column('status_reason', sa.String(40), nullable=False),
        sa.Column('status_at', _DT(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_message_request_store_id_store')),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_message_request_customer_id_customer')),
        sa.ForeignKeyConstraint(['ticket_id'], ['repair_ticket.id'],
                                name=op.f('fk_message_request_ticket_id_repair_ticket')),
        sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'],
                                name=op.f('fk_message_request_appointment_id_appointment')),
        sa.ForeignKeyConstraint(['tradein_quote_id'], ['tradein_quote.id'],
                                name=op.f('fk_message_request_tradein_quote_id_tradein_quote')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_request')),
        sa.UniqueConstraint('store_id', 'event_key', name=op.f('uq_message_request_store_id')))
    op.create_index(op.f('ix_message_request_customer_id'), 'message_request', ['customer_id'])
    op.create_index(op.f('ix_message_request_ticket_id'), 'message_request', ['ticket_id'])
    op.create_index(op.f('ix_message_request_appointment_id'), 'message_request', ['appointment_id'])
    op.create_table(
        'link_answer',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('store_id', sa.Uuid(), nullable=False),
        sa.Column('ticket_id', sa.Uuid(), nullable=False),
        sa.Column('request_id', sa.Uuid(), nullable=True),
        sa.Column('answer', sa.String(10), nullable=False),
        sa.Column('at', _DT(), nullable=False),
        sa.Column('applied_at', _DT(), nullable=True),
        sa.Column('outcome', sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_link_answer_store_id_store')),
        sa.ForeignKeyConstraint(['ticket_id'], ['repair_ticket.id'], name=op.f('fk_link_answer_ticket_id_repair_ticket')),
        sa.ForeignKeyConstraint(['request_id'], ['message_request.id'],
                                name=op.f('fk_link_answer_request_id_message_request')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_link_answer')))
    op.create_index(op.f('ix_link_answer_ticket_id'), 'link_answer', ['ticket_id'])


def downgrade() -> None:
    op.drop_table('link_answer')
    op.drop_table('message_request')
    op.execute("ALTER TABLE customer DROP COLUMN contact_preference")
