"""The read-only list every screen shows: rows selected whole, nothing edited in place,
alternating rows, no row numbers; columns share the width unless the caller fits them.
Tab leaves it (every table in the app does: ``desktop.shortcuts.TabLeavesTables``)."""

from __future__ import annotations

from desktop.qt import QAbstractItemModel, QAbstractItemView, QHeaderView, QTableView


def list_table(model: QAbstractItemModel, *, stretch: bool = True, sortable: bool = False,
               single: bool = True) -> QTableView:
    t = QTableView()
    t.setModel(model)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setAlternatingRowColors(True)
    t.setSortingEnabled(sortable)
    t.verticalHeader().hide()
    t.setTabKeyNavigation(False)     # Tab moves on to the next widget; the arrows move between rows
    if stretch:
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return t
