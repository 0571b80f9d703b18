"""Screenshots of knowing the customer (issue 23): the profile's "Customer value" box with its
segment, value band, churn risk, reasons and next best actions (signed in as the associate
at the counter), and the manager's "Customer insights" dashboard and "Marketing lists" with
a count shown; each at 1280x800 and 1024x768, light and dark.

The scores are HQ's, got the real way: the store is enrolled with a local HQ (SQLite, no
background recompute), its first sync uploads the demo store, and HQ scores the chain
(:func:`hq.crm.scores.recompute`) as it stood each week of the last eight and today, the
store pulling each pass and keeping that day's segment counts
(:func:`core.crm.dashboard.take_snapshot`): the dashboard's movement. Staff's answers to
suggestions (accepted, dismissed) are recorded with :func:`core.crm.actions.record_outcome`.

    take(window, target, people) -> [paths]

``window`` is a window on a fresh demo store, not yet enrolled (driver.OWN_STORE)."""

from __future__ import annotations

import random
import tempfile
from datetime import timedelta
from pathlib import Path

from core import clock
from core.permissions import Role
from tools.screenshots import sync as sync_shots
from tools.screenshots.driver import SIZE, pump_until, read, save, sign_in_as, write

SMALL = (1024, 768)
WEEKS = 8                                 # weekly passes before today's: the movement chart's points
LIST_SEGMENTS = ("at_risk", "cant_lose", "hibernating")
PURPOSE = {"en": "Battery service offer in March", "zh_CN": "三月电池保养优惠"}


def _variants():
    """(suffix, size, theme) of each shot: the README's at 1280x800 in the light theme."""
    for size in (SIZE, SMALL):
        for theme in ("light", "dark"):
            suffix = ("" if size == SIZE else f"-{size[0]}x{size[1]}") + ("" if theme == "light" else "-dark")
            yield suffix, size, theme


# --- HQ's scores -------------------------------------------------------------------------------

def _sync(service) -> None:
    """One sync to its end; raises what a failed one raised."""
    box: list = []
    service.finished.connect(box.append)
    try:
        pump_until(lambda: not service.running, timeout=120)
        service.sync_now()
        pump_until(lambda: box and not service.running, timeout=300)
    finally:
        service.finished.disconnect(box.append)
    if isinstance(box[-1], BaseException):
        raise box[-1]


def _scored_store(window, hq) -> None:
    """Enrol with ``hq``, upload, then score the chain as of each of the last WEEKS weeks and
    today, the store pulling each pass and keeping that day's snapshot."""
    from core.crm import dashboard
    from core.sync.enrolment import enrol
    from desktop.views.sync import service_for
    from hq.crm import scores
    ctx = window.ctx
    service = service_for(ctx)
    service.stop()                     # no timed sync between the passes: each is pulled by _sync
    pump_until(lambda: not service.running)
    enrol(ctx.db, ctx.actor, hq.url, hq.code(ctx.store.code))
    service.refresh()
    pump_until(lambda: service.status is not None and service.status.enrolled)
    _sync(service)                     # uploads the demo store
    now = clock.now()
    tz = ctx.store.timezone or "UTC"
    for weeks in range(WEEKS, -1, -1):
        at = now - timedelta(weeks=weeks)
        scores.recompute(hq.engine, now=at, full=True)
        _sync(service)
        day = clock.today(tz) - timedelta(weeks=weeks)
        write(window, lambda s, day=day: dashboard.take_snapshot(s, ctx.actor, today=day))


def _candidates(s, actor) -> list:
    from core import customers
    seen: dict = {}
    for text in ("@", "1", "a", "e"):
        for row in customers.search(s, actor, text, limit=2000):
            seen.setdefault(row.id, row)
    return sorted(seen.values(), key=lambda r: str(r.id))


def _suggested(s, actor, lang: str) -> list[tuple]:
    """(customer id, value, suggestions) of every customer the search finds."""
    from core.crm import actions, value
    now = clock.now()
    return [(r.id, value.customer_value(s, actor, r.id, lang=lang), actions.suggestions(s, actor, r.id, now=now,
                                                                                        lang=lang))
            for r in _candidates(s, actor)]


def _profile_customer(found: list[tuple]):
    """The customer whose box shows the most: churn reasons, a value band, the most kinds of
    suggestion (a marketing one among them)."""
    def key(item):
        cid, v, sug = item
        codes = {x.code for x in sug}
        return (v is not None and bool(v.reasons) and bool(v.value_band), min(len(codes), 4),
                any(x.marketing for x in sug), min(len(v.reasons), 3) if v is not None else 0, -abs(len(sug) - 4),
                str(cid))
    return max(found, key=key)[0]


def _answers(window, found: list[tuple], keep) -> int:
    """Staff answered suggestions over the last six weeks: most accepted for a battery
    service or a follow-up, fewer for marketing ones (a fixed draw, the same each run)."""
    from core.crm import actions
    rng = random.Random(23)
    rates = {"complaint_followup": 0.8, "warranty_ending": 0.6, "battery_service": 0.55, "tradein_upgrade": 0.3,
             "accessory": 0.35}
    now = clock.now()
    done = 0
    for cid, _v, sug in found:
        if cid == keep or rng.random() > 0.5:
            continue
        for x in sug[:2]:
            outcome = "accepted" if rng.random() < rates.get(x.code, 0.5) else "dismissed"
            at = now - timedelta(days=rng.randrange(0, 42), minutes=rng.randrange(0, 600))
            write(window, lambda s, cid=cid, x=x, outcome=outcome, at=at: actions.record_outcome(
                s, window.ctx.actor, cid, x.code, x.subject, outcome, now=at))
            done += 1
    return done


# --- the shots ---------------------------------------------------------------------------------

def _theme(window, theme: str, key: str) -> None:
    """Switch the theme (the shell is rebuilt in it) and show screen ``key``."""
    if window.ctx.settings.value("theme", "light") != theme:
        before = window.shell.screens.get(key)
        window.change_theme(theme)
        pump_until(lambda: window.shell.screens.get(key) not in (None, before))
    window.shell.go(key)


def _profile(window, cid, target: Path, suffix: str) -> Path:
    """Found by name (the list shows them), the profile scrolled to the Customer value box."""
    from core import customers
    name = read(window, lambda s, a: customers.get_customer(s, a, cid).display_name)
    screen = window.shell.screens["customers"]
    screen.search.setText(name)
    screen.lookup.run()
    pump_until(lambda: screen.model.rowCount() > 0)
    screen.open_id(cid)
    detail = screen.detail
    box = detail.value
    pump_until(lambda: detail.isVisible() and detail.profile is not None and detail.profile.customer.id == cid
               and box.value is not None and box.rows)
    detail.verticalScrollBar().setValue(box.y())          # the box at the top, as staff scroll to it
    pump_until(lambda: True)
    return save(window, target / f"crm-profile{suffix}.png")


def _dashboard(window, target: Path, suffix: str) -> list[Path]:
    """The top (complaints' clock, segments), then each further box at the top: segment
    movement, NPS, churn risk (and the suggestions taken under it)."""
    from desktop.qt import QScrollArea
    screen = window.shell.screens["dashboard"]
    screen.activate()
    pump_until(lambda: screen.figures is not None and screen.churn_model.rowCount() > 0)
    scroll = screen.findChild(QScrollArea, "dashboardScroll")
    saved = []
    scroll.verticalScrollBar().setValue(0)
    pump_until(lambda: True)
    saved.append(save(window, target / f"crm-dashboard{suffix}.png"))
    for name, view in (("movement", screen.movement_chart), ("nps", screen.nps_chart), ("churn", screen.churn_view)):
        scroll.verticalScrollBar().setValue(view.parentWidget().y())        # its box at the top
        pump_until(lambda: True)
        saved.append(save(window, target / f"crm-dashboard-{name}{suffix}.png"))
    scroll.verticalScrollBar().setValue(0)
    return saved


def _lists(window, target: Path, suffix: str, lang: str) -> Path:
    screen = window.shell.screens["lists"]
    for code, cb in screen.segment_checks.items():
        cb.setChecked(code in LIST_SEGMENTS)
    screen.channel_buttons["sms"].setChecked(True)
    screen.purpose.setText(PURPOSE.get(lang, PURPOSE["en"]))
    before = screen.counted
    screen.recount()
    pump_until(lambda: screen.counted is not None and screen.counted is not before)
    return save(window, target / f"crm-lists{suffix}.png")


def take(window, target: Path, people: dict) -> list[Path]:
    from desktop.labels import language
    target = Path(target)
    lang = language()
    saved: list[Path] = []
    sign_in_as(window, people, Role.ADMIN)       # the admin enrols the store
    hq = sync_shots._LocalHq(Path(tempfile.mkdtemp(prefix="orchard-shots-crm-hq-")))
    hq.start("--no-crm")
    try:
        _scored_store(window, hq)
        found = read(window, lambda s, a: _suggested(s, a, lang))
        cid = _profile_customer(found)
        _answers(window, found, cid)
        window.ctx.sync_service.start()
        _sync(window.ctx.sync_service)           # the answers reach HQ; the status bar says synced
        sign_in_as(window, people, Role.ASSOCIATE)
        for suffix, size, theme in _variants():
            window.resize(*size)
            _theme(window, theme, "customers")
            saved.append(_profile(window, cid, target, suffix))
        sign_in_as(window, people, Role.MANAGER)
        for suffix, size, theme in _variants():
            window.resize(*size)
            _theme(window, theme, "dashboard")
            saved += _dashboard(window, target, suffix)
            _theme(window, theme, "lists")
            saved.append(_lists(window, target, suffix, lang))
        _theme(window, "light", "dashboard")
        window.resize(*SIZE)
    finally:
        hq.stop()
        hq.engine.dispose()
    return saved
