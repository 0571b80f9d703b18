"""Lanes instead of one sequence row; the per-store tables partitioned by lane (issue 25).

Every ``hq_row`` gets its lane (hq.lanes: a stable hash of the store the row belongs to,
0 for HQ's global rows) and keeps its sequence number, now counted in its lane; every lane
starts above the old global head, so a cursor from before (one number) still covers what it
covered, read as that number in every lane. ``hq_served``, ``hq_op`` and ``hq_batch`` carry
the lane of their store. ``hq_lane`` holds each lane's head and HQ's clock (the ``seq`` and
``hlc`` rows of ``hq_state`` are left as they were, unused). ``hq_store.pull_lanes`` keeps a
store's cursor for the status table.

On PostgreSQL the four tables become declarative partitions by HASH(lane), 8 each (every
unique key carries the lane); reference data stays in plain tables. SQLite (the demo) keeps
plain tables with the same columns and keys.

Revision ID: hq0014
Revises: hq0013
Create Date: 2026-12-07
"""
import uuid

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = 'hq0014'
down_revision = 'hq0013'
branch_labels = None
depends_on = None

LANES = 64
PARTITIONS = 8
_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_TS = sa.DateTime(timezone=True)


def _lane_sql(text_expr: str) -> str:
    """hq.common.lane_of in SQL, of a UUID's text (NULL or not a UUID: NULL)."""
    return (f"CASE WHEN {text_expr} ~* '^[0-9a-f]{{8}}-' "
            f"THEN 1 + ('x' || lower(substr({text_expr}, 1, 8)))::bit(32)::bigint % {LANES - 1} END")


def _lane_py(value) -> int | None:
    try:
        u = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None
    return 1 + int.from_bytes(u.bytes[:4], "big") % (LANES - 1)


def _field(dialect: str, name: str) -> str:
    return f"(data ->> '{name}')" if dialect == "postgresql" else f"json_extract(data, '$.{name}')"


def _row_indexes(dialect: str) -> list[str]:
    f = lambda n: _field(dialect, n)  # noqa: E731
    return [
        "CREATE UNIQUE INDEX ix_hq_row_lane_seq ON hq_row (lane, seq)",
        "CREATE INDEX ix_hq_row_key ON hq_row (entity, entity_id)",
        "CREATE INDEX ix_hq_row_bucket_owner_seq ON hq_row (bucket, owner_store_id, lane, seq)",
        "CREATE INDEX ix_hq_row_customer ON hq_row (customer_id)",
        f"CREATE INDEX ix_hq_row_phone ON hq_row ({f('phone_e164')}) WHERE entity = 'customer'",
        f"CREATE INDEX ix_hq_row_email ON hq_row (lower({f('email')})) WHERE entity = 'customer'",
        f"CREATE INDEX ix_hq_row_member ON hq_row ({f('member_number')}) WHERE entity = 'loyalty_account'",
        f"CREATE INDEX ix_hq_row_merged_into ON hq_row ({f('merged_into_id')}) WHERE entity = 'customer'",
    ]


def _tables(partitioned: bool) -> dict[str, list]:
    part = {"postgresql_partition_by": "HASH (lane)"} if partitioned else {}
    return {
        "hq_row": [[
            sa.Column('lane', sa.SmallInteger(), nullable=False),
            sa.Column('entity', sa.String(40), nullable=False),
            sa.Column('entity_id', sa.String(80), nullable=False),
            sa.Column('seq', sa.BigInteger(), nullable=False),
            sa.Column('bucket', sa.String(1), nullable=False),
            sa.Column('owner_store_id', sa.Uuid(), nullable=True),
            sa.Column('customer_id', sa.Uuid(), nullable=True),
            sa.Column('deleted', sa.Boolean(), nullable=False),
            sa.Column('data', _JSON, nullable=False),
            sa.Column('stamps', _JSON, nullable=False),
            sa.PrimaryKeyConstraint('lane', 'entity', 'entity_id', name='pk_hq_row')], part],
        "hq_served": [[
            sa.Column('lane', sa.SmallInteger(), nullable=False),
            sa.Column('store_id', sa.Uuid(), nullable=False),
            sa.Column('customer_id', sa.Uuid(), nullable=False),
            sa.PrimaryKeyConstraint('lane', 'store_id', 'customer_id', name='pk_hq_served')], part],
        "hq_op": [[
            sa.Column('lane', sa.SmallInteger(), nullable=False),
            sa.Column('op_id', sa.Uuid(), nullable=False),
            sa.Column('store_id', sa.Uuid(), nullable=False),
            sa.Column('batch_id', sa.Uuid(), nullable=False),
            sa.Column('rejected', sa.String(200), nullable=True),
            sa.PrimaryKeyConstraint('lane', 'op_id', name='pk_hq_op')], part],
        "hq_batch": [[
            sa.Column('lane', sa.SmallInteger(), nullable=False),
            sa.Column('batch_id', sa.Uuid(), nullable=False),
            sa.Column('store_id', sa.Uuid(), nullable=False),
            sa.Column('received_at', _TS, nullable=False),
            sa.Column('ops', sa.Integer(), nullable=False),
            sa.Column('rejected', _JSON, nullable=False),
            sa.PrimaryKeyConstraint('lane', 'batch_id', name='pk_hq_batch')], part],
    }


_OTHER_INDEXES = [
    "CREATE INDEX ix_hq_served_customer ON hq_served (customer_id)",
    "CREATE INDEX ix_hq_op_batch ON hq_op (batch_id)",
    "CREATE INDEX ix_hq_batch_batch_id ON hq_batch (batch_id)",
    "CREATE INDEX ix_hq_batch_received_at ON hq_batch (received_at)",
]

_COPY = {      # PostgreSQL: new lane-carrying rows from the old table (aliased o)
    "hq_served": ("lane, store_id, customer_id", "COALESCE({lane_store}, 1), o.store_id, o.customer_id"),
    "hq_op": ("lane, op_id, store_id, batch_id, rejected",
              "COALESCE({lane_store}, 1), o.op_id, o.store_id, o.batch_id, o.rejected"),
    "hq_batch": ("lane, batch_id, store_id, received_at, ops, rejected",
                 "COALESCE({lane_store}, 1), o.batch_id, o.store_id, o.received_at, o.ops, o.rejected"),
}


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    head = bind.execute(sa.text("SELECT num FROM hq_state WHERE key = 'seq'")).scalar() or 0
    clock = bind.execute(sa.text("SELECT text FROM hq_state WHERE key = 'hlc'")).scalar() or ""
    op.create_table(
        'hq_lane',
        sa.Column('lane', sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('hlc', sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint('lane', name='pk_hq_lane'))
    lane_t = sa.table('hq_lane', sa.column('lane'), sa.column('seq'), sa.column('hlc'))
    op.bulk_insert(lane_t, [dict(lane=n, seq=int(head), hlc=clock) for n in range(LANES)])
    with op.batch_alter_table('hq_store') as batch_op:
        batch_op.add_column(sa.Column('pull_lanes', sa.String(2600), nullable=False, server_default=''))
    if dialect == "postgresql":
        _upgrade_postgresql(bind)
    else:
        _upgrade_sqlite(bind)


def _upgrade_postgresql(bind) -> None:
    for name, (cols, kw) in _tables(True).items():
        for ix in bind.execute(sa.text(
                "SELECT indexname FROM pg_indexes WHERE tablename = :t AND indexname <> :pk"),
                {"t": name, "pk": f"pk_{name}"}).scalars().all():
            op.execute(f'DROP INDEX "{ix}"')
        op.execute(f"ALTER TABLE {name} RENAME TO {name}_old")
        op.execute(f"ALTER TABLE {name}_old RENAME CONSTRAINT pk_{name} TO pk_{name}_old")
        op.create_table(name, *cols, **kw)
        for i in range(PARTITIONS):
            op.execute(f"CREATE TABLE {name}_p{i} PARTITION OF {name} "
                       f"FOR VALUES WITH (MODULUS {PARTITIONS}, REMAINDER {i})")
    # a customer row's lane: its home store's; a store row's: its owner's; global rows: 0
    home = _lane_sql("(c.data ->> 'home_store_id')")
    own = _lane_sql("o.owner_store_id::text")
    op.execute(
        "INSERT INTO hq_row (lane, entity, entity_id, seq, bucket, owner_store_id, customer_id, deleted, data, stamps) "
        f"SELECT CASE WHEN o.bucket = 'g' THEN 0 WHEN o.bucket = 'c' THEN COALESCE({home}, {own}, 1) "
        f"ELSE COALESCE({own}, 1) END, "
        "o.entity, o.entity_id, o.seq, o.bucket, o.owner_store_id, o.customer_id, o.deleted, o.data, o.stamps "
        "FROM hq_row_old o LEFT JOIN hq_row_old c ON c.entity = 'customer' AND c.entity_id = o.customer_id::text")
    for name, (cols, values) in _COPY.items():
        op.execute(f"INSERT INTO {name} ({cols}) SELECT {values.format(lane_store=_lane_sql('o.store_id::text'))} "
                   f"FROM {name}_old o")
    for name in _COPY.keys() | {"hq_row"}:
        op.execute(f"DROP TABLE {name}_old")
    for ddl in _row_indexes("postgresql") + _OTHER_INDEXES:
        op.execute(ddl)
    op.execute("ANALYZE hq_row, hq_served, hq_op, hq_batch")


def _upgrade_sqlite(bind) -> None:
    old = {name: [dict(r) for r in bind.execute(sa.text(f"SELECT * FROM {name}")).mappings()]
           for name in ("hq_row", "hq_served", "hq_op", "hq_batch")}
    for name in old:
        op.execute(f"DROP TABLE {name}")
    for name, (cols, kw) in _tables(False).items():
        op.create_table(name, *cols, **kw)
    homes = {r["entity_id"]: _lane_py(_home(r["data"])) for r in old["hq_row"] if r["entity"] == "customer"}
    rows = []
    for r in old["hq_row"]:
        own = _lane_py(r["owner_store_id"])
        if r["bucket"] == "g":
            lane = 0
        elif r["bucket"] == "c":
            lane = homes.get(str(_uuid_text(r["customer_id"]))) or own or 1
        else:
            lane = own or 1
        rows.append(dict(r, lane=lane))
    for name, data in (("hq_row", rows), *((n, [dict(r, lane=_lane_py(r["store_id"]) or 1) for r in old[n]])
                                           for n in ("hq_served", "hq_op", "hq_batch"))):
        if data:        # the stored values as they were (text JSON, hex UUIDs)
            cols = list(data[0])
            bind.execute(sa.text(f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})"),
                         data)
    for ddl in _row_indexes("sqlite") + _OTHER_INDEXES:
        op.execute(ddl)


def _home(data) -> str | None:
    import json
    if isinstance(data, str):
        data = json.loads(data)
    return (data or {}).get("home_store_id")


def _uuid_text(value) -> str | None:
    if value is None:
        return None
    try:
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    except ValueError:
        return str(value)


def downgrade() -> None:
    raise NotImplementedError("hq0014 (lanes and partitions) is not reversible; restore a backup instead")
