"""Alembic environment. Orchard runs migrations itself (core.db.migrate) on a live
connection it opened with the database key, so there is no URL here."""

from alembic import context

from core.models import Base

target_metadata = Base.metadata
connection = context.config.attributes["connection"]
from core.migrations.env_filter import include_object


context.configure(
    connection=connection,
    target_metadata=target_metadata,
    include_object=include_object,
    render_as_batch=True,          # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
