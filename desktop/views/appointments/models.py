"""The tables of the appointments screen: the day as the counter's list, and the walk-in
queue with each person's estimated wait."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop import fmt
from desktop.labels import label, service
from desktop.models.rows import Column, RowsModel
from desktop.widgets.tones import status_tone

if TYPE_CHECKING:
    from core import appointments
    from desktop.qt import QObject


class DayListModel(RowsModel):
    """One row per appointment of the day; the status in its calendar colour."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([], parent)
        self.columns = self._columns()

    def _columns(self) -> list[Column]:
        return [Column(self.tr("Time"), lambda r: fmt.time_only(r.starts_at), sort_key=lambda r: r.starts_at),
                Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Service"), lambda r: service(r.service, r.service_code)),
                Column(self.tr("Technician"), lambda r: r.technician),
                Column(self.tr("Status"), self._status_text, sort_key=lambda r: (r.status, r.starts_at),
                       foreground=lambda r: status_tone(r.status))]

    def _status_text(self, r: appointments.DayAppointment) -> str:
        if r.checked_in_at is not None and r.status in ("checked_in", "in_service"):
            return self.tr("{0} {1}").format(label(r.status), fmt.time_only(r.checked_in_at))
        return label(r.status)


class QueueModel(RowsModel):
    """Walk-ins in order of arrival: how long each has been here and the estimated wait."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([], parent)
        self.columns = [
            Column(self.tr("Name"), lambda r: r.name),
            Column(self.tr("Service"), lambda r: service(r.service)),
            Column(self.tr("Here"), lambda r: self.tr("{0} min").format(r.waited_min),
                   sort_key=lambda r: r.waited_min, align_right=True),
            Column(self.tr("Wait"), lambda r: self._estimate(r), sort_key=lambda r: (r.estimated_wait_min is None,
                                                                                      r.estimated_wait_min or 0),
                   align_right=True)]

    def _estimate(self, entry: appointments.QueueEntry) -> str:
        if entry.estimated_wait_min is None:
            return self.tr("not today")
        if entry.estimated_wait_min == 0:
            return self.tr("now")
        return self.tr("~{0} min").format(entry.estimated_wait_min)
