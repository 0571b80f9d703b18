"""What the trade-in screen's parts share: the tables its writes touch, a breakdown line,
and the price book's labels in the user's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.qt import QComboBox, QLocale




@dataclass(frozen=True)
class Line:
    text: str
    cents: int


def find_data(box: QComboBox, value: Any) -> int:
    """``QComboBox.findData`` by equality: it matches Python objects such as UUIDs only
    when they are the very same object."""
    return next((i for i in range(box.count()) if box.itemData(i) == value), -1)


def _language() -> str:
    return "zh_CN" if QLocale().name().startswith("zh") else "en"


def _text(labels: Any, fallback: str) -> str:
    """A label the price book carries, in the user's language."""
    if isinstance(labels, dict):
        return labels.get(_language()) or labels.get("en") or fallback
    return labels or fallback
