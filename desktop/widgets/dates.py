"""Dates between Python and Qt, and the date field the filter bars share (reports, audit)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDateEdit   # not (yet) in desktop.qt

from desktop.qt import QDate


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(name: str, value: date) -> QDateEdit:
    """An ISO date field with a calendar pop-up, named for tests and screenshots."""
    edit = QDateEdit(qdate(value))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit
