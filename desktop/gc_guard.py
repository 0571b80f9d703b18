"""Garbage collection on the GUI thread only.

Python's cyclic collector runs in whichever thread happens to allocate when a threshold
is crossed. If that is a worker thread and the cycle holds Qt objects (a closed window, a
screen's lambdas), their C++ side is destroyed off the GUI thread and the process can
crash. So automatic collection is switched off and a timer on the GUI thread collects,
generation by generation, as the thresholds say (the usual recipe for PyQt/PySide apps)."""

from __future__ import annotations

import gc

from desktop.qt import QObject, QTimer

_guard = None


class GcGuard(QObject):
    INTERVAL_MS = 500

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(self.INTERVAL_MS)

    def check(self) -> None:
        counts = gc.get_count()
        if counts[0] > self.threshold[0]:
            gen = 2 if counts[2] > self.threshold[2] else 1 if counts[1] > self.threshold[1] else 0
            gc.collect(gen)


def install(app: QObject) -> None:
    global _guard
    if _guard is None:
        _guard = GcGuard(app)
