"""pickup corrections: identity check, voids and rework links

Each hand-over records how the person collecting proved who they are (``pickup_proof``:
receipt, phone or a manager's override); a device returned under the repair's warranty
opens a rework ticket that names the ticket it reworks (``rework_of_id``).

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE ... ADD COLUMN, not a batch copy: copying repair_ticket would drop the
    # last-visit triggers revision 0005 keeps on it
    op.add_column('repair_ticket', sa.Column('pickup_proof', sa.String(length=10), nullable=True))
    op.execute("ALTER TABLE repair_ticket ADD COLUMN rework_of_id CHAR(32) REFERENCES repair_ticket (id)")
    op.create_index(op.f('ix_repair_ticket_rework_of_id'), 'repair_ticket', ['rework_of_id'], unique=False)


def downgrade() -> None:
    # SQLite drops no column a REFERENCES names: the table is copied without the two columns,
    # and the copy loses 0005's last-visit triggers, written again here as 0005 wrote them
    op.drop_index(op.f('ix_repair_ticket_rework_of_id'), table_name='repair_ticket')
    with op.batch_alter_table('repair_ticket', recreate='always') as batch_op:
        batch_op.drop_column('rework_of_id')
        batch_op.drop_column('pickup_proof')
    for tag, event in (("ins", "INSERT"), ("upd", "UPDATE OF customer_id, created_at")):
        op.execute(f"DROP TRIGGER IF EXISTS trg_visit_repair_ticket_{tag}")
        op.execute(f"""
            CREATE TRIGGER trg_visit_repair_ticket_{tag} AFTER {event} ON repair_ticket
            WHEN NEW.customer_id IS NOT NULL AND 1
            BEGIN
                UPDATE customer SET last_visit_at = NEW.created_at
                WHERE id = NEW.customer_id AND (last_visit_at IS NULL OR last_visit_at < NEW.created_at);
            END""")
