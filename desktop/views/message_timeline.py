"""Messages to the customer on the store's timelines (issue 22): what was sent about a
ticket, an appointment or to a customer, by which channel, and how its delivery went, as
HQ reported it back (``core.messages.timeline.messages_for``, read in a worker).

A status is always words, its colour only repeats them: "Delivered 12 Mar 10:02", "Will be
sent 13 Mar 09:00", "Not delivered: the SMS gateway refused it", "Not sent: the appointment
was moved or cancelled". The words of kinds, channels and reasons come from core.terms."""

from __future__ import annotations

import html
from dataclasses import dataclass
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core import clock
from desktop import fmt
from desktop.labels import label
from desktop.models.rows import Column, RowsModel
from desktop.qt import QColor, QCoreApplication, QGroupBox, QHeaderView, QLabel, Qt, QVBoxLayout, QWidget
from desktop.widgets.table import list_table
from desktop.widgets.tones import dark_theme

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from core.messages.timeline import MessageView
    from desktop.context import AppContext

# the state a message is in, as the person at the counter reads it; colours for light, dark
# (4.5:1 or better on either theme's table rows, like desktop.widgets.tones)
STATE_TONES = {
    "scheduled": ("#2b6cb0", "#63b3ed"),
    "waiting": ("#975a16", "#f6c35b"),
    "sent": ("#276749", "#68d391"),
    "delivered": ("#276749", "#68d391"),
    "failed": ("#9b2c2c", "#fc8181"),
    "not_sent": ("#5f6b7a", "#a0aec0"),
}

def _tr(text: str) -> str:
    return QCoreApplication.translate("MessageTimeline", text)


def state(m: MessageView, now: datetime | None = None) -> str:
    """scheduled, waiting, sent, delivered, failed or not_sent."""
    if m.cancelled or m.status in ("cancelled", "suppressed"):
        return "not_sent"
    if m.status in ("sent", "delivered", "failed"):
        return m.status
    return "scheduled" if m.send_after > (now or clock.now()) else "waiting"


def reason(m: MessageView) -> str:
    """The reason in words ("" when there is none); core names why the store cancelled one."""
    return label(m.status_reason, "message_reason")


def status_text(m: MessageView, now: datetime | None = None) -> str:
    st, why = state(m, now), reason(m)
    if st == "scheduled":
        return _tr("Will be sent {0}").format(fmt.date_time(m.send_after))
    if st == "waiting":
        return _tr("Waiting: {0}").format(why) if why else _tr("Waiting to be sent")
    if st == "not_sent":
        return _tr("Not sent: {0}").format(why) if why else _tr("Not sent")
    if st == "failed":
        return _tr("Not delivered: {0}").format(why) if why else label("failed", "message_status")
    words = label(st, "message_status")
    return f"{words} {fmt.date_time(m.status_at)}" if m.status_at else words


def tone(m: MessageView, now: datetime | None = None) -> QColor:
    return QColor(STATE_TONES[state(m, now)][1 if dark_theme() else 0])


def kind_text(m: MessageView) -> str:
    return label(m.kind, "message_kind")


def channel_text(m: MessageView) -> str:
    return label(m.channel, "contact")


def newest_first(rows: Sequence[MessageView]) -> list[MessageView]:
    return sorted(rows, key=lambda m: m.created_at, reverse=True)


class MessagesLoader:
    """Reads a ticket's, an appointment's or a customer's messages in a worker; a newer
    request (or a clear) makes an older answer stale."""

    def __init__(self, ctx: AppContext, owner: QWidget, show: Callable[[list[MessageView]], None]) -> None:
        self.ctx, self.owner, self.show = ctx, owner, show
        self.seq = 0

    def load(self, **where: uuid.UUID | None) -> None:
        self.seq += 1
        if self.ctx.actor is None or self.ctx.locked or not any(where.values()):
            self.show([])
            return
        seq, actor = self.seq, self.ctx.actor

        def read(s: Any) -> list[MessageView]:
            from core.messages.timeline import messages_for
            return messages_for(s, actor, **where)

        def done(rows: list[MessageView]) -> None:
            if seq == self.seq and not self.ctx.locked:
                self.show(newest_first(rows))

        def failed(_exc: BaseException) -> None:
            # the timeline beside it still shows; a message list that cannot be read stays empty
            if seq == self.seq:
                self.show([])
        self.ctx.read(read, on_result=done, on_error=failed, owner=self.owner)

    def clear(self) -> None:
        self.seq += 1
        self.show([])


class MessagesBox(QGroupBox):
    """A table of the messages about one ticket (the bench's History tab): queued when,
    what, by which channel, and the status in words and colour. Hidden while there are none."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Messages to the customer"), parent)
        self.setObjectName("messagesBox")
        self.model = RowsModel([
            Column(self.tr("Queued at"), lambda m: fmt.date_time(m.created_at), sort_key=lambda m: m.created_at),
            Column(self.tr("Message"), kind_text),
            Column(self.tr("Channel"), channel_text),
            Column(self.tr("Status"), status_text, foreground=tone),
        ], self)
        self.view = list_table(self.model, stretch=False)
        self.view.setObjectName("messagesTable")
        header = self.view.horizontalHeader()       # whole dates and words; the status takes the rest
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 8)
        lay.addWidget(self.view)
        self.loader = MessagesLoader(ctx, self, self._show)
        self.hide()

    def _show(self, rows: list[MessageView]) -> None:
        self.model.set_rows(rows)
        self.setVisible(bool(rows))

    def load(self, *, ticket_id: uuid.UUID | None = None, appointment_id: uuid.UUID | None = None) -> None:
        self.loader.load(ticket_id=ticket_id, appointment_id=appointment_id)

    def clear(self) -> None:
        self.loader.clear()


class MessagesLine(QLabel):
    """The messages about one appointment, a line each, under its details: what, channel,
    status in words (coloured). Hidden while there are none."""

    MAX_LINES = 4

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("appointmentMessages")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.rows: list[MessageView] = []
        self.appointment_id: uuid.UUID | None = None
        self.loader = MessagesLoader(ctx, self, self._show)
        self.hide()

    def _show(self, rows: list[MessageView]) -> None:
        self.rows = rows
        lines = [f"{html.escape(kind_text(m))} · {html.escape(channel_text(m))} · "
                 f"<span style='color: {tone(m).name()}'>{html.escape(status_text(m))}</span>"
                 for m in rows[:self.MAX_LINES]]
        if len(rows) > self.MAX_LINES:
            lines.append(html.escape(self.tr("and {0} earlier").format(len(rows) - self.MAX_LINES)))
        self.setText("<br>".join(lines))
        self.setVisible(bool(rows))

    def load(self, appointment_id: uuid.UUID | None) -> None:
        """Reloads the same appointment's lines in place; another appointment's never show
        under this one while its own are read."""
        if appointment_id != self.appointment_id:
            self._show([])
        self.appointment_id = appointment_id
        self.loader.load(appointment_id=appointment_id)

    def clear(self) -> None:
        self.appointment_id = None
        self.loader.clear()


@dataclass(frozen=True)
class MessageItem:
    """A message as a row of the customer profile's timeline (beside privacy.TimelineItem)."""

    at: datetime
    message: MessageView
    kind: str = "message"
    ref_id: uuid.UUID | None = None


def merged_timeline(items: Sequence[Any], rows: Sequence[MessageView]) -> list[Any]:
    """The profile's timeline with the customer's messages among it, newest first."""
    merged = [*items, *(MessageItem(m.created_at, m) for m in rows)]
    return sorted(merged, key=lambda i: i.at, reverse=True)

