"""Names for the core's codes (roles, statuses, grades, tiers), translated for display."""

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.qt import QCoreApplication

CODES = {
    # roles
    "associate": QT_TRANSLATE_NOOP("Labels", "associate"),
    "technician": QT_TRANSLATE_NOOP("Labels", "technician"),
    "manager": QT_TRANSLATE_NOOP("Labels", "manager"),
    "admin": QT_TRANSLATE_NOOP("Labels", "admin"),
    # appointment statuses
    "booked": QT_TRANSLATE_NOOP("Labels", "booked"),
    "checked_in": QT_TRANSLATE_NOOP("Labels", "checked in"),
    "in_service": QT_TRANSLATE_NOOP("Labels", "in service"),
    "completed": QT_TRANSLATE_NOOP("Labels", "completed"),
    "no_show": QT_TRANSLATE_NOOP("Labels", "no-show"),
    "cancelled": QT_TRANSLATE_NOOP("Labels", "cancelled"),
    # ticket statuses
    "new": QT_TRANSLATE_NOOP("Labels", "new"),
    "diagnosing": QT_TRANSLATE_NOOP("Labels", "diagnosing"),
    "awaiting_approval": QT_TRANSLATE_NOOP("Labels", "awaiting approval"),
    "awaiting_parts": QT_TRANSLATE_NOOP("Labels", "awaiting parts"),
    "in_repair": QT_TRANSLATE_NOOP("Labels", "in repair"),
    "quality_check": QT_TRANSLATE_NOOP("Labels", "quality check"),
    "ready": QT_TRANSLATE_NOOP("Labels", "ready for pickup"),
    "collected": QT_TRANSLATE_NOOP("Labels", "collected"),
    "unrepairable": QT_TRANSLATE_NOOP("Labels", "unrepairable"),
    # trade-in
    "quoted": QT_TRANSLATE_NOOP("Labels", "quoted"),
    "accepted": QT_TRANSLATE_NOOP("Labels", "accepted"),
    "declined": QT_TRANSLATE_NOOP("Labels", "declined"),
    "expired": QT_TRANSLATE_NOOP("Labels", "expired"),
    "requoted": QT_TRANSLATE_NOOP("Labels", "re-quoted"),
    "received": QT_TRANSLATE_NOOP("Labels", "received"),
    "like_new": QT_TRANSLATE_NOOP("Labels", "like new"),
    "good": QT_TRANSLATE_NOOP("Labels", "good"),
    "fair": QT_TRANSLATE_NOOP("Labels", "fair"),
    "damaged": QT_TRANSLATE_NOOP("Labels", "damaged"),
    "unusable": QT_TRANSLATE_NOOP("Labels", "unusable"),
    # loyalty tiers
    "silver": QT_TRANSLATE_NOOP("Labels", "Silver"),
    "gold": QT_TRANSLATE_NOOP("Labels", "Gold"),
    "platinum": QT_TRANSLATE_NOOP("Labels", "Platinum"),
}


def label(code: str | None) -> str:
    if not code:
        return ""
    text = CODES.get(code, code.replace("_", " "))
    return QCoreApplication.translate("Labels", text)
