"""Staff PIN hashes never leave the store: remove the ones HQ kept.

Until now stores pushed ``pin_hash`` with each staff row and HQ kept it in the merged row
(``data``) with its stamp (``stamps``); a 4-digit PIN falls to an offline search of such a
hash in seconds. Stores no longer capture it and HQ drops it from pushes; this removes it
from every staff row HQ holds, on PostgreSQL (JSONB) and SQLite (JSON text). The rows keep
their sequence numbers: the stores have their own PIN hashes, nothing needs pulling again.

PostgreSQL keeps the old row versions on disk until VACUUM reclaims them (autovacuum, or
``VACUUM hq_row`` run by the operator after upgrading).

Password hashes roam to the owning store (re-enrolment) only at the vault's Argon2id cost
(``core.secrets_hash.password_cost_ok``): a weaker one (an older store's, or one HQ kept
before) is removed here too, and HQ drops such a hash from pushes. The store raises it at
the staff member's next password sign-in, and the stronger hash then roams.

Revision ID: hq0006
Revises: hq0005
Create Date: 2026-12-06
"""
import json

import sqlalchemy as sa
from alembic import op

from core.secrets_hash import password_cost_ok

revision = 'hq0006'
down_revision = 'hq0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE hq_row SET data = data - 'pin_hash', stamps = stamps - 'pin_hash' "
                   "WHERE entity = 'staff' AND (jsonb_exists(data, 'pin_hash') OR jsonb_exists(stamps, 'pin_hash'))")
    else:
        op.execute("UPDATE hq_row SET data = json_remove(data, '$.pin_hash'), "
                   "stamps = json_remove(stamps, '$.pin_hash') "
                   "WHERE entity = 'staff' AND (json_type(data, '$.pin_hash') IS NOT NULL "
                   "OR json_type(stamps, '$.pin_hash') IS NOT NULL)")
    _drop_weak_password_hashes()


def _drop_weak_password_hashes() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    weak = []
    for entity_id, data in conn.execute(sa.text("SELECT entity_id, data FROM hq_row WHERE entity = 'staff'")):
        if isinstance(data, str):
            data = json.loads(data)
        if isinstance(data, dict) and "password_hash" in data and not password_cost_ok(data["password_hash"]):
            weak.append(entity_id)
    if pg:
        stmt = sa.text("UPDATE hq_row SET data = data - 'password_hash', stamps = stamps - 'password_hash' "
                       "WHERE entity = 'staff' AND entity_id = :id")
    else:
        stmt = sa.text("UPDATE hq_row SET data = json_remove(data, '$.password_hash'), "
                       "stamps = json_remove(stamps, '$.password_hash') WHERE entity = 'staff' AND entity_id = :id")
    if weak:
        conn.execute(stmt, [{"id": i} for i in weak])


def downgrade() -> None:
    # the hashes are gone for good, as intended: nothing to put back
    pass
