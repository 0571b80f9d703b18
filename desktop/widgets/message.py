"""The one message banner of the app: an icon and a line of text whose look says what kind
of message it is, so a refusal never looks like a tip.

Kinds: ``info`` (a tip or an explanation), ``success`` (something was done), ``warning``
(look at this before going on) and ``error`` (something failed or was refused). Each kind
has its own standard icon and its own colours, set in ``resources/styles/*.qss`` on
``QFrame#messageBanner[kind="..."]`` (both themes; text against background at least 4.5:1).

It reads like a ``QLabel`` (``setText``, ``text``, ``clear``), so a screen swaps a label for
it without changing how it fills it; an empty banner hides itself unless told otherwise.
Errors that belong to one field stay beside that field (``desktop.widgets.field``). The
style sheets find it by its object name, ``messageBanner``: give it no other."""

from __future__ import annotations

from desktop.qt import QEvent, QFrame, QHBoxLayout, QLabel, QSize, QStyle, Qt, QWidget

KINDS = ("info", "success", "warning", "error")
ICON_SIZE = 20

# a standard icon each, so the kind shows without colour too (and in high-contrast themes)
_ICONS = {
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "success": QStyle.StandardPixmap.SP_DialogApplyButton,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
}


class MessageBanner(QFrame):
    """A message of one kind; ``set_message`` changes both the kind and the text."""

    def __init__(self, kind: str = "info", text: str = "", parent: QWidget | None = None, *,
                 hide_when_empty: bool = True, selectable: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.hide_when_empty = hide_when_empty
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 8, 12, 8)
        lay.setSpacing(10)
        self.icon = QLabel()
        self.icon.setObjectName("messageIcon")
        self.icon.setFixedSize(QSize(ICON_SIZE, ICON_SIZE))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.label = QLabel()
        self.label.setObjectName("messageText")
        self.label.setWordWrap(True)
        if selectable:
            self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.label, 1)
        self._kind = ""
        self.set_kind(kind)
        self.setText(text)

    # --- the kind ------------------------------------------------------------------------

    def kind(self) -> str:
        return self._kind

    def set_kind(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown message kind {kind!r}")
        if kind == self._kind:
            return
        self._kind = kind
        self.setProperty("kind", kind)
        self.icon.setPixmap(self.style().standardIcon(_ICONS[kind], None, self).pixmap(ICON_SIZE, ICON_SIZE))
        self.icon.setAccessibleName(kind)
        for w in (self, self.icon, self.label):
            w.style().unpolish(w)
            w.style().polish(w)

    # --- the text (as a QLabel) ----------------------------------------------------------

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleDescription(text)
        if self.hide_when_empty and self.parentWidget() is not None:
            self.setVisible(bool(text))

    def event(self, event: QEvent) -> bool:
        # without a parent, showing would open a window of its own: the text decides once
        # the banner is placed in a screen
        if event.type() == QEvent.Type.ParentChange and self.hide_when_empty and self.parentWidget() is not None:
            self.setVisible(bool(self.text()))
        return super().event(event)

    def text(self) -> str:
        return self.label.text()

    def clear(self) -> None:
        self.setText("")

    def set_message(self, kind: str, text: str) -> None:
        self.set_kind(kind)
        self.setText(text)

    def setWordWrap(self, on: bool) -> None:
        self.label.setWordWrap(on)
