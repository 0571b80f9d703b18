"""Roles and what each may do. Every service function checks one permission."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from core.errors import PermissionDenied


class Role(StrEnum):
    ASSOCIATE = "associate"
    TECHNICIAN = "technician"
    MANAGER = "manager"
    ADMIN = "admin"


class Perm(StrEnum):
    VIEW_CUSTOMERS = "view_customers"
    EDIT_CUSTOMERS = "edit_customers"
    SEE_CONTACT_DETAILS = "see_contact_details"     # unmasked phone and email in lists
    MERGE_CUSTOMERS = "merge_customers"
    EXPORT_ERASE_CUSTOMERS = "export_erase_customers"
    BOOK_APPOINTMENTS = "book_appointments"
    MANAGE_ROTA = "manage_rota"
    WORK_TICKETS = "work_tickets"                   # intake, diagnosis, status moves
    TAKE_TRADE_INS = "take_trade_ins"
    MANAGE_LOYALTY = "manage_loyalty"               # enrol, earn, redeem
    ADJUST_LOYALTY = "adjust_loyalty"
    VIEW_REPORTS = "view_reports"
    MANAGE_STAFF = "manage_staff"
    UNLOCK_ACCOUNTS = "unlock_accounts"
    MANAGE_SETTINGS = "manage_settings"             # idle timeout, grace periods, sync
    MANAGE_STORE = "manage_store"                   # keys, backups, enrolment with HQ


_A = Role.ASSOCIATE
_T = Role.TECHNICIAN
_M = Role.MANAGER
_X = Role.ADMIN

MATRIX: dict[Perm, frozenset[Role]] = {
    Perm.VIEW_CUSTOMERS: frozenset({_A, _T, _M, _X}),
    Perm.EDIT_CUSTOMERS: frozenset({_A, _T, _M, _X}),
    Perm.SEE_CONTACT_DETAILS: frozenset({_A, _M, _X}),
    Perm.MERGE_CUSTOMERS: frozenset({_M, _X}),
    Perm.EXPORT_ERASE_CUSTOMERS: frozenset({_M, _X}),
    Perm.BOOK_APPOINTMENTS: frozenset({_A, _T, _M, _X}),
    Perm.MANAGE_ROTA: frozenset({_M, _X}),
    Perm.WORK_TICKETS: frozenset({_A, _T, _M, _X}),
    Perm.TAKE_TRADE_INS: frozenset({_A, _M, _X}),
    Perm.MANAGE_LOYALTY: frozenset({_A, _M, _X}),
    Perm.ADJUST_LOYALTY: frozenset({_M, _X}),
    Perm.VIEW_REPORTS: frozenset({_M, _X}),
    Perm.MANAGE_STAFF: frozenset({_M, _X}),
    Perm.UNLOCK_ACCOUNTS: frozenset({_M, _X}),
    Perm.MANAGE_SETTINGS: frozenset({_M, _X}),
    Perm.MANAGE_STORE: frozenset({_X}),
}


@dataclass(frozen=True)
class Actor:
    """Who is doing something: the signed-in staff member, passed to every service."""

    staff_id: uuid.UUID
    store_id: uuid.UUID
    role: Role
    display_name: str = ""

    def can(self, perm: Perm) -> bool:
        return self.role in MATRIX[perm]


def require(actor: Actor, perm: Perm) -> None:
    if not actor.can(perm):
        raise PermissionDenied(perm.value, actor.role.value)


def matrix_markdown() -> str:
    """The matrix as a Markdown table (the README shows it)."""
    roles = list(Role)
    lines = ["| permission | " + " | ".join(r.value for r in roles) + " |",
             "|---|" + "---|" * len(roles)]
    for perm, allowed in MATRIX.items():
        lines.append(f"| {perm.value.replace('_', ' ')} | "
                     + " | ".join("yes" if r in allowed else "–" for r in roles) + " |")
    return "\n".join(lines)
