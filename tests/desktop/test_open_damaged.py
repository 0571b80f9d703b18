"""Opening a store file that was cut short shows the core's clear message (the file is
damaged; restore a backup), not "Something went wrong (DatabaseError)"."""

import os

from desktop.qt import QMessageBox


def test_a_store_file_cut_short_is_reported_as_damaged(qtbot, gui_store, make_window):
    path, _ = gui_store
    assert not os.path.exists(f"{path}-wal")
    os.truncate(path, path.stat().st_size // 2)
    w = make_window(path)

    def error_box():
        box = w.findChild(QMessageBox, "errorBox")
        return box if box is not None and box.isVisible() else None
    qtbot.waitUntil(lambda: error_box() is not None, timeout=10000)
    text = error_box().text()
    assert "damaged" in text and "restore a backup" in text
    assert "Something went wrong" not in text and str(path.parent) not in text
    assert w.busy.text.text() == text       # the page behind the box says the same
