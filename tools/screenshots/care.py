"""Screenshots of Customer care on the demo store, signed in as the manager: the due list
(overdue first, in time left), the complaint that is with the region (its two clocks and the
response script beside it; further down, the region's note and the store's answer) and the
"Record a complaint" dialog."""

from __future__ import annotations

from pathlib import Path

from core.permissions import Role
from tools.screenshots.driver import pump_until, read, save, sign_in_as

# the customer's words typed in the dialog, in the screenshot's language
_WORDS = {"en": "The screen I had replaced last week flickers again when the phone warms up.",
          "zh_CN": "上周换的屏幕，手机一发热就又开始闪了。"}


def _scroll_to(widget) -> None:
    from desktop.qt import QScrollArea
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    if area is not None:
        area.ensureWidgetVisible(widget, 0, 200)


def _with_the_regions_note(window, items) -> int | None:
    """The row of the complaint the region wrote a note on (the demo's major one), else
    of any escalated complaint."""
    from core.care import complaints
    escalated = [k for k, i in enumerate(items) if i.escalated and i.complaint_id is not None]

    def noted(s, actor):
        return next((k for k in escalated if any(n.author == "hq" for n in
                                                  complaints.get_complaint(s, actor, items[k].complaint_id).notes)),
                    None)
    found = read(window, noted)
    return found if found is not None else next(iter(escalated), None)


def take(window, target: Path, people: dict) -> list[Path]:
    from desktop.labels import language
    from desktop.views.care.complaint_dialog import ComplaintDialog
    target = Path(target)
    saved: list[Path] = []
    sign_in_as(window, people, Role.MANAGER)
    window.shell.go("care")
    screen = window.shell.screens["care"]
    screen.show_list()
    pump_until(lambda: screen.due.model.rowCount() > 0)
    items = screen.due.items()
    escalated = _with_the_regions_note(window, items)
    screen.due.table.clearSelection()       # every overdue row in its colour
    pump_until(lambda: True)
    saved.append(save(window, target / "care-due.png"))

    chosen = escalated if escalated is not None else next(k for k, i in enumerate(items) if i.complaint_id)
    screen.due.open_row(chosen)
    panel = screen.panel
    pump_until(lambda: panel.detail is not None and panel.detail.row.id == items[chosen].complaint_id
               and panel.notes.rowCount() > 0)
    saved.append(save(window, target / "care-complaint.png"))
    # further down the same page: the notes, the region's among them
    _scroll_to(panel.notes_view)
    pump_until(lambda: True)
    saved.append(save(window, target / "care-complaint-notes.png"))
    _scroll_to(panel.words)

    screen.show_list()
    screen.new_button.click()
    pump_until(lambda: bool(screen.findChildren(ComplaintDialog)))
    dlg = screen.findChildren(ComplaintDialog)[-1]
    dlg.channel.setCurrentIndex(max(0, dlg.channel.findData("phone")))
    dlg.text.setPlainText(_WORDS.get(language(), _WORDS["en"]))
    pump_until(lambda: dlg.isVisible())
    saved.append(save(dlg, target / "care-record.png"))
    dlg.reject()
    pump_until(lambda: True)
    return saved
