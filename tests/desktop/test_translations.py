"""English and Simplified Chinese ship: every string translated, and the Chinese window
shows Chinese text with fonts that have the glyphs."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from core.permissions import Role
from tests.desktop.conftest import PINS, sign_in

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "orchard_zh_CN.ts"


def test_every_string_has_a_chinese_translation():
    unfinished = []
    for ctx in ET.parse(TS).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete") or not (tr.text or "").strip():
                unfinished.append(f"{name}: {msg.findtext('source')}")
    assert unfinished == []


def test_ts_file_is_up_to_date_with_the_sources(tmp_path):
    """Every self.tr() string in desktop/ and every fixed core message is in the .ts."""
    check = subprocess.run([sys.executable, "scripts/extract_core_messages.py", "--check"], cwd=ROOT)
    assert check.returncode == 0, "run scripts/update_translations.sh"
    copy = tmp_path / "orchard_zh_CN.ts"
    copy.write_bytes(TS.read_bytes())
    files = sorted(str(p) for p in (ROOT / "desktop").rglob("*.py"))
    out = subprocess.run([str(Path(sys.executable).parent / "pyside6-lupdate"), "-no-obsolete", *files,
                          "-ts", str(copy)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "(0 new and" in out.stdout, out.stdout


def test_chinese_window_shows_chinese(qtbot, gui_store, make_window, tmp_path):
    from desktop.qt import QFontDatabase, QFontMetrics, QLabel
    path, people = gui_store
    assert QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese), "no Chinese font installed"
    w = make_window(path, language="zh_CN")
    sign_in(qtbot, w, people[Role.MANAGER], PINS[Role.MANAGER])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    nav = [w.shell.nav.item(i).text() for i in range(w.shell.nav.count())]
    assert nav[:3] == ["客户", "预约", "维修台"], nav
    metrics = QFontMetrics(w.shell.nav.font())
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "客户预约维修台"), "glyphs missing: boxes on screen"
    w.grab().save(str(tmp_path / "zh.png"))
    assert (tmp_path / "zh.png").stat().st_size > 10_000


def test_core_messages_with_numbers_reach_a_chinese_user_in_chinese(qapp):
    import httpx

    from core.errors import AuthenticationError
    from core.sync import client as sync_client
    from desktop.app import install_language
    from desktop.errors import user_message
    install_language(qapp, "zh_CN")
    try:
        wait = user_message(AuthenticationError("too many tries; wait {seconds} s and try again", seconds=7))
        # HQ answers with a code and values; its English never reaches the screen
        template, params = sync_client._refusal(httpx.Response(
            403, json={"error": "this enrolment code is for store SX", "code": "enrol_code_other_store",
                       "params": {"store": "SX"}}))
        refused = user_message(sync_client.HqRefused(template, **params))
    finally:
        install_language(qapp, "en")
    assert wait == "尝试次数过多，请等待 7 秒后重试"
    assert refused == "此注册码属于门店 SX"


def test_the_sync_screen_words_a_clock_refusal_in_chinese(qapp):
    from desktop.app import install_language
    from desktop.views.sync import SyncPanel
    install_language(qapp, "zh_CN")
    try:
        text = SyncPanel.reason("clock_ahead: 14")
    finally:
        install_language(qapp, "en")
    assert text == "本机时钟超前过多（14 小时）"
