"""What the loyalty screen's parts share: the tables a ledger write touches, the card's tier
colours, and how a ledger table and a points figure look."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.qt import QAbstractItemView, QHeaderView, QLocale, QTableView

if TYPE_CHECKING:
    from desktop.qt import QAbstractItemModel


TIER_COLOURS = {"platinum": "#5b6770", "gold": "#b08a2e", "silver": "#8a949c"}
DEBOUNCE_MS = 200


def _table(model: QAbstractItemModel) -> QTableView:
    t = QTableView()
    t.setModel(model)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setAlternatingRowColors(True)
    t.setSortingEnabled(True)
    t.verticalHeader().hide()
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return t


def points(n: int, signed: bool = False) -> str:
    text = QLocale().toString(abs(n) if signed else n)
    return (("+" if n > 0 else "−" if n < 0 else "") + text) if signed else text
