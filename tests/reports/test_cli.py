"""``orchard report``: a scheduled job writes each manager report to a file."""

from __future__ import annotations

import io
import os
import stat
from datetime import timedelta

import pytest

from core.permissions import Role
from reports import cli
from tests.reports.conftest import compact, reader, squash


@pytest.fixture
def as_staff(monkeypatch):
    """The passphrase in the environment, the staff number and PIN on stdin (not a terminal)."""
    monkeypatch.setenv("ORCHARD_PASSPHRASE", "reports-test")

    def sign_in(member):
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{member.staff_number}\n{member.pin}\n"))
    return sign_in


@pytest.mark.parametrize("kind, title_en", [
    ("day", "Day report"), ("period", "Period report"), ("technicians", "Technician productivity"),
    ("loyalty", "Loyalty summary"), ("tradein", "Trade-in summary"), ("satisfaction", "Customer satisfaction")])
def test_every_manager_report_is_written_to_a_file(demo, tmp_path, kind, title_en, capsys, as_staff):
    out = tmp_path / kind / f"{kind}.pdf"
    day = (demo.today - timedelta(days=1)).isoformat()
    extra = ["--date", day] if kind == "day" else ["--days", "14"]
    as_staff(demo.info.staff_with_role(Role.ADMIN)[0])
    code = cli.main([kind, "--out", str(out), "--db", str(demo.db.path), "--lang", "en", *extra])
    assert code == 0, capsys.readouterr().err
    pdf = out.read_bytes()
    assert squash(title_en) in compact(pdf)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert len(reader(pdf).pages) >= 1


def test_report_follows_the_staff_language_and_refuses_staff_without_the_right(demo, tmp_path, capsys,
                                                                               as_staff):
    out = tmp_path / "day.pdf"
    manager = demo.info.staff_with_role(Role.MANAGER)[0]          # Chen Jing works in Chinese
    as_staff(manager)
    assert cli.main(["day", "--out", str(out), "--db", str(demo.db.path)]) == 0
    text = compact(out.read_bytes())
    assert "日报" in text and squash(manager.display_name) in text
    associate = demo.info.staff_with_role(Role.ASSOCIATE)[0]
    as_staff(associate)
    code = cli.main(["day", "--out", str(tmp_path / "no.pdf"), "--db", str(demo.db.path)])
    assert code == cli.EXIT_REFUSED and not (tmp_path / "no.pdf").exists()
    assert "may not view reports" in capsys.readouterr().err


def test_wrong_passphrase_is_a_clear_error(demo, tmp_path, capsys, as_staff, monkeypatch):
    as_staff(demo.info.staff_with_role(Role.MANAGER)[0])
    monkeypatch.setenv("ORCHARD_PASSPHRASE", "nope")
    code = cli.main(["day", "--out", str(tmp_path / "x.pdf"), "--db", str(demo.db.path)])
    assert code == 2 and "passphrase" in capsys.readouterr().err
