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
    # loyalty ledger
    "earn": QT_TRANSLATE_NOOP("Labels", "earned"),
    "redeem": QT_TRANSLATE_NOOP("Labels", "redeemed"),
    "expire": QT_TRANSLATE_NOOP("Labels", "expired points"),
    "adjust": QT_TRANSLATE_NOOP("Labels", "adjustment"),
    "bonus": QT_TRANSLATE_NOOP("Labels", "bonus"),
    # consent channels
    "in_store": QT_TRANSLATE_NOOP("Labels", "in store"),
    "phone": QT_TRANSLATE_NOOP("Labels", "by phone"),
    "online": QT_TRANSLATE_NOOP("Labels", "online"),
    "paper": QT_TRANSLATE_NOOP("Labels", "on paper"),
    # trade-in answers, blocklist reasons and payouts
    "yes": QT_TRANSLATE_NOOP("Labels", "yes"),
    "no": QT_TRANSLATE_NOOP("Labels", "no"),
    "on": QT_TRANSLATE_NOOP("Labels", "on"),
    "off": QT_TRANSLATE_NOOP("Labels", "off"),
    "flawless": QT_TRANSLATE_NOOP("Labels", "flawless"),
    "light_scratches": QT_TRANSLATE_NOOP("Labels", "light scratches"),
    "deep_scratches": QT_TRANSLATE_NOOP("Labels", "deep scratches"),
    "dead_pixels_or_burn_in": QT_TRANSLATE_NOOP("Labels", "dead pixels or burn-in"),
    "cracked": QT_TRANSLATE_NOOP("Labels", "cracked"),
    "light_wear": QT_TRANSLATE_NOOP("Labels", "light wear"),
    "dents": QT_TRANSLATE_NOOP("Labels", "dents"),
    "cracked_or_bent": QT_TRANSLATE_NOOP("Labels", "cracked or bent"),
    "all_work": QT_TRANSLATE_NOOP("Labels", "all work"),
    "one_fault": QT_TRANSLATE_NOOP("Labels", "one fault"),
    "several_faults": QT_TRANSLATE_NOOP("Labels", "several faults"),
    "does_not_hold_charge": QT_TRANSLATE_NOOP("Labels", "does not hold a charge"),
    "lens_scratched": QT_TRANSLATE_NOOP("Labels", "lens scratched"),
    "loose": QT_TRANSLATE_NOOP("Labels", "loose"),
    "not_working": QT_TRANSLATE_NOOP("Labels", "not working"),
    "works": QT_TRANSLATE_NOOP("Labels", "works"),
    "none_fitted": QT_TRANSLATE_NOOP("Labels", "none fitted"),
    "stolen": QT_TRANSLATE_NOOP("Labels", "stolen"),
    "lost": QT_TRANSLATE_NOOP("Labels", "lost"),
    "unpaid": QT_TRANSLATE_NOOP("Labels", "unpaid"),
    "store_credit": QT_TRANSLATE_NOOP("Labels", "store credit"),
    "voucher": QT_TRANSLATE_NOOP("Labels", "voucher"),
    "purchase": QT_TRANSLATE_NOOP("Labels", "towards a purchase"),
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
