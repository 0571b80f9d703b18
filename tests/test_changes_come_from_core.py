"""Screens refresh from what core saw a write change (core.changes), never from a list of
tables typed at the call site: a write that reaches one more table can't leave a screen stale."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def hand_written_tables(source: str, name: str = "<source>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        literal = (ast.Set, ast.Tuple, ast.List)
        if called == "write" and (len(node.args) > 1 or any(k.arg == "changes" for k in node.keywords)):
            found.append(f"{name}:{node.lineno}: write() given its own list of changed tables")
        elif called == "Changes" and any(isinstance(a, literal) or
                                         (isinstance(a, ast.Call) and getattr(a.func, "id", "") == "frozenset"
                                          and a.args and isinstance(a.args[0], literal)) for a in node.args):
            found.append(f"{name}:{node.lineno}: Changes built from a hand-written table set")
    return found


def test_desktop_never_names_the_tables_a_write_changed():
    found = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        found += hand_written_tables(path.read_text("utf-8"), str(path.relative_to(ROOT)))
    assert found == []


def test_the_check_catches_both_spellings():
    source = ('ctx.write(fn, {"customer"}, on_result=done)\n'
              'self.ctx.write(fn, changes=("repair_ticket",))\n'
              'emit(Changes(frozenset({"store"})))\n'
              'ctx.write(fn, on_result=done)\n')
    assert [line.split(":")[1] for line in hand_written_tables(source)] == ["1", "2", "3"]


def test_every_screen_watches_tables_that_exist():
    """What a screen watches is matched against table names core reports: a typo would never match."""
    from core.models import Base
    tables = set(Base.metadata.tables)
    unknown = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "watches" for t in node.targets):
                names = [e.value for e in getattr(node.value, "elts", []) if isinstance(e, ast.Constant)]
                unknown += [f"{path.relative_to(ROOT)}: {n}" for n in names if n not in tables]
    assert unknown == []
