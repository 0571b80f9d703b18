"""Orchard's version: the one place it is written (pyproject.toml reads it from here).

The app shows it (About, the sign-in screen's corner, ``orchard --version``) and sends it with
every sync request (header :data:`HEADER`); HQ answers every ``/v1`` request with the newest
version it announces (:data:`NEWEST_HEADER`) and the oldest it still accepts
(:data:`OLDEST_HEADER`), and refuses a store below the oldest with HTTP 426 (hq.versions).
core.sync.client reads both into the sync status.
"""

from __future__ import annotations

import re

VERSION = "1.0.0"

HEADER = "X-Orchard-Version"          # the store's version, on every request to HQ
NEWEST_HEADER = "X-Orchard-Newest"    # HQ: the newest version there is
OLDEST_HEADER = "X-Orchard-Oldest"    # HQ: the oldest version it still accepts
TOO_OLD = "version_too_old"           # HQ's 426 answer, and the sync status's error kind

_PART = re.compile(r"(\d{1,9})\.(\d{1,9})\.(\d{1,9})", re.ASCII)


def parse(text: str) -> tuple[int, int, int]:
    """``"1.2.3"`` as ``(1, 2, 3)``; anything else is a ValueError naming the text's shape
    (never the text: it may come from a request header)."""
    match = _PART.fullmatch(text.strip()) if isinstance(text, str) and len(text) <= 40 else None
    if match is None:
        raise ValueError("a version is three whole numbers joined by dots, e.g. 1.2.3")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def older(a: str, b: str) -> bool:
    """True when version ``a`` comes before ``b``."""
    return parse(a) < parse(b)


def normal(text: str | None) -> str | None:
    """``text`` as a version written the usual way (``"01.2.3 "`` -> ``"1.2.3"``), or None
    when it is missing or not a version."""
    if text is None:
        return None
    try:
        return "%d.%d.%d" % parse(text)
    except ValueError:
        return None


def update_available(newest: str | None, current: str = VERSION) -> str | None:
    """The newer version HQ announced, when there is one; None otherwise (or when the
    announcement is not a version)."""
    newest = normal(newest)
    return newest if newest is not None and older(current, newest) else None
