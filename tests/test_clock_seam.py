"""core/clock.py is the one seam to the wall clock: no other source reads the machine's
date or time, so a test, the demo seed or a tool can pin the moment for everything at once."""

import ast
from datetime import date, datetime, timezone
from pathlib import Path

from core import clock

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "hq", "reports", "desktop", "tests", "scripts", "bench")
SEAM = ROOT / "core" / "clock.py"
# what reads the wall clock, by full dotted name (monotonic timers measure durations and may stay)
READS = {
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today",
    "time.time", "time.time_ns", "time.localtime", "time.gmtime", "time.ctime", "time.asctime",
}
QT_READS = {
    ("QDateTime", "currentDateTime"), ("QDateTime", "currentDateTimeUtc"), ("QDateTime", "currentMSecsSinceEpoch"),
    ("QDateTime", "currentSecsSinceEpoch"), ("QDate", "currentDate"), ("QTime", "currentTime"),
}


def _dotted(node: ast.AST) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def wall_clock_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    aliases: dict[str, str] = {}      # a local name -> the module path it stands for
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    aliases[a.asname] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                full = f"{node.module}.{a.name}"
                aliases[a.asname or a.name] = full
                if full in READS:
                    found.append((node.lineno, full))
    for node in ast.walk(tree):
        # references, called or not (``default=datetime.now`` reads the clock later)
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            parts = _dotted(node)
            if parts is None:
                continue
            parts = aliases.get(parts[0], parts[0]).split(".") + parts[1:]
            if ".".join(parts) in READS or tuple(parts[-2:]) in QT_READS:
                found.append((node.lineno, ".".join(parts)))
    here = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    return [f"{here}:{line}: {name}" for line, name in sorted(set(found))]


def sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path != SEAM and ".venv" not in path.parts:
                yield path


def test_nothing_reads_the_wall_clock_but_the_seam():
    offences = [hit for path in sources() for hit in wall_clock_reads(path)]
    assert offences == [], "read the time through core.clock:\n" + "\n".join(offences)


def test_the_walk_sees_every_spelling_of_a_clock_read(tmp_path):
    # the check above can only pass honestly if it would catch these
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import time as _t\nimport datetime\nfrom datetime import date, datetime as dt\nfrom time import time_ns\n"
        "a = dt.now()\nb = date.today()\nc = _t.time()\nd = datetime.datetime.utcnow()\n"
        "e = dict(default=dt.now)\nf = QDate.currentDate()\ng = _t.monotonic()\n", "utf-8")
    hits = wall_clock_reads(probe)
    assert [h.split(": ", 1)[1] for h in hits] == [
        "time.time_ns", "datetime.datetime.now", "datetime.date.today", "time.time", "datetime.datetime.utcnow",
        "datetime.datetime.now", "QDate.currentDate",
    ]


def test_a_pinned_clock_stands_still_until_moved():
    at = datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc)
    with clock.pinned(at) as fixed:
        first = (clock.now(), clock.now_ms())
        fixed.advance(minutes=2)
        assert (first, clock.now()) == ((at, 1_798_761_540_000), datetime(2027, 1, 1, 0, 1, tzinfo=timezone.utc))


def test_today_is_the_store_s_own_day():
    # 23:59 on new year's eve in UTC is already 07:59 on new year's day in Shanghai
    with clock.pinned(datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc)):
        assert (clock.today(), clock.today("Asia/Shanghai"), clock.today("America/New_York")) == (
            date(2026, 12, 31), date(2027, 1, 1), date(2026, 12, 31))
