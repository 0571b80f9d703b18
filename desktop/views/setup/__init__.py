"""The first-run wizard (issue 24): language, the store or its HQ enrolment, the first
admin, where the key lives, backups, printers, then the store is made and its recovery key
shown. ``SetupWizard`` is the page MainWindow shows on a counter with no store."""

from desktop.views.setup.wizard import SetupWizard

__all__ = ["SetupWizard"]
