"""How errors reach the user: validation errors beside their field, other refusals as a
clear message, and anything unexpected as a short notice plus a log entry that holds
no personal data (the exception type and the code path, never its message or values)."""

from __future__ import annotations

import logging
import traceback

from core.errors import NotFound, OrchardError, PermissionDenied, ValidationError, ValidationErrors
from desktop.qt import QCoreApplication, QLabel, QMessageBox, QWidget

log = logging.getLogger("orchard")


def tr(text: str) -> str:
    return QCoreApplication.translate("CoreMessages", text)


def _filled(err: OrchardError, untranslated: str) -> str:
    try:
        return tr(err.template).format(**err.params) if err.params else tr(err.template)
    except (KeyError, IndexError, ValueError):   # a translation that lost a placeholder
        return untranslated


def reason_text(err: ValidationError) -> str:
    return _filled(err, err.reason)


def translate_error(exc: OrchardError) -> str:
    if isinstance(exc, ValidationError):
        return reason_text(exc)
    if isinstance(exc, ValidationErrors):
        return "; ".join(reason_text(e) for e in exc.errors)
    if isinstance(exc, PermissionDenied):
        from desktop.labels import label
        return QCoreApplication.translate("Errors", "Your role ({0}) may not do this.").format(label(exc.role))
    if isinstance(exc, NotFound):
        return QCoreApplication.translate("Errors", "{0} not found").format(tr(exc.what))
    return _filled(exc, exc.message)


def log_failure(exc: BaseException, where: str = "") -> None:
    # str(exc) of a database error can carry the row's values: log only type and frames.
    frames = "".join(traceback.format_tb(exc.__traceback__)) if exc.__traceback__ else ""
    log.error("unexpected %s%s\n%s", type(exc).__name__, f" in {where}" if where else "", frames)


def user_message(exc: BaseException) -> str:
    if isinstance(exc, OrchardError):
        return translate_error(exc)
    log_failure(exc)
    return QCoreApplication.translate(
        "Errors", "Something went wrong ({0}). Nothing was saved by this action; it has been logged."
    ).format(type(exc).__name__)


class FieldErrors:
    """The error labels of one form, keyed by the core's field names."""

    def __init__(self, general: QLabel | None = None) -> None:
        self.general = general
        self._fields: dict[str, tuple[QLabel, QWidget | None]] = {}

    def bind(self, field: str, label: QLabel, widget: QWidget | None = None) -> None:
        label.setObjectName("fieldError")
        label.setWordWrap(True)
        label.hide()
        self._fields[field] = (label, widget)

    def clear(self) -> None:
        for label, widget in self._fields.values():
            label.clear()
            label.hide()
            if widget is not None:
                widget.setProperty("invalid", False)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        if self.general is not None:
            self.general.clear()
            self.general.hide()

    def text(self, field: str) -> str:
        label, _ = self._fields[field]
        return label.text() if label.isVisible() or label.text() else ""

    def show(self, exc: BaseException) -> bool:
        """Put each validation error beside its field. True if every error found a field."""
        self.clear()
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc] if isinstance(exc, ValidationError) else []
        unplaced = []
        first = None
        for err in errors:
            if err.field in self._fields:
                label, widget = self._fields[err.field]
                label.setText(reason_text(err))
                label.show()
                if widget is not None:
                    widget.setProperty("invalid", True)
                    widget.style().unpolish(widget)
                    widget.style().polish(widget)
                    first = first or widget
            else:
                unplaced.append(err)
        if first is not None:
            first.setFocus()
        if errors and not unplaced:
            return True
        if self.general is not None:
            self.general.setText(user_message(exc))
            self.general.show()
            return True
        return False


def show_error(parent: QWidget | None, exc: BaseException, fields: FieldErrors | None = None) -> None:
    if fields is not None and fields.show(exc):
        return
    box = QMessageBox(QMessageBox.Icon.Warning if isinstance(exc, OrchardError) else QMessageBox.Icon.Critical,
                      QCoreApplication.translate("Errors", "Orchard"), user_message(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.open()
