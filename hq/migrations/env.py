"""Alembic environment for HQ's own schema. HQ runs migrations itself (hq.db.migrate)
on a connection it opened, so there is no URL here."""

from alembic import context

from hq.models import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table="hq_alembic_version",
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
