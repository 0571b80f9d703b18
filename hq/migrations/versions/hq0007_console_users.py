"""The console (hq.console): regions, what HQ keeps about a store (region, time zone,
currency, address, opening hours), console users, their sessions, and the console's
audit log of changes.

Revision ID: hq0007
Revises: hq0006
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = 'hq0007'
down_revision = 'hq0006'
branch_labels = None
depends_on = None

Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'hq_region',
        sa.Column('id', sa.Integer(), nullable=False, autoincrement=True),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_region')),
        sa.UniqueConstraint('name', name=op.f('uq_hq_region_name')),
    )
    with op.batch_alter_table('hq_store', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('currency', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('opening_hours', sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(op.f('fk_hq_store_region_id_hq_region'), 'hq_region', ['region_id'], ['id'])
    op.create_table(
        'hq_user',
        sa.Column('id', sa.Integer(), nullable=False, autoincrement=True),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('display_name', sa.String(length=120), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=True),
        sa.Column('password_hash', sa.String(length=200), nullable=False),
        sa.Column('failed_count', sa.Integer(), nullable=False),
        sa.Column('locked_until', Stamp, nullable=True),
        sa.Column('totp_secret', sa.String(length=64), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', Stamp, nullable=False),
        sa.Column('password_changed_at', Stamp, nullable=False),
        sa.ForeignKeyConstraint(['region_id'], ['hq_region.id'], name=op.f('fk_hq_user_region_id_hq_region')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_user')),
        sa.UniqueConstraint('username', name=op.f('uq_hq_user_username')),
    )
    op.create_table(
        'hq_session',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('csrf_token', sa.String(length=64), nullable=False),
        sa.Column('pending_totp', sa.Boolean(), nullable=False),
        sa.Column('created_at', Stamp, nullable=False),
        sa.Column('last_seen_at', Stamp, nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['hq_user.id'], name=op.f('fk_hq_session_user_id_hq_user')),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_hq_session')),
    )
    with op.batch_alter_table('hq_session', schema=None) as batch_op:
        batch_op.create_index('ix_hq_session_user', ['user_id'], unique=False)
        batch_op.create_index('ix_hq_session_last_seen', ['last_seen_at'], unique=False)
    op.create_table(
        'hq_console_audit',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, autoincrement=True),
        sa.Column('at', Stamp, nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('target', sa.String(length=120), nullable=False),
        sa.Column('detail', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['hq_user.id'], name=op.f('fk_hq_console_audit_user_id_hq_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_console_audit')),
    )
    with op.batch_alter_table('hq_console_audit', schema=None) as batch_op:
        batch_op.create_index('ix_hq_console_audit_at', ['at'], unique=False)


def downgrade() -> None:
    op.drop_table('hq_console_audit')
    op.drop_table('hq_session')
    op.drop_table('hq_user')
    with op.batch_alter_table('hq_store', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_hq_store_region_id_hq_region'), type_='foreignkey')
        batch_op.drop_column('opening_hours')
        batch_op.drop_column('address')
        batch_op.drop_column('currency')
        batch_op.drop_column('timezone')
        batch_op.drop_column('region_id')
    op.drop_table('hq_region')
