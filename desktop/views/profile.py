"""The 360 view of one customer: identity and contact, consents, devices, a timeline of
everything, loyalty, the customer's value and next best actions, and the actions staff
take from here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from core import privacy
from core.customers import mask_email, mask_phone, short_id
from core.permissions import Perm
from core.privacy import PURPOSES
from desktop import fmt
from desktop.errors import show_error
from desktop.labels import label, service as service_name
from desktop.models.rows import Column, RowsModel
from desktop.views import message_timeline as msgs
from desktop.views.crm.value_panel import ValuePanel
from desktop.qt import (
    QCheckBox, QFileDialog, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
    QScrollArea, Qt, QVBoxLayout, QWidget, Signal,
)
from desktop.widgets.elided import ElidedLabel
from desktop.widgets.flow import FlowLayout
from desktop.widgets.table import list_table

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from desktop.context import AppContext


class ProfilePanel(QScrollArea):
    """Shows a ``privacy.Profile``; emits what the user asks for."""

    action = Signal(str, object)         # name, customer id: book, intake, tradein, enroll, edit, merge
    changed = Signal()                   # something here was saved: reload

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profilePanel")
        self.ctx = ctx
        self.profile = None
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(16, 12, 16, 12)
        # identity
        head = QHBoxLayout()
        self.name = QLabel()
        self.name.setObjectName("profileName")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addWidget(self.name)
        self.tier = QLabel()
        self.tier.setObjectName("tierBadge")
        head.addWidget(self.tier)
        head.addStretch(1)
        lay.addLayout(head)
        grid = QGridLayout()
        self.contact = {}
        for i, (key, text) in enumerate([("phone", self.tr("Phone")), ("email", self.tr("Email")),
                                         ("address", self.tr("Address")), ("language", self.tr("Language")),
                                         ("since", self.tr("Customer since")), ("member", self.tr("Member"))]):
            cap = QLabel(text)
            cap.setObjectName("caption")
            # one pair a row: side by side at 1024 px each value had ~60 px and the phone read
            # "+861…"; a long address shortens with "…" (whole in the tool tip)
            val = ElidedLabel(yielding=key == "address")
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(cap, i, 0)
            grid.addWidget(val, i, 1)
            self.contact[key] = val
        lay.addLayout(grid)
        # actions
        actions = FlowLayout(spacing=6)         # wraps at 1024 px; no button leaves the right edge
        self.buttons = {}
        for key, text, shortcut in [("edit", self.tr("Edit"), "Ctrl+E"), ("book", self.tr("Book appointment"), "Ctrl+B"),
                                    ("intake", self.tr("Repair intake"), "Ctrl+R"),
                                    ("tradein", self.tr("Trade-in"), "Ctrl+T"),
                                    ("enroll", self.tr("Enroll in loyalty"), ""),
                                    ("print", self.tr("Print…"), "Ctrl+P"),
                                    ("complaint", self.tr("Record a complaint"), "")]:
            b = QPushButton(text)
            b.setObjectName(f"profile_{key}")
            if shortcut:
                b.setShortcut(shortcut)
                b.setToolTip(f"{text} ({shortcut})")
            b.clicked.connect(lambda _=False, k=key: self._act(k))
            actions.addWidget(b)
            self.buttons[key] = b
        lay.addLayout(actions)
        # what the customer is worth, their churn risk and the next best actions (issue 23)
        self.value = ValuePanel(ctx)
        lay.addWidget(self.value)
        # consents
        consent_box = QGroupBox(self.tr("Consents"))
        cl = QGridLayout(consent_box)
        self.consent_checks: dict[str, QCheckBox] = {}
        self.consent_info: dict[str, QLabel] = {}
        names = {"marketing_sms": self.tr("Marketing by SMS"), "marketing_email": self.tr("Marketing by email"),
                 "hq_transfer": self.tr("Data transfer to headquarters"), "loyalty": self.tr("Loyalty programme")}
        for row, purpose in enumerate(PURPOSES):
            cb = QCheckBox(names[purpose])
            cb.setObjectName(f"consent_{purpose}")
            cb.clicked.connect(lambda checked, p=purpose: self._consent(p, checked))
            info = QLabel()
            info.setObjectName("caption")
            info.setWordWrap(True)          # wraps at 1024 px rather than widening the profile
            cl.addWidget(cb, row, 0)
            cl.addWidget(info, row, 1)
            self.consent_checks[purpose] = cb
            self.consent_info[purpose] = info
        lay.addWidget(consent_box)
        # devices
        dev_box = QGroupBox(self.tr("Devices"))
        dl = QVBoxLayout(dev_box)
        self.devices = RowsModel([
            Column(self.tr("Model"), lambda d: d.model),
            Column(self.tr("Serial / IMEI"), lambda d: short_id(d.imei or d.serial)),
            Column(self.tr("Bought"), lambda d: fmt.day(d.purchase_date)),
            Column(self.tr("Warranty"), lambda d: self._warranty(d)),
        ], self)
        self.devices_view = list_table(self.devices, single=False)
        self.devices_view.setMaximumHeight(150)
        # a narrow column keeps both ends of an IMEI ("3539…4509"), never only its start
        self.devices_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        dl.addWidget(self.devices_view)
        lay.addWidget(dev_box)
        # timeline
        tl_box = QGroupBox(self.tr("Timeline"))
        tl = QVBoxLayout(tl_box)
        kinds = {"appointment": self.tr("Appointment"), "repair": self.tr("Repair"), "tradein": self.tr("Trade-in"),
                 "loyalty": self.tr("Loyalty"), "purchase": self.tr("Purchase"), "survey": self.tr("Survey"),
                 "feedback": self.tr("Feedback"), "note": self.tr("Note"), "message": self.tr("Message")}
        self.timeline = RowsModel([
            Column(self.tr("When"), lambda i: fmt.date_time(i.at), sort_key=lambda i: i.at),
            Column(self.tr("What"), lambda i: kinds.get(i.kind, i.kind)),
            Column(self.tr("Details"), self._title),
            Column(self.tr("Status"), lambda i: self._detail(i),
                   foreground=lambda i: msgs.tone(i.message) if i.kind == "message" else None),
        ], self)
        # the messages sent to the customer, read in a worker, join the timeline when they come
        self.messages = msgs.MessagesLoader(ctx, self, self._messages_loaded)
        self.timeline_view = list_table(self.timeline, single=False)
        self.timeline_view.setMinimumHeight(200)
        tl.addWidget(self.timeline_view)
        note_row = QHBoxLayout()
        self.note = QLineEdit()
        self.note.setObjectName("noteInput")
        self.note.setPlaceholderText(self.tr("Add a note…"))
        self.note.returnPressed.connect(self._add_note)
        note_row.addWidget(self.note)
        tl.addLayout(note_row)
        lay.addWidget(tl_box)
        # complaints (issue 21): the customer's words only for a role that handles them
        self.complaints_box = QGroupBox(self.tr("Complaints"))
        cbl = QVBoxLayout(self.complaints_box)
        self.complaints = RowsModel([
            Column(self.tr("Opened"), lambda c: fmt.date_time(c.opened_at)),
            Column(self.tr("Category"), lambda c: label(c.category, "feedback_category") or self.tr("to classify")),
            Column(self.tr("Status"), lambda c: label(c.status, "feedback_status")),
            Column(self.tr("Words"), lambda c: self.tr("hidden for your role") if c.masked else c.text),
        ], self)
        self.complaints_view = list_table(self.complaints)
        self.complaints_view.setObjectName("profileComplaints")
        self.complaints_view.setMaximumHeight(150)
        self.complaints_view.activated.connect(self._open_complaint)
        self.complaints_view.doubleClicked.connect(self._open_complaint)
        cbl.addWidget(self.complaints_view)
        self._complaints_seq = 0
        lay.addWidget(self.complaints_box)
        self.complaints_box.hide()
        # manager actions
        self.manager_box = QGroupBox(self.tr("Privacy (managers)"))
        ml = FlowLayout(self.manager_box, spacing=6)
        for key, text in [("merge", self.tr("Merge with…")), ("export", self.tr("Export data…")),
                          ("erase", self.tr("Erase customer…"))]:
            b = QPushButton(text)
            b.setObjectName(f"profile_{key}")
            b.clicked.connect(lambda _=False, k=key: self._act(k))
            ml.addWidget(b)
            self.buttons[key] = b
        lay.addWidget(self.manager_box)
        lay.addStretch(1)

    # --- showing ----------------------------------------------------------------------------

    def _warranty(self, d: privacy.DeviceView) -> str:
        if d.status == "in_warranty":
            return self.tr("in warranty until {0}").format(fmt.day(d.warranty_end))
        if d.status == "covered":
            return self.tr("covered until {0}").format(fmt.day(d.coverage_end))
        if d.status == "expired":
            return self.tr("expired")
        return ""

    def _title(self, item: privacy.TimelineItem) -> str:
        if item.kind == "message":
            return f"{msgs.kind_text(item.message)} · {msgs.channel_text(item.message)}"
        if item.kind == "loyalty":
            return label(item.title)
        return service_name(item.title) if item.kind == "appointment" else item.title

    def _detail(self, item: privacy.TimelineItem) -> str:
        if item.kind == "message":
            return msgs.status_text(item.message)
        if item.kind == "purchase":
            return fmt.money(int(item.detail), self.ctx.store.currency if self.ctx.store else "USD")
        if item.kind in ("loyalty",):
            return item.detail
        return label(item.detail)

    def show_profile(self, p: privacy.Profile) -> None:
        self.profile = p
        c = p.customer
        self.name.setText(c.display_name)
        self.tier.setText(label(p.loyalty.tier) if p.loyalty else "")
        self.tier.setVisible(p.loyalty is not None)
        # a role without Perm.SEE_CONTACT_DETAILS gets the contact details masked from core
        # (customers.view_for); masking again here keeps them masked whatever core sent
        hidden = c.contact_masked or not p.may_see_contact
        self.contact["phone"].setText(mask_phone(c.phone) if hidden else (c.phone or ""))
        self.contact["email"].setText(mask_email(c.email) if hidden else (c.email or ""))
        self.contact["address"].setText(self.tr("hidden for your role") if hidden else (c.address or ""))
        self.contact["language"].setText({"en": "English", "zh_CN": "简体中文"}.get(c.language or "", ""))
        self.contact["since"].setText(fmt.day(c.created_at))
        self.contact["member"].setText(
            self.tr("{0} · {1} points").format(p.loyalty.member_number, p.loyalty.balance) if p.loyalty else
            self.tr("not a member"))
        states = {s.purpose: s for s in p.consents}
        for purpose, cb in self.consent_checks.items():
            st = states.get(purpose)
            cb.setChecked(bool(st and st.granted))
            self.consent_info[purpose].setText(
                self.tr("{0} · {1} · notice {2}").format(fmt.date_time(st.at), label(st.channel), st.notice_version)
                if st else self.tr("never asked"))
        self.devices.set_rows(p.devices)
        self.timeline.set_rows(p.timeline)
        self.messages.load(customer_id=c.id)
        self.value.load(c.id)
        ctx = self.ctx
        self.buttons["enroll"].setVisible(p.loyalty is None and ctx.can(Perm.MANAGE_LOYALTY))
        self.buttons["tradein"].setVisible(ctx.can(Perm.TAKE_TRADE_INS))
        self.buttons["edit"].setVisible(ctx.can(Perm.EDIT_CUSTOMERS))
        self.buttons["complaint"].setVisible(ctx.can(Perm.OPEN_COMPLAINTS))
        self.load_complaints()
        self.manager_box.setVisible(ctx.can(Perm.MERGE_CUSTOMERS) or ctx.can(Perm.EXPORT_ERASE_CUSTOMERS))
        for cb in self.consent_checks.values():
            cb.setEnabled(ctx.can(Perm.EDIT_CUSTOMERS))

    def clear(self) -> None:
        self.profile = None
        self.name.clear()
        self.tier.clear()
        for v in self.contact.values():
            v.clear()
        for purpose, cb in self.consent_checks.items():
            cb.setChecked(False)
            self.consent_info[purpose].clear()
        self.devices.clear()
        self.timeline.clear()
        self.messages.seq += 1                 # an answer still on its way finds nothing to join
        self._complaints_seq += 1
        self.complaints.clear()
        self.value.clear()
        self.note.clear()

    # --- acting -------------------------------------------------------------------------------

    def _act(self, key: str) -> None:
        if self.profile is None:
            return
        cid = self.profile.customer.id
        if key == "export":
            self._export(cid)
        elif key == "complaint":
            from desktop.views.care.complaint_dialog import ComplaintDialog
            dialog = ComplaintDialog(self.ctx, customer_id=cid, about=self.profile.customer.display_name, parent=self)
            dialog.opened.connect(lambda _: self.load_complaints())
            dialog.open()
        elif key == "erase":
            self._erase(cid)
        else:
            self.action.emit(key, cid)

    def _messages_loaded(self, rows: list[object]) -> None:
        if self.profile is not None and rows:
            self.timeline.set_rows(msgs.merged_timeline(self.profile.timeline, rows))

    def load_complaints(self) -> None:
        """The customer's complaints, read in a worker (newest first, masked by role)."""
        self._complaints_seq += 1
        if self.profile is None or not self.ctx.can(Perm.OPEN_COMPLAINTS):
            self.complaints_box.hide()
            return
        from core.care import complaints
        seq, actor, cid = self._complaints_seq, self.ctx.actor, self.profile.customer.id

        def show(rows: list[object]) -> None:
            if seq == self._complaints_seq and not self.ctx.locked:
                self.complaints.set_rows(rows)
                self.complaints_box.setVisible(bool(rows))
        self.ctx.read(lambda s: complaints.for_customer(s, actor, cid), on_result=show,
                      on_error=lambda exc: show_error(self, exc), owner=self)

    def _open_complaint(self, index: object) -> None:
        """A manager opens the complaint in Customer care."""
        row = getattr(index, "row", lambda: -1)()
        shell = getattr(self.window(), "shell", None)
        if not (0 <= row < self.complaints.rowCount()) or shell is None or not shell.go("care"):
            return
        shell.screens["care"].open_complaint(self.complaints.row_at(row).id)

    def _consent(self, purpose: str, granted: bool) -> None:
        if self.profile is None:
            return
        actor, cid = self.ctx.actor, self.profile.customer.id
        self.ctx.write(lambda s: privacy.set_consent(s, actor, cid, purpose, granted),
                       on_result=lambda _: self.changed.emit(), on_error=self._failed, owner=self)

    def _add_note(self) -> None:
        text = self.note.text()
        if self.profile is None or not text.strip():
            return
        actor, cid = self.ctx.actor, self.profile.customer.id
        self.ctx.write(lambda s: privacy.add_note(s, actor, cid, text),
                       on_result=lambda _: (self.note.clear(), self.changed.emit()), on_error=self._failed,
                       owner=self)

    def _export(self, cid: uuid.UUID) -> None:
        # the dialog is opened, not exec'd: the export stays this customer's even if the
        # profile changes behind it (and tests can answer it)
        dialog = QFileDialog(self, self.tr("Export customer data"), "customer-export.json", self.tr("JSON (*.json)"))
        dialog.setObjectName("exportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self._write_export(cid, path))
        dialog.open()

    def _write_export(self, cid: uuid.UUID, path: str) -> None:
        if not path:
            return
        actor = self.ctx.actor

        def work(s: Session) -> str:
            data = privacy.export_customer(s, actor, cid)
            from core.vault import atomic_write
            atomic_write(Path(path),
                         json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
            return path

        def done(p: str) -> None:
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Export"),
                              self.tr("The customer's data was written to {0}.").format(p),
                              QMessageBox.StandardButton.Ok, self)
            box.setObjectName("exportDone")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        self.ctx.read(work, on_result=done, on_error=self._failed, owner=self)

    def _erase(self, cid: uuid.UUID) -> None:
        answer = QMessageBox.warning(
            self, self.tr("Erase customer"),
            self.tr("Erase this customer's personal data? Names, contact details, notes and device identifiers "
                    "are removed for good; amounts stay for the accounts. This cannot be undone."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        actor = self.ctx.actor
        self.ctx.write(lambda s: privacy.erase_customer(s, actor, cid),
                       on_result=lambda _: (self.clear(), self.action.emit("erased", cid)),
                       on_error=self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        self.changed.emit()     # show what is really saved


