"""``orchard --check-start``: start the real app and, as soon as its first interactive page
is on screen, print one line and exit 0:

    orchard: reached <first-run|sign-in|passphrase|recovery> in <N> ms, rss <M> MB

N counts from the process's start (as the kernel recorded it, so Python's own start-up and
the imports are in it), M is the resident memory then. Exit 1 with the reason when the app
shows an error instead, or reaches no such page within 30 s. The bundle's smoke test and
bench/bundle_start.py run it; nothing is written to the store.

A store protected by a passphrase stops at the passphrase page, unless ORCHARD_PASSPHRASE
holds it: then the check types it there, as a person would, and goes on to sign-in.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

from desktop.qt import QApplication, QMessageBox, QObject, QTimer

if TYPE_CHECKING:
    from desktop.app import MainWindow

LIMIT_S = 30
# each interactive page by its object name
PAGES = {"setupWizard": "first-run", "signInPage": "sign-in", "passphrasePage": "passphrase",
         "recoveryPage": "recovery"}
_IMPORTED = time.monotonic()


def needs_offscreen() -> bool:
    """No display to show a window on (a CI runner, an SSH session): Qt's offscreen platform."""
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def since_process_start_ms() -> int:
    """Milliseconds since this process started (Linux: /proc; elsewhere since this module
    was imported)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        started_ticks = int(fields[19])          # field 22: start time, in clock ticks after boot
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return max(0, int((uptime - started_ticks / os.sysconf("SC_CLK_TCK")) * 1000))
    except (OSError, ValueError, IndexError):
        return int((time.monotonic() - _IMPORTED) * 1000)


def rss_mb() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    import resource
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) // 1024


class StartCheck(QObject):
    """Watches ``window``'s pages; reports the first interactive one, or a failure."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.done = False
        self.typed_passphrase = False
        self.started = time.monotonic()
        window.pages.currentChanged.connect(lambda *_: self.check())
        self.timer = QTimer(self)
        self.timer.setInterval(50)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        if self.done:
            return
        page = self.window.pages.currentWidget()
        reached = PAGES.get(page.objectName()) if page is not None else None
        if reached == "sign-in" and not self.window.sign_in_page.staff_model.rowCount():
            reached = None                        # shown, but its staff list not filled yet
        if reached == "passphrase" and os.environ.get("ORCHARD_PASSPHRASE"):
            page = self.window.passphrase_page
            if not self.typed_passphrase:
                self.typed_passphrase = True
                page.passphrase.setText(os.environ["ORCHARD_PASSPHRASE"])
                page._submit()
                return
            if not page.error.isVisible():
                return                            # still opening
            self._end(1, f"orchard: start failed: {page.error.text()}")
            return
        if reached is not None:
            self._end(0, f"orchard: reached {reached} in {since_process_start_ms()} ms, rss {rss_mb()} MB")
            return
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox) and box.isVisible():
                self._end(1, f"orchard: start failed: {box.text()}")
                return
        if time.monotonic() - self.started > LIMIT_S:
            self._end(1, f"orchard: start failed: no sign-in, set-up or passphrase page within {LIMIT_S} s")

    def _end(self, code: int, line: str) -> None:
        self.done = True
        self.timer.stop()
        print(line, file=sys.stdout if code == 0 else sys.stderr, flush=True)
        self.window.close()
        QApplication.instance().exit(code)
