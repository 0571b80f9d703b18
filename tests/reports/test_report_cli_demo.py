"""Issue 24, "what a newcomer tripped on": after ``orchard demo``, the README's
``orchard report day --out day.pdf`` failed ("no store database at this location", not
saying where, then asking for --db and a passphrase). Now, with no store at this counter's
default location but the demo's there, the report is of the demo store (one line on stderr
says so), the demo's passphrase is not asked for, and an error about the database names
the file it looked at.

The command runs through the ``orchard`` entry point (``desktop.cli.main``) in this process,
so the clock is pinned and the keyring is the test's; the staff number and PIN are its
stdin's two lines, as a scheduled job gives them. The missing-store case also runs the
installed ``orchard`` script itself."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from core.db import StoreDatabase
from core.demo import build_demo
from core.models import AuditEvent
from core.permissions import Role
from tests.conftest import FAST_KDF
from tests.reports.conftest import compact, squash
from tests.store_util import passphrase_store

ROOT = Path(__file__).resolve().parents[2]
README_COMMAND = "orchard report day --out day.pdf"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh ORCHARD_HOME, no ORCHARD_PASSPHRASE, the working folder a clean one."""
    folder = tmp_path / "home"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("ORCHARD_HOME", str(folder))
    monkeypatch.delenv("ORCHARD_PASSPHRASE", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return folder


@pytest.fixture(scope="module")
def _demo_template(tmp_path_factory):
    """The demo as ``orchard demo`` builds it on first run (desktop.app's _build_demo), once
    per module: on a machine without an OS keyring, so under the demo passphrase (the route
    that used to ask for it); its PINs beside it."""
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    from core import clock
    from desktop.app import DEMO_PASSPHRASE, save_demo_credentials
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        folder = tmp_path_factory.mktemp("demo-template") / "demo"
        folder.mkdir(mode=0o700)
        db = StoreDatabase.create(folder / "store.db", passphrase=DEMO_PASSPHRASE, kdf=FAST_KDF)
        info = build_demo(db, customers=20, now=clock.now())
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        save_demo_credentials(folder, info)
    finally:
        keyring.set_keyring(previous)
    return folder, info


@pytest.fixture
def demo_store(_demo_template):
    """``demo_store(home)``: the demo in ``home``/demo (a copy of the template)."""
    def put(home: Path):
        folder, info = _demo_template
        shutil.copytree(folder, home / "demo")
        return home / "demo" / "store.db", info
    return put


@pytest.fixture
def orchard(monkeypatch, capsys):
    """``orchard ARGS`` through its entry point, stdin the given text (not a terminal)."""
    from desktop import cli

    def run(args: list[str], stdin: str = "") -> Run:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = cli.main(args)
        out, err = capsys.readouterr()
        return Run(code, out, err)
    return run


def readme_argv() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"`{README_COMMAND}`" in readme, "the README no longer shows this command; test the one it shows"
    return README_COMMAND.split()[1:]


def report_audits(path: Path, passphrase: str | None):
    with StoreDatabase.open(path, passphrase=passphrase) as db, db.session() as s:
        return list(s.execute(select(AuditEvent.staff_id, AuditEvent.detail).where(AuditEvent.action == "report.cli")))


def test_the_readmes_report_command_works_after_the_demo(home, orchard, demo_store, fail_keyring, still_clock):
    from desktop.app import DEMO_PASSPHRASE
    demo_db, info = demo_store(home)
    manager = info.staff_with_role(Role.MANAGER)[0]

    run = orchard(readme_argv(), f"{manager.staff_number}\n{manager.pin}\n")

    assert run.code == 0, run.err
    assert run.err.strip() == f"orchard report: no store at {home / 'store.db'}; using the demo store at {demo_db}"
    assert "passphrase" not in run.err.lower()
    pdf = Path("day.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    text = compact(pdf)
    assert "日报" in text and squash(manager.display_name) in text      # Chen Jing works in Chinese
    assert "-> day.pdf" in run.out
    assert [r.staff_id for r in report_audits(demo_db, DEMO_PASSPHRASE)] == [manager.staff_id], \
        "audited in the demo store, as the manager who signed in"


def test_a_store_at_the_default_location_is_used_before_the_demo(home, orchard, demo_store, fail_keyring,
                                                                  monkeypatch, still_clock):
    demo_store(home)
    db, _ = passphrase_store(home / "store.db", "counter-passphrase", code="RC24", name="Real Counter",
                             admin_pin="1111")
    db.close()
    monkeypatch.setenv("ORCHARD_PASSPHRASE", "counter-passphrase")

    run = orchard(readme_argv(), "1\n1111\n")

    assert run.code == 0, run.err
    assert "demo" not in run.err
    assert squash("Real Counter") in compact(Path("day.pdf").read_bytes())
    assert len(report_audits(home / "store.db", "counter-passphrase")) == 1


def test_without_a_store_the_error_names_the_path_it_looked_at(home, tmp_path):
    """The installed script, as the README writes it, on a fresh home: no store, no demo."""
    env = {k: v for k, v in os.environ.items() if k != "ORCHARD_PASSPHRASE"}
    env.update(ORCHARD_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    script = Path(sys.executable).with_name("orchard")
    result = subprocess.run([str(script), *readme_argv()], input="1\n1111\n", capture_output=True, text=True,
                            env=env, cwd=tmp_path / "work")   # no timeout=: its polling sleep fails
                                                              # under the date matrix's faketime (EINVAL)
    assert result.returncode == 2, result.stderr
    assert f"no store database at {home / 'store.db'}" in result.stderr
    assert "this location" not in result.stderr
    assert not (tmp_path / "work" / "day.pdf").exists()


def test_a_named_store_that_is_missing_or_locked_is_named_in_the_error(home, orchard, demo_store, fail_keyring,
                                                                        tmp_path):
    missing = tmp_path / "elsewhere" / "store.db"
    run = orchard(["report", "day", "--db", str(missing), "--out", "day.pdf"], "1\n1111\n")
    assert run.code == 2 and f"no store database at {missing}" in run.err
    # a demo at the default location is not used in place of a store named with --db
    demo_store(home)
    run = orchard(["report", "day", "--db", str(missing), "--out", "day.pdf"], "1\n1111\n")
    assert run.code == 2 and "using the demo store" not in run.err

    locked = tmp_path / "locked" / "store.db"
    locked.parent.mkdir()
    passphrase_store(locked, "not-known-here", code="RC25", name="Locked")[0].close()
    run = orchard(["--db", str(locked), "report", "day", "--out", "day.pdf"], "1\n1234\n")
    assert run.code == 2 and str(locked) in run.err and "ORCHARD_PASSPHRASE" in run.err
    assert not Path("day.pdf").exists()
