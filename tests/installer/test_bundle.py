"""What a store installs, tried as a store would: the bundle is built (``bash scripts/dev.sh
bundle``, or a dist/ built from these very sources is reused), its .deb unpacked into a
scratch root, and the program in it run: --version, the first start on a new computer
(first-run), ``orchard setup --answers``, the next start (sign-in) and a manager report,
read back from its PDF. The bundle must carry none of the HQ server's packages and none of
the developer tools, and its .deb must bring the system libraries and fonts it relies on.

Building takes minutes, once per session; nothing here measures time (bench/bundle_start.py
does)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from core.version import VERSION

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400),
              pytest.mark.skipif(not shutil.which("dpkg-deb"), reason="builds a .deb: Debian/Ubuntu only")]

# top-level names (modules, packages, dist-info) that must not be in a counter's bundle
SERVER = {"hq", "fastapi", "uvicorn", "starlette", "pydantic", "pydantic_core", "psycopg", "psycopg_binary",
          "psycopg_pool", "jinja2", "multipart", "python_multipart", "numpy", "scipy"}
DEVELOPER = {"pytest", "_pytest", "pytestqt", "xdist", "hypothesis", "mypy", "selenium", "aiosmtpd", "pypdf",
             "PyInstaller"}
PASSPHRASE = "counter bundle smoke passphrase"
PIN = "4827"


def _fingerprint() -> str:
    spec = importlib.util.spec_from_file_location("orchard_fingerprint", ROOT / "installer" / "fingerprint.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fingerprint(ROOT)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """dist/ when it was built from these sources; else a fresh build in a scratch folder.
    ORCHARD_TEST_BUNDLE_DIST names a built dist/ to try whatever it was built from."""
    if os.environ.get("ORCHARD_TEST_BUNDLE_DIST"):
        return Path(os.environ["ORCHARD_TEST_BUNDLE_DIST"])
    built = ROOT / "dist"
    try:
        info = json.loads((built / "orchard-build.json").read_text("utf-8"))
    except (OSError, ValueError):
        info = {}
    if info.get("fingerprint") == _fingerprint() and (built / f"orchard_{VERSION}_amd64.deb").exists():
        return built
    out = tmp_path_factory.mktemp("dist")
    # --fast: the same files, packed with quicker compression
    subprocess.run(["bash", "scripts/dev.sh", "bundle", "--fast", "--dist", str(out)], cwd=ROOT, check=True,
                   timeout=2000)
    return out


@pytest.fixture(scope="module")
def deb(dist) -> Path:
    return dist / f"orchard_{VERSION}_amd64.deb"


@pytest.fixture(scope="module")
def installed(deb, tmp_path_factory) -> Path:
    """The .deb unpacked as dpkg would install it, under a scratch root."""
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


@pytest.fixture(scope="module")
def orchard(installed) -> Path:
    return installed / "opt" / "orchard" / "orchard"


def environment(home: Path, **extra: str) -> dict[str, str]:
    """A computer of its own: its home and data folders, no display, no OS keyring."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ORCHARD_", "XDG_", "PYTHON", "QT_", "DBUS_")) and k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(HOME=str(home), ORCHARD_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "share"), QT_QPA_PLATFORM="offscreen",
               # the keyring library is in the bundle; this computer's keyring is not to be touched
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", LANG="C.UTF-8")
    env.update(extra)
    return env


def run(orchard: Path, *args: str, env: dict[str, str], stdin: str = "", timeout: int = 180):
    # in the scratch home: `orchard setup` writes the recovery sheet into the current folder
    return subprocess.run([str(orchard), *args], env=env, input=stdin, capture_output=True, text=True,
                          timeout=timeout, cwd=env.get("HOME") or None)


# --- the package --------------------------------------------------------------------------------

def test_the_deb_installs_the_bundle_a_command_and_a_launcher(deb, installed):
    assert os.readlink(installed / "usr" / "bin" / "orchard") == "/opt/orchard/orchard"
    assert os.access(installed / "opt" / "orchard" / "orchard", os.X_OK)
    launcher = (installed / "usr/share/applications/orchard.desktop").read_text("utf-8")
    assert "Exec=orchard" in launcher and "Icon=orchard" in launcher
    assert (installed / "usr/share/icons/hicolor/scalable/apps/orchard.svg").read_bytes() == \
        (ROOT / "resources/icons/orchard.svg").read_bytes()

    fields = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Version", "Architecture", "Depends"],
                            capture_output=True, text=True, check=True).stdout
    assert f"Version: {VERSION}" in fields and "Architecture: amd64" in fields
    depends = {alt.split("(")[0].strip() for dep in fields.split("Depends:", 1)[1].split(",")
               for alt in dep.split("|")}
    # Qt's xcb platform (scripts/dev.sh XCB_DEBS), the PDFs' fonts, the C library
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libegl1",
                    "libfontconfig1", "fonts-wqy-zenhei", "fonts-dejavu-core", "libc6"):
        assert package in depends, package


def test_the_bundle_carries_what_the_app_reads_from_disk(installed):
    internal = installed / "opt" / "orchard" / "_internal"
    assert (internal / "resources/translations/orchard_zh_CN.qm").stat().st_size > 1000
    assert (internal / "resources/styles/light.qss").exists() and (internal / "resources/icons/orchard.svg").exists()
    migrations = internal / "core" / "migrations"
    assert (migrations / "env.py").exists() and (migrations / "script.py.mako").exists()
    assert sorted(p.name for p in (migrations / "versions").glob("*.py")) == \
        sorted(p.name for p in (ROOT / "core/migrations/versions").glob("*.py"))
    assert list(internal.glob("sqlcipher3/_sqlite3*.so"))
    assert list(internal.rglob("libQt6Pdf.so*")) and list(internal.rglob("QtPdf*.so"))


def test_the_bundle_holds_no_server_and_no_developer_package(installed, dist):
    internal = installed / "opt" / "orchard" / "_internal"
    on_disk = {p.name.split("-")[0].split(".")[0] for p in internal.iterdir()}
    # the pure-Python modules are inside the program's archive: list it with PyInstaller's viewer
    viewer = ROOT / ".bundle-venv" / "bin" / "pyi-archive_viewer"
    listing = subprocess.run([str(viewer), "-r", "-b", str(installed / "opt/orchard/orchard")],
                             capture_output=True, text=True, check=True).stdout
    modules = {line.strip().split(".")[0] for line in listing.splitlines() if line.strip()}
    assert {"core", "desktop", "reports", "alembic", "sqlalchemy", "keyring"} <= modules   # it does list modules
    assert (SERVER | DEVELOPER) & (on_disk | modules) == set()
    assert not any(p.name.lower().startswith(("fastapi", "uvicorn", "psycopg", "numpy", "scipy", "pytest", "mypy"))
                   for p in internal.rglob("*"))


# --- the program --------------------------------------------------------------------------------

def test_version(orchard, tmp_path):
    result = run(orchard, "--version", env=environment(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"orchard {VERSION}"


START = re.compile(r"^orchard: reached (first-run|sign-in|passphrase|recovery) in \d+ ms, rss \d+ MB$", re.M)


def test_a_new_computer_starts_at_the_first_run_wizard(orchard, tmp_path):
    result = run(orchard, "--check-start", env=environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert START.search(result.stdout).group(1) == "first-run", result.stdout


@pytest.fixture(scope="module")
def store(orchard, tmp_path_factory):
    """A store set up from an answers file, as an IT person installing counters does."""
    home = tmp_path_factory.mktemp("counter")
    answers = home / "answers.json"
    answers.write_text(json.dumps({
        "language": "zh_CN", "mode": "new", "store_code": "BJ07", "store_name": "Orchard 王府井",
        "timezone": "Asia/Shanghai", "country": "CN", "currency": "CNY", "admin_name": "Ada Admin",
        "admin_number": "1", "key_mode": "passphrase", "backup_folder": str(home / "backups")}), "utf-8")
    # the secrets come from the environment, never from the file or the command line
    env = environment(home, ORCHARD_ADMIN_PASSWORD="admin-pass-1", ORCHARD_ADMIN_PIN=PIN,
                      ORCHARD_PASSPHRASE=PASSPHRASE)
    result = run(orchard, "setup", "--answers", str(answers), env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return home, result.stdout


def test_setup_from_an_answers_file_writes_the_store_and_its_recovery_sheet(store):
    home, out = store
    assert (home / "data" / "store.db").exists()
    sheet = Path(re.search(r"^Recovery key sheet: (.+)$", out, re.M).group(1))
    text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
    assert "BJ07" in text
    assert re.search(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){5}", text.replace(" ", ""))      # the code itself


def test_a_set_up_store_starts_at_sign_in(orchard, store):
    home, _ = store
    # the passphrase page comes first; --check-start types ORCHARD_PASSPHRASE there, as a person would
    result = run(orchard, "--check-start", env=environment(home, ORCHARD_PASSPHRASE=PASSPHRASE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert START.search(result.stdout).group(1) == "sign-in", result.stdout
    without = run(orchard, "--check-start", env=environment(home))
    assert START.search(without.stdout).group(1) == "passphrase", without.stdout + without.stderr


def test_the_bundle_prints_a_manager_report_in_chinese(orchard, store):
    home, _ = store
    out = home / "technicians.pdf"
    # sign in as at the counter: the staff number and the PIN, here on stdin
    result = run(orchard, "report", "technicians", "--days", "7", "--lang", "zh_CN", "--out", str(out),
                 env=environment(home, ORCHARD_PASSPHRASE=PASSPHRASE), stdin=f"1\n{PIN}\n")
    assert result.returncode == 0, result.stdout + result.stderr
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    # the title in Chinese: the CJK font (fonts-wqy-zenhei, a Depends of the .deb) was found and embedded
    assert "技术员工作效率" in text
    fonts = {str(f.get("/BaseFont")) for page in PdfReader(out).pages
             for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
             for f in [f.get_object()]}
    assert any("WenQuanYiZenHei" in name for name in fonts), fonts
