"""``orchard --check-start`` as the bundle's smoke test runs it: a real process on a fresh
ORCHARD_HOME reaches the first-run wizard; on a store made by ``orchard setup --answers``
(non-interactive) it reaches sign-in (typing the passphrase from ORCHARD_PASSPHRASE at the
passphrase page); on a damaged database it fails with exit 1 and says so."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf

ROOT = Path(__file__).resolve().parents[2]
REACHED = re.compile(r"^orchard: reached (first-run|sign-in|passphrase|recovery) in (\d+) ms, rss (\d+) MB$")
PASSPHRASE = "a long store passphrase"


def orchard(home: Path, *args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """``cwd``: the folder it runs in (``orchard setup`` writes the recovery sheet there);
    by default a folder beside ``home``, never the repository."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ORCHARD_")}
    environment.update(ORCHARD_HOME=str(home), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home / "config"),
                       PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", PYTHONPATH=str(ROOT), **env)
    if cwd is None:
        cwd = home.parent / "desk"
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=120)


def reached(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [line for line in result.stdout.splitlines() if line.startswith("orchard:")]
    assert len(lines) == 1, result.stdout
    match = REACHED.match(lines[0])
    assert match, lines[0]
    assert int(match.group(2)) > 0 and int(match.group(3)) > 20
    return match.group(1)


def test_a_fresh_counter_reaches_the_first_run_wizard_and_writes_no_store(tmp_path):
    home = tmp_path / "home"
    assert reached(orchard(home, "--check-start")) == "first-run"
    assert not (home / "store.db").exists() and not (home / "setup-draft.json").exists()


def test_a_store_made_by_setup_answers_reaches_sign_in(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    answers = home / "answers.json"
    answers.write_text(json.dumps({
        "language": "en", "mode": "new", "store_code": "SH07", "store_name": "Orchard Jing'an",
        "timezone": "Asia/Shanghai", "country": "CN", "currency": "CNY", "admin_name": "Ada Admin",
        "admin_number": "1", "receipt_printer": "", "label_printer": ""}), "utf-8")
    desk = tmp_path / "office"
    made = orchard(home, "setup", "--answers", str(answers), cwd=desk, ORCHARD_ADMIN_PASSWORD="admin-pass-1",
                   ORCHARD_ADMIN_PIN="1234", ORCHARD_PASSPHRASE=PASSPHRASE)
    assert made.returncode == 0, made.stderr[-2000:]
    # the sheet goes where the command was run, never beside the database it opens
    sheet = desk / "recovery-key-SH07.pdf"
    assert f"Recovery key sheet: {sheet}" in made.stdout
    assert not list(home.glob("*.pdf")), "the data folder holds no recovery key"
    assert "then delete the file" in made.stdout
    assert "admin-pass-1" not in made.stdout + made.stderr and PASSPHRASE not in made.stdout + made.stderr
    assert oct(sheet.stat().st_mode & 0o777) == "0o600", "the sheet carries the recovery key"
    assert "SH07" in "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(sheet.read_bytes())).pages)
    assert (home / "store.db").exists() and (home / "backups").is_dir()
    assert reached(orchard(home, "--check-start", ORCHARD_PASSPHRASE=PASSPHRASE)) == "sign-in"
    # a second set-up never touches the store that is there
    again = orchard(home, "setup", "--answers", str(answers), ORCHARD_ADMIN_PASSWORD="admin-pass-1",
                    ORCHARD_PASSPHRASE=PASSPHRASE)
    assert again.returncode == 2 and "a database already exists" in again.stderr


def test_a_damaged_database_fails_the_check_with_the_reason(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    answers = home / "answers.json"
    answers.write_text(json.dumps({"store_code": "SH08", "store_name": "Orchard Putuo", "timezone": "UTC",
                                   "country": "CN", "currency": "CNY", "admin_name": "Ada Admin"}), "utf-8")
    assert orchard(home, "setup", "--answers", str(answers), ORCHARD_ADMIN_PASSWORD="admin-pass-1",
                   ORCHARD_PASSPHRASE=PASSPHRASE).returncode == 0
    db = home / "store.db"
    data = bytearray(db.read_bytes())
    data[4096:8192] = os.urandom(4096)           # page 2 is noise now
    db.write_bytes(bytes(data))
    result = orchard(home, "--check-start", ORCHARD_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 1
    assert "orchard: start failed: the key is right but the database file is damaged" in result.stderr
