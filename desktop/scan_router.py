"""A scan opens what it names: the shell's search box (and the customers search) hand what
was typed or scanned to ``core.scan.resolve_scan`` and this opens the answer on its screen:
a repair ticket on the Bench, a trade-in voucher or quote on Trade-in, a member card on the
member's profile; anything else is a customer search. A role that may not open that screen
is told so, in words, instead."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core import scan
from desktop.errors import show_error
from desktop.labels import label
from desktop.qt import QMessageBox, QObject

if TYPE_CHECKING:
    from desktop.shell import ShellPage

# which screen shows each kind of thing a code names
SCREEN_OF = {scan.TICKET: "bench", scan.TRADEIN_QUOTE: "tradein", scan.MEMBER: "customers",
             scan.SEARCH: "customers"}


class ScanRouter(QObject):
    def __init__(self, shell: ShellPage) -> None:
        super().__init__(shell)
        self.shell = shell
        self._seq = 0
        self.refusal: QMessageBox | None = None      # the last "your role may not" message (tests read it)

    def open(self, text: str) -> None:
        ctx = self.shell.ctx
        actor = ctx.actor
        if actor is None or ctx.db is None or ctx.locked or not text.strip():
            return
        self._seq += 1
        seq = self._seq
        ctx.read(lambda s: scan.resolve_scan(s, actor, text), on_result=lambda t: self._resolved(seq, t),
                 on_error=lambda e: self._failed(seq, e), owner=self)

    def _resolved(self, seq: int, target: scan.ScanTarget) -> None:
        shell = self.shell
        if seq != self._seq or shell.ctx.locked:
            return            # a newer scan came meanwhile, or the counter locked
        key = SCREEN_OF[target.kind]
        if not shell.go(key):
            self._refuse(target.kind)
            return
        screen: Any = shell.screens[key]
        if target.kind == scan.TICKET:
            screen.open_ticket(target.id, fresh=True)
        elif target.kind == scan.TRADEIN_QUOTE:
            screen.open_quote(target.id)
        elif target.kind == scan.MEMBER:
            screen.show_customer(target.id, target.text)
        else:
            screen.focus_search(target.text)

    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        if isinstance(exc, scan.ScanNotAllowed):
            self._refuse(exc.kind)
        else:
            show_error(self.shell, exc)

    def _refuse(self, kind: str) -> None:
        actor = self.shell.ctx.actor
        role = label(actor.role.value) if actor is not None else ""
        texts = {
            scan.TICKET: self.tr("This code is a repair ticket. Your role ({0}) may not open the Bench."),
            scan.TRADEIN_QUOTE: self.tr("This code is a trade-in quote. Your role ({0}) may not open Trade-in."),
            scan.MEMBER: self.tr("This code is a member card. Your role ({0}) may not open customer profiles."),
            scan.SEARCH: self.tr("Your role ({0}) may not look customers up."),
        }
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Scan"), texts[kind].format(role),
                          QMessageBox.StandardButton.Ok, self.shell)
        box.setObjectName("scanRefused")
        if self.refusal is not None:       # one message at a time: the newest scan's
            self.refusal.close()
            self.refusal.deleteLater()
        self.refusal = box
        box.open()
