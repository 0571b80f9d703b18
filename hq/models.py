"""HQ's own tables (SQLAlchemy Core; PostgreSQL in production, SQLite for the demo).

HQ does not mirror the store schema table by table.  It keeps one row per synced
entity instance (``hq_row``): the merged field values as JSON, a stamp per field, and
the server sequence number of its last change.  So every entity a store adds later
syncs without an HQ migration, a pull is "rows with seq above my cursor that my
buckets allow", and HQ holds only the current state (an erased customer's old values
are not kept in some change history).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON, BigInteger, Boolean, Column, DateTime, ForeignKey, Index, Integer, MetaData, SmallInteger, String, Table, Text, Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)
Json = JSON().with_variant(JSONB(), "postgresql")
Stamp = DateTime(timezone=True)

# A region of the chain (the console's regional managers see one region's stores).
hq_region = Table(
    "hq_region", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
)

# One store (a shop) known to HQ: enrolled once with a one-time code.
hq_store = Table(
    "hq_store", metadata,
    Column("code", String(8), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("store_id", Uuid, unique=True),                  # the store's own id, set at enrolment
    Column("publisher", Boolean, nullable=False, default=False),   # may publish reference data
    Column("enrol_code_hash", String(64)),                  # SHA-256 of the one-time code; cleared once used
    Column("enrol_expires_at", Stamp),
    Column("credential_hash", String(64)),                  # SHA-256 of the store's credential
    Column("enrolled_at", Stamp),
    Column("created_at", Stamp, nullable=False),
    Column("last_contact_at", Stamp),
    Column("last_push_at", Stamp),
    Column("last_pull_at", Stamp),
    Column("pull_cursor", BigInteger, nullable=False, default=0),    # hq.lanes.position of the cursor
    Column("pull_lanes", String(2600), nullable=False, default=""),  # the cursor itself (hq.lanes.encode)
    Column("pending_ops", Integer, nullable=False, default=0),   # queue depth the store reported
    Column("parked_ops", Integer, nullable=False, default=0),
    # what the console keeps about a store (migration hq0007)
    Column("region_id", Integer, ForeignKey("hq_region.id")),
    Column("timezone", String(64)),
    Column("currency", String(3)),
    Column("address", String(300)),
    Column("opening_hours", String(200)),
)

# The merged current state of every synced row. ``lane`` is the row's distribution key: a
# stable hash of its store (the owner of a store row, the customer's home store for a
# customer row; 0 for HQ's global rows), fixed when the row is first written
# (hq.common.lane_of). ``seq`` numbers the lane's changes: a pull's cursor holds one per lane.
# On PostgreSQL the per-store tables are partitioned by HASH(lane) (migration hq0014), so
# every unique key carries the lane.
hq_row = Table(
    "hq_row", metadata,
    Column("lane", SmallInteger, primary_key=True),
    Column("entity", String(40), primary_key=True),
    Column("entity_id", String(80), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("bucket", String(1), nullable=False),            # g global, s store, c customer
    Column("owner_store_id", Uuid),
    Column("customer_id", Uuid),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("data", Json, nullable=False),
    Column("stamps", Json, nullable=False),                 # {"*": hlc, field: hlc}
    Index("ix_hq_row_lane_seq", "lane", "seq", unique=True),
    Index("ix_hq_row_key", "entity", "entity_id"),
    Index("ix_hq_row_bucket_owner_seq", "bucket", "owner_store_id", "lane", "seq"),
    Index("ix_hq_row_customer", "customer_id"),
    # and, from the migrations only: the partial expression indexes of the fetches (hq0002),
    # ix_hq_row_merged_into (merged profiles only) and ix_hq_row_consent (consent rows), hq0015
)

# Which stores serve which customers (home store, touched it, fetched it); ``lane``: the
# serving store's (hq.common.lane_of).
hq_served = Table(
    "hq_served", metadata,
    Column("lane", SmallInteger, primary_key=True),
    Column("store_id", Uuid, primary_key=True),
    Column("customer_id", Uuid, primary_key=True),
    Index("ix_hq_served_customer", "customer_id"),
)

# Every operation id HQ has seen, so a re-sent change is a no-op; no field values.
hq_op = Table(
    "hq_op", metadata,
    Column("lane", SmallInteger, primary_key=True),         # the pushing store's
    Column("op_id", Uuid, primary_key=True),
    Column("store_id", Uuid, nullable=False),
    Column("batch_id", Uuid, nullable=False),
    Column("rejected", String(200)),
    Index("ix_hq_op_batch", "batch_id"),
)

# Every batch HQ committed, with its answer, so a replayed batch gets the same answer.
hq_batch = Table(
    "hq_batch", metadata,
    Column("lane", SmallInteger, primary_key=True),         # the pushing store's
    Column("batch_id", Uuid, primary_key=True),
    Column("store_id", Uuid, nullable=False),
    Column("received_at", Stamp, nullable=False),
    Column("ops", Integer, nullable=False),
    Column("rejected", Json, nullable=False),               # [[op_id, reason], ...]
    Index("ix_hq_batch_batch_id", "batch_id"),
    Index("ix_hq_batch_received_at", "received_at"),
)

# Each lane's change sequence and HQ's hybrid clock as seen by it (hq.common.lock_lanes): a
# batch locks the rows of the lanes it writes, in lane order, so batches of different
# stores run side by side; within a lane, sequence numbers commit in order.
hq_lane = Table(
    "hq_lane", metadata,
    Column("lane", SmallInteger, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False, default=0),
    Column("hlc", String(40), nullable=False, default=""),
)

# Erased customers: a tombstone HQ keeps, that refuses later personal data for them.
hq_erased = Table(
    "hq_erased", metadata,
    Column("customer_id", Uuid, primary_key=True),
    Column("erased_at", Stamp, nullable=False),
    # who erased them (hq.push_authority): the store that pushed the erasure and its staff
    # member; empty for erasures recorded before migration hq0004
    Column("store_id", Uuid),
    Column("staff_id", Uuid),
)

# On-demand fetches (phone, email or member number -> customer) use partial expression
# indexes on hq_row (migration hq0002: ix_hq_row_phone, ix_hq_row_email, ix_hq_row_member).
# Each fetch is logged here: which store was shown which customers, by what kind of key
# (never the key itself), asked by which staff member; refusals (over the store's hourly
# allowance) too, as action "fetch_refused" (migration hq0003 added staff_id).
hq_access = Table(
    "hq_access", metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("at", Stamp, nullable=False),
    Column("store_id", Uuid, nullable=False),
    Column("action", String(20), nullable=False),
    Column("key_kind", String(20), nullable=False),
    Column("customers", Json, nullable=False),
    Column("staff_id", Uuid),
    Index("ix_hq_access_store_at", "store_id", "at"),
)

# Loyalty balances (sum of the insert-only ledger), kept as entries arrive.
hq_balance = Table(
    "hq_balance", metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("points", BigInteger, nullable=False),
)

# Things a person at HQ should look at (a negative loyalty balance after offline redemptions).
hq_flag = Table(
    "hq_flag", metadata,
    Column("kind", String(30), primary_key=True),
    Column("entity_id", String(80), primary_key=True),
    Column("detail", String(200), nullable=False),
    Column("raised_at", Stamp, nullable=False),
    Column("cleared", Boolean, nullable=False, default=False),
)

# Each store's audit-chain heads (hq.audit_heads): per store and epoch, the head HQ
# acknowledged, the last one reported, and when the chain went backwards (with why).
hq_audit_head = Table(
    "hq_audit_head", metadata,
    Column("store_id", Uuid, primary_key=True),
    Column("epoch", BigInteger, primary_key=True),
    Column("seq", BigInteger, nullable=False),              # acknowledged entry
    Column("mac", String(64), nullable=False),
    Column("acked_at", Stamp, nullable=False),
    Column("started_at", Stamp, nullable=False),            # when HQ first heard of this epoch
    Column("declared", Boolean, nullable=False, default=False),   # a new epoch after an earlier one
    Column("reported_seq", BigInteger, nullable=False),     # last head the store reported
    Column("reported_at", Stamp, nullable=False),
    Column("went_backwards_at", Stamp),
    Column("reason", String(200)),
    Column("prev_seq", BigInteger, nullable=False, default=0),     # the acknowledgement before (a lost
    Column("prev_mac", String(64), nullable=False, default="0" * 64),  # answer may still prove it)
    Column("resent", Integer, nullable=False, default=0),          # answers re-sent for a proof of prev_seq
)

# Small shared state by key (versions; the "seq" and "hlc" rows of before migration hq0014 are
# no longer used: see hq_lane).
hq_state = Table(
    "hq_state", metadata,
    Column("key", String(40), primary_key=True),
    Column("num", BigInteger, nullable=False, default=0),
    Column("text", String(120), nullable=False, default=""),
)

# The console's people (hq.console): head office and regional staff, never store staff.
# Passwords: Argon2id at the vault's cost (core.secrets_hash.hash_password).
hq_user = Table(
    "hq_user", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(120), nullable=False),
    Column("role", String(20), nullable=False),              # hq.console.roles.ROLES
    Column("region_id", Integer, ForeignKey("hq_region.id")),   # a regional manager's region
    Column("password_hash", String(200), nullable=False),
    Column("failed_count", Integer, nullable=False, default=0),
    Column("locked_until", Stamp),
    Column("totp_secret", String(64)),                        # base32; None: no second step
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", Stamp, nullable=False),
    Column("password_changed_at", Stamp, nullable=False),
)

# A browser's session: only the SHA-256 of its cookie is kept. A session without a user is
# a sign-in page's (it carries the sign-in form's CSRF token); ``pending_totp``: the password
# was right, the 6-digit code is still to come.
hq_session = Table(
    "hq_session", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("hq_user.id")),
    Column("csrf_token", String(64), nullable=False),
    Column("pending_totp", Boolean, nullable=False, default=False),
    Column("created_at", Stamp, nullable=False),
    Column("last_seen_at", Stamp, nullable=False),
    Index("ix_hq_session_user", "user_id"),
    Index("ix_hq_session_last_seen", "last_seen_at"),
)

# Every change made in the console: who, when, what (never a password, a code or personal data).
hq_console_audit = Table(
    "hq_console_audit", metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("at", Stamp, nullable=False),
    Column("user_id", Integer, ForeignKey("hq_user.id")),
    Column("action", String(40), nullable=False),
    Column("target", String(120), nullable=False, default=""),
    Column("detail", String(300), nullable=False, default=""),
    Index("ix_hq_console_audit_at", "at"),
)

# in an order that deletes rows before the rows they refer to (tests empty them in turn)
# Reference data drafted in the console: draft -> review -> published (hq.publish writes the
# rows), or withdrawn; ``data`` is the whole content (migration hq0008).
hq_reference_draft = Table(
    "hq_reference_draft", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),              # pricebook, services, parts, loyalty
    Column("title", String(120), nullable=False),
    Column("version", String(20), nullable=False),
    Column("status", String(12), nullable=False),            # draft, review, published, withdrawn
    Column("data", Json, nullable=False),
    Column("created_by", Integer, ForeignKey("hq_user.id"), nullable=False),
    Column("created_at", Stamp, nullable=False),
    Column("updated_at", Stamp, nullable=False),
    Column("submitted_by", Integer, ForeignKey("hq_user.id")),
    Column("reviewed_by", Integer, ForeignKey("hq_user.id")),
    Column("published_at", Stamp),
    Column("note", String(500)),
    Index("ix_hq_reference_draft_kind_status", "kind", "status"),
)

# The escalations queue (hq.escalations, migration hq0009): a store raises one (a major or
# overdue complaint, issue 21), the region's manager works it new -> acknowledged ->
# in_progress -> resolved, or returns it to the store; notes go both ways. No personal data
# beyond a customer id; ``ref`` is the store's own id for it, so a re-sent request is a no-op.
hq_escalation = Table(
    "hq_escalation", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("store_code", String(8), ForeignKey("hq_store.code"), nullable=False),
    Column("ref", Uuid, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("priority", String(8), nullable=False),
    Column("summary", String(500), nullable=False),
    Column("customer_id", Uuid),
    Column("staff_id", Uuid, nullable=False),               # who raised it at the store
    Column("state", String(16), nullable=False),
    Column("created_at", Stamp, nullable=False),
    Column("due_at", Stamp, nullable=False),
    Column("updated_at", Stamp, nullable=False),
    Index("ix_hq_escalation_store_ref", "store_code", "ref", unique=True),
    Index("ix_hq_escalation_state_due", "state", "due_at"),
)

hq_escalation_note = Table(
    "hq_escalation_note", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("escalation_id", Integer, ForeignKey("hq_escalation.id"), nullable=False),
    Column("at", Stamp, nullable=False),
    Column("user_id", Integer, ForeignKey("hq_user.id")),    # an HQ user's note, or
    Column("staff_id", Uuid),                                # a store staff member's
    Column("action", String(16)),                            # the step it came with, if any
    Column("text", String(1000), nullable=False),
    Index("ix_hq_escalation_note_escalation", "escalation_id"),
)

# Survey invitations answered on HQ's page (hq.survey, migration hq0011): one row per
# invitation, so a receipt's link answers once. No answer values here: they go to the store
# as its survey row (hq.publish.write_for_store).
hq_survey_answer = Table(
    "hq_survey_answer", metadata,
    Column("invitation_id", Uuid, primary_key=True),
    Column("store_id", Uuid, nullable=False),
    Column("answered_at", Stamp, nullable=False),
)

# customer messages (issue 22, hq/messages/): one row per message request HQ has taken from a
# store (its id is the request's id: one request, one message); the body is kept for 30 days
# and then blanked (delivery records stay)
hq_message = Table(
    "hq_message", metadata,
    Column("id", Uuid, primary_key=True),
    Column("store_id", Uuid, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("channel", String(8), nullable=False),
    Column("status", String(12), nullable=False),           # queued, sending, sent, delivered, failed, suppressed
    Column("reason", String(40), nullable=False, default=""),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Stamp),
    Column("created_at", Stamp, nullable=False),
    Column("sent_at", Stamp),
    Column("delivered_at", Stamp),
    Column("provider_ref", String(100)),
    Column("subject", Text),
    Column("body", Text),
    Column("reported_at", Stamp),                           # when the status last went back to the store
    Index("ix_hq_message_status_next", "status", "next_attempt_at"),
    Index("ix_hq_message_provider_ref", "provider_ref"),
)

# message templates edited at HQ (the console), per kind, language and channel; a kind with
# none uses the file template shipped in hq/messages/templates
hq_message_template = Table(
    "hq_message_template", metadata,
    Column("kind", String(30), primary_key=True),
    Column("language", String(10), primary_key=True),
    Column("channel", String(8), primary_key=True),
    Column("subject", Text, nullable=False, default=""),
    Column("body", Text, nullable=False),
    Column("updated_at", Stamp, nullable=False),
    Column("updated_by", Integer),
)

# signed links used once (approval of a quote, unsubscribe): the token's id
hq_link_use = Table(
    "hq_link_use", metadata,
    Column("token_id", Uuid, primary_key=True),
    Column("store_id", Uuid, nullable=False),
    Column("purpose", String(12), nullable=False),
    Column("used_at", Stamp, nullable=False),
)


# --- issue 23: knowing the customer (hq/sales, hq/crm) ---------------------------------------

# A till or web shop allowed to send sales (POST /api/sales): the SHA-256 of its key, never
# the key; ``store_code``: the one store whose sales it may send (empty: any, e.g. the web shop).
hq_till_key = Table(
    "hq_till_key", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("store_code", String(8)),
    Column("created_at", Stamp, nullable=False),
    Column("revoked_at", Stamp),
)

# One sale (or refund: negative lines) from the till or the web shop, once per receipt id.
# The customer is matched by member number, phone or email as given (hq.sales.match); the
# identifiers are kept only while the sale is unmatched (to list it and match it later).
hq_sale = Table(
    "hq_sale", metadata,
    Column("receipt_id", String(64), primary_key=True),
    Column("source", String(8), nullable=False),            # api, csv
    Column("store_code", String(8)),
    Column("store_id", Uuid),
    Column("at", Stamp, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total_cents", BigInteger, nullable=False),
    Column("kind", String(8), nullable=False),              # sale, refund
    Column("refund_of", String(64)),                        # the original receipt of a refund
    Column("member_no", String(40)),
    Column("phone", String(20)),                            # E.164
    Column("email", String(254)),                           # lower case
    Column("customer_id", Uuid),
    Column("match", String(12), nullable=False),            # member, phone, email, ambiguous, none
    Column("points", Integer, nullable=False, default=0),   # earned (or taken back) by this receipt
    Column("imported_at", Stamp, nullable=False),
    Index("ix_hq_sale_customer", "customer_id"),
    Index("ix_hq_sale_match", "match"),
    # the keys unmatched sales still hold (hq.sales.retention: erasure finds them by value)
    *(Index(f"ix_hq_sale_{key}", key, postgresql_where=text(f"{key} IS NOT NULL"),
            sqlite_where=text(f"{key} IS NOT NULL")) for key in ("phone", "email", "member_no")),
)

hq_sale_line = Table(
    "hq_sale_line", metadata,
    Column("receipt_id", String(64), ForeignKey("hq_sale.receipt_id", ondelete="CASCADE"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(40), nullable=False),
    Column("description", String(200), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),    # the line's total, negative on a refund
)

# Every customer's scores for the chain (hq.crm), the row stores pull as ``customer_score``;
# ``published``: the digest of what was last published, so only changed scores go out.
hq_customer_score = Table(
    "hq_customer_score", metadata,
    Column("customer_id", Uuid, primary_key=True),
    Column("recency", Integer, nullable=False),
    Column("frequency", Integer, nullable=False),
    Column("monetary", Integer, nullable=False),
    Column("segment", String(20), nullable=False),
    Column("previous_segment", String(20), nullable=False, default=""),
    Column("segment_since", Stamp),
    Column("visits", Integer, nullable=False),
    Column("first_visit_at", Stamp),
    Column("last_visit_at", Stamp),
    Column("historic_cents", BigInteger, nullable=False),
    Column("predicted_cents", BigInteger, nullable=False),
    Column("value_band", String(8), nullable=False),
    Column("churn_score", Integer, nullable=False),
    Column("churn_reasons", Json, nullable=False),
    Column("currency", String(3), nullable=False, default=""),
    Column("computed_at", Stamp, nullable=False),
    Column("published", String(64)),
    Index("ix_hq_customer_score_segment", "segment"),
)

# HQ's CRM state by key: the chain's quintile bounds (``rfm_bounds``), the fitted lifetime
# value model (``ltv_model``), the incremental recompute's cursor (``activity_seq``), the
# last nightly run (``nightly``).
hq_crm_state = Table(
    "hq_crm_state", metadata,
    Column("key", String(40), primary_key=True),
    Column("data", Json, nullable=False),
    Column("updated_at", Stamp, nullable=False),
)

# every table, children before parents (tests empty them in this order)
ALL_TABLES = (hq_sale_line, hq_sale, hq_till_key, hq_customer_score, hq_crm_state,
              hq_link_use, hq_message_template, hq_message, hq_survey_answer, hq_escalation_note, hq_escalation,
              hq_store, hq_row, hq_served, hq_op, hq_batch, hq_lane, hq_erased, hq_access, hq_balance, hq_flag, hq_audit_head,
              hq_state, hq_console_audit, hq_reference_draft, hq_session, hq_user, hq_region)
