"""The zh_CN catalogue covers every message of the console; ``orchard-hq create-user``; the
console's tables as migration hq0007 makes them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from babel.messages.extract import extract_from_dir

from hq.console import accounts, i18n
from hq.models import metadata
from tests.hq.conftest import ROOT
from tests.hq_console.conftest import Console

CONSOLE = ROOT / "hq" / "console"
CONSOLE_TABLES = {"hq_region", "hq_user", "hq_session", "hq_console_audit", "hq_store"}


def messages() -> set[str | tuple[str, ...]]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2.ext:babel_extract")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                                     "lstrip_blocks": "True"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    return {m[2] for m in extract_from_dir(CONSOLE, method_map, options, keywords=keywords)}


def test_the_chinese_catalogue_has_every_message():
    found = messages()
    assert len(found) > 150
    i18n.load()
    singles = i18n.catalogue("zh_CN")
    missing = [m for m in found if isinstance(m, str) and not singles.get(m)]
    missing += [m for m in found if isinstance(m, tuple) and m[0] not in i18n._plurals["zh_CN"]]
    assert missing == []
    # placeholders survive translation
    for source, text in singles.items():
        assert sorted(re.findall(r"%\(\w+\)s", source)) == sorted(re.findall(r"%\(\w+\)s", text)), source
    with i18n.active("zh_CN"):
        assert i18n.ngettext("%(num)s store", "%(num)s stores", 3) == "%(num)s 家门店"
    with i18n.active("en"):
        assert i18n.ngettext("%(num)s store", "%(num)s stores", 1) == "%(num)s store"


def _create_user(db: str, *args: str, password: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hq.cli", "create-user", *args, "--db", db, "--password-stdin"],
                          input=password + "\n", capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_create_user_refuses_a_weak_password_and_makes_an_admin_who_signs_in(hq):
    weak = _create_user(hq.db_url, "Boss", "--role", "admin", password="short-1")
    assert weak.returncode == 2 and "at least 12 characters" in weak.stderr and "short-1" not in weak.stderr
    ok = _create_user(hq.db_url, "Boss", "--role", "admin", "--name", "The Boss", password="a-long-pass-phrase")
    assert ok.returncode == 0, ok.stderr
    again = _create_user(hq.db_url, "boss", "--role", "auditor", password="a-long-pass-phrase")
    assert again.returncode == 2 and "taken" in again.stderr
    nowhere = _create_user(hq.db_url, "rita", "--role", "regional", password="a-long-pass-phrase")
    assert nowhere.returncode == 2 and "needs a region" in nowhere.stderr
    c = Console(hq)
    try:
        assert c.sign_in("boss", "a-long-pass-phrase").status_code == 303
        home = c.get("/console/")
        assert home.status_code == 200 and "The Boss" in home.text
    finally:
        c.close()
    user = accounts.list_users(hq.engine)[0]
    assert (user.username, user.role, user.active) == ("boss", "admin", True)


def test_migration_hq0007_makes_the_tables_the_models_describe(hq):
    def not_a_partition(obj, name, type_, reflected, compare_to):
        # PostgreSQL's hash partitions of the per-store tables (migration hq0014, hq/SCALING.md)
        # are the parents' storage, not tables of their own
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return not re.search(r"_p\d+$", getattr(table, "name", "") or "")

    with hq.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": not_a_partition}), metadata)

    assert len(diff) < 10              # (HQ's expression indexes and alembic's own table are not in the models)
    assert [d for d in diff if any(f"'{t}'" in repr(d) for t in CONSOLE_TABLES)] == []


def test_the_po_file_is_read_without_a_compile_step():
    assert not list(Path(CONSOLE / "translations").rglob("*.mo"))
