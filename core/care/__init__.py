"""The customer's voice (issue 21): surveys, complaints against their clocks, escalation to
the region, care calls, and HQ's rules for them. No Qt here.

The codes below are the one list each; their words live in :mod:`core.terms` (kinds
``feedback_category``, ``complaint_severity``, ``feedback_channel``, ``feedback_status``,
``care_task``, ``care_outcome``, ``survey_channel``), which screen and paper both read."""

from __future__ import annotations

CATEGORIES = ("product", "service", "technical", "billing", "privacy")
SEVERITIES = ("minor", "moderate", "major")
CHANNELS = ("counter", "phone", "email", "survey", "hq")
STATUSES = ("open", "resolved", "closed")
TASK_KINDS = ("detractor_call", "follow_up_call")
OUTCOMES = ("satisfied", "not_satisfied", "unreachable")
SURVEY_CHANNELS = ("display", "receipt")

CLASSIFY_HOURS = 24          # a complaint is classified within 24 real hours of opening (the rule)
NPS_RANGE = range(0, 11)
CSAT_RANGE = range(1, 6)
TEXT_MAX = 4000              # the customer's words, a resolution, a note

__all__ = ["CATEGORIES", "CHANNELS", "CLASSIFY_HOURS", "CSAT_RANGE", "NPS_RANGE", "OUTCOMES", "SEVERITIES",
           "STATUSES", "SURVEY_CHANNELS", "TASK_KINDS", "TEXT_MAX"]
