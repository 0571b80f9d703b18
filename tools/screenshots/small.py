"""Screenshots at a small counter screen (1024x768) for the README: the customer profile
and trade-in in the light theme and in the dark theme, the app started in it."""

from __future__ import annotations

from pathlib import Path

from core.permissions import Role
from tools.screenshots import driver
from tools.screenshots.driver import SIZE, pump_until, save, sign_in_as

SMALL = (1024, 768)


def _shots(window, target: Path, theme: str) -> list[Path]:
    saved = []
    driver._open_rich_profile(window)
    saved.append(save(window, target / f"small-{theme}-profile.png"))
    window.shell.go("tradein")
    screen = window.shell.screens["tradein"]
    pump_until(lambda: screen.family_box.count() > 1)
    saved.append(save(window, target / f"small-{theme}-tradein.png"))
    return saved


def take(window, target: Path, people: dict) -> list[Path]:
    target = Path(target)
    sign_in_as(window, people, Role.ADMIN)
    window.resize(*SMALL)
    pump_until(lambda: True)
    saved = _shots(window, target, "light")
    before = window.shell.screens.get("customers")
    window.change_theme("dark")
    # the shell is rebuilt in the new theme
    pump_until(lambda: window.shell.screens.get("customers") not in (None, before))
    saved += _shots(window, target, "dark")
    window.change_theme("light")
    pump_until(lambda: True)
    window.resize(*SIZE)
    return saved
