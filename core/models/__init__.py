"""All models, imported so that ``Base.metadata`` knows every table."""

from core.models.audit import AuditEvent
from core.models.base import Base, utcnow
from core.models.crm import ActionOutcome, CustomerScore, ListExport, NextActionRule, SegmentSnapshot
from core.models.customer import Consent, Customer, CustomerNote, Device, Purchase
from core.models.feedback import (
    CareSetting, CareTask, ComplaintRule, Feedback, FeedbackNote, ResponseScript, Survey, SurveyInvitation,
)
from core.models.messages import LinkAnswer, MessageRequest
from core.models.loyalty import LoyaltyAccount, LoyaltyEntry
from core.models.repair import Part, PartStock, RepairEvent, RepairPart, RepairTicket, TicketCounter
from core.models.service import Appointment, ServiceType, WalkIn
from core.models.store import Shift, ShiftTemplate, SignInState, Staff, Store
from core.models.sync import OutboxEntry, SyncState
from core.models.tradein import ImeiBlock, PriceBook, PriceBookEntry, TradeInModel, TradeInQuote

__all__ = [
    "ActionOutcome", "CustomerScore", "ListExport", "NextActionRule", "SegmentSnapshot",
    "Appointment", "AuditEvent", "Base", "CareSetting", "CareTask", "ComplaintRule", "Consent", "Customer",
    "CustomerNote", "Device", "Feedback", "FeedbackNote", "ImeiBlock", "LinkAnswer", "LoyaltyAccount",
    "LoyaltyEntry", "MessageRequest", "OutboxEntry", "Part", "PartStock", "PriceBook", "PriceBookEntry", "Purchase",
    "RepairEvent", "RepairPart", "RepairTicket", "ResponseScript", "ServiceType", "Shift", "ShiftTemplate",
    "SignInState", "Staff", "Store", "Survey", "SurveyInvitation", "SyncState", "TicketCounter", "TradeInModel",
    "TradeInQuote", "WalkIn", "utcnow",
]
