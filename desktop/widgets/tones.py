"""Colours of table text that must stand out (an overdue ticket, parts short of stock, a
negative balance, points earned, an appointment's status), chosen for the theme in use:
the models ask when a cell is painted, so each reads at 4.5:1 or better on the light and on
the dark theme's table rows (also under the bench's red tint) and a change of theme
recolours them without a reload. The values are those of the style sheets
(resources/styles/*.qss) for the same states."""

from __future__ import annotations

from desktop.qt import QApplication, QColor, QPalette

# light, dark
TONES = {
    "bad": ("#9b2c2c", "#fc8181"),        # light: also on the bench's red tint of an overdue row
    "good": ("#276749", "#68d391"),
}

# an appointment's status as text in a table (the calendar's edge colours are too pale for text)
STATUS_TONES = {
    "booked": ("#2b6cb0", "#63b3ed"),
    "checked_in": ("#975a16", "#f6c35b"),
    "in_service": ("#6b46c1", "#b794f4"),
    "completed": ("#276749", "#68d391"),
    "no_show": ("#c53030", "#fc8181"),
    "cancelled": ("#5f6b7a", "#a0aec0"),
}


def dark_theme() -> bool:
    """The dark theme is on: the palette's base (behind table rows) is dark."""
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def tone(name: str) -> QColor:
    return QColor(TONES[name][1 if dark_theme() else 0])


def status_tone(status: str) -> QColor:
    return QColor(STATUS_TONES.get(status, STATUS_TONES["booked"])[1 if dark_theme() else 0])
