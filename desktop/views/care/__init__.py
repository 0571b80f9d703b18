"""Customer care at the counter (issue 21): the manager's due list, a complaint with its
clocks and script, the dialog that records a complaint, the calls a store owes."""

from desktop.views.care.screen import CareScreen

__all__ = ["CareScreen"]
