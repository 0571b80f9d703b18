"""``orchard setup --answers FILE.json [--db PATH] [--sheet PDF]``: the first-run wizard
without a screen, for an IT person installing many counters.

The answers file holds what the wizard asks (``core.setup.SetupAnswers``' field names).
The admin's password and PIN and the store passphrase may be in it, or come from the
environment: ORCHARD_ADMIN_PASSWORD, ORCHARD_ADMIN_PIN, ORCHARD_PASSPHRASE (the file's value
wins). The recovery key is never printed: its sheet is written as a PDF (readable by this
user only) whose path is printed, to be printed on paper, kept away from the computer and
then deleted. It goes to ``--sheet`` or the current folder, never beside the database (the
data folder would then hold both the store and the code that opens it). The key stays
marked unconfirmed until the admin, at the first sign-in, says it is stored or makes a new
one. No Qt here: it runs on a machine without a display.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ENV_SECRETS = {"admin_password": "ORCHARD_ADMIN_PASSWORD", "admin_pin": "ORCHARD_ADMIN_PIN",
               "passphrase": "ORCHARD_PASSPHRASE"}


def add_parser(sub: Any) -> None:
    p = sub.add_parser("setup", help="set up this counter's store from an answers file (no wizard, no display)")
    p.add_argument("--answers", type=Path, required=True, help="JSON file of set-up answers")
    p.add_argument("--db", type=Path, dest="setup_db", help="where the store database goes")
    p.add_argument("--sheet", type=Path, help="where the recovery key sheet PDF goes (default: the current folder; "
                                              "never the data folder)")


def _fail(text: str) -> int:
    print(f"orchard setup: {text}", file=sys.stderr)
    return 2


def read_answers(path: Path, db_path: Path) -> Any:
    """The answers of ``path`` with the secrets the environment holds and the defaults a
    file may leave out (the keyring where there is one, backups beside the database)."""
    from core.setup import SetupAnswers
    from core.vault import keyring_usable
    data = json.loads(path.read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not an object")
    for field, env in ENV_SECRETS.items():
        if not data.get(field) and os.environ.get(env):
            data[field] = os.environ[env]
    data.setdefault("key_mode", "keyring" if keyring_usable() else "passphrase")
    data.setdefault("backup_folder", str(db_path.parent / "backups"))
    return SetupAnswers.from_dict(data)


def main(args: argparse.Namespace, db_path: Path) -> int:
    from core import clock, setup
    from core.errors import OrchardError, ValidationErrors
    try:
        answers = read_answers(args.answers, db_path)
    except OSError:
        return _fail(f"cannot read the answers file {args.answers}")
    except ValueError:
        return _fail(f"the answers file {args.answers} is not a JSON object")
    except ValidationErrors as exc:
        return _fail("; ".join(e.message for e in exc.errors))
    import warnings
    # the migrations' table copies: SQLAlchemy notes indexes it does not reflect (they are recreated)
    warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
    sheet = args.sheet
    # the sheet's renderer is loaded before the store exists: a store whose recovery key could
    # not be printed must never be made by an import failing afterwards
    from reports import recovery_sheet
    try:
        setup.check_folder(answers.backup_folder)
        print(f"Setting up the store database at {db_path} …", flush=True)
        result = setup.create_store(db_path, answers, now=clock.now(),
                                    progress=lambda done, total, what: print(f"  {done}/{total} {what}", flush=True))
    except ValidationErrors as exc:
        return _fail("; ".join(e.message for e in exc.errors))
    except setup.EnrolmentLost as exc:
        return _fail(f"{exc.message}. Then add \"store_id\": \"{exc.store_id}\" to the answers file.")
    except OrchardError as exc:
        return _fail(f"{exc.message} ({db_path})")
    sheet = sheet or Path.cwd() / f"recovery-key-{result.store_code}.pdf"
    try:
        recovery_sheet.render(sheet, store_name=result.store_name, store_code=result.store_code,
                              code=result.recovery_code, created_at=result.created_at, lang=answers.language)
    except Exception:  # noqa: BLE001 - whatever stops the sheet, the key is shown instead
        # the store exists; its recovery key must not be lost with the sheet
        print(f"The recovery key sheet could not be written to {sheet}. Write this recovery key down now "
              f"and keep it away from this computer:\n  {result.recovery_code}", file=sys.stderr)
        sheet = None
    finally:
        result.db.close()
    setup.clear_draft(db_path)
    print(f"Store {result.store_code} ({result.store_name}) is set up: {db_path}")
    if sheet is not None:
        print(f"Recovery key sheet: {sheet}")
        print("Print it now, keep the paper away from this computer (in the store's safe, or with HQ's papers), "
              "then delete the file.")
        if sheet.resolve().parent == db_path.resolve().parent:
            print("Warning: the sheet is in the database's folder; anyone with that folder can open the store. "
                  "Move it away or delete it once printed.")
    print("At the first sign-in the administrator confirms that the recovery key is stored, or makes a new one.")
    return 0
