"""Repair tickets from intake to pickup: the bench.

A ticket moves through a fixed workflow; the actions staff take (intake, diagnosis and
quote, the customer's approval, parts arriving, repair done, quality check, pickup)
each make at most one move. One module per job: ``workflow`` holds the statuses, which
may follow which, the checklists and the one place a status changes (``_move``);
``intake`` opens a ticket (its number, the sealed passcode) and feeds the intake form;
``quoting`` the diagnosis, warranty decision, quote, approval and a ticket's money;
``parts`` stock, reservations and deliveries; ``steps`` assignment, diagnosis start,
repair done, quality check, cancel and not repairable; ``handback`` the pickup (with
the identity check); ``corrections`` a manager's voids and the rework of a device
returned under the repair's warranty;
``boards`` the technician's queue and the manager's summary; ``detail`` the one read
model of a whole ticket, shown by the bench and printed by the documents. Callers
import from ``core.repairs``; the names below are its public surface.
"""

from core.repairs.boards import BOARD_SCOPES, BoardRow, BoardSummary, board, board_summary, list_board
from core.repairs.corrections import (
    REPAIR_WARRANTY_DAYS, earn_at_pickup, open_rework, record_payment, void_payment, void_pickup,
)
from core.repairs.detail import HistoryEntry, PartLine, TicketDetail, ticket_detail
from core.repairs.handback import amount_due, pickup
from core.repairs.intake import (
    AppointmentInfo, DeviceChoice, IntakeContext, _next_ticket_number, intake_context, open_ticket, reveal_passcode,
)
from core.repairs.parts import PartRow, list_parts, receive_stock, resume_repair
from core.repairs.quoting import (
    QuoteLine, QuoteResult, decide_warranty, quote, record_approval, reopen_diagnosis, store_tax, ticket_amounts,
)
from core.repairs.steps import assign, cancel, finish_repair, mark_unrepairable, quality_check, start_diagnosis
from core.repairs.workflow import (
    APPROVAL_CHANNELS, CLOSED_STATUSES, CONDITION_CHECKS, CONTACT_PREFERENCES, DEFAULT_DUE_HOURS, DEVICE_KINDS,
    MAX_CENTS, MAX_PASSCODE, MAX_QUANTITY, MAX_SIGNATURE_BYTES, OPEN_STATUSES, PARTS_DELAY_HOURS, PAYMENT_STATUSES,
    PNG_MAGIC, QC_CHECKS, SCAN_PREFIX, SEAL_KEY, STAFF_APPROVAL_CHANNELS, STATUSES, TRANSITIONS, WARRANTY_DECISIONS, IllegalMove, TicketView,
    allowed_moves, find_ticket,
)

__all__ = [
    "APPROVAL_CHANNELS", "BOARD_SCOPES", "CLOSED_STATUSES", "CONDITION_CHECKS", "CONTACT_PREFERENCES",
    "DEFAULT_DUE_HOURS", "STAFF_APPROVAL_CHANNELS", "DEVICE_KINDS", "MAX_CENTS", "MAX_PASSCODE", "MAX_QUANTITY", "MAX_SIGNATURE_BYTES",
    "OPEN_STATUSES", "PARTS_DELAY_HOURS", "PAYMENT_STATUSES", "PNG_MAGIC", "QC_CHECKS", "SCAN_PREFIX", "SEAL_KEY",
    "STATUSES", "TRANSITIONS", "WARRANTY_DECISIONS",
    "AppointmentInfo", "BoardRow", "BoardSummary", "DeviceChoice", "HistoryEntry", "IllegalMove", "IntakeContext",
    "PartLine", "PartRow", "QuoteLine", "QuoteResult", "TicketDetail", "TicketView",
    "allowed_moves", "amount_due", "assign", "board", "board_summary", "cancel", "decide_warranty", "find_ticket",
    "finish_repair", "intake_context", "list_board", "list_parts", "mark_unrepairable", "open_ticket", "pickup",
    "quality_check", "quote", "receive_stock", "record_approval", "reopen_diagnosis", "resume_repair",
    "reveal_passcode", "start_diagnosis", "store_tax", "ticket_amounts", "ticket_detail", "_next_ticket_number",
    "REPAIR_WARRANTY_DAYS", "earn_at_pickup", "open_rework", "record_payment", "void_payment", "void_pickup",
]
