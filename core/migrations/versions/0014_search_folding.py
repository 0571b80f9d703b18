"""search keys folded for accents, case and Chinese script

The name indexes of 0005 were built on ``lower(...)``, which folds ASCII letters only:
"jose muller" did not find José Müller, nor 张伟 find 張偉. They are rebuilt on
``orchard_fold(...)`` (core.folding.fold: NFC, case folding, accents dropped, Traditional
Chinese as Simplified), the function the lookup folds its query with, so every existing
row gets its new key here and every later write keeps it (SQLite maintains the index).
Each connection of the store registers the function (core.db); this migration registers
it on its own connection as well, so it does not depend on that. A later change to
``fold`` needs a migration that runs ``REINDEX`` on these indexes.

Revision ID: 0014
Revises: 0005, 0013
"""
from alembic import op

from core import folding

revision = "0014"
# also merges 0005's branch: the indexes it rebuilds are made there
down_revision = ("0005", "0013")
branch_labels = None
depends_on = None

# name: (0005's expression, the folded one)
NAME_INDEXES = {
    "ix_search_given_family": ("lower(given_name || ' ' || family_name)",
                               "orchard_fold(given_name || ' ' || family_name)"),
    "ix_search_family_given": ("lower(family_name || given_name)", "orchard_fold(family_name || given_name)"),
    "ix_search_family": ("lower(family_name)", "orchard_fold(family_name)"),
    "ix_search_given": ("lower(given_name)", "orchard_fold(given_name)"),
}


def _register() -> None:
    folding.install(op.get_bind().connection.driver_connection)


def upgrade() -> None:
    _register()
    for name, (_, folded) in NAME_INDEXES.items():
        op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute(f"CREATE INDEX {name} ON customer ({folded})")


def downgrade() -> None:
    for name, (plain, _) in NAME_INDEXES.items():
        op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute(f"CREATE INDEX {name} ON customer ({plain})")
