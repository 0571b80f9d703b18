"""ticket history notes stored as a code with parameters

The system's entries in a ticket's history ("Checked in at the counter", "Diagnosis started",
"Quote sent to the customer"...) were stored as English text and printed in English on a
Chinese service report. They become a code with its parameters (``note_code``,
``note_params``), worded in the reader's language when shown (``core.terms.history_note``);
``note`` keeps only what staff typed. Rows written before this revision whose note is one
of the system's English sentences (alone, or followed by the parts reserved or awaited) are
converted; any other note stays as it was, as staff's text.

Revision ID: 0013
Revises: 0012
"""
from __future__ import annotations

import re
from typing import Any

from alembic import op
import sqlalchemy as sa


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


# the system's sentences as the code wrote them until now (and the demo's)
_EXACT = {
    "Checked in at the counter": "checked_in",
    "Diagnosis started": "diagnosis_started",
    "Quote sent to the customer": "quote_sent",
    "Quote within the customer's approval limit": "quote_within_limit",
    "Quote to be revised": "quote_revised",
    "Parts arrived and reserved": "parts_arrived",
    "Repair started": "repair_started",
    "Repair done; testing": "repair_done",
    "Passed checks; customer notified": "qc_passed",
    "Cancelled at the customer's request": "cancelled",
    "Customer declined the quote": "quote_declined",
    "Not repairable; device to be returned as is": "unrepairable",
    "Not economical to repair; device returned as is": "not_economical",
    "Collected by the customer": "collected",
    "Collected by customer": "collected",
    "Device handed back unrepaired": "returned_unrepaired",
    "Unassigned": "unassigned",
}
_QC = {"powers_on", "display", "touch", "cameras", "buttons", "charging", "speakers", "connectivity", "biometrics"}
_CHANNELS = {"in_store", "phone", "sms", "email"}
_ANSWER = re.compile(r"^Customer (approved|refused) the quote \(([a-z_]+)\)$")
_FAILED = re.compile(r"^Failed checks: ([a-z_, ]+?)(?:; (.*))?$", re.S)
_WAITING = re.compile(r"^(.*); waiting for parts: (.+)$", re.S)


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def convert(note: str) -> tuple[str | None, dict[str, Any], str]:
    """(code, params, staff's note) for an old note; (None, {}, note) when it is staff's text."""
    params: dict[str, Any] = {}
    base = note
    m = _WAITING.match(note)
    if m:
        base, params["missing_parts"] = m.group(1), _split(m.group(2))
    elif note.endswith("; parts reserved"):
        base, params["parts_reserved"] = note[: -len("; parts reserved")], True
    if base in _EXACT:
        return _EXACT[base], params, ""
    m = _ANSWER.match(base)
    if m and m.group(2) in _CHANNELS:
        return f"quote_{m.group(1)}", {**params, "channel": m.group(2)}, ""
    m = _FAILED.match(base)
    if m and set(_split(m.group(1))) <= _QC and not params:
        return "qc_failed", {"checks": _split(m.group(1))}, (m.group(2) or "")
    if base.startswith("Assigned to ") and not params:
        return "assigned", {"name": base[len("Assigned to "):]}, ""
    if base.startswith("Part ordered: ") and not params:
        return "part_ordered", {"parts": _split(base[len("Part ordered: "):])}, ""
    if params and base:
        return None, params, base       # staff's note, then the parts the system reserved or awaits
    return None, {}, note


def upgrade() -> None:
    with op.batch_alter_table("repair_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note_code", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("note_params", sa.JSON(), nullable=True))
    events = sa.table("repair_event", sa.column("id", sa.Uuid()), sa.column("note", sa.String()),
                      sa.column("note_code", sa.String()), sa.column("note_params", sa.JSON()))
    bind = op.get_bind()
    for row_id, note in bind.execute(sa.select(events.c.id, events.c.note).where(events.c.note != "")).all():
        code, params, rest = convert(note)
        if code is not None or params:
            bind.execute(events.update().where(events.c.id == row_id)
                         .values(note_code=code, note_params=params, note=rest))
    op.execute("UPDATE repair_event SET note_params = '{}' WHERE note_params IS NULL")
    with op.batch_alter_table("repair_event", schema=None) as batch_op:
        batch_op.alter_column("note_params", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    # the plain codes go back to their English sentence; entries with parameters keep their staff note
    for text, code in _EXACT.items():
        if text != "Collected by customer":
            op.execute(sa.text("UPDATE repair_event SET note = :text WHERE note_code = :code AND note = ''")
                       .bindparams(text=text, code=code))
    with op.batch_alter_table("repair_event", schema=None) as batch_op:
        batch_op.drop_column("note_params")
        batch_op.drop_column("note_code")
