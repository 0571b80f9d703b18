"""appointments: week templates, the walk-in queue, service start times, no double booking

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-28 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import core.models.base


revision = '0006'
down_revision = '0001'
branch_labels = None
depends_on = None

# A live appointment (not cancelled, not a no-show) of a technician may not overlap
# another: checked by the database itself, whoever writes. Appointments are at most
# 12 hours long (core.appointments checks), so looking one day back bounds the scan
# to the (technician_id, starts_at) index.
_OVERLAP = """
    SELECT RAISE(ABORT, 'appointment overlaps another of the same technician')
    WHERE EXISTS (
        SELECT 1 FROM appointment AS a
        WHERE a.technician_id = NEW.technician_id
          AND a.id != NEW.id
          AND a.status NOT IN ('cancelled', 'no_show')
          AND a.starts_at < NEW.ends_at
          AND a.ends_at > NEW.starts_at
          AND a.starts_at >= datetime(NEW.starts_at, '-1 day'));
"""
_LIVE = "NEW.technician_id IS NOT NULL AND NEW.status NOT IN ('cancelled', 'no_show')"
TRIGGERS = {
    "appointment_no_overlap_insert":
        f"CREATE TRIGGER appointment_no_overlap_insert BEFORE INSERT ON appointment "
        f"WHEN {_LIVE} BEGIN {_OVERLAP} END",
    "appointment_no_overlap_update":
        f"CREATE TRIGGER appointment_no_overlap_update "
        f"BEFORE UPDATE OF starts_at, ends_at, technician_id, status ON appointment "
        f"WHEN {_LIVE} BEGIN {_OVERLAP} END",
}


def upgrade() -> None:
    op.create_table('shift_template',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('staff_id', sa.Uuid(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_shift_template_staff_id_staff')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_shift_template_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_template'))
    )
    with op.batch_alter_table('shift_template', schema=None) as batch_op:
        batch_op.create_index('ix_shift_template_staff', ['staff_id', 'weekday'], unique=False)

    op.create_table('walk_in',
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('service_type_id', sa.Uuid(), nullable=False),
    sa.Column('technician_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('arrived_at', core.models.base.UTCDateTime(), nullable=False),
    sa.Column('called_at', core.models.base.UTCDateTime(), nullable=True),
    sa.Column('appointment_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', core.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', core.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_walk_in_appointment_id_appointment')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_walk_in_customer_id_customer')),
    sa.ForeignKeyConstraint(['service_type_id'], ['service_type.id'], name=op.f('fk_walk_in_service_type_id_service_type')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_walk_in_store_id_store')),
    sa.ForeignKeyConstraint(['technician_id'], ['staff.id'], name=op.f('fk_walk_in_technician_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_walk_in'))
    )
    with op.batch_alter_table('walk_in', schema=None) as batch_op:
        batch_op.create_index('ix_walk_in_store_status', ['store_id', 'status', 'arrived_at'], unique=False)

    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_at', core.models.base.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_appointment_store_time', ['store_id', 'starts_at'], unique=False)

    # after any table copy above, which would drop triggers on the old table
    if op.get_bind().dialect.name == "sqlite":
        for sql in TRIGGERS.values():
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('ix_appointment_store_time')
        batch_op.drop_column('started_at')

    with op.batch_alter_table('walk_in', schema=None) as batch_op:
        batch_op.drop_index('ix_walk_in_store_status')

    op.drop_table('walk_in')
    with op.batch_alter_table('shift_template', schema=None) as batch_op:
        batch_op.drop_index('ix_shift_template_staff')

    op.drop_table('shift_template')
