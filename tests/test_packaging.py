"""A store's counter installs the app, not the HQ server; the lock files in requirements/ say what
pyproject.toml says, so `bash scripts/dev.sh demo|test` install what the project asks for."""

import ast
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
# jinja2 and python-multipart: the console; numpy and scipy: the lifetime-value model (hq/crm/ltv.py)
# (orjson is the counter's too since issue 25: the sync client applies pulled rows with it)
SERVER = {"fastapi", "uvicorn", "psycopg", "jinja2", "python-multipart", "numpy", "scipy"}
# what the server packages bring with them; none of it belongs on a counter either
SERVER_ONLY = SERVER | {"psycopg-binary", "starlette", "pydantic"}


def requirements(specs):
    return {canonicalize_name(r.name): r for r in map(Requirement, specs)}


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text("utf-8")
    return {canonicalize_name(m[1]): m[2] for m in re.finditer(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.M)}


def test_the_app_installs_without_the_hq_server():
    main = requirements(PYPROJECT["dependencies"])
    hq = requirements(PYPROJECT["optional-dependencies"]["hq"])
    assert SERVER & main.keys() == set()
    assert hq.keys() == SERVER
    assert "binary" in hq["psycopg"].extras


def module_level_imports(path: Path):
    """Imports that run when the module is imported (not those inside functions or classes)."""
    pending = list(ast.parse(path.read_text("utf-8"), filename=str(path)).body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            pending.extend(ast.iter_child_nodes(node))
        elif isinstance(node, ast.ExceptHandler):
            pending.extend(node.body)


def test_the_app_imports_no_server_package_until_asked():
    # the demo and `orchard-hq` reach hq/ from inside functions; a module-level import would make
    # every counter start fail without the [hq] extra
    banned = SERVER_ONLY | {"hq"}
    offences = []
    for package in ("core", "reports", "desktop"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in module_level_imports(path):
                if name.split(".")[0] in banned:
                    offences.append(f"{path.relative_to(ROOT)}: import {name}")
    assert offences == []


def test_the_locks_pin_what_pyproject_asks_for():
    extras = PYPROJECT["optional-dependencies"]
    wanted = {
        "desktop.txt": PYPROJECT["dependencies"],
        "demo.txt": PYPROJECT["dependencies"] + extras["hq"],
        "test.txt": PYPROJECT["dependencies"] + extras["hq"] + extras["dev"],
    }
    stale = []
    for lock, specs in wanted.items():
        pinned = pins(lock)
        for name, req in requirements(specs).items():
            if name not in pinned or not req.specifier.contains(pinned[name], prereleases=True):
                stale.append(f"{lock}: {req} (pinned {pinned.get(name)})")
    assert stale == [], "run `bash scripts/dev.sh lock`"


def test_the_counter_lock_holds_no_server_package():
    assert SERVER_ONLY & pins("desktop.txt").keys() == set()
    assert "pytest" not in pins("demo.txt")


def test_every_lock_names_one_version_per_package():
    test_pins = pins("test.txt")
    for lock in ("desktop.txt", "demo.txt"):
        assert {n: v for n, v in pins(lock).items() if test_pins.get(n) != v} == {}, lock
