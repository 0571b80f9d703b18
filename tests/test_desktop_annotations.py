"""Desktop functions say what they take and return: a screen's callbacks receive core's
results through the worker as bare objects, so the annotation is where a reader (and a type
checker) learns which view arrives. This holds the share where it was raised to; it may rise,
never slide back."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR_PERCENT = 100     # parameters (self/cls aside) and returns, each


def unannotated(source: str, name: str = "<source>") -> tuple[int, int, list[str]]:
    """(parameters, returns, what lacks an annotation) over every def in ``source``."""
    tree = ast.parse(source)
    methods = {id(f) for c in ast.walk(tree) if isinstance(c, ast.ClassDef) for f in c.body}
    params = returns = 0
    missing = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        a = fn.args
        args = a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]
        if id(fn) in methods and (a.posonlyargs + a.args)[:1] and (a.posonlyargs + a.args)[0].arg in ("self", "cls"):
            args = args[1:]
        params += len(args)
        missing += [f"{name}:{fn.lineno} {fn.name}({x.arg})" for x in args if x.annotation is None]
        returns += 1
        if fn.returns is None:
            missing.append(f"{name}:{fn.lineno} {fn.name} -> ?")
    return params, returns, missing


def test_the_count_sees_parameters_and_returns_left_bare():
    source = ("class A:\n"
              "    def m(self, x, y: int) -> None:\n"
              "        def g(z): ...\n"
              "def f(*args: int, **kw): ...\n")
    params, returns, missing = unannotated(source, "a.py")
    assert (params, returns) == (5, 3)
    assert sorted(missing) == ["a.py:2 m(x)", "a.py:3 g -> ?", "a.py:3 g(z)", "a.py:4 f -> ?", "a.py:4 f(kw)"]


def test_desktop_functions_keep_their_annotations():
    params = returns = 0
    missing: list[str] = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        p, r, m = unannotated(path.read_text("utf-8"), str(path.relative_to(ROOT)))
        params, returns, missing = params + p, returns + r, missing + m
    bare_params = sum(1 for m in missing if not m.endswith("-> ?"))
    bare_returns = len(missing) - bare_params
    assert params > 500 and returns > 500          # the walk really read the package
    assert 100 * (params - bare_params) / params >= FLOOR_PERCENT, "\n".join(missing)
    assert 100 * (returns - bare_returns) / returns >= FLOOR_PERCENT, "\n".join(missing)
