"""The Qt binding keeps the interpreter whole over a long day at the counter.

PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call of a Qt method that
returns nothing; the process aborted ("none_dealloc") after some tens of thousands of calls,
which a counter makes in hours (every repaint, timer start, show and hide). pyproject.toml
keeps PySide6 below 6.12 for this; the test fails on a binding with the fault."""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 (PEP 683): "
                    "its reference count never changes, so it cannot be dropped and the count says nothing")
def test_the_installed_binding_is_below_6_12_on_python_3_11():
    import PySide6
    assert _release(PySide6.__version__) < (6, 12), PySide6.__version__
    # and what pip installed (PySide6 itself, or its Essentials and Addons wheels)
    installed = []
    for dist in ("PySide6", "PySide6_Essentials", "PySide6_Addons", "shiboken6"):
        try:
            installed.append((dist, version(dist)))
        except PackageNotFoundError:
            pass
    assert installed and all(_release(v) < (6, 12) for _, v in installed), installed


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 (PEP 683): "
                    "its reference count never changes, so the count says nothing")
def test_calls_that_return_nothing_leave_none_alone(qtbot):
    box = QLineEdit()
    qtbot.addWidget(box)
    box.show()
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(2000):
        box.update()
        box.hide()
        box.show()
        timer.start(1000)
        timer.stop()
    # a few references may come and go with the interpreter's own work; the fault took 10,000
    assert abs(sys.getrefcount(None) - before) < 100
