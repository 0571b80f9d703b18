"""The developer tools (tools/) drive the product from outside: through the screens' and
core's public names only, so a screen can change its insides without breaking them, and
the screenshot tool makes its data with core services, never by writing ORM rows."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _own_modules(tree: ast.Module) -> set[str]:
    """Names this file binds to modules of tools/ itself (their private helpers are its own)."""
    own: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            own |= {a.asname or a.name.split(".")[0] for a in node.names if a.name.split(".")[0] == "tools"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "tools":
            own |= {a.asname or a.name for a in node.names}
    return own


def private_reaches(source: str) -> list[str]:
    """``obj._name`` where obj is not a module of tools/: a private method or attribute of
    something the tool does not own."""
    tree = ast.parse(source)
    own = _own_modules(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if isinstance(node.value, ast.Name) and node.value.id in own:
                continue
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] != "tools":
            found += [f"line {node.lineno}: import {a.name}" for a in node.names if _private(a.name)]
    return found


def model_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [f"line {node.lineno}: {n}" for n in names if n == "core.models" or n.startswith("core.models.")]
    return found


def test_the_checks_catch_what_they_are_for():
    assert private_reaches("page.credentials._submit()") == ["line 1: ._submit"]
    assert private_reaches("from desktop.views.gate import _mode") == ["line 1: import _mode"]
    assert private_reaches("from tools.screenshots import driver\ndriver._helper()\nx.__class__") == []
    assert model_imports("from core.models import RepairTicket") == ["line 1: core.models.RepairTicket"]
    assert model_imports("from core import models") == ["line 1: core.models"]


def test_tools_use_public_names_only():
    files = sorted(TOOLS.rglob("*.py"))
    assert len(files) >= 8, "the tools were not found where this test looks"
    bad = {str(p.relative_to(ROOT)): r for p in files if (r := private_reaches(p.read_text(encoding="utf-8")))}
    assert bad == {}


def test_screenshot_tool_writes_no_orm_rows():
    bad = {str(p.relative_to(ROOT)): r for p in sorted((TOOLS / "screenshots").rglob("*.py"))
           if (r := model_imports(p.read_text(encoding="utf-8")))}
    assert bad == {}


def test_tools_are_not_installed():
    import tomllib
    from fnmatch import fnmatch
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    assert [p for p in include if fnmatch("tools", p) or fnmatch("tools.screenshots", p)] == []
