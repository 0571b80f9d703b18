"""What the printable documents and the manager reports show, gathered straight from
the models: one function per document, ``(session, actor, ...) -> frozen dataclass``,
which the renderers in ``reports/`` only lay out.

``documents`` holds the customer-facing ones: a repair ticket's service report, intake
receipt and device label (``TicketDocument``: the bench's own ``core.repairs``
read model of the ticket plus the store's header, so paper and screen agree), the
trade-in receipt, the member card and the access-request export. ``manager`` holds
the day, period, technician and satisfaction reports (and the definitions of what
they count); ``programmes`` the loyalty and trade-in summaries; ``_common`` the
store header, who asked, local days and averages they share. Callers import from
``core.report_data``.
"""

from core.report_data._common import (
    CLOSED_STATUSES, KEPT_STATUSES, MAX_PERIOD_DAYS, MEMBER_PAYLOAD_PREFIX, Generated, StoreHeader,
    appointment_kind, day_bounds, first_time_fixes, mean, median, percent, turnaround_hours,
)
from core.report_data.documents import (
    AnswerLine, BreakdownLine, MemberCardData, TicketDocument, TradeInReceiptData, customer_export, device_label,
    intake_receipt, member_card, service_report, tradein_receipt,
)
from core.report_data.manager import (
    AppointmentFigures, ChannelFigures, Comment, ComplaintFigures, DayAppointment, DayReportData, FeedbackCategory, Figures, PeriodReportData,
    SatisfactionFigures, SatisfactionReportData, StaffScore, TechDay, TechnicianReportData, TechnicianRow, TicketFigures,
    TradeInFigures, day_report, period_report, satisfaction_report, technician_report,
)
from core.report_data.programmes import (
    GRADE_ORDER, QUOTE_STATUSES, TIER_ORDER, CountValue, LoyaltyReportData, TopMember, TradeInReportData,
    loyalty_report, tradein_report,
)

__all__ = [
    "CLOSED_STATUSES", "GRADE_ORDER", "KEPT_STATUSES", "MAX_PERIOD_DAYS", "MEMBER_PAYLOAD_PREFIX", "QUOTE_STATUSES",
    "TIER_ORDER",
    "AnswerLine", "AppointmentFigures", "BreakdownLine", "ChannelFigures", "Comment", "ComplaintFigures", "CountValue", "DayAppointment", "DayReportData",
    "FeedbackCategory", "Figures", "Generated", "LoyaltyReportData", "MemberCardData", "PeriodReportData",
    "SatisfactionFigures", "SatisfactionReportData", "StaffScore", "StoreHeader", "TechDay", "TechnicianReportData",
    "TechnicianRow", "TicketDocument", "TicketFigures", "TopMember", "TradeInFigures", "TradeInReceiptData",
    "TradeInReportData",
    "appointment_kind", "first_time_fixes", "mean", "median", "percent", "turnaround_hours",
    "customer_export", "day_bounds", "day_report", "device_label", "intake_receipt", "loyalty_report", "member_card",
    "period_report", "satisfaction_report", "service_report", "technician_report", "tradein_report",
    "tradein_receipt",
]
