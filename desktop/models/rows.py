"""A table model over a list of frozen row dataclasses (what core services return)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

from desktop.qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

if TYPE_CHECKING:
    from desktop.qt import QObject

RowRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    title: str                                  # already translated by the screen
    value: Callable[[Any], Any]                 # what is shown
    sort_key: Callable[[Any], Any] | None = None
    align_right: bool = False
    foreground: Callable[[Any], Any] | None = None   # a QColor for rows that must stand out


class ListModel(QAbstractTableModel):
    """A read-only flat table over ``rows``: what every list model here shares (subclasses
    name their columns' titles and answer ``data``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> Any:
        return self.rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.titles())

    def titles(self) -> Sequence[str]:
        raise NotImplementedError


class RowsModel(ListModel):
    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)

    def titles(self) -> Sequence[str]:
        return [c.title for c in self.columns]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row, col = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.value(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col.foreground is not None:
            return col.foreground(row)
        if role == RowRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(self.columns)):
            return
        col = self.columns[column]
        key = col.sort_key or (lambda r: (col.value(r) is None, str(col.value(r) or "")))
        self.beginResetModel()
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.endResetModel()
