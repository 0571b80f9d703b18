"""lookup indexes that hold the result line (issue 25: p95 < 2 ms at a million customers)

A look-up returns up to 50 customers found by an index range scan. It used to read each
one's table row for the result line (name, phone, last visit, id): 50 random pages
of a million-row table, each decrypted. These seven indexes are rebuilt, under the same
names (sync writes every index on ``customer``: there are no more of them than before), so
that each entry carries the line itself after its key:

- after the key: given and family name, the last visit (newest first), phone and the id.
  Not the email: the result line does not show it, and an email change (the commonest
  edit a pull brings) then rewrites one entry (ix_search_email's key), not seven: a pull of
  the issue's mix took 124 us of store CPU a row with the email carried, 87 without, 68
  before this migration (bench/sync.py, same machine). Those columns also decide the order
  of customers whose keys are equal (namesakes, a shared number), so a scan's ORDER BY is
  the index's own order and costs no sort (tests/core/test_search_order.py); core.search
  names the same columns;
- last, ``erased`` and ``merged_into_id``: every scan skips erased and merged-away
  profiles, and decides that from the index too. (Not a partial index on live customers:
  a query without that condition, e.g. one that also lists erased profiles, could not use
  it at all; the two columns cost two bytes an entry, 0 and NULL are stored in the
  record's header.)

``ix_search_initials`` stays as it was: customers with the same initials list in the order
they were stored (rowid), which an index carrying more columns would not keep (until 0022,
which makes it carry the line too and lists them as namesakes).

The name indexes are on ``orchard_fold`` (0014), registered here on this connection too.
Each build sorts its million entries in memory (temp_store = MEMORY, core.db: no plain temp
file of personal data); that memory is handed back at the end (_release_memory), or the
process that upgraded keeps ~300 MB of RSS (issue 25's budget: 250 MB).

Revision ID: 0021
Revises: 0020
"""
from alembic import op

from core import folding
from core.db import release_memory

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_NAME_LINE = "given_name, family_name, last_visit_at DESC, phone_e164, id, erased, merged_into_id"

# name: (key as before this migration (0014, 0019), the columns of the covering index)
INDEXES = {
    "ix_search_given_family": ("orchard_fold(given_name || ' ' || family_name)",
                               f"orchard_fold(given_name || ' ' || family_name), {_NAME_LINE}"),
    "ix_search_family_given": ("orchard_fold(family_name || given_name)",
                               f"orchard_fold(family_name || given_name), {_NAME_LINE}"),
    "ix_search_family": ("orchard_fold(family_name)", f"orchard_fold(family_name), {_NAME_LINE}"),
    "ix_search_given": ("orchard_fold(given_name)", f"orchard_fold(given_name), {_NAME_LINE}"),
    "ix_search_pinyin": ("replace(name_pinyin, ' ', '')", f"replace(name_pinyin, ' ', ''), {_NAME_LINE}"),
    "ix_search_email": ("lower(email)", f"lower(email), {_NAME_LINE}"),
    # the whole number is the second key column already (0019): not carried twice
    "ix_search_phone_tail": ("substr(phone_e164, -4), phone_e164",
                             "substr(phone_e164, -4), phone_e164, given_name, family_name, "
                             "last_visit_at DESC, id, erased, merged_into_id"),
}


def _rebuild(which: int) -> None:
    """Every index of INDEXES made again as its entry ``which`` says (0: before, 1: covering);
    then the memory the sorts took handed back (core.db.release_memory)."""
    raw = op.get_bind().connection.driver_connection
    folding.install(raw)
    for name, columns in INDEXES.items():
        op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute(f"CREATE INDEX {name} ON customer ({columns[which]})")
    release_memory(raw)


def upgrade() -> None:
    _rebuild(1)


def downgrade() -> None:
    _rebuild(0)
