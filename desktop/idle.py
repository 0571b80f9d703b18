"""The idle lock's watch on input: the app locks when nobody has touched it for the
store's timeout."""

from __future__ import annotations

import time
from typing import Callable

from core import settings as store_settings
from desktop.qt import QEvent, QObject, QTimer, Signal


class IdleWatcher(QObject):
    """Notices the last keyboard or mouse input anywhere in the app; ``check`` (run by a
    timer, or by tests with an injected clock) says when the timeout has passed."""

    idle = Signal()
    INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}

    def __init__(self, clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.timeout_s = store_settings.IDLE_DEFAULT * 60
        self.armed = False
        self.last_input = clock()
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.check)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in self.INPUT:
            self.last_input = self.clock()
        return False

    def arm(self, minutes: int) -> None:
        self.timeout_s = minutes * 60
        self.last_input = self.clock()
        self.armed = True
        self.timer.start()

    def disarm(self) -> None:
        self.armed = False
        self.timer.stop()

    def check(self) -> None:
        if self.armed and self.clock() - self.last_input >= self.timeout_s:
            self.disarm()
            self.idle.emit()
