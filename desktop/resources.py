"""Finding what ships in resources/: icons, style sheets, compiled translations."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from desktop.qt import QIcon

ROOT = Path(__file__).resolve().parent.parent / "resources"
ICONS = ROOT / "icons"
STYLES = ROOT / "styles"
TRANSLATIONS = ROOT / "translations"

_theme = "light"


def set_icon_theme(theme: str) -> None:
    global _theme
    _theme = theme
    icon.cache_clear()


@lru_cache(maxsize=64)
def icon(name: str) -> QIcon:
    if not name:
        return QIcon()
    light = ICONS / f"{name}-light.svg"
    path = light if _theme == "dark" and light.exists() else ICONS / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def style_sheet(theme: str) -> str:
    path = STYLES / f"{theme}.qss"
    return path.read_text("utf-8") if path.exists() else ""
