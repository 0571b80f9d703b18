"""Look customers up through expression indexes on hq_row instead of a table of keys
kept beside it, and log which store was shown which customer on demand.

The lookup table cost six index insertions per pushed customer (three indexes, phone
and email) and a third of a push batch's database time; partial expression indexes on
the merged row cost two and cannot drift from the row. hq_access records each on-demand
fetch: when, which store, by what kind of key (never the key itself), which customers.

Revision ID: hq0002
Revises: hq0001
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'hq0002'
down_revision = 'hq0001'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _indexes(dialect: str) -> list[str]:
    if dialect == "postgresql":
        field = "(data ->> '{0}')"
    else:
        field = "json_extract(data, '$.{0}')"
    return [
        f"CREATE INDEX ix_hq_row_phone ON hq_row ({field.format('phone_e164')}) WHERE entity = 'customer'",
        f"CREATE INDEX ix_hq_row_email ON hq_row (lower({field.format('email')})) WHERE entity = 'customer'",
        f"CREATE INDEX ix_hq_row_member ON hq_row ({field.format('member_number')}) "
        "WHERE entity = 'loyalty_account'",
    ]


def upgrade() -> None:
    for ddl in _indexes(op.get_bind().dialect.name):
        op.execute(ddl)
    with op.batch_alter_table('hq_lookup', schema=None) as batch_op:
        batch_op.drop_index('ix_hq_lookup_entity')
        batch_op.drop_index('ix_hq_lookup_customer')
    op.drop_table('hq_lookup')
    op.create_table('hq_access',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('key_kind', sa.String(length=20), nullable=False),
    sa.Column('customers', JSON, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_access'))
    )
    with op.batch_alter_table('hq_access', schema=None) as batch_op:
        batch_op.create_index('ix_hq_access_store_at', ['store_id', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('hq_access', schema=None) as batch_op:
        batch_op.drop_index('ix_hq_access_store_at')
    op.drop_table('hq_access')
    op.create_table('hq_lookup',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('value', sa.String(length=254), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('entity_id', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'value', 'customer_id', name=op.f('pk_hq_lookup'))
    )
    with op.batch_alter_table('hq_lookup', schema=None) as batch_op:
        batch_op.create_index('ix_hq_lookup_entity', ['entity_id'], unique=False)
        batch_op.create_index('ix_hq_lookup_customer', ['customer_id'], unique=False)
    for name in ("ix_hq_row_phone", "ix_hq_row_email", "ix_hq_row_member"):
        op.execute(f"DROP INDEX {name}")
