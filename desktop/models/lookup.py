"""The search box's results: a table model answered from strings made once per answer.

The view asks ``data()`` for up to seven roles of every cell it paints or measures, on every
paint; ``RowsModel`` works each out from the row again. Here the text of every cell is made
once when the answer arrives (``set_rows``) and ``data()`` only indexes it, so a keystroke's
results cost one reset and the view's own drawing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

from desktop.models.rows import ListModel, RowRole
from desktop.qt import QModelIndex, QPersistentModelIndex, Qt

if TYPE_CHECKING:
    from desktop.qt import QObject

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)     # plain ints: compared on every call
_ROW = int(RowRole)
_HORIZONTAL = Qt.Orientation.Horizontal


class TextRowsModel(ListModel):
    """Rows (frozen dataclasses) shown as ``cells(row)``: one string per column, read-only."""

    def __init__(self, titles: Sequence[str], cells: Callable[[Any], tuple[str, ...]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._titles = list(titles)
        self.cells = cells
        self.text: list[tuple[str, ...]] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """One reset for the whole answer; the strings are made before it starts."""
        text = [self.cells(r) for r in rows]
        self.beginResetModel()
        self.rows, self.text = list(rows), text
        self.endResetModel()

    def titles(self) -> Sequence[str]:
        return self._titles

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        # the role first: most of what the view asks (font, colours, icon, check state) is
        # answered None without touching the index
        if role == _DISPLAY:
            r = index.row()
            return self.text[r][index.column()] if 0 <= r < len(self.text) else None
        if role == _ROW:
            r = index.row()
            return self.rows[r] if 0 <= r < len(self.rows) else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation == _HORIZONTAL and 0 <= section < len(self._titles):
            return self._titles[section]
        return None
