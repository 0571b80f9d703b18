"""Orchard's version: the one place it is written (pyproject.toml reads it from here).

The app shows it (About, the sign-in screen's corner, ``orchard --version``) and sends it with
every sync request; HQ answers with the newest version it announces and the oldest it still
accepts (core.sync.client reads them into the sync status).
"""

from __future__ import annotations

import re

VERSION = "1.0.0"

_PART = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def parse(text: str) -> tuple[int, int, int]:
    """``"1.2.3"`` as ``(1, 2, 3)``; anything else is a ValueError naming the text's shape."""
    match = _PART.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError("a version is three whole numbers joined by dots, e.g. 1.2.3")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def older(a: str, b: str) -> bool:
    """True when version ``a`` comes before ``b``."""
    return parse(a) < parse(b)
