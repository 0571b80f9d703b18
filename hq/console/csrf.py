"""CSRF: every POST carries the session's token in a ``csrf`` form field (the sign-in page
has a session of its own for this). Compared in constant time; missing or wrong → 403."""

from __future__ import annotations

import hmac

FIELD = "csrf"


def valid(expected: str | None, submitted: object) -> bool:
    if not expected or not isinstance(submitted, str) or not submitted or len(submitted) > 200:
        return False
    return hmac.compare_digest(expected.encode("ascii"), submitted.encode("utf-8"))
