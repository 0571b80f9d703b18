"""The rota and the booking rules (managers): a technician's usual week, exceptions such as
sick days, their skills, and the store's minimum notice and no-show grace period."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from core import appointments, terms
from core.appointments import TemplateView, hhmm, parse_hhmm
from core.errors import ValidationError, ValidationErrors
from core.permissions import Perm
from desktop import fmt
from desktop.errors import FieldErrors, reason_text, show_error, user_message
from desktop.labels import language
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QListView, QListWidget, QListWidgetItem, QPushButton, QScrollArea, QSpinBox, Qt, QTableView,
    QVBoxLayout, QWidget,
)
from desktop.views.booking import day_label, index_of, store_today
from desktop.widgets.field import error_label
from desktop.widgets.flow import flow_row

if TYPE_CHECKING:
    from desktop.context import AppContext


class RotaPanel(QWidget):
    """A technician's usual week (one stretch of work and one break a day), exceptions
    such as sick days, their skills; the store's booking rules."""

    DAYS = 56

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rotaPanel")
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # let the window's colour (light or dark theme) show through
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget#rotaBody { background: transparent; }")
        outer.addWidget(scroll)
        body = QWidget()
        body.setObjectName("rotaBody")
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 8, 8, 8)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Technician")))
        self.tech = QComboBox()
        self.tech.setObjectName("rotaTechnician")
        self.tech.setMinimumWidth(220)
        self.tech.currentIndexChanged.connect(lambda _: self.load_person())
        top.addWidget(self.tech)
        top.addStretch(1)
        lay.addLayout(top)
        lay.addWidget(self._skills_box(ctx.can(Perm.MANAGE_STAFF)))

        week = QGroupBox(self.tr("Usual week"))
        grid = QGridLayout(week)
        for c, head in enumerate((self.tr("Day"), self.tr("From"), self.tr("To"), self.tr("Break from"),
                                  self.tr("Break to"))):
            h = QLabel(head)
            h.setObjectName("tileCaption")
            grid.addWidget(h, 0, c)
        self.week_rows = []
        names = (self.tr("Monday"), self.tr("Tuesday"), self.tr("Wednesday"), self.tr("Thursday"),
                 self.tr("Friday"), self.tr("Saturday"), self.tr("Sunday"))
        for wd, name in enumerate(names):
            works = QCheckBox(name)
            edits = [QLineEdit() for _ in range(4)]
            for e in edits:
                e.setPlaceholderText("hh:mm")
                e.setMaxLength(5)
                e.setMaximumWidth(90)
            grid.addWidget(works, wd + 1, 0)
            for c, e in enumerate(edits):
                grid.addWidget(e, wd + 1, c + 1)
            works.toggled.connect(lambda on, edits=edits: [e.setEnabled(on) for e in edits])
            self.week_rows.append((works, edits))
        grid.setColumnStretch(5, 1)
        self.week_error = error_label()
        grid.addWidget(self.week_error, 9, 0, 1, 5)
        self.save_week = QPushButton(self.tr("Save week"))
        self.save_week.setObjectName("primary")
        self.save_week.clicked.connect(self._save_week)
        grid.addWidget(self.save_week, 10, 4)
        lay.addWidget(week)

        exc = QGroupBox(self.tr("Exceptions: sick days, changed hours, extra breaks"))
        ex = QVBoxLayout(exc)
        self.exc_model = RowsModel([
            Column(self.tr("Day"), lambda r: day_label(fmt.local(r.starts_at).date()), sort_key=lambda r: r.starts_at),
            Column(self.tr("What"), lambda r: self._kind_text(r.kind)),
            Column(self.tr("From"), lambda r: fmt.time_only(r.starts_at)),
            Column(self.tr("To"), lambda r: fmt.time_only(r.ends_at)),
            Column(self.tr("Note"), lambda r: r.note)], self)
        self.exc_table = QTableView()
        self.exc_table.setObjectName("rotaExceptions")
        self.exc_table.setModel(self.exc_model)
        self.exc_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.exc_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.exc_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.exc_table.verticalHeader().hide()
        self.exc_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.exc_table.setMinimumHeight(140)
        ex.addWidget(self.exc_table)
        self.exc_day = QComboBox()
        self.exc_kind = QComboBox()
        for box in (self.exc_day, self.exc_kind):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)     # the whole day's name
        for code in ("absence", "work", "break"):
            self.exc_kind.addItem(self._kind_text(code), code)
        self.exc_from, self.exc_to = QLineEdit(), QLineEdit()
        for e in (self.exc_from, self.exc_to):
            e.setPlaceholderText("hh:mm")
            e.setMaxLength(5)
            e.setMaximumWidth(90)
        self.exc_note = QLineEdit()
        self.exc_note.setPlaceholderText(self.tr("Note (e.g. sick, training)"))
        self.add_exc = QPushButton(self.tr("Add"))
        self.add_exc.clicked.connect(self._add_exception)
        self.remove_exc = QPushButton(self.tr("Remove"))
        self.remove_exc.clicked.connect(self._remove_exception)
        self.exc_note.setMinimumWidth(180)
        # one row that wraps at 1024 px instead of squeezing the day and the buttons
        ex.addWidget(flow_row(self.exc_day, self.exc_kind, self.exc_from, self.exc_to, self.exc_note, self.add_exc,
                              self.remove_exc))
        self.exc_hint = QLabel(self.tr("A sick day without times covers the whole day. Changed hours replace the "
                                       "usual week on that day."))
        self.exc_hint.setObjectName("summary")
        self.exc_hint.setWordWrap(True)
        ex.addWidget(self.exc_hint)
        self.exc_error = error_label()
        ex.addWidget(self.exc_error)
        lay.addWidget(exc)

        self.rules = QGroupBox(self.tr("Booking rules"))
        rf = QFormLayout(self.rules)
        self.notice = QSpinBox()
        self.notice.setObjectName("minNotice")
        self.notice.setRange(0, appointments.MIN_NOTICE_MAX)
        self.notice.setSuffix(self.tr(" min"))
        self.grace = QSpinBox()
        self.grace.setObjectName("noShowGrace")
        self.grace.setRange(0, appointments.GRACE_MAX)
        self.grace.setSuffix(self.tr(" min"))
        self.rules_fields = FieldErrors(general=error_label())
        for field, text, w in (("min_notice_min", self.tr("Minimum notice for a booking"), self.notice),
                               ("no_show_grace_min", self.tr("No-show after (grace period)"), self.grace)):
            box = QVBoxLayout()
            box.addWidget(w)
            err = QLabel()
            box.addWidget(err)
            self.rules_fields.bind(field, err, w)
            rf.addRow(text, box)
        self.save_rules = QPushButton(self.tr("Save rules"))
        self.save_rules.clicked.connect(self._save_rules)
        rf.addRow(self.rules_fields.general)
        rf.addRow("", self.save_rules)
        self.rules.setVisible(ctx.can(Perm.MANAGE_SETTINGS))
        lay.addWidget(self.rules)
        lay.addStretch(1)
        self._techs = []

    def _skills_box(self, editable: bool) -> QGroupBox:
        """The person's skills in the user's language; for managers, a checkable list of the
        known skills (and the person's own, as typed) plus a field for new ones."""
        box = QGroupBox(self.tr("Skills"))
        v = QVBoxLayout(box)
        self.skills_summary = QLabel()
        self.skills_summary.setObjectName("rotaSkillsSummary")
        self.skills_summary.setWordWrap(True)
        v.addWidget(self.skills_summary)
        self.skills = QListWidget()
        self.skills.setObjectName("rotaSkills")
        self.skills.setFlow(QListView.Flow.LeftToRight)
        self.skills.setWrapping(True)
        self.skills.setResizeMode(QListView.ResizeMode.Adjust)
        self.skills.setSpacing(4)
        self.skills.setMaximumHeight(72)
        v.addWidget(self.skills)
        self.other_skills = QLineEdit()
        self.other_skills.setObjectName("rotaOtherSkills")
        self.other_skills.setPlaceholderText(self.tr("Other skills, separated by commas"))
        self.save_skills = QPushButton(self.tr("Save skills"))
        self.save_skills.clicked.connect(self._save_skills)
        v.addWidget(flow_row(self.other_skills, self.save_skills))
        self.skills_error = error_label()
        v.addWidget(self.skills_error)
        for w in (self.skills, self.other_skills, self.save_skills):
            w.setVisible(editable)
        return box

    def _show_skills(self, codes: tuple[str, ...]) -> None:
        lang = language()
        self.skills_summary.setText(terms.skills_text(codes, lang) if codes else self.tr("No skills yet"))
        self.skills.clear()
        self.other_skills.clear()
        self.skills_error.hide()
        known = tuple(terms.TERMS["skill"])
        for code in known + tuple(c for c in codes if c not in known):
            item = QListWidgetItem(terms.skill_name(code, lang))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in codes else Qt.CheckState.Unchecked)
            self.skills.addItem(item)

    def skill_codes(self) -> list[str]:
        """The checked skills' codes and any typed in the field for other skills."""
        checked = [self.skills.item(i) for i in range(self.skills.count())]
        codes = [str(i.data(Qt.ItemDataRole.UserRole)) for i in checked if i.checkState() == Qt.CheckState.Checked]
        return codes + [k for k in self.other_skills.text().replace("，", ",").replace("、", ",").split(",")]

    def _kind_text(self, code: str) -> str:
        return {"absence": self.tr("Sick day / absence"), "work": self.tr("Changed hours"),
                "break": self.tr("Extra break")}.get(code, code)

    def activate(self) -> None:
        actor = self.ctx.actor
        if actor is None:
            return
        today = store_today(self.ctx)
        self.exc_day.clear()
        for i in range(self.DAYS):
            d = today + timedelta(days=i)
            self.exc_day.addItem(day_label(d), d)
        self.ctx.read(lambda s: (appointments.list_technicians(s, actor),
                                 appointments.appointment_settings(s, actor)),
                      on_result=self._loaded, on_error=self._failed, owner=self)

    def _loaded(self, result: tuple[list[appointments.TechnicianView], appointments.AppointmentSettings]) -> None:
        techs, rules = result
        keep = self.tech.currentData()
        self._techs = techs
        self.tech.blockSignals(True)
        self.tech.clear()
        for t in techs:
            self.tech.addItem(t.name, t.id)
            self.tech.setItemData(self.tech.count() - 1, terms.skills_text(t.skills, language()),
                                  Qt.ItemDataRole.ToolTipRole)
        if keep is not None and index_of(self.tech, keep) >= 0:
            self.tech.setCurrentIndex(index_of(self.tech, keep))
        self.tech.blockSignals(False)
        self.notice.setValue(rules.min_notice_min)
        self.grace.setValue(rules.no_show_grace_min)
        self.load_person()

    def load_person(self) -> None:
        sid, actor = self.tech.currentData(), self.ctx.actor
        if sid is None:
            return
        person = next((t for t in self._techs if t.id == sid), None)
        self._show_skills(person.skills if person else ())
        today = store_today(self.ctx)
        last = today + timedelta(days=self.DAYS)
        self.ctx.read(lambda s: (appointments.week_template(s, actor, sid),
                                 appointments.list_exceptions(s, actor, sid, today, last)),
                      on_result=self._person_loaded, on_error=self._failed, owner=self)

    def _person_loaded(self, result: tuple[list[TemplateView], list[appointments.ShiftView]]) -> None:
        rows, exceptions = result
        for wd, (works, edits) in enumerate(self.week_rows):
            work = next((r for r in rows if r.weekday == wd and r.kind == "work"), None)
            brk = next((r for r in rows if r.weekday == wd and r.kind == "break"), None)
            works.setChecked(work is not None)
            for e in edits:
                e.setEnabled(work is not None)
            edits[0].setText(hhmm(work.start_minute) if work else "")
            edits[1].setText(hhmm(work.end_minute) if work else "")
            edits[2].setText(hhmm(brk.start_minute) if brk else "")
            edits[3].setText(hhmm(brk.end_minute) if brk else "")
        self.exc_model.set_rows(exceptions)

    def week_values(self) -> list[TemplateView]:
        """The grid as template rows; raises ValueError(weekday) for a time that is not hh:mm."""
        out = []
        for wd, (works, edits) in enumerate(self.week_rows):
            if not works.isChecked():
                continue
            try:
                out.append(TemplateView(wd, "work", parse_hhmm(edits[0].text()), parse_hhmm(edits[1].text())))
                if edits[2].text().strip() or edits[3].text().strip():
                    out.append(TemplateView(wd, "break", parse_hhmm(edits[2].text()),
                                            parse_hhmm(edits[3].text())))
            except (ValueError, TypeError):
                raise ValueError(wd) from None
        return out

    def _show(self, target: QLabel, exc: BaseException) -> None:
        """A refusal of the week names the day it is about."""
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc] if isinstance(exc, ValidationError) else []
        days = {code: self.week_rows[i][0].text() for i, code in enumerate(appointments.WEEKDAYS)}
        if errors and all(e.field in days for e in errors):
            target.setText("; ".join(f"{days[e.field]}: {reason_text(e)}" for e in errors))
        else:
            target.setText(user_message(exc))
        target.show()

    def _save_week(self) -> None:
        self.week_error.hide()
        sid, actor = self.tech.currentData(), self.ctx.actor
        if sid is None:
            return
        try:
            rows = self.week_values()
        except ValueError as e:
            self.week_error.setText(self.tr("{0}: enter times as hh:mm, e.g. 09:30").format(
                self.week_rows[e.args[0]][0].text()))
            self.week_error.show()
            return
        self.ctx.write(lambda s: appointments.set_week_template(s, actor, sid, rows),
                       on_result=lambda _: self.load_person(), on_error=lambda e: self._show(self.week_error, e),
                       owner=self)

    def _save_skills(self) -> None:
        sid, actor = self.tech.currentData(), self.ctx.actor
        skills = self.skill_codes()
        self.skills_error.hide()
        self.ctx.write(lambda s: appointments.set_skills(s, actor, sid, skills),
                       on_result=lambda _: self.activate(), on_error=lambda e: self._show(self.skills_error, e),
                       owner=self)

    def _add_exception(self) -> None:
        self.exc_error.hide()
        sid, actor = self.tech.currentData(), self.ctx.actor
        day, kind, note = self.exc_day.currentData(), self.exc_kind.currentData(), self.exc_note.text()
        try:
            a = parse_hhmm(self.exc_from.text()) if self.exc_from.text().strip() else None
            b = parse_hhmm(self.exc_to.text()) if self.exc_to.text().strip() else None
        except ValueError:
            self.exc_error.setText(self.tr("Enter times as hh:mm, e.g. 09:30"))
            self.exc_error.show()
            return
        self.ctx.write(lambda s: appointments.add_exception(s, actor, sid, day, kind, a, b, note),
                       on_result=lambda _: self._exception_added(), on_error=lambda e: self._show(self.exc_error, e),
                       owner=self)

    def _exception_added(self) -> None:
        self.exc_from.clear()
        self.exc_to.clear()
        self.exc_note.clear()
        self.load_person()

    def _remove_exception(self) -> None:
        idx = self.exc_table.currentIndex()
        row = self.exc_model.data(self.exc_model.index(idx.row(), 0), RowRole) if idx.isValid() else None
        if row is None:
            return
        actor = self.ctx.actor
        self.ctx.write(lambda s: appointments.remove_exception(s, actor, row.id),
                       on_result=lambda _: self.load_person(), on_error=lambda e: self._show(self.exc_error, e),
                       owner=self)

    def _save_rules(self) -> None:
        self.rules_fields.clear()
        actor, notice, grace = self.ctx.actor, self.notice.value(), self.grace.value()
        self.ctx.write(lambda s: appointments.set_appointment_settings(s, actor, min_notice_min=notice,
                                                                       no_show_grace_min=grace), on_result=lambda _: None,
                       on_error=lambda e: self.rules_fields.show(e) or self._show(self.week_error, e), owner=self)

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def clear_sensitive(self) -> None:
        self.exc_model.clear()
