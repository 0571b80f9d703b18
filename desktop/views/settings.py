"""Settings and sync: language and theme for this counter; idle lock, locked accounts, tax,
customer messages and this machine's customer display for managers; the database and the HQ
connection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import money
from core import settings as store_settings
from core import staff
from core.errors import PermissionDenied
from core.messages import settings as msg_settings
from core.permissions import Perm
from desktop import fmt
from desktop.errors import FieldErrors, show_error
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QGroupBox, QGuiApplication, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QScrollArea, QSpinBox, QTableView,
    QVBoxLayout, QWidget, Signal,
)
from desktop.views.base import Screen

if TYPE_CHECKING:
    from desktop.context import AppContext

LANGUAGES = [("", "System"), ("en", "English"), ("zh_CN", "简体中文")]


class SettingsScreen(Screen):
    key, icon, perm = "settings", "gear", None
    watches = ("sign_in_state",)
    language_chosen = Signal(str)
    theme_chosen = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(20, 16, 20, 16)
        title = QLabel(self.title())
        title.setObjectName("screenTitle")
        lay.addWidget(title)

        # this counter
        counter = QGroupBox(self.tr("This counter"))
        form = QFormLayout(counter)
        self.language = QComboBox()
        self.language.setObjectName("languageChoice")
        for code, name in LANGUAGES:
            self.language.addItem(self.tr("System language") if not code else name, code)
        self.theme = QComboBox()
        self.theme.setObjectName("themeChoice")
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.addItem(self.tr("Dark"), "dark")
        # "activated" fires only when the user picks, never when the screen sets the value
        self.language.activated.connect(lambda _: self.language_chosen.emit(self.language.currentData()))
        self.theme.activated.connect(lambda _: self.theme_chosen.emit(self.theme.currentData()))
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Theme"), self.theme)
        lay.addWidget(counter)

        # sync with headquarters
        from desktop.views.sync import SyncPanel
        self.sync_panel = SyncPanel(ctx)      # it has its own "Headquarters" heading
        lay.addWidget(self.sync_panel)

        # managers
        self.manager_box = QGroupBox(self.tr("Store (managers)"))
        mform = QVBoxLayout(self.manager_box)
        idle_row = QHBoxLayout()
        idle_row.addWidget(QLabel(self.tr("Lock counters after")))
        self.idle = QSpinBox()
        self.idle.setObjectName("idleMinutes")
        self.idle.setRange(store_settings.IDLE_MIN, store_settings.IDLE_MAX)
        self.idle.setSuffix(self.tr(" min without input"))
        idle_row.addWidget(self.idle)
        self.idle_save = QPushButton(self.tr("Save"))
        self.idle_save.clicked.connect(self._save_idle)
        idle_row.addWidget(self.idle_save)
        idle_row.addStretch(1)
        mform.addLayout(idle_row)
        self.idle_error = QLabel()
        self.idle_fields = FieldErrors()
        self.idle_fields.bind("idle_minutes", self.idle_error, self.idle)
        mform.addWidget(self.idle_error)
        mform.addWidget(QLabel(self.tr("Locked accounts")))
        self.locked_model = RowsModel([
            Column(self.tr("Staff"), lambda r: r.display_name),
            Column(self.tr("Locked until"), lambda r: fmt.date_time(r.locked_until) if r.locked_until else ""),
            Column(self.tr("PIN blocked"), lambda r: self.tr("yes") if r.pin_blocked else ""),
        ], self)
        self.locked_table = QTableView()
        self.locked_table.setObjectName("lockedAccounts")
        self.locked_table.setModel(self.locked_model)
        self.locked_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.locked_table.verticalHeader().hide()
        self.locked_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.locked_table.setMaximumHeight(160)
        mform.addWidget(self.locked_table)
        self.unlock_button = QPushButton(self.tr("Unlock selected account"))
        self.unlock_button.setObjectName("unlockAccount")
        self.unlock_button.clicked.connect(self._unlock)
        mform.addWidget(self.unlock_button)
        lay.addWidget(self.manager_box)

        # tax: set_tax checks the same permission as the rest of the store settings
        self.tax_box = QGroupBox(self.tr("Tax (managers)"))
        tform = QFormLayout(self.tax_box)
        self.tax_rate = QLineEdit()
        self.tax_rate.setObjectName("taxRate")
        self.tax_rate.setPlaceholderText(self.tr("e.g. 13 or 8.875"))
        self.tax_rate.setMaximumWidth(140)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.tax_rate)
        rate_row.addWidget(QLabel("%"))
        rate_row.addStretch(1)
        tform.addRow(self.tr("Rate"), rate_row)
        self.tax_rate_error = QLabel()
        tform.addRow("", self.tax_rate_error)
        self.tax_inclusive = QCheckBox(self.tr("Prices include tax"))
        self.tax_inclusive.setObjectName("taxInclusive")
        tform.addRow("", self.tax_inclusive)
        self.tax_inclusive_error = QLabel()
        tform.addRow("", self.tax_inclusive_error)
        self.tax_label = QLineEdit()
        self.tax_label.setObjectName("taxLabel")
        self.tax_label.setMaxLength(store_settings.LABEL_MAX)
        self.tax_label.setMaximumWidth(360)
        self.tax_label.setPlaceholderText(self.tr("Printed on receipts, e.g. VAT, GST, Sales tax"))
        tform.addRow(self.tr("Label"), self.tax_label)
        self.tax_label_error = QLabel()
        tform.addRow("", self.tax_label_error)
        self.tax_general_error = QLabel()
        self.tax_fields = FieldErrors(self.tax_general_error)
        self.tax_fields.bind("tax_rate", self.tax_rate_error, self.tax_rate)
        self.tax_fields.bind("tax_inclusive", self.tax_inclusive_error, self.tax_inclusive)
        self.tax_fields.bind("tax_label", self.tax_label_error, self.tax_label)
        self.tax_general_error.setObjectName("fieldError")
        self.tax_general_error.setWordWrap(True)
        self.tax_general_error.hide()
        tform.addRow("", self.tax_general_error)
        save_row = QHBoxLayout()
        self.tax_save = QPushButton(self.tr("Save tax"))
        self.tax_save.setObjectName("saveTax")
        self.tax_save.clicked.connect(self._save_tax)
        save_row.addWidget(self.tax_save)
        self.tax_saved = QLabel()
        self.tax_saved.setObjectName("taxSaved")
        self.tax_saved.setWordWrap(True)
        save_row.addWidget(self.tax_saved, 1)
        tform.addRow("", save_row)
        lay.addWidget(self.tax_box)

        # customer messages: quiet hours for text messages, the "still waiting" reminder
        self.messages_box = MessageSettingsBox(ctx)
        lay.addWidget(self.messages_box)

        # this machine's customer display (QSettings): whoever may manage settings
        self.display_box = DisplayBox(ctx)
        lay.addWidget(self.display_box)

        # backups (managers and admins): folder, schedule, back up now, the list, restore for admins
        from desktop.views.backup_panel import BackupPanel
        self.backup_panel = BackupPanel(ctx)
        lay.addWidget(self.backup_panel)

        # the database
        self.admin_box = QGroupBox(self.tr("Database (administrators)"))
        aform = QFormLayout(self.admin_box)
        self.db_info = QLabel()
        self.db_info.setWordWrap(True)
        aform.addRow(self.tr("Store database"), self.db_info)
        from desktop.views.database_key import DatabaseKeyBox
        self.key_box = DatabaseKeyBox(ctx)      # change the key, a new recovery key (admins)
        aform.addRow(self.key_box)
        lay.addWidget(self.admin_box)
        lay.addStretch(1)

    def title(self) -> str:
        return self.tr("Sync & settings")

    def activate(self) -> None:
        s = self.ctx.settings
        self.language.setCurrentIndex(max(0, self.language.findData(s.value("language", ""))))
        self.theme.setCurrentIndex(max(0, self.theme.findData(s.value("theme", "light"))))
        self.sync_panel.activate()
        manager = self.ctx.can(Perm.MANAGE_SETTINGS)
        self.manager_box.setVisible(manager)
        self.tax_box.setVisible(manager)
        self.messages_box.setVisible(manager)
        self.display_box.setVisible(manager)
        self.display_box.load()
        self.admin_box.setVisible(self.ctx.can(Perm.MANAGE_STORE))
        self.backup_panel.setVisible(self.ctx.can(Perm.MANAGE_BACKUPS))
        if self.ctx.can(Perm.MANAGE_BACKUPS):
            self.backup_panel.load()
        if self.ctx.db is not None:
            from core.vault import Vault
            meta = Vault(self.ctx.db.path).meta
            source = self.tr("key in the OS keyring") if meta.key_source == "keyring" else \
                self.tr("key from the store passphrase")
            encrypted = self.tr("Encrypted (SQLCipher)")
            self.db_info.setText(f"{self.ctx.db.path}\n{encrypted}, {source}")
        if manager:
            actor = self.ctx.actor
            store_id = actor.store_id
            self.ctx.read(lambda s: (store_settings.idle_minutes(s, store_id), staff.locked_accounts(s, actor)),
                          on_result=self._loaded, on_error=self.fail, owner=self)
            self.tax_fields.clear()
            self.tax_saved.clear()
            self.ctx.read(lambda s: store_settings.tax(s, store_id), on_result=self._show_tax, on_error=self.fail,
                          owner=self)
            self.messages_box.load()

    def _loaded(self, result: tuple[int, list[staff.LockedAccount]]) -> None:
        minutes, locked = result
        self.idle.setValue(minutes)
        self.locked_model.set_rows(locked)

    def _save_idle(self) -> None:
        actor, minutes = self.ctx.actor, self.idle.value()
        self.idle_fields.clear()
        self.ctx.write(lambda s: store_settings.set_idle_minutes(s, actor, minutes),
                       on_error=lambda e: show_error(self, e, self.idle_fields), owner=self)

    def _show_tax(self, rule: money.TaxRule) -> None:
        self.tax_rate.setText(f"{rule.rate.normalize():f}")
        self.tax_inclusive.setChecked(rule.inclusive)
        self.tax_label.setText(rule.label)

    def _save_tax(self) -> None:
        actor = self.ctx.actor
        rate, inclusive, label = self.tax_rate.text(), self.tax_inclusive.isChecked(), self.tax_label.text()
        self.tax_fields.clear()
        self.tax_saved.clear()
        self.ctx.write(lambda s: store_settings.set_tax(s, actor, rate=rate, inclusive=inclusive, label=label), on_result=self._tax_saved,
                       on_error=lambda e: show_error(self, e, self.tax_fields), owner=self)

    def _tax_saved(self, rule: money.TaxRule) -> None:
        # show what core kept (normalised rate, trimmed label), not what was typed
        self._show_tax(rule)
        if not rule.applies:
            self.tax_saved.setText(self.tr("Saved: no tax is charged."))
        elif rule.inclusive:
            self.tax_saved.setText(self.tr("Saved: {rate} {label}, included in prices.").format(
                rate=money.rate_text(rule.rate), label=rule.label))
        else:
            self.tax_saved.setText(self.tr("Saved: {rate} {label}, added to prices.").format(
                rate=money.rate_text(rule.rate), label=rule.label))

    def _unlock(self) -> None:
        idx = self.locked_table.currentIndex()
        row = self.locked_model.data(self.locked_model.index(idx.row(), 0), RowRole) if idx.isValid() else None
        if row is None:
            return
        actor = self.ctx.actor
        self.ctx.write(lambda s: staff.unlock(s, actor, row.staff_id),
                       on_result=lambda _: self.activate(), on_error=self.fail, owner=self)

    def clear_sensitive(self) -> None:
        self.locked_model.clear()
        self.sync_panel.clear_sensitive()


class DisplayBox(QGroupBox):
    """The customer display on this machine: Auto (a second screen when connected, else full
    screen on this one when asked) or Off, the screen it prefers, and a test page. Kept in
    QSettings through ``ctx.display.configure``; each choice is kept as it is made."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setTitle(self.tr("Customer display"))
        form = QFormLayout(self)
        self.mode = QComboBox()
        self.mode.setObjectName("displayMode")
        self.mode.addItem(self.tr("Auto: a second screen when connected, else full screen on this one when asked"),
                          "auto")
        self.mode.addItem(self.tr("Off: the associate's screen only"), "off")
        form.addRow(self.tr("Mode"), self.mode)
        self.screen_choice = QComboBox()
        self.screen_choice.setObjectName("displayScreen")
        form.addRow(self.tr("Screen"), self.screen_choice)
        self.test_button = QPushButton(self.tr("Show a test page"))
        self.test_button.setObjectName("displayTest")
        self.test_button.clicked.connect(lambda: self.ctx.display.show_test_page(self))
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow("", test_row)
        # "activated" fires only when the user picks, never when load() sets the value
        self.mode.activated.connect(lambda _: self._save())
        self.screen_choice.activated.connect(lambda _: self._save())
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):      # a screen plugged in or out: the list again
            app.screenAdded.connect(self.load)
            app.screenRemoved.connect(self.load)

    def load(self, *_: object) -> None:
        """The stored choice, and the screens connected now (by name)."""
        display = self.ctx.display
        self.mode.setCurrentIndex(max(0, self.mode.findData(display.mode)))
        preferred = display.preferred_screen
        self.screen_choice.clear()
        self.screen_choice.addItem(self.tr("Any other screen"), "")
        for screen in QGuiApplication.screens():
            if screen.name():
                size = screen.size()
                self.screen_choice.addItem(f"{screen.name()} ({size.width()}×{size.height()})", screen.name())
        if preferred and self.screen_choice.findData(preferred) < 0:
            self.screen_choice.addItem(self.tr("{0} (not connected)").format(preferred), preferred)
        self.screen_choice.setCurrentIndex(max(0, self.screen_choice.findData(preferred or "")))
        self._follow_mode()

    def _follow_mode(self) -> None:
        on = self.mode.currentData() != "off"
        self.screen_choice.setEnabled(on)
        self.test_button.setEnabled(on)

    def _save(self) -> None:
        try:
            self.ctx.display.configure(self.mode.currentData(), self.screen_choice.currentData() or None)
        except PermissionDenied as exc:     # the box is hidden from roles that may not
            show_error(self, exc)
            self.load()
            return
        self._follow_mode()


class MessageSettingsBox(QGroupBox):
    """Customer messages (managers): the quiet hours in which HQ holds text messages, or none,
    and the days after "ready for pickup" before a customer who has not collected is reminded.
    Saved through :func:`core.messages.settings.set_message_settings`, which checks them."""

    STEP_MIN = 30       # the times offered; a stored time off this grid is offered too

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setTitle(self.tr("Customer messages"))
        form = QFormLayout(self)
        self.quiet_from, self.quiet_to = QComboBox(), QComboBox()
        self.quiet_from.setObjectName("quietFrom")
        self.quiet_to.setObjectName("quietTo")
        for box in (self.quiet_from, self.quiet_to):
            for minute in range(0, 24 * 60, self.STEP_MIN):
                box.addItem(f"{minute // 60:02d}:{minute % 60:02d}")
        hours_row = QHBoxLayout()
        hours_row.addWidget(QLabel(self.tr("from")))
        hours_row.addWidget(self.quiet_from)
        hours_row.addWidget(QLabel(self.tr("to")))
        hours_row.addWidget(self.quiet_to)
        hours_row.addStretch(1)
        form.addRow(self.tr("Quiet hours for text messages"), hours_row)
        self.no_quiet = QCheckBox(self.tr("No quiet hours: send text messages at any hour"))
        self.no_quiet.setObjectName("noQuietHours")
        self.no_quiet.toggled.connect(self._follow_quiet)
        form.addRow("", self.no_quiet)
        self.quiet_from_error, self.quiet_to_error = QLabel(), QLabel()
        form.addRow("", self.quiet_from_error)
        form.addRow("", self.quiet_to_error)
        note = QLabel(self.tr("A text message due in the quiet hours waits until they end (the store's local "
                              "time). Emails are sent at any hour."))
        note.setWordWrap(True)
        form.addRow("", note)
        self.still_waiting = QSpinBox()
        self.still_waiting.setObjectName("stillWaitingDays")
        self.still_waiting.setRange(msg_settings.STILL_WAITING_MIN, msg_settings.STILL_WAITING_MAX)
        self.still_waiting.setSuffix(self.tr(" days"))
        days_row = QHBoxLayout()
        days_row.addWidget(self.still_waiting)
        days_row.addStretch(1)
        form.addRow(self.tr("Remind customers to collect after"), days_row)
        self.still_waiting_error = QLabel()
        form.addRow("", self.still_waiting_error)
        self.general_error = QLabel()
        self.fields = FieldErrors(self.general_error)
        self.fields.bind("quiet_from", self.quiet_from_error, self.quiet_from)
        self.fields.bind("quiet_to", self.quiet_to_error, self.quiet_to)
        self.fields.bind("still_waiting_days", self.still_waiting_error, self.still_waiting)
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        form.addRow("", self.general_error)
        save_row = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save message settings"))
        self.save_button.setObjectName("saveMessageSettings")
        self.save_button.clicked.connect(self._save)
        save_row.addWidget(self.save_button)
        self.saved = QLabel()
        self.saved.setObjectName("messageSettingsSaved")
        self.saved.setWordWrap(True)
        save_row.addWidget(self.saved, 1)
        form.addRow("", save_row)

    def load(self) -> None:
        """What the store holds now (another counter may have changed it)."""
        actor = self.ctx.actor
        self.fields.clear()
        self.saved.clear()
        self.ctx.read(lambda s: msg_settings.message_settings(s, actor), on_result=self._show,
                      on_error=lambda e: show_error(self, e), owner=self)

    def _show(self, value: msg_settings.MessageSettings) -> None:
        quiet = value.quiet_from is not None and value.quiet_to is not None
        start, end = (value.quiet_from, value.quiet_to) if quiet else msg_settings.QUIET_HOURS_DEFAULT
        for box, hhmm in ((self.quiet_from, start), (self.quiet_to, end)):
            if box.findText(hhmm) < 0:
                box.addItem(hhmm)
            box.setCurrentIndex(box.findText(hhmm))
        self.no_quiet.setChecked(not quiet)
        self._follow_quiet()
        self.still_waiting.setValue(value.still_waiting_days)

    def _follow_quiet(self) -> None:
        on = not self.no_quiet.isChecked()
        self.quiet_from.setEnabled(on)
        self.quiet_to.setEnabled(on)

    def _save(self) -> None:
        actor = self.ctx.actor
        quiet = not self.no_quiet.isChecked()
        start = self.quiet_from.currentText() if quiet else None
        end = self.quiet_to.currentText() if quiet else None
        days = self.still_waiting.value()
        self.fields.clear()
        self.saved.clear()
        self.ctx.write(lambda s: msg_settings.set_message_settings(s, actor, quiet_from=start, quiet_to=end,
                                                                   still_waiting_days=days),
                       on_result=self._saved, on_error=lambda e: show_error(self, e, self.fields), owner=self)

    def _saved(self, value: msg_settings.MessageSettings) -> None:
        self._show(value)
        if value.quiet_from is None:
            self.saved.setText(self.tr("Saved: text messages go at any hour; customers who have not collected are "
                                       "reminded after {n} days.").format(n=value.still_waiting_days))
        else:
            self.saved.setText(self.tr("Saved: no text messages from {start} to {end}; customers who have not "
                                       "collected are reminded after {n} days.").format(
                start=value.quiet_from, end=value.quiet_to, n=value.still_waiting_days))
