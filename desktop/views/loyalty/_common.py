"""What the loyalty screen's parts share: the card's tier colours, the search debounce and
how a points figure looks."""

from __future__ import annotations

from desktop.qt import QLocale

TIER_COLOURS = {"platinum": "#5b6770", "gold": "#b08a2e", "silver": "#8a949c"}
DEBOUNCE_MS = 200


def points(n: int, signed: bool = False) -> str:
    text = QLocale().toString(abs(n) if signed else n)
    return (("+" if n > 0 else "−" if n < 0 else "") + text) if signed else text
