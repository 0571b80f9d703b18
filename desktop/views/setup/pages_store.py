"""The wizard's first four steps: the language, a new store or one HQ already knows, the
store itself (or HQ's address and enrolment code), and the first admin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QTimeZone
from PySide6.QtWidgets import QStackedLayout

from core import setup
from desktop.qt import (
    QButtonGroup, QFileDialog, QHBoxLayout, QLineEdit, QLocale, QPushButton, QRadioButton, QWidget, Signal,
)
from desktop.views.gate import COUNTRIES, TIMEZONES
from desktop.views.setup.base import WizardPage, editable_combo, note, secret_box, set_combo
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    from core.setup import HqStore, SetupAnswers

CURRENCIES = ["CNY", "HKD", "SGD", "JPY", "GBP", "EUR", "USD", "AUD"]
# each language named in itself: whoever cannot read the current one finds their own
LANGUAGE_NAMES = (("en", "English"), ("zh_CN", "中文（简体）"))


def system_timezone() -> str:
    name = QTimeZone.systemTimeZoneId().data().decode()
    return name if name in TIMEZONES else "UTC"


def system_country() -> str:
    parts = QLocale.system().name().split("_")
    return parts[1] if len(parts) > 1 and parts[1] in COUNTRIES else "CN"


class LanguagePage(WizardPage):
    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Language"), self.tr("The language Orchard speaks on this counter. Each person "
                                                      "can change it later in Settings."), parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for code, name in LANGUAGE_NAMES:
            button = QRadioButton(name)
            button.setObjectName(f"language_{code}")
            self.group.addButton(button)
            self.buttons[code] = button
            self.lay.addWidget(button)
            button.toggled.connect(lambda on, code=code: self._toggled(on, code))
        self.finish_layout()

    def _toggled(self, on: bool, code: str) -> None:
        if on:
            self.chosen.emit(code)

    def load(self, answers: SetupAnswers) -> None:
        button = self.buttons.get(answers.language) or self.buttons["en"]
        button.blockSignals(True)
        button.setChecked(True)
        button.blockSignals(False)

    def store(self, answers: SetupAnswers) -> None:
        answers.language = next((c for c, b in self.buttons.items() if b.isChecked()), "en")


class ModePage(WizardPage):
    fields = ("mode",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("This store"), parent=parent)
        self.new = QRadioButton(self.tr("Set up a new store"))
        self.new.setObjectName("modeNew")
        self.enrol = QRadioButton(self.tr("Join the chain with an enrolment code from HQ"))
        self.enrol.setObjectName("modeEnrol")
        group = QButtonGroup(self)
        for button, text in (
                (self.new, self.tr("A store on its own, or the first counter of a store HQ does not know yet. You "
                                   "give the store's code, name, time zone and currency.")),
                (self.enrol, self.tr("HQ has registered this store and printed a one-time code for it. The store's "
                                     "name, time zone, currency, price book and service types come from HQ."))):
            group.addButton(button)
            self.lay.addWidget(button)
            self.lay.addWidget(note(text))
        self.finish_layout()

    def load(self, answers: SetupAnswers) -> None:
        (self.enrol if answers.mode == "enrol" else self.new).setChecked(True)

    def store(self, answers: SetupAnswers) -> None:
        answers.mode = "enrol" if self.enrol.isChecked() else "new"


class StorePage(WizardPage):
    """A new store's identity, or HQ's address and the enrolment code (then HQ is asked
    which store the code is for before the wizard moves on)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("The store"), parent=parent)
        switch_box = QWidget()
        self.switch = QStackedLayout(switch_box)
        self.switch.setContentsMargins(0, 0, 0, 0)
        self.lay.addWidget(switch_box)
        self.mode = "new"
        self.hq: HqStore | None = None
        # a new store
        new = QWidget()
        self.new_form = self.form(add=False)
        self.new_form.setContentsMargins(0, 0, 0, 0)
        new.setLayout(self.new_form)
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("e.g. SH01"))
        self.code.setMaxLength(8)
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.country = editable_combo(COUNTRIES)
        self.timezone = editable_combo(TIMEZONES)
        self.currency = editable_combo(CURRENCIES)
        self._currency_touched = False
        self.currency.activated.connect(self._touched)
        self.country.currentTextChanged.connect(self._country_changed)
        for field, text, widget in (("store_code", self.tr("Store code"), self.code),
                                    ("store_name", self.tr("Store name"), self.name),
                                    ("country", self.tr("Country"), self.country),
                                    ("timezone", self.tr("Time zone"), self.timezone),
                                    ("currency", self.tr("Currency"), self.currency)):
            self.row(self.new_form, field, text, widget)
        self.switch.addWidget(new)
        # enrolment with HQ
        enrol = QWidget()
        self.enrol_form = self.form(add=False)
        self.enrol_form.setContentsMargins(0, 0, 0, 0)
        enrol.setLayout(self.enrol_form)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://hq.example.com")
        self.enrol_code = QLineEdit()
        self.enrol_code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        self.enrol_code.setMaxLength(24)
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText(self.tr("only if HQ uses its own certificate authority"))
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose_ca)
        ca_row.addWidget(choose)
        ca_box = QWidget()
        ca_box.setLayout(ca_row)
        ca_row.setContentsMargins(0, 0, 0, 0)
        self.enrol_country = editable_combo(COUNTRIES)
        self.hq_timezone = editable_combo(TIMEZONES)
        self.hq_currency = editable_combo(CURRENCIES)
        self.enrol_rows: dict[str, QWidget] = {}
        for field, text, widget in (("hq_url", self.tr("HQ address"), self.url),
                                    ("enrolment_code", self.tr("Enrolment code"), self.enrol_code),
                                    ("hq_ca_file", self.tr("HQ's CA certificate"), ca_box),
                                    ("country", self.tr("Country"), self.enrol_country),
                                    ("timezone", self.tr("Time zone"), self.hq_timezone),
                                    ("currency", self.tr("Currency"), self.hq_currency)):
            # the same field names as the new store's: an error lands beside the visible one
            self.enrol_rows[field] = self.row(self.enrol_form, f"enrol.{field}" if field in (
                "country", "timezone", "currency") else field, text, widget)
        self.found = MessageBanner("success")
        self.enrol_form.addRow(self.found)
        self.switch.addWidget(enrol)
        self._show_hq_gaps(timezone=False, currency=False)
        self.finish_layout()

    # the page follows the mode chosen on the page before
    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.switch.setCurrentIndex(1 if mode == "enrol" else 0)

    def active_fields(self, answers: SetupAnswers) -> tuple[str, ...]:
        if self.mode == "enrol":
            return ("hq_url", "enrolment_code", "hq_ca_file", "country")
        return ("store_code", "store_name", "country", "timezone", "currency")

    def _touched(self, *_: Any) -> None:
        self._currency_touched = True

    def _country_changed(self, country: str) -> None:
        if not self._currency_touched:
            set_combo(self.currency, setup.default_currency(country.strip()) or self.currency.currentText())

    def _choose_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("HQ's CA certificate"), "",
                                              self.tr("Certificates (*.pem *.crt);;All files (*)"))
        if path:
            self.ca_file.setText(path)

    def _show_hq_gaps(self, *, timezone: bool, currency: bool) -> None:
        for field, show in (("timezone", timezone), ("currency", currency)):
            row = self.enrol_rows[field]
            row.setVisible(show)
            label = self.enrol_form.labelForField(row)
            if label is not None:
                label.setVisible(show)

    def load(self, answers: SetupAnswers) -> None:
        self.set_mode(answers.mode)
        self.code.setText(answers.store_code if answers.mode == "new" else "")
        self.name.setText(answers.store_name if answers.mode == "new" else "")
        for combo in (self.country, self.enrol_country):
            set_combo(combo, answers.country or system_country())
        set_combo(self.timezone, answers.timezone or system_timezone())
        set_combo(self.hq_timezone, answers.timezone or system_timezone())
        if answers.currency:
            self._currency_touched = True
            set_combo(self.currency, answers.currency)
            set_combo(self.hq_currency, answers.currency)
        else:
            self._country_changed(self.country.currentText())
            set_combo(self.hq_currency, self.currency.currentText())
        self.url.setText(answers.hq_url)
        self.enrol_code.setText(answers.enrolment_code)
        self.ca_file.setText(answers.hq_ca_file)

    def store(self, answers: SetupAnswers) -> None:
        if self.mode == "enrol":
            answers.hq_url = self.url.text().strip()
            answers.enrolment_code = self.enrol_code.text().strip()
            answers.hq_ca_file = self.ca_file.text().strip()
            answers.country = self.enrol_country.currentText().strip().upper()
            # asked only where HQ keeps none; otherwise HQ's word counts
            answers.timezone = self.hq_timezone.currentText().strip() if self.enrol_rows["timezone"].isVisibleTo(
                self) else ""
            answers.currency = self.hq_currency.currentText().strip().upper() if \
                self.enrol_rows["currency"].isVisibleTo(self) else ""
            return
        answers.store_code = self.code.text().strip().upper()
        answers.store_name = self.name.text().strip()
        answers.country = self.country.currentText().strip().upper()
        answers.timezone = self.timezone.currentText().strip()
        answers.currency = self.currency.currentText().strip().upper()

    def show_errors(self, exc: BaseException) -> None:
        """In enrolment, a time zone or currency error belongs to the enrolment form's box."""
        from core.errors import ValidationError, ValidationErrors
        if self.mode == "enrol":
            errors = exc.errors if isinstance(exc, ValidationErrors) else [exc] if isinstance(
                exc, ValidationError) else []
            moved = [ValidationError(f"enrol.{e.field}", e.template, **e.params)
                     if e.field in ("country", "timezone", "currency") else e for e in errors]
            if errors:
                exc = ValidationErrors(moved)
        self.errors.show(exc)

    def slow_check(self, answers: SetupAnswers) -> Callable[[Any], Any] | None:
        if self.mode != "enrol":
            return None
        url, code, ca = answers.hq_url, answers.enrolment_code, answers.hq_ca_file
        return lambda progress: setup.preview_enrolment(url, code, ca or None)

    def slow_checked(self, answers: SetupAnswers, result: Any) -> None:
        """HQ named the store: show it; ask for a time zone or currency HQ does not keep."""
        self.hq = result
        self.found.setText(self.tr("This code is for store {0}, {1}.").format(result.code, result.name))
        self._show_hq_gaps(timezone=not result.timezone, currency=not result.currency)
        setup.apply_hq(answers, result)       # ValidationErrors for what is still missing


class AdminPage(WizardPage):
    fields = ("admin_name", "admin_number", "admin_password", "admin_pin")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("The first administrator"),
                         self.tr("You sign in with this account to add the other staff. The PIN is for quick "
                                 "sign-in at the counter; the password always works."), parent)
        form = self.form()
        self.name = QLineEdit()
        self.number = QLineEdit()
        self.number.setMaxLength(6)
        self.password = secret_box()
        self.password_again = secret_box()
        self.pin = secret_box()
        self.pin.setMaxLength(8)
        for field, text, widget in (("admin_name", self.tr("Your name"), self.name),
                                    ("admin_number", self.tr("Your staff number"), self.number),
                                    ("admin_password", self.tr("Your password"), self.password),
                                    ("admin_password_again", self.tr("The password again"), self.password_again),
                                    ("admin_pin", self.tr("Your PIN (4-8 digits)"), self.pin)):
            self.row(form, field, text, widget)
        self.finish_layout()

    def load(self, answers: SetupAnswers) -> None:
        self.name.setText(answers.admin_name)
        self.number.setText(answers.admin_number or "1")
        self.password.setText(answers.admin_password)
        self.password_again.setText(answers.admin_password)
        self.pin.setText(answers.admin_pin)

    def store(self, answers: SetupAnswers) -> None:
        answers.admin_name = self.name.text().strip()
        answers.admin_number = self.number.text().strip()
        answers.admin_password = self.password.text()
        answers.admin_pin = self.pin.text().strip()

    def own_checks(self) -> list[tuple[str, str]]:
        if self.password.text() != self.password_again.text():
            return [("admin_password_again", self.tr("The two passwords differ."))]
        return []
