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
    CORRECT_PICKUPS = "correct_pickups"             # void a pickup or a payment, override the identity check
    TAKE_TRADE_INS = "take_trade_ins"
    MANAGE_LOYALTY = "manage_loyalty"               # enrol, earn, redeem
    ADJUST_LOYALTY = "adjust_loyalty"
    VIEW_REPORTS = "view_reports"
    OPEN_COMPLAINTS = "open_complaints"             # record a complaint, answer a survey on the display
    HANDLE_COMPLAINTS = "handle_complaints"         # classify, resolve, escalate, call back; read every complaint
    MANAGE_STAFF = "manage_staff"
    UNLOCK_ACCOUNTS = "unlock_accounts"
    MANAGE_SETTINGS = "manage_settings"             # idle timeout, grace periods, sync
    MANAGE_STORE = "manage_store"                   # keys, restoring a backup, enrolment with HQ
    MANAGE_BACKUPS = "manage_backups"               # back up now, the backup folder and schedule
    EXPORT_MARKETING_LISTS = "export_marketing_lists"   # issue 23: consented lists for the messaging tool


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
    Perm.CORRECT_PICKUPS: frozenset({_M}),
    Perm.TAKE_TRADE_INS: frozenset({_A, _M, _X}),
    Perm.MANAGE_LOYALTY: frozenset({_A, _M, _X}),
    Perm.ADJUST_LOYALTY: frozenset({_M, _X}),
    Perm.VIEW_REPORTS: frozenset({_M, _X}),
    Perm.OPEN_COMPLAINTS: frozenset({_A, _T, _M, _X}),
    Perm.HANDLE_COMPLAINTS: frozenset({_M, _X}),
    Perm.MANAGE_STAFF: frozenset({_M, _X}),
    Perm.UNLOCK_ACCOUNTS: frozenset({_M, _X}),
    Perm.MANAGE_SETTINGS: frozenset({_M, _X}),
    Perm.MANAGE_STORE: frozenset({_X}),
    Perm.MANAGE_BACKUPS: frozenset({_M, _X}),
    Perm.EXPORT_MARKETING_LISTS: frozenset({_M, _X}),
}

# Public core functions that take a Session but no actor and permission, each with the reason.
# Everything else that reads or writes store data takes the actor and calls require()
# (tests/core/test_guards.py walks core and holds it to this list). Not listed because they
# take no Session: the demo seed (core.demo builds the store before anyone works in it) and
# the migrations (core/migrations, run by the database layer on open).
UNGUARDED: dict[str, str] = {
    "core.changes.of": "the tables the caller's own unit of work wrote; no store data",
    "core.lookup.get_or_not_found": "a step inside guarded functions, which check their permission before it",
    "core.erasure.erase_related": "a step inside privacy.erase_customer, which checks EXPORT_ERASE_CUSTOMERS first",
    "core.erasure.forget_after_commit": "rewrites the file after an erasure its caller already checked; no data read",
    "core.report_data._aggregate.per_bucket": "a query step of the manager reports (core.report_data.manager), "
                                              "whose entry points check VIEW_REPORTS first",
    "core.report_data._aggregate.day_parts": "the manager reports' per-day figures, read inside "
                                             "core.report_data.manager's guarded entry points",
    "core.care.rules.setting": "HQ's care settings (reference data, no customer data), read inside guarded care steps",
    "core.care.rules.rule": "HQ's complaint rule for a severity (reference data), read inside guarded care steps",
    "core.care.rules.script": "HQ's response script for a category (reference data, no customer data)",
    "core.care.tasks.open_task": "a step inside guarded care functions (a survey answer, a resolution), checked before it",
    "core.care.views.complaint_rows": "a step inside guarded complaint reads (core.care.complaints), masked by role",
    "core.care.views.note_views": "a step inside complaints.get_complaint, which checked OPEN_COMPLAINTS and masks",
    "core.care.views.task_views": "a step inside complaints.get_complaint, which checked OPEN_COMPLAINTS and masks",
    "core.care.escalation.flag_overdue": "the system's escalation run after a sync (sync_escalations): no one is "
                                         "signed in; codes and clocks only",
    "core.care.escalation.pending_escalations": "the system's escalation run after a sync: no one is signed in; "
                                                "codes only leave the store",
    "core.care.escalation.mark_sent": "the system's escalation run after a sync: keeps HQ's acceptance",
    "core.care.escalation.take_back": "the system's escalation run after a sync: copies the region's notes back",
    "core.care.surveys.open_missing_calls": "the sync service opening the call back for low answers HQ wrote "
                                            "for the store (by receipt); no data read out",
    "core.messages.queue.channel_for": "the one channel rule, a step inside guarded event functions (booking, "
                                       "intake, a ticket's move, pickup, a trade-in quote, the loyalty run)",
    "core.messages.queue.queue_message": "queues the message of an event inside the guarded function that made "
                                         "the event, in its unit of work; codes and numbers only",
    "core.messages.queue.cancel_messages": "withdraws unsent messages inside the guarded function whose event "
                                           "ended them (a move, a cancellation, a pickup)",
    "core.messages.events.appointment_booked": "a step inside appointments.book, which checks BOOK_APPOINTMENTS",
    "core.messages.events.appointment_moved": "a step inside appointments.reschedule (BOOK_APPOINTMENTS)",
    "core.messages.events.appointment_cancelled": "a step inside appointments.cancel (BOOK_APPOINTMENTS)",
    "core.messages.events.repair_received": "a step inside repairs.open_ticket, which checks WORK_TICKETS",
    "core.messages.events.ticket_moved": "a step inside the ticket's one move (workflow._move), called by "
                                         "functions that checked WORK_TICKETS, or by apply_pending",
    "core.messages.events.still_waiting_days": "the store's setting for the 'still waiting' message; no customer data",
    "core.messages.events.survey_wanted": "a step inside care.invitations.invite_by_message (WORK_TICKETS)",
    "core.messages.events.survey_invitation": "a step inside care.invitations.invite_by_message (WORK_TICKETS)",
    "core.messages.events.tradein_quoted": "a step inside trade-in quoting, which checks TAKE_TRADE_INS",
    "core.messages.events.tradein_closed": "a step inside trade-in accept/decline/requote/expire (TAKE_TRADE_INS)",
    "core.messages.events.points_expiring": "a step inside loyalty.daily_upkeep, which checks MANAGE_LOYALTY",
    "core.messages.links.apply_pending": "the sync service applying the customer's answers by link HQ wrote for "
                                         "the store, as the system: no one is signed in; the ticket's own rules "
                                         "apply and the history names no staff member",
    "core.messages.events.quote_covers": "what a ticket's quote covers (part names, labour), a step inside the "
                                         "guarded ticket moves that queue the approval message",
    "core.audit.record": "the trail of a guarded action, written inside it; that action's permission covers it",
    "core.audit.epoch": "the audit chain's epoch number, for the sync engine and verify; no store data",
    "core.audit.hq_ack": "the audit head HQ acknowledged (numbers and a MAC), for the sync engine and verify",
    "core.audit.chain_report": "the sync engine reporting the audit chain's head to HQ (numbers and MACs)",
    "core.audit.acknowledge": "the sync engine keeping the audit head HQ acknowledged",
    "core.settings.idle_minutes": "the idle lock's timeout, read for whoever just signed in; every role locks alike",
    "core.settings.tax": "the store's tax rule, printed on every document whoever prints it; no customer data",
    "core.repairs.quoting.store_tax": "the store's tax rule for the money rules; no customer data",
    "core.repairs.quoting.ticket_amounts": "money of a ticket row its caller already loaded under its own permission",
    "core.repairs.handback.amount_due": "money of a ticket row its caller already loaded under its own permission",
    "core.staff.current_store": "which store this file is: needed by the sign-in screen, the sync engine "
                                "and the demo before anyone signs in",
    "core.staff.list_staff": "the sign-in screen's names, before there is an actor",
    "core.staff.get_staff": "sign-in: the staff row an actor is made from (the report CLI, tests)",
    "core.staff.find_by_number": "sign-in: the report CLI finds who is signing in by staff number",
    "core.staff.sign_in_status": "sign-in: the lockout shown before there is an actor",
    "core.staff.authenticate": "sign-in: makes the actor",
    "core.staff.authenticate_number": "sign-in by staff number (the report CLI): makes the actor",
    "core.sync.apply.get_state": "the sync engine's own bookkeeping, kept for the store",
    "core.sync.apply.set_state": "the sync engine's own bookkeeping, kept for the store",
    "core.sync.apply.apply_in": "the sync engine applying HQ's changes for the store",
    "core.sync.enrolment.load_settings": "the sync engine reading its own HQ address, acting for the store",
    "core.recovery.keys.mark_unconfirmed": "set-up marking the recovery key it just made as not yet confirmed, "
                                           "before anyone exists to sign in",
    "core.recovery.keys.unconfirmed": "whether the recovery key was confirmed stored: a yes/no the sign-in and "
                                      "the Settings screen show, no personal data",
    "core.sync.enrolment.record_versions": "the sync engine keeping the newest and oldest versions HQ "
                                           "announced, acting for the store",
    "core.sync.enrolment.status": "the sync queue's health on every counter's settings screen: counts and "
                               "times, no customer data",
    "core.sync.enrolment.parked_ops": "operations HQ refused, on every counter's settings screen: entity kind, "
                                   "id and reason, no customer data",
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

