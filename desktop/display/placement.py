"""Where the customer display goes: pure logic over a list of screens, no Qt.

A counter with two screens puts the display, full-screen, on the screen the associate's
window is not on; with three, on one of the others: the named one when the store chose it,
else a screen other than the primary (the desk's own screen usually is), leftmost first so
the choice does not change between runs. With one screen there is nowhere else: ``None``,
and the display opens full-screen over the main window, as a view the associate turns
round, with a "Back to the associate" control."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Screen:
    name: str
    geometry: tuple[int, int, int, int]      # x, y, width, height in desktop coordinates
    primary: bool = False


def choose(screens: list[Screen], main: str | None, preferred: str | None = None) -> Screen | None:
    """The screen for the customer display, or ``None`` for "one screen" (the main one).

    ``main``: the name of the screen the associate's window is on; ``preferred``: a screen
    the store named in its settings (ignored when absent or when it is the main one)."""
    others = [s for s in screens if s.name != main]
    if len(others) == len(screens) and screens:
        # the main window's screen is unknown (unplugged a moment ago): the primary stands in
        primary = next((s for s in screens if s.primary), screens[0])
        others = [s for s in screens if s is not primary]
    if not others:
        return None
    if preferred is not None:
        named = next((s for s in others if s.name == preferred), None)
        if named is not None:
            return named
    return sorted(others, key=lambda s: (s.primary, s.geometry[0], s.geometry[1], s.name))[0]
