"""Writing many rows in one go: COPY on PostgreSQL (a batch of thousands of rows costs
about what one statement does), plain executemany on SQLite."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, insert, update

from hq.common import _upsert_ignore
from hq.models import hq_row


def _bulk_insert(conn, table, rows: list[dict[str, Any]]) -> None:
    """Insert rows the caller found new (a key another writer inserted meanwhile fails the
    transaction, and a push merges again: hq.push.MAX_TRIES): COPY on PostgreSQL, one
    executemany on SQLite."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), rows)
        return
    import orjson
    from psycopg.types.json import Jsonb
    from sqlalchemy import JSON
    cols = list(rows[0])
    json_cols = {c.name for c in table.columns if isinstance(c.type, JSON)}
    raw = conn.connection.dbapi_connection
    dumps = orjson.dumps
    with raw.cursor() as cur:
        with cur.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
            write = copy.write_row
            if json_cols:
                for r in rows:
                    write([Jsonb(r[c], dumps) if c in json_cols else r[c] for c in cols])
            else:
                for r in rows:
                    write([r[c] for c in cols])


def _bulk_insert_ignore(conn, table, rows: list[dict[str, Any]], *, returning: bool = False) -> list[tuple]:
    """Insert rows, skipping those already there. With ``returning`` (PostgreSQL only),
    the rows that were new, as tuples of the given columns."""
    if not rows:
        return []
    if conn.dialect.name != "postgresql" or (len(rows) <= 20 and not returning):
        conn.execute(_upsert_ignore(conn, table), rows)
        return []
    cols = ", ".join(rows[0])
    if len(rows) <= UNNEST_ROWS:
        # one statement, one round trip: the rows as one array per column
        sql, arrays = _unnest(conn, table, rows)
        result = _raw(conn, f"INSERT INTO {table.name} ({cols}) SELECT * FROM {sql} ON CONFLICT DO NOTHING"
                            + (f" RETURNING {cols}" if returning else ""), arrays, fetch=returning)
        return [tuple(r) for r in result]
    scratch = f"{table.name}_incoming"
    conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {scratch} (LIKE {table.name} INCLUDING DEFAULTS) "
                         "ON COMMIT DELETE ROWS")
    _bulk_insert(conn, _scratch(table.name, scratch), rows)
    result = conn.exec_driver_sql(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM {scratch} "
                                  f"ON CONFLICT DO NOTHING" + (f" RETURNING {cols}" if returning else ""))
    return [tuple(r) for r in result] if returning else []


UNNEST_ROWS = 5000      # rows one statement carries as arrays; more go through COPY and a scratch table


def _unnest(conn, table, rows: list[dict[str, Any]]) -> tuple[str, list[list[Any]]]:
    """``unnest(%s::type[], ...) AS c(col, ...)`` over ``rows``' columns, and its arrays."""
    import orjson
    from psycopg.types.json import Jsonb
    from sqlalchemy import JSON
    cols = list(rows[0])
    dumps = orjson.dumps
    arrays = [[Jsonb(r[c], dumps) for r in rows] if isinstance(table.c[c].type, JSON) else [r[c] for r in rows]
              for c in cols]
    # %b: each array goes in PostgreSQL's binary format. In text format psycopg quotes every
    # element that needs it with a regular expression per backslash or quote: a JSON column's
    # quotes cost more than the rest of a batch (and PostgreSQL then parses the escapes back)
    casts = ", ".join(f"%b::{table.c[c].type.compile(dialect=conn.dialect)}[]" for c in cols)
    return f"unnest({casts}) AS c({', '.join(cols)})", arrays


def _raw(conn, sql: str, params: list[Any], *, fetch: bool = False) -> list[tuple]:
    """One statement on the connection's psycopg connection (in its transaction).

    Planned for its values at every run: HQ's engine prepares no statement (hq.db.make_engine,
    ``prepare_threshold`` None). Planning a lookup of 500 keys costs 0.5-9.6 ms (EXPLAIN
    ANALYZE; much less through :func:`any_of`), but a generic (prepared) plan over hq_row's
    partitions locks every partition and each of its indexes at each run (PostgreSQL 15).
    Forced for a push's transaction, one store alone spent 15% less PostgreSQL time, but 200
    stores pushing at once spent 45% more PostgreSQL CPU per change (146 -> 212 us,
    bench/sync_chain.py). Left to psycopg (which prepares after a fifth run on a connection,
    an executemany at its first), the lookup of a lane's rows moved to the generic plan
    after five custom ones (pg_prepared_statements: 20 generic of 25 runs), so a
    long-running HQ would have drifted there."""
    with conn.connection.dbapi_connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if fetch else []


@lru_cache(maxsize=None)
def _scratch(source: str, name: str):
    from sqlalchemy import MetaData, Table
    from hq.models import metadata
    return Table(name, MetaData(), *[c._copy() for c in metadata.tables[source].columns])


def _write_rows(conn, inserts: list[dict[str, Any]], updates: list[dict[str, Any]]) -> None:
    _bulk_insert(conn, hq_row, inserts)
    if not updates:
        return
    if conn.dialect.name == "postgresql" and 20 < len(updates) <= UNNEST_ROWS:
        # a batch of changed rows in one UPDATE ... FROM one JSON array of them: one round
        # trip, one orjson call (no per-value dumping in Python), and the planner estimates
        # the set's rows low enough to look each row up by its key, the lane first: one
        # partition per row (new seqs are above every old one in their lane: the unique
        # (lane, seq) index never clashes)
        import orjson
        from psycopg.types.json import Jsonb
        cols = list(updates[0])
        keys = [k for k in ("lane", "entity", "entity_id") if k in cols]
        types = ", ".join(f"{c} {hq_row.c[c].type.compile(dialect=conn.dialect)}" for c in cols)
        _raw(conn, f"UPDATE hq_row r SET {', '.join(f'{c} = c.{c}' for c in cols if c not in keys)} "
                   f"FROM jsonb_to_recordset(%b::jsonb) AS c({types}) "
                   f"WHERE {' AND '.join(f'r.{k} = c.{k}' for k in keys)}", [Jsonb(updates, orjson.dumps)])
        return
    if conn.dialect.name == "postgresql" and len(updates) > 20:
        # many changed rows: COPY them beside the table, then one UPDATE ... FROM
        conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS hq_row_changed "
                             "(LIKE hq_row INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
        _bulk_insert(conn, _scratch("hq_row", "hq_row_changed"), updates)
        # a temp table has no statistics: without them the planner scans all of hq_row
        # (2.0 s instead of 0.46 s per 5,000 rows at 700k rows, measured by bench/crm_scores.py)
        conn.exec_driver_sql("ANALYZE hq_row_changed")
        conn.exec_driver_sql(
            "UPDATE hq_row r SET seq = c.seq, bucket = c.bucket, owner_store_id = c.owner_store_id, "
            "customer_id = c.customer_id, deleted = c.deleted, data = c.data, stamps = c.stamps "
            "FROM hq_row_changed c WHERE r.lane = c.lane AND r.entity = c.entity AND r.entity_id = c.entity_id")
        return
    conn.execute(update(hq_row).where(hq_row.c.lane == bindparam("k_lane"),
                                      hq_row.c.entity == bindparam("k_entity"),
                                      hq_row.c.entity_id == bindparam("k_id"))
                 .values(seq=bindparam("v_seq"), bucket=bindparam("v_bucket"),
                         owner_store_id=bindparam("v_owner_store_id"), customer_id=bindparam("v_customer_id"),
                         deleted=bindparam("v_deleted"), data=bindparam("v_data", type_=hq_row.c.data.type),
                         stamps=bindparam("v_stamps", type_=hq_row.c.stamps.type)),
                 [{"k_lane": u["lane"], "k_entity": u["entity"], "k_id": u["entity_id"],
                   **{f"v_{k}": v for k, v in u.items() if k not in ("lane", "entity", "entity_id")}}
                  for u in updates])


# Looking rows up by many keys at once (PostgreSQL), the keys sent as one binary array: in
# text format psycopg quoted, and PostgreSQL parsed, every element.

_ROW_COLS = "lane, entity, entity_id, seq, bucket, owner_store_id, customer_id, deleted, data, stamps"


def locked_rows(conn: Any, entity: str, ids: list[str], lane: int | None) -> list[tuple[Any, ...]]:
    """``hq_row``'s rows of ``entity`` with these ids, in ``lane`` only when given, locked FOR
    UPDATE; hq_row's columns in table order. In one lane, ``= ANY`` of the array as given (one
    partition; joined to ``unnest`` of the array instead, each key probed every partition, and
    PostgreSQL spent a third more; planned in about 0.5 ms, its bitmap scan 1 ms quicker than
    the probes of :func:`any_of`); in every lane, :func:`any_of`."""
    where = "entity_id = ANY(%b::text[]) AND lane = %s::smallint" if lane is not None else \
        f"entity_id = {any_of('text')}"
    return _raw(conn, f"SELECT {_ROW_COLS} FROM hq_row WHERE entity = %s AND {where} FOR UPDATE",
                [entity, ids] + ([lane] if lane is not None else []), fetch=True)


def any_of(sql_type: str) -> str:
    """``ANY`` of one binary array parameter of ``sql_type`` that the planner does not read:
    ``ANY(ARRAY(SELECT unnest(%b::type[])))``. Given the array itself, PostgreSQL weighs
    each of its hundreds of keys against the statistics of every partition and index the
    query may use, at every run. For a lookup across all of hq_row's partitions that cost
    more than the lookup: a batch's consent rows, 9.6 ms of planning for 0.2 ms of work
    (EXPLAIN ANALYZE at 63,000 rows of 100 stores); with it, 8.1 -> 1.9 ms a lookup, and the
    rows of a batch's new keys in every lane 4.6 -> 4.35 ms with an index probe per key
    instead of a scan of every partition (median of 60, client side). Not for a lookup in
    one lane: there the array as given was 1 ms quicker. A generic prepared plan would skip
    planning too, but locks every partition at each run (:func:`_raw`)."""
    return f"ANY(ARRAY(SELECT unnest(%b::{sql_type}[])))"


def seen_ops(conn: Any, lane: int, ids: list[Any]) -> list[tuple[Any, ...]]:
    """(op_id, rejected) of the operations ``hq_op`` holds among ``ids`` (UUIDs) in ``lane``.
    ``op_id = ANY(array)`` let the planner scan the lane's whole partition below a few hundred
    thousand rows, testing each row against the array: 1.8 ms for a batch of 500 at 20,000 rows,
    growing with the table, against 0.4 ms for 500 probes (EXPLAIN ANALYZE of the issue's mix)."""
    # LATERAL ... LIMIT 1: a probe of the key per id, always (as a plain join the planner
    # merge-joined the array with a scan of the lane's whole partition)
    return _raw(conn, "SELECT k.op_id, o.rejected FROM unnest(%b::uuid[]) AS k(op_id) CROSS JOIN LATERAL "
                      "(SELECT rejected FROM hq_op WHERE lane = %s::smallint AND op_id = k.op_id LIMIT 1) o",
                [ids, lane], fetch=True)
