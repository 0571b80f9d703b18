"""``orchard report`` signs in (issue 18): it used to act as the store's first admin without
asking anyone, and took the store passphrase as ``--passphrase`` (visible in the process
list). Now the passphrase comes from the keyring, ORCHARD_PASSPHRASE or a terminal prompt;
the staff number and PIN from the terminal or two lines of stdin; sign-in goes through
core.staff (same lockout), the role needs the reports right, and the report is audited
as that person. The command runs in this process (``reports.cli.main``, stdin given as
text, so no terminal), except on a terminal: that test gives the real command in a child
process a pseudo-terminal of its own, to see what it echoes."""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select as sql_select

from core import clock, staff
from core.db import StoreDatabase
from core.models import AuditEvent, SignInState
from core.permissions import Role
from reports import cli
from tests.store_util import passphrase_store

ROOT = Path(__file__).resolve().parents[2]
PASS = "cli-auth-passphrase"
PINS = {Role.MANAGER: "2468", Role.ASSOCIATE: "1357", Role.TECHNICIAN: "9753"}


@pytest.fixture(scope="module")
def _template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report-cli")
    db, admin = passphrase_store(folder / "store.db", PASS, code="RC01", name="Report CLI",
                                 admin_name="Ada Admin", admin_pin="1111")
    numbers = {}
    with db.session(write=True) as s:
        for role, pin in PINS.items():
            info = staff.create_staff(s, admin, display_name=f"Test {role.value}", role=role,
                                      password="password-22", pin=pin)
            numbers[role] = (info.id, info.staff_number)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return folder, numbers


@pytest.fixture
def store(_template, tmp_path):
    folder, numbers = _template
    for f in folder.iterdir():
        shutil.copy2(f, tmp_path / f.name)
    return tmp_path / "store.db", numbers


def env(**extra):
    e = {k: v for k, v in os.environ.items() if k != "ORCHARD_PASSPHRASE"}
    e.update(QT_QPA_PLATFORM="offscreen", **extra)
    return e


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def orchard_report(monkeypatch, capsys, memory_keyring):
    """``orchard report ARGS`` in this process, as a scheduled job runs it: stdin is the given
    text (not a terminal), the passphrase ORCHARD_PASSPHRASE (None: not set), an empty
    keyring. Returns the exit status and what it printed."""
    def run(args, stdin="", passphrase=PASS):
        if passphrase is None:
            monkeypatch.delenv("ORCHARD_PASSPHRASE", raising=False)
        else:
            monkeypatch.setenv("ORCHARD_PASSPHRASE", passphrase)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:       # argparse: --help, or a usage error
            code = exc.code or 0
        out, err = capsys.readouterr()
        return Run(code, out, err)
    return run


@pytest.fixture
def report(orchard_report):
    def run(path, out, stdin, passphrase=PASS):
        return orchard_report(["day", "--db", path, "--out", out], stdin, passphrase)
    return run


def audit_rows(path, action):
    with StoreDatabase.open(path, passphrase=PASS) as db, db.session() as s:
        return list(s.execute(sql_select(AuditEvent.staff_id, AuditEvent.detail)
                              .where(AuditEvent.action == action)))


def test_a_manager_signs_in_and_gets_todays_pdf_audited_as_themselves(store, tmp_path, report, still_clock,
                                                                       caplog):
    path, numbers = store
    manager_id, number = numbers[Role.MANAGER]
    out = tmp_path / "day.pdf"
    run = report(path, out, f"{number}\n{PINS[Role.MANAGER]}\n")
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF")
    today = clock.today(ZoneInfo("Europe/London"))           # the store's day, not the machine's
    assert f"day report {today}..{today} -> {out}" in run.stdout
    assert audit_rows(path, "report.cli") == [(manager_id, f"day {today}..{today}")]
    assert manager_id in [r.staff_id for r in audit_rows(path, "sign_in.ok")]
    assert PINS[Role.MANAGER] not in run.stdout + run.stderr + caplog.text


def test_an_associate_is_refused(store, tmp_path, report):
    path, numbers = store
    out = tmp_path / "day.pdf"
    run = report(path, out, f"{numbers[Role.ASSOCIATE][1]}\n{PINS[Role.ASSOCIATE]}\n")
    assert run.returncode == 3 and not out.exists()
    assert "may not view reports" in run.stderr
    assert audit_rows(path, "report.cli") == []


def test_a_wrong_pin_is_refused_counts_towards_the_lockout_and_an_unknown_number_reads_the_same(
        store, tmp_path, report, caplog):
    path, numbers = store
    tech_id, number = numbers[Role.TECHNICIAN]
    out = tmp_path / "day.pdf"
    wrong = report(path, out, f"{number}\n0000\n")
    assert wrong.returncode == 3 and not out.exists()
    assert "wrong PIN; 4 tries left before the PIN is blocked" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    with StoreDatabase.open(path, passphrase=PASS) as db, db.session() as s:
        assert s.get(SignInState, tech_id).failed_pins == 1          # the screen's lockout, kept
    assert [r.staff_id for r in audit_rows(path, "sign_in.failed")] == [tech_id]
    unknown = report(path, out, "4242\n0000\n")
    assert unknown.returncode == 3 and unknown.stderr == wrong.stderr
    assert not out.exists()
    assert "0000" not in caplog.text


def test_without_a_staff_number_and_pin_nothing_is_written(store, tmp_path, report):
    path, _ = store
    out = tmp_path / "day.pdf"
    run = report(path, out, "")
    assert run.returncode == 3 and not out.exists()
    assert audit_rows(path, "report.cli") == []


def test_the_passphrase_is_no_option_and_a_wrong_one_is_a_clear_error(store, tmp_path, orchard_report, report):
    path, numbers = store
    out = tmp_path / "day.pdf"
    sign_in = f"{numbers[Role.MANAGER][1]}\n{PINS[Role.MANAGER]}\n"
    helped = orchard_report(["--help"], passphrase=None)
    assert helped.returncode == 0
    assert "ORCHARD_PASSPHRASE" in helped.stdout and "keyring" in helped.stdout
    assert "--passphrase PASSPHRASE" not in helped.stdout
    given = orchard_report(["day", "--db", path, "--out", out, "--passphrase", PASS], sign_in, passphrase=None)
    assert given.returncode == 2 and "unrecognized arguments" in given.stderr and not out.exists()
    bad = report(path, out, sign_in, passphrase="nope")
    assert bad.returncode == 2 and "passphrase does not open" in bad.stderr and not out.exists()
    assert audit_rows(path, "sign_in.ok") == []          # no one signed in under a refused passphrase


def _converse(fd, answers, timeout=60.0):
    """Read the terminal; when a prompt shows, type its answer. Returns all it showed."""
    seen, pending = b"", list(answers)
    while True:
        ready, _, _ = select.select([fd], [], [], timeout)
        assert ready, f"the command stopped answering; it showed {seen!r}"
        try:
            chunk = os.read(fd, 4096)
        except OSError:      # the command ended and closed the terminal
            return seen.decode(errors="replace")
        if not chunk:
            return seen.decode(errors="replace")
        seen += chunk
        if pending and pending[0][0].encode() in seen.split(b"\n")[-1]:
            os.write(fd, pending.pop(0)[1].encode() + b"\n")


def test_on_a_terminal_it_asks_for_passphrase_number_and_pin_without_echoing_secrets(store, tmp_path):
    path, numbers = store
    out = tmp_path / "day.pdf"
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - child
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "desktop.cli", "report", "day", "--db", str(path),
                                   "--out", str(out)], env())
    shown = _converse(fd, [("Store passphrase:", PASS), ("Staff number:", numbers[Role.MANAGER][1]),
                           ("PIN", PINS[Role.MANAGER])])
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, shown
    assert out.read_bytes().startswith(b"%PDF")
    assert PASS not in shown and PINS[Role.MANAGER] not in shown, "a secret was echoed on the terminal"
    assert numbers[Role.MANAGER][1] in shown            # the staff number is no secret: it echoes
