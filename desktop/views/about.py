"""Help ▸ About Orchard: the version this counter runs (the one it sends HQ with every sync),
what HQ announced at the last contact (a newer version, or that this one is too old to
sync), and the versions of the parts under it, selectable for a support call."""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

from core.version import VERSION
from desktop.qt import QDialog, QDialogButtonBox, QLabel, QLibraryInfo, Qt, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from core.sync.enrolment import SyncStatus


class AboutDialog(QDialog):
    def __init__(self, status: SyncStatus | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About Orchard"))
        lay = QVBoxLayout(self)
        lay.setSpacing(8)
        name = QLabel(self.tr("Orchard"))
        name.setObjectName("cardTitle")
        lay.addWidget(name)
        lay.addWidget(QLabel(self.tr("Point of service for electronics stores")))
        self.version = QLabel(self.tr("Version {0}").format(VERSION))
        self.version.setObjectName("aboutVersion")
        self.version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.version)
        self.update_note = QLabel()
        self.update_note.setObjectName("aboutUpdate")
        self.update_note.setWordWrap(True)
        lay.addWidget(self.update_note)
        self.show_status(status)
        parts = QLabel(self.tr("Python {0} · Qt {1}").format(platform.python_version(),
                                                              QLibraryInfo.version().toString()))
        parts.setObjectName("hint")
        parts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(parts)
        lay.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.setMinimumWidth(360)

    def show_status(self, status: SyncStatus | None) -> None:
        """What HQ said at the last contact about versions; nothing before any contact."""
        text = ""
        if status is not None and status.version_too_old:
            text = self.tr("Sync stopped: this version ({0}) is older than the oldest HQ accepts ({1}); "
                           "update Orchard").format(VERSION, status.oldest_version or "?")
        elif status is not None and status.update_available:
            text = self.tr("Update available: {0}").format(status.update_available)
        self.update_note.setText(text)
        self.update_note.setVisible(bool(text))
