"""core/ and reports/ never import Qt or the desktop package; hq/ never imports desktop."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "core": ("PySide6", "PyQt5", "PyQt6", "shiboken6", "desktop", "hq", "reports"),
    "reports": ("PySide6", "PyQt5", "PyQt6", "shiboken6", "desktop", "hq"),
    "hq": ("PySide6", "desktop"),
}


def imported_modules(path: Path):
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield arg.value


def test_packages_keep_their_layers():
    offences = []
    for package, banned in FORBIDDEN.items():
        for path in (ROOT / package).rglob("*.py"):
            for name in imported_modules(path):
                if name.split(".")[0] in banned:
                    offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offences == []


def test_importing_core_loads_no_qt():
    import subprocess
    import sys
    code = ("import sys, core.db, core.staff, core.customers, core.repairs, core.audit, core.vault;"
            "bad=[m for m in sys.modules if m.split('.')[0] in ('PySide6','shiboken6','desktop')];"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
