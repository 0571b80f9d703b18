"""HQ's log: what a server may write, and nothing else.

A log line never carries a traceback, an SQL statement, a parameter or a query string:
a database error quotes the row it refused (PostgreSQL's ``CONTEXT``), a traceback shows
local values, and a query string may hold a key. So every handler HQ's loggers use gets
:class:`SafeRecords`, which rewrites a record before any formatter sees it:

* an access line (``uvicorn.access``) becomes ``METHOD /path STATUS``: no client
  address, no query string;
* a record with an exception keeps its message and the exception's type only;
* stack information is dropped.

:func:`setup` installs it on ``uvicorn``, ``uvicorn.error``, ``uvicorn.access``,
``uvicorn.asgi``, ``orchard.hq`` and the root logger (so a library's warning, or
asyncio's "exception was never retrieved", is written the same way). ``orchard-hq serve``
calls it before uvicorn starts; ``hq.app.app_from_env`` calls it again inside uvicorn,
which configured its own handlers before it called the factory.
"""

from __future__ import annotations

import logging
import sys
from typing import IO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "orchard.hq")


def _path_only(path: object) -> str:
    return str(path).split("?", 1)[0][:200]


class SafeRecords(logging.Filter):
    """Rewrites each record so it carries no traceback, SQL, parameter or query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.access":
            args = record.args if isinstance(record.args, tuple) else ()
            if len(args) == 5:      # client, method, path with query, HTTP version, status
                record.msg, record.args = "%s %s %s", (str(args[1])[:16], _path_only(args[2]), args[4])
            else:
                record.msg, record.args = "request", None
        if record.exc_info:
            kind = record.exc_info[0].__name__ if record.exc_info[0] is not None else "exception"
            record.msg, record.args = f"{_message(record)} ({kind})", None
            record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed record still gets a line
        return str(record.msg)


class SafeFormatter(logging.Formatter):
    """A second line of defence: even a record that bypassed the filter prints no traceback."""

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        return f"({ei[0].__name__ if ei and ei[0] else 'exception'})"

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 - logging's name
        return ""


def handler(stream: IO[str] | None = None) -> logging.Handler:
    h = logging.StreamHandler(stream or sys.stderr)
    h.setFormatter(SafeFormatter(FORMAT))
    h.addFilter(SafeRecords())
    h.set_name("orchard-hq")
    return h


def setup(level: str | int | None = None, *, stream: IO[str] | None = None) -> None:
    """Send HQ's and uvicorn's loggers to one safe handler on the root logger (calling it
    again replaces it). ``level`` is a ``--log-level`` name or a number; ``None`` keeps
    the levels already set (uvicorn's, when its command line set them)."""
    root = logging.getLogger()
    for old in list(root.handlers):
        if old.get_name() == "orchard-hq":
            root.removeHandler(old)
        elif not any(isinstance(f, SafeRecords) for f in old.filters):
            old.addFilter(SafeRecords())     # whatever else is there writes safely too
    root.addHandler(handler(stream))
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    if isinstance(level, str):
        named = logging.getLevelName(level.upper())
        level = named if isinstance(named, int) else logging.WARNING
    for name in LOGGERS:
        log = logging.getLogger(name)
        log.handlers = []               # uvicorn's own, which print tracebacks and query strings
        log.propagate = True            # to the root's one safe handler
        log.disabled = False
        if level is not None:
            log.setLevel(level)
