"""pyproject.toml names floors only; what a store runs is decided by requirements/bundle.txt,
which pins (with hashes) every package the app and PyInstaller need and nothing of the HQ
server or the developer tools. Fast: no build (test_bundle.py builds)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
LOCK = (ROOT / "requirements" / "bundle.txt").read_text("utf-8")
SERVER = {"fastapi", "uvicorn", "starlette", "pydantic", "pydantic-core", "psycopg", "psycopg-binary",
          "jinja2", "python-multipart", "numpy", "scipy"}      # (orjson: the counter's sync client uses it too)
# a ceiling only where a version is known to break the app, each with its reason
CEILINGS = {
    "pyside6-essentials": "6.12.0 on Python 3.11 aborts the process (none_dealloc): tests/desktop/test_qt_binding.py",
    "pyside6-addons": "the same release as PySide6-Essentials",
}
DEVELOPER = {"pytest", "pytest-qt", "pytest-timeout", "pytest-xdist", "hypothesis", "pypdf", "mypy", "selenium",
             "aiosmtpd"}


def pins() -> dict[str, str]:
    return {canonicalize_name(m[1]): m[2] for m in re.finditer(r"^([A-Za-z0-9._-]+)==(\S+)", LOCK, re.M)}


def test_the_app_names_floors_only():
    for spec in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["bundle"]:
        req = Requirement(spec)
        operators = {s.operator for s in req.specifier}
        allowed = {">=", "<"} if canonicalize_name(req.name) in CEILINGS else {">="}
        assert ">=" in operators and operators <= allowed, spec


def test_the_bundle_lock_pins_every_package_with_its_hashes():
    pinned = pins()
    wanted = PROJECT["dependencies"] + PROJECT["optional-dependencies"]["bundle"]
    for spec in map(Requirement, wanted):
        name = canonicalize_name(spec.name)
        assert name in pinned, f"{name}: run `bash scripts/dev.sh lock`"
        assert spec.specifier.contains(pinned[name], prereleases=True), f"{spec} (pinned {pinned[name]})"
    # every pin carries at least one hash, so pip --require-hashes accepts the file
    blocks = re.split(r"^(?=[A-Za-z0-9._-]+==)", LOCK, flags=re.M)[1:]
    assert len(blocks) == len(pinned)
    assert all("--hash=sha256:" in block for block in blocks)


def test_the_bundle_lock_holds_no_server_and_no_developer_package():
    assert (SERVER | DEVELOPER) & pins().keys() == set()


def test_the_bundle_agrees_with_the_desktop_lock():
    # one set of versions: what the tests ran against is what a store gets
    desktop = {canonicalize_name(m[1]): m[2] for m in re.finditer(
        r"^([A-Za-z0-9._-]+)==(\S+)", (ROOT / "requirements" / "desktop.txt").read_text("utf-8"), re.M)}
    bundle = pins()
    assert {n: v for n, v in desktop.items() if bundle.get(n) != v} == {}
