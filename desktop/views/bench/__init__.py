"""The bench: the technicians' queue and the ticket workspace.

The board lists tickets (my queue, assigned to me, unassigned, by status, and the
whole store for managers) with their age and due time; overdue ones stand out. Opening
one shows its workspace: intake, diagnosis and quote, parts, the customer's approval,
repair and quality check, pickup with a signature drawn on the screen, and the history.
Every button is one core action run by the database worker; the workflow itself (what
may follow what) lives in ``core.repairs``.

``screen`` holds ``BenchScreen`` and the board; ``panel`` holds ``TicketPanel``, the
workspace's header and whole-ticket actions, which shows one tab per module:
``intake_tab``, ``quote_tab``, ``parts_tab``, ``approval_tab``, ``qc_tab``, ``pickup_tab``
and ``history_tab``. ``_common`` holds what they share (colours, ``fail``, tables, the
``TicketTab`` base). The signature pad is ``desktop.widgets.signature``.
"""

from desktop.views.bench._common import fail
from desktop.views.bench.panel import TicketPanel
from desktop.views.bench.screen import BenchScreen

__all__ = ["BenchScreen", "TicketPanel", "fail"]
