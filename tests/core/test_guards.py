"""Nothing unguarded: every core function over a Session takes the actor and checks a permission,
or is on core.permissions.UNGUARDED with its reason."""

import ast
import importlib
import inspect
import pkgutil
import textwrap
import uuid
from datetime import date

import pytest

import core
from core import appointments, audit, loyalty, privacy
from core.errors import PermissionDenied
from core.permissions import MATRIX, UNGUARDED, Actor, Perm, Role
from core.sync import apply as sync_apply


def _core_modules():
    for info in pkgutil.walk_packages(core.__path__, "core."):
        if not info.name.startswith("core.migrations"):
            yield importlib.import_module(info.name)


def _session_functions():
    for module in _core_modules():
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            if "session" in inspect.signature(fn).parameters:
                yield f"{module.__name__}.{name}", fn


def _calls_require(fn) -> bool:
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "require"
               for n in ast.walk(tree))


def test_every_core_function_over_a_session_checks_the_actor_or_says_why_not():
    unguarded = [name for name, fn in _session_functions()
                 if name not in UNGUARDED
                 and not ("actor" in inspect.signature(fn).parameters and _calls_require(fn))]
    assert unguarded == []


def test_the_exception_list_names_only_real_unguarded_functions():
    found = dict(_session_functions())
    stale = [name for name in UNGUARDED if name not in found or _calls_require(found[name])]
    assert stale == []


def _lacking(perm: Perm) -> Role:
    return next(r for r in Role if r not in MATRIX[perm])


NOBODY = uuid.uuid4()     # the permission is checked before any row is looked for

# (function called with (session, actor), the permission it checks). Functions guarded by a
# permission every role holds (appointment settings, the store's day, consents, resolve) have
# no role to refuse; the walk above holds them to calling require().
GUARDED = [
    (lambda s, a: audit.verify(s, a), Perm.VIEW_REPORTS),
    (lambda s, a: loyalty.current_rules(s, a), Perm.MANAGE_LOYALTY),
    (lambda s, a: loyalty.balance(s, a, NOBODY), Perm.MANAGE_LOYALTY),
    (lambda s, a: loyalty.grant_tradein_bonus(s, a, NOBODY, NOBODY), Perm.TAKE_TRADE_INS),
    (lambda s, a: sync_apply.negative_balances(s, a), Perm.MANAGE_LOYALTY),
]


@pytest.mark.parametrize("call, perm", GUARDED, ids=["audit.verify", "loyalty.current_rules", "loyalty.balance",
                                                     "loyalty.grant_tradein_bonus", "sync.negative_balances"])
def test_a_role_without_the_permission_is_refused(store_setup, call, perm):
    db, store_id, _ = store_setup
    actor = Actor(uuid.uuid4(), store_id, _lacking(perm))
    with db.session(write=True) as s, pytest.raises(PermissionDenied) as refused:
        call(s, actor)
    assert refused.value.permission == perm.value


def test_every_role_may_read_the_store_day_and_a_customer_s_consents(store_setup):
    """The all-roles guards let each role through (the GUI shows these to everyone)."""
    db, store_id, admin = store_setup
    from core import customers
    with db.session(write=True) as s:
        cid = customers.create_customer(s, admin, given_name="Ann", family_name="Lee").id
    for role in Role:
        actor = Actor(uuid.uuid4(), store_id, role)
        with db.session() as s:
            assert appointments.store_day_bounds(s, actor, date(2026, 3, 8))[0].tzinfo is not None
            assert privacy.resolve(s, actor, cid) == cid


def test_the_readme_shows_the_permission_matrix_the_code_enforces():
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    start = readme.index("| permission |")
    rows = [line for line in readme[start:].splitlines()[2:2 + len(MATRIX)]]
    shown = [tuple(cell.strip() == "yes" for cell in row.strip("|").split("|")[1:]) for row in rows]
    assert shown == [tuple(r in allowed for r in Role) for allowed in MATRIX.values()]
