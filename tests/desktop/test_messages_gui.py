"""Messages look like what they are: info, success, warning and error banners each have their
own icon and colours (readable in both themes), and a failed sync or the changes HQ refused
show as errors, not as tips."""

import re
from collections import Counter
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from core.models import OutboxEntry
from core.permissions import Role
from core.sync.apply import set_state
from core.sync.enrolment import LAST_ERROR_KEY, STORE_KEY, URL_KEY
from desktop.app import apply_theme
from desktop.qt import QApplication, QColor, QVBoxLayout, QWidget
from desktop.resources import STYLES
from desktop.widgets.message import KINDS, MessageBanner
from tests.desktop.conftest import PINS, sign_in


@pytest.fixture(params=["light", "dark"])
def theme(request):
    apply_theme(QApplication.instance(), request.param)
    yield request.param
    apply_theme(QApplication.instance(), "light")


def banners(qtbot):
    host = QWidget()
    lay = QVBoxLayout(host)
    shown = {kind: MessageBanner(kind, f"A message of the kind {kind}") for kind in KINDS}
    for b in shown.values():
        lay.addWidget(b)
    qtbot.addWidget(host)
    host.resize(420, 320)
    host.show()
    qtbot.waitExposed(host)
    shown["host"] = host        # keeps the window (and the banners in it) alive
    return shown


def background(banner):
    # the colour most of the banner is painted in (its text, icon and border are small)
    image = banner.grab().toImage()
    seen = Counter(image.pixelColor(x, y).name() for x in range(0, image.width(), 3)
                   for y in range(0, image.height(), 3))
    return seen.most_common(1)[0][0]


def test_each_kind_has_its_own_icon_and_colours(qtbot, theme):
    shown = banners(qtbot)
    host = shown.pop("host")  # noqa: F841
    icons = {k: b.icon.pixmap().toImage() for k, b in shown.items()}
    colours = {k: background(b) for k, b in shown.items()}
    for a in KINDS:
        assert shown[a].isVisible() and shown[a].kind() == a
        for b in KINDS:
            if a < b:
                assert icons[a] != icons[b], f"{a} and {b} share an icon"
                assert colours[a] != colours[b], f"{a} and {b} share a colour in the {theme} theme"
    # an empty banner is out of the way; a message brings it back, of the kind asked for
    b = shown["info"]
    b.clear()
    assert not b.isVisible()
    b.set_message("error", "Sync failed")
    assert b.isVisible() and b.kind() == "error" and background(b) == colours["error"]
    assert b.icon.pixmap().toImage() == icons["error"]


def _luminance(hex_colour):
    c = QColor(hex_colour)
    channels = []
    for v in (c.redF(), c.greenF(), c.blueF()):
        channels.append(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg, bg):
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("sheet", ["light", "dark"])
def test_banner_text_is_readable_on_its_background(sheet):
    qss = (STYLES / f"{sheet}.qss").read_text("utf-8")

    def colour(selector, prop):
        block = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", qss)
        assert block, selector
        return re.search(rf"(?<![-\w]){prop}\s*:\s*(#[0-9a-fA-F]{{6}})", block.group(1)).group(1)

    base_bg = colour('QFrame#messageBanner', "background-color")
    base_fg = colour('QFrame#messageBanner QLabel#messageText', "color")
    assert contrast(base_fg, base_bg) >= 4.5, "info"
    for kind in ("success", "warning", "error"):
        bg = colour(f'QFrame#messageBanner[kind="{kind}"]', "background-color")
        fg = colour(f'QFrame#messageBanner[kind="{kind}"] QLabel#messageText', "color")
        assert contrast(fg, bg) >= 4.5, kind
    assert contrast(colour("QLabel#voucherCode", "color"), colour("QLabel#voucherCode", "background-color")) >= 7


def test_a_failed_sync_and_refused_changes_show_as_errors(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    qtbot.waitUntil(lambda: w.ctx.db is not None, timeout=10000)
    # enrolled with an HQ that cannot be reached, and one change HQ refused
    with w.ctx.db.session(write=True) as s:
        set_state(s, URL_KEY, "http://127.0.0.1:9")
        set_state(s, STORE_KEY, "SH01")
        set_state(s, LAST_ERROR_KEY, "HQ cannot be reached; changes wait here and are sent later")
        entry = s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).first()
        entry.rejected = "not_owner"
        entry.created_at = entry.created_at or datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)
    sign_in(qtbot, w, people[Role.ADMIN], PINS[Role.ADMIN])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.shell.go("settings")
    panel = w.shell.screens["settings"].sync_panel
    qtbot.waitUntil(lambda: panel.data is not None and "Sync failed" in panel.headline.text(), timeout=10000)
    assert panel.headline.kind() == "error" and panel.headline.isVisible()
    tip = MessageBanner("info")
    assert panel.headline.icon.pixmap().toImage() != tip.icon.pixmap().toImage(), "not the icon of a tip"
    qtbot.waitUntil(lambda: panel.parked_box.isVisible(), timeout=10000)
    assert panel.parked_note.kind() == "error" and panel.parked_note.isVisible()
    assert panel.parked_note.text().startswith("HQ refused these changes")
    # laid out at a readable size, in the colours of an error
    qtbot.waitUntil(lambda: panel.headline.height() >= 24 and panel.parked_note.height() >= 24, timeout=5000)
    assert background(panel.headline) == background(panel.parked_note)
