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
    with op.batch_alter_table('repair_ticket', schema=None) as batch_op:
        batch_op.drop_constraint('fk_repair_ticket_rework_of_id_repair_ticket', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_repair_ticket_rework_of_id'))
        batch_op.drop_column('rework_of_id')
        batch_op.drop_column('pickup_proof')
