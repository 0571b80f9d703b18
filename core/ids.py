"""UUIDv7 ids: time-ordered, so rows created offline in many stores never collide
and still index well (RFC 9562 §5.7)."""

from __future__ import annotations

import os
import threading
import uuid

from core import clock

_lock = threading.Lock()
_last_ms = 0
_last_rand = 0


def _forget_after_fork() -> None:
    # A forked child must not continue the parent's sequence: both would count up from
    # the same last value and make the same ids within one millisecond.
    global _last_ms, _last_rand, _lock
    _lock = threading.Lock()
    _last_ms, _last_rand = 0, 0


os.register_at_fork(after_in_child=_forget_after_fork)


def uuid7() -> uuid.UUID:
    """A UUIDv7; ids made in one process are strictly increasing (monotonic counter
    in the random bits when two fall in the same millisecond)."""
    global _last_ms, _last_rand
    with _lock:
        ms = clock.now_ms()
        if ms <= _last_ms:
            ms = _last_ms
            rand = _last_rand + 1
            if rand >= 1 << 74:  # counter exhausted: borrow the next millisecond
                ms += 1
                rand = int.from_bytes(os.urandom(10), "big") >> 7
        else:
            rand = int.from_bytes(os.urandom(10), "big") >> 7  # 73 bits; room to count up
        _last_ms, _last_rand = ms, rand
    rand_a = (rand >> 62) & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)
