"""The application object: its language (translators, locale, fonts), its theme (palette
and style sheet), its log file."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from desktop.qt import (
    QApplication, QColor, QLibraryInfo, QLocale, QPalette, QSettings, QStandardPaths, QTranslator,
)
from desktop.resources import TRANSLATIONS, set_icon_theme, style_sheet

_translators: list[QTranslator] = []


def chosen_language(settings: QSettings) -> str:
    lang = settings.value("language", "") or QLocale.system().name()
    return "zh_CN" if str(lang).startswith("zh") else "en"


def install_language(app: QApplication, lang: str) -> None:
    for t in _translators:
        app.removeTranslator(t)
    _translators.clear()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if lang == "zh_CN"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    from desktop.fonts import apply_language_font
    apply_language_font(app, lang)      # Chinese headings and buttons keep their bold
    if lang == "en":
        return
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS / f"orchard_{lang}.qm")):
        app.installTranslator(ours)
        _translators.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _translators.append(qt)


def theme_palette(app: QApplication, theme: str) -> QPalette:
    """The palette under the style sheet: what the sheet does not colour (tab panes, scroll
    areas, text boxes, date edits, calendar pop-ups, tool tips) follows it. Light is the
    style's own; dark has dark panels and light text, in the sheet's colours."""
    palette = app.style().standardPalette()
    if theme != "dark":
        return palette
    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#1c2026", roles.WindowText: "#e2e8f0", roles.Base: "#1f242b",
        roles.AlternateBase: "#2a3038", roles.Button: "#2d333c", roles.ButtonText: "#e2e8f0",
        roles.Text: "#e2e8f0", roles.BrightText: "#ffffff", roles.Highlight: "#2c5440",
        roles.HighlightedText: "#f0fff4", roles.PlaceholderText: "#8f9aab", roles.ToolTipBase: "#f7fafc",
        roles.ToolTipText: "#1a202c", roles.Link: "#68d391", roles.LinkVisited: "#9ae6b4",
        roles.Light: "#404857", roles.Midlight: "#363d48", roles.Mid: "#2d333c", roles.Dark: "#15181d",
        roles.Shadow: "#0d0f12",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#6b7482"))
    palette.setColor(disabled, roles.Base, QColor("#23272e"))
    palette.setColor(disabled, roles.Button, QColor("#23272e"))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """The theme's palette and style sheet, set only when they differ from what the app has:
    setting either re-polishes every widget of every window (seconds with a few shells open)."""
    set_icon_theme(theme)
    palette = theme_palette(app, theme)
    if app.palette() != palette:
        app.setPalette(palette)
    sheet = style_sheet(theme)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)


def setup_logging(folder: Path) -> None:
    handler = logging.handlers.RotatingFileHandler(folder / "orchard.log", maxBytes=2_000_000, backupCount=3,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("orchard")
    root.setLevel(logging.INFO)
    root.addHandler(handler)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    from desktop import gc_guard
    gc_guard.install(app)
    app.setOrganizationName("Orchard")
    app.setApplicationName("Orchard")
    app.setApplicationDisplayName("Orchard")
    return app


def data_dir() -> Path:
    base = os.environ.get("ORCHARD_HOME") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
