"""report indexes: tickets by when they were opened and collected, events by status and time (issue 25)

The day and period reports count tickets opened, closed and collected in a span with one
GROUP BY each (core.report_data._aggregate); without these indexes each of those queries read
every ticket of the store's history (500,000 tickets: seconds per report).

Revision ID: 0020
Revises: 0019
"""
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_repair_ticket_store_created", "repair_ticket", ["store_id", "created_at"])
    op.create_index("ix_repair_ticket_store_collected", "repair_ticket", ["store_id", "collected_at", "created_at"])
    op.create_index("ix_repair_event_status_at", "repair_event", ["to_status", "at", "ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_repair_event_status_at", "repair_event")
    op.drop_index("ix_repair_ticket_store_collected", "repair_ticket")
    op.drop_index("ix_repair_ticket_store_created", "repair_ticket")
