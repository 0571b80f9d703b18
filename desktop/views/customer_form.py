"""Create or edit a customer: each field's error beside it, a duplicate warning before a
second profile for the same person is made."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from core import customers, privacy
from core.permissions import Perm
from desktop.errors import FieldErrors, show_error
from desktop.labels import label
from desktop.qt import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
)
from desktop.widgets.field import FieldRow, general_error
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from desktop.context import AppContext
    from desktop.qt import QWidget

FIELDS = ("family_name", "given_name", "phone", "email", "address", "language", "contact_preference", "birth_date")
CONTACT = ("phone", "email", "address")


class CustomerForm(QDialog):
    """``customer`` None: create; else edit that CustomerView. ``saved`` gets the result."""

    def __init__(self, ctx: AppContext, customer: customers.CustomerView | None = None, parent: QWidget | None = None, on_saved: Callable[[customers.CustomerView], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerForm")
        self.ctx = ctx
        self.customer = customer
        self.on_saved = on_saved
        self._override_duplicates = False
        self.setWindowTitle(self.tr("New customer") if customer is None else self.tr("Edit customer"))
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        general = general_error()
        self.fields = FieldErrors(general=general)
        self.family_name = QLineEdit()
        self.given_name = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(self.tr("e.g. 138 0013 8000 or +44 20 7946 0958"))
        self.email = QLineEdit()
        self.address = QLineEdit()
        self.language = QComboBox()
        self.language.addItem(self.tr("(not set)"), None)
        self.language.addItem("English", "en")
        self.language.addItem("简体中文", "zh_CN")
        # how the customer wants to hear from the store: the messages follow it (core.messages)
        self.contact_preference = QComboBox()
        self.contact_preference.addItem(self.tr("(not said)"), "")
        for code in ("sms", "email", "phone", "none"):
            self.contact_preference.addItem(label(code, "contact"), code)
        self.birth_known = QCheckBox(self.tr("known"))
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(self.tr("YYYY-MM-DD"))
        rows = [("family_name", self.tr("Family name"), self.family_name),
                ("given_name", self.tr("Given name"), self.given_name),
                ("phone", self.tr("Phone"), self.phone), ("email", self.tr("Email"), self.email),
                ("address", self.tr("Address"), self.address), ("language", self.tr("Language"), self.language),
                ("contact_preference", self.tr("How to contact"), self.contact_preference),
                ("birth_date", self.tr("Birth date"), self.birth_date)]
        for field, text, widget in rows:
            form.addRow(text, FieldRow(self.fields, field, widget))
        lay.addLayout(form)
        self.duplicates = MessageBanner("warning")
        lay.addWidget(self.duplicates)
        lay.addWidget(general)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        if customer is not None:
            self.family_name.setText(customer.family_name)
            self.given_name.setText(customer.given_name)
            self.phone.setText(customer.phone or "")
            self.email.setText(customer.email or "")
            self.address.setText(customer.address or "")
            self.language.setCurrentIndex(max(0, self.language.findData(customer.language)))
            self.contact_preference.setCurrentIndex(
                max(0, self.contact_preference.findData(customer.contact_preference)))
            self.birth_date.setText(customer.birth_date.isoformat() if customer.birth_date else "")
        # a role that may not see contact details sees them masked (core masks them) and
        # cannot change them: the fields are read-only and their masks are never sent back
        self.contact_locked = customer is not None and (
            customer.contact_masked or not ctx.can(Perm.SEE_CONTACT_DETAILS))
        self.contact_hidden = QLabel(self.tr("Contact details are hidden for your role"))
        self.contact_hidden.setObjectName("hint")
        self.contact_hidden.setWordWrap(True)
        self.contact_hidden.setVisible(self.contact_locked)
        lay.insertWidget(1, self.contact_hidden)
        if self.contact_locked:
            for widget in (self.phone, self.email, self.address):
                widget.setReadOnly(True)
                widget.setEnabled(False)
                widget.setToolTip(self.contact_hidden.text())
                widget.setPlaceholderText("")

    def values(self) -> dict[str, Any]:
        bd_text = self.birth_date.text().strip()
        birth = None
        if bd_text:
            try:
                birth = date.fromisoformat(bd_text)
            except ValueError:
                birth = "invalid"
        values = {"family_name": self.family_name.text(), "given_name": self.given_name.text(),
                  "phone": self.phone.text(), "email": self.email.text(), "address": self.address.text(),
                  "language": self.language.currentData(), "birth_date": birth,
                  "contact_preference": self.contact_preference.currentData() or ""}
        if self.contact_locked:
            for field in CONTACT:          # what was shown was a mask: nothing to send
                del values[field]
        return values

    def save(self) -> None:
        self.fields.clear()
        values = self.values()
        if values["birth_date"] == "invalid":
            from core.errors import ValidationError
            self.fields.show(ValidationError("birth_date", "must be a date in the past"))
            return
        actor = self.ctx.actor
        self.buttons.setEnabled(False)
        if self.customer is None and not self._override_duplicates:
            self.ctx.read(lambda s: privacy.find_duplicates(s, actor, **values),
                          on_result=lambda d: self._checked(d, values), on_error=self._failed, owner=self)
        else:
            self._write(values)

    def _checked(self, duplicates: list[privacy.PossibleDuplicate], values: dict[str, Any]) -> None:
        if duplicates:
            reasons = {"same_phone": self.tr("same phone"), "same_email": self.tr("same email"),
                       "similar_name_same_birthday": self.tr("similar name, same birthday")}
            lines = [f"• {d.display_name} ({reasons.get(d.reason, d.reason)})" for d in duplicates[:5]]
            self.duplicates.setText(self.tr("This customer may already exist:") + "\n" + "\n".join(lines) + "\n"
                                    + self.tr("Save again to create a new profile anyway."))
            self.duplicates.show()
            self._override_duplicates = True
            self.buttons.setEnabled(True)
            return
        self._write(values)

    def _write(self, values: dict[str, Any]) -> None:
        actor, cust = self.ctx.actor, self.customer
        if cust is None:
            fn = lambda s: customers.create_customer(s, actor, **values)  # noqa: E731
        else:
            fn = lambda s: customers.update_customer(s, actor, cust.id, **values)  # noqa: E731
        self.ctx.write(fn, on_result=self._saved, on_error=self._failed, owner=self)

    def _saved(self, view: customers.CustomerView) -> None:
        self.buttons.setEnabled(True)
        if self.on_saved:
            self.on_saved(view)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_error(self, exc, self.fields)
