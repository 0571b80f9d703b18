"""Kill a forked writer at a random moment *after* it started writing, whatever the load
on the machine: the child says READY once its database is open, and the parent's random
delay starts from there."""

from __future__ import annotations

import os
import signal
import time

READY = b"READY\n"


def run_and_kill(child, delay: float) -> list[str]:
    """Fork ``child(write_fd)``; SIGKILL it ``delay`` s after it reports READY. Returns the
    complete lines it reported (a line cut off by the kill was not reported)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.close(r)
        try:
            child(w)
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while READY not in data:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    data = data.replace(READY, b"", 1)
    return data.decode().split("\n")[:-1]
