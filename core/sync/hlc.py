"""Hybrid logical clock (Kulkarni et al., 2014).

Every change a store makes is stamped with a :class:`Timestamp` that is close to
physical time but still strictly increasing on this node, and strictly greater
than every stamp this node has seen from elsewhere.  Stamps order by
``(wall_ms, counter, node)``; :meth:`Timestamp.encode` gives a fixed-width string
that sorts the same way, so stamps can be stored and compared as text.

Pure and small: no Qt, no database.  :func:`tick` and :func:`receive` are the two
rules of the algorithm; :class:`HybridClock` wraps them with a physical clock and
a lock.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Callable

from core import clock
from core.errors import OrchardError

__all__ = [
    "COUNTER_DIGITS",
    "COUNTER_MAX",
    "DEFAULT_MAX_DRIFT_MS",
    "MAX_NODE_LEN",
    "WALL_DIGITS",
    "WALL_MAX",
    "ClockDriftError",
    "HybridClock",
    "Timestamp",
    "receive",
    "tick",
]

WALL_DIGITS = 15  # milliseconds since the epoch; 10**15 ms is ~ year 33658
COUNTER_DIGITS = 6  # a million events in one millisecond before borrowing the next
WALL_MAX = 10**WALL_DIGITS - 1
COUNTER_MAX = 10**COUNTER_DIGITS - 1
MAX_NODE_LEN = 64
DEFAULT_MAX_DRIFT_MS = 300_000  # five minutes

_ENCODED = re.compile(
    rf"(\d{{{WALL_DIGITS}}})-(\d{{{COUNTER_DIGITS}}})-(.+)", re.ASCII | re.DOTALL
)


# a template per unit, so the GUI can translate it and fill in the number
_DRIFT_REASONS = {
    "s": "a remote clock is {amount} s ahead of this one; refusing the change",
    "ms": "a remote clock is {amount} ms ahead of this one; refusing the change",
}


class ClockDriftError(OrchardError):
    """A remote stamp lies too far in this node's future to be trusted.

    The message says only how far ahead it is; ``ahead_ms`` and ``max_drift_ms``
    carry the numbers.
    """

    def __init__(self, ahead_ms: int, max_drift_ms: int):
        unit = "s" if ahead_ms >= 1000 else "ms"
        super().__init__(_DRIFT_REASONS[unit], amount=ahead_ms // 1000 if unit == "s" else ahead_ms)
        self.ahead_ms = ahead_ms
        self.max_drift_ms = max_drift_ms


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_node(node: object) -> None:
    if not isinstance(node, str):
        raise TypeError("node must be a str")
    if not node or len(node) > MAX_NODE_LEN:
        raise ValueError(f"node must be 1 to {MAX_NODE_LEN} characters")
    if not node.isprintable() or any(ch.isspace() for ch in node):
        raise ValueError("node must not contain whitespace or control characters")


@dataclass(frozen=True, order=True)
class Timestamp:
    """One hybrid-logical-clock stamp; orders by ``(wall_ms, counter, node)``."""

    wall_ms: int
    counter: int
    node: str

    def __post_init__(self) -> None:
        if not _is_int(self.wall_ms) or not _is_int(self.counter):
            raise TypeError("wall_ms and counter must be int")
        if not 0 <= self.wall_ms <= WALL_MAX:
            raise ValueError(f"wall_ms must be between 0 and {WALL_MAX}")
        if not 0 <= self.counter <= COUNTER_MAX:
            raise ValueError(f"counter must be between 0 and {COUNTER_MAX}")
        _check_node(self.node)

    def encode(self) -> str:
        """``WWWWWWWWWWWWWWW-CCCCCC-node``; string order equals stamp order."""
        return f"{self.wall_ms:0{WALL_DIGITS}d}-{self.counter:0{COUNTER_DIGITS}d}-{self.node}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        """Inverse of :meth:`encode`; ``ValueError`` on anything malformed."""
        if not isinstance(text, str):
            raise ValueError("an encoded timestamp must be a str")
        match = _ENCODED.fullmatch(text)
        if match is None:
            raise ValueError("malformed timestamp")
        wall, counter, node = match.groups()
        try:
            return cls(int(wall), int(counter), node)
        except TypeError as exc:  # cannot happen for a str node; keep the contract
            raise ValueError(str(exc)) from exc

    def __str__(self) -> str:
        return self.encode()


def _physical(now_ms: int) -> int:
    """Validate a physical reading; a clock before 1970 counts as 1970."""
    if not _is_int(now_ms):
        raise TypeError("now_ms must be an int number of milliseconds")
    if now_ms > WALL_MAX:
        raise ValueError(f"now_ms must not exceed {WALL_MAX}")
    return max(now_ms, 0)


def _stamp(wall_ms: int, counter: int, node: str) -> Timestamp:
    """Build a stamp, borrowing the next millisecond when the counter is full."""
    if counter > COUNTER_MAX:
        wall_ms, counter = wall_ms + 1, 0
    if wall_ms > WALL_MAX:
        raise ValueError("the hybrid clock has run out of milliseconds")
    return Timestamp(wall_ms, counter, node)


def tick(last: Timestamp | None, now_ms: int, node: str) -> Timestamp:
    """The stamp for a local event (send or local change).

    Strictly greater than ``last`` in ``(wall_ms, counter)`` and never behind
    ``now_ms``, even when the physical clock steps backwards.
    """
    _check_node(node)
    now_ms = _physical(now_ms)
    if last is None or now_ms > last.wall_ms:
        return _stamp(now_ms, 0, node)
    return _stamp(last.wall_ms, last.counter + 1, node)


def receive(
    last: Timestamp | None,
    remote: Timestamp,
    now_ms: int,
    node: str,
    max_drift_ms: int = DEFAULT_MAX_DRIFT_MS,
) -> Timestamp:
    """Merge a stamp from another node.

    The result is strictly greater (in ``(wall_ms, counter)``) than both ``last``
    and ``remote`` and never behind ``now_ms``; its node is ours.  A remote stamp
    more than ``max_drift_ms`` ahead of ``now_ms`` raises :class:`ClockDriftError`
    so one node with a wild clock cannot drag every other clock into the future.
    """
    if not isinstance(remote, Timestamp):
        raise TypeError("remote must be a Timestamp")
    if not _is_int(max_drift_ms) or max_drift_ms < 0:
        raise ValueError("max_drift_ms must be a non-negative int")
    _check_node(node)
    now_ms = _physical(now_ms)
    if remote.wall_ms > now_ms + max_drift_ms:
        raise ClockDriftError(remote.wall_ms - now_ms, max_drift_ms)
    if last is None:
        if now_ms > remote.wall_ms:
            return _stamp(now_ms, 0, node)
        return _stamp(remote.wall_ms, remote.counter + 1, node)
    wall = max(last.wall_ms, remote.wall_ms, now_ms)
    if wall == last.wall_ms == remote.wall_ms:
        counter = max(last.counter, remote.counter) + 1
    elif wall == last.wall_ms:
        counter = last.counter + 1
    elif wall == remote.wall_ms:
        counter = remote.counter + 1
    else:
        counter = 0
    return _stamp(wall, counter, node)


def _system_wall_ms() -> int:
    return clock.now_ms()


class HybridClock:
    """A thread-safe hybrid logical clock for one node.

    ``wall`` returns physical time in ms (injectable for tests); ``last`` may be
    seeded from persisted state so a restarted app continues above it.
    """

    def __init__(
        self,
        node: str,
        wall: Callable[[], int] | None = None,
        last: Timestamp | None = None,
        max_drift_ms: int = DEFAULT_MAX_DRIFT_MS,
    ):
        _check_node(node)
        if last is not None and not isinstance(last, Timestamp):
            raise TypeError("last must be a Timestamp or None")
        if not _is_int(max_drift_ms) or max_drift_ms < 0:
            raise ValueError("max_drift_ms must be a non-negative int")
        self.node = node
        self.wall = wall if wall is not None else _system_wall_ms
        self.max_drift_ms = max_drift_ms
        self._last = last
        self._lock = threading.Lock()

    @property
    def last(self) -> Timestamp | None:
        """The most recent stamp issued (or the seed); persist it to survive restarts."""
        return self._last

    def now(self) -> Timestamp:
        """A fresh stamp for a local event."""
        with self._lock:
            self._last = tick(self._last, self.wall(), self.node)
            return self._last

    def update(self, remote: Timestamp) -> Timestamp:
        """Merge a remote stamp; on :class:`ClockDriftError` the clock is unchanged."""
        with self._lock:
            self._last = receive(self._last, remote, self.wall(), self.node, self.max_drift_ms)
            return self._last

    def __repr__(self) -> str:
        return f"HybridClock(node={self.node!r}, last={self._last!r})"
