"""``orchard backup``, ``orchard backups``, ``orchard restore FILE``: backups without a display.

    orchard backup [--folder DIR] [--db PATH]     back up now (checked, pruned, recorded)
    orchard backups [--folder DIR] [--db PATH]    list the backups with their dates and counts
    orchard restore FILE [--yes] [--db PATH]      put a backup back in place of the store database

``backup`` and ``backups`` run as whoever holds the database key on this computer (the
OS keyring's key, else ``ORCHARD_PASSPHRASE``, else a prompt), as the scheduler does.
``restore`` signs in as an administrator (staff number and password, asked on the terminal,
or the first lines of stdin in a script). When the store database is gone or will not open
(its key left the keyring, the file is damaged) it asks for the recovery key instead; a
store kept by a passphrase needs that passphrase (``ORCHARD_PASSPHRASE``, or asked on a
terminal), never the recovery key's route. It shows what the restore means and asks to
type RESTORE unless ``--yes``.

No Qt is imported here. Exit status: 0 done, 2 a usage, database or backup error, 3 sign-in
refused, not an administrator, or not confirmed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.backup import BackupInfo
    from core.db import StoreDatabase
    from core.permissions import Actor

EXIT_ERROR = 2
EXIT_REFUSED = 3
NO_PASSPHRASE = ("orchard {command}: this store database is opened with a passphrase: set ORCHARD_PASSPHRASE, "
                 "or run the command in a terminal to be asked for it; nothing was changed")
NO_RECOVERY_KEY = ("This store has no recovery key: its backups can only be restored on this computer until an "
                   "admin makes a recovery key in Settings > Database key.")
COUNT_NAMES = {"customers": "customers", "tickets": "tickets", "appointments": "appointments",
               "loyalty_entries": "loyalty entries"}


def add_parsers(sub: argparse._SubParsersAction) -> None:       # type: ignore[type-arg]
    """The three subcommands, on ``orchard``'s subparsers."""
    b = sub.add_parser("backup", help="back up the store database now (checked, old ones pruned)")
    b.add_argument("--folder", type=Path, help="the backup folder (default: the one set in Orchard)")
    b.add_argument("--db", type=Path, dest="backup_db", help="store database file")
    ls = sub.add_parser("backups", help="list the backups with their dates and counts")
    ls.add_argument("--folder", type=Path, help="the backup folder (default: the one set in Orchard)")
    ls.add_argument("--db", type=Path, dest="backup_db", help="store database file")
    r = sub.add_parser("restore", help="put a backup back in place of the store database (an admin signs in, "
                                       "or the recovery key when the database is gone)")
    r.add_argument("file", type=Path, help="the backup (.orchard) to restore")
    r.add_argument("--yes", action="store_true", help="do not ask to type RESTORE")
    r.add_argument("--db", type=Path, dest="backup_db", help="store database file")


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask(prompt: str, secret: bool = False) -> str:
    if not _interactive():
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")
    if secret:
        return getpass.getpass(prompt)
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def _open(path: Path) -> StoreDatabase:
    """The keyring's key, else ORCHARD_PASSPHRASE, else a prompt on the terminal."""
    from core.db import StoreDatabase
    from core.errors import PassphraseRequired
    passphrase = os.environ.get("ORCHARD_PASSPHRASE") or None
    try:
        return StoreDatabase.open(path, passphrase=passphrase)
    except PassphraseRequired:
        if passphrase is not None or not _interactive():
            raise
    return StoreDatabase.open(path, passphrase=getpass.getpass("Store passphrase: ") or None)


def _counts(info: BackupInfo) -> str:
    return ", ".join(f"{info.counts.get(k, 0)} {name}" for k, name in COUNT_NAMES.items())


def _when(info: BackupInfo) -> str:
    return info.created_at.strftime("%Y-%m-%d %H:%M UTC")


def main(command: str, args: argparse.Namespace, path: Path) -> int:
    from core.errors import OrchardError, PassphraseRequired
    try:
        if command == "backup":
            return _backup(path, args.folder)
        if command == "backups":
            return _list(path, args.folder)
        return _restore(path, args.file, args.yes)
    except (EOFError, KeyboardInterrupt):
        print(f"\norchard {command}: cancelled; nothing was changed", file=sys.stderr)
        return EXIT_REFUSED
    except PassphraseRequired:
        print(NO_PASSPHRASE.format(command=command), file=sys.stderr)
        return EXIT_ERROR
    except OrchardError as exc:
        print(f"orchard {command}: {exc.message}", file=sys.stderr)
        return EXIT_ERROR


def _backup(path: Path, folder: Path | None) -> int:
    from core import clock
    from core.backup import run_backup
    db = _open(path)
    try:
        info = run_backup(db, None, clock.now(), folder)
    finally:
        db.close()
    print(f"Backup written and checked: {info.path}")
    print(f"  {_counts(info)}; {info.pending} changes not yet synced with HQ")
    return 0


def _list(path: Path, folder: Path | None) -> int:
    from core import clock
    from core.backup import list_backups, status
    if folder is None:
        db = _open(path)
        try:
            st = status(db, clock.now())
        finally:
            db.close()
        folder = st.folder
        if st.last_error is not None:
            print(f"The last backup failed ({st.last_error.at:%Y-%m-%d %H:%M} UTC): {st.last_error.message}")
        elif st.overdue:
            print("No backup succeeded in time: run `orchard backup`.")
        if st.no_recovery_key:
            print(NO_RECOVERY_KEY)
    found = list_backups(folder)
    print(f"Backups in {folder}: {len(found)}")
    for info in found:
        if not info.verified:
            state = f"NOT USABLE: {info.problem}"
        elif not info.recoverable_with_code:
            state = "checked; restores only on this computer (no recovery key)"
        else:
            state = "checked"
        print(f"  {_when(info)}  {_counts(info)}; {info.pending} not yet synced  [{state}]  {info.path.name}")
    return 0


def _sign_in_admin(db: StoreDatabase) -> Actor:
    """Staff number and password of an administrator, through core.staff (its lockout and
    audit): a wrong try counts as at the sign-in screen."""
    from core import staff
    from core.errors import NotFound, OrchardError
    from core.permissions import Perm, require
    number = _ask("Administrator's staff number: ").strip()
    password = _ask("Password: ", secret=True)
    refused: OrchardError | None = None
    with db.session(write=True) as s:
        store = staff.current_store(s)
        if store is None:
            raise NotFound("store")
        try:
            actor = staff.authenticate_number(s, store.id, number, password=password)
        except OrchardError as exc:
            refused = exc
    if refused is not None:
        raise refused
    require(actor, Perm.MANAGE_STORE)
    return actor


def _print_lines(sentences: list[tuple[str, dict[str, object]]]) -> None:
    from core.backup.restore import fill
    for template, params in sentences:
        print(f"  {fill(template, params)}")


def _confirm(yes: bool) -> bool:
    if yes:
        return True
    return _ask("Type RESTORE to replace the store database with this backup: ").strip() == "RESTORE"


def _restore(path: Path, backup: Path, yes: bool) -> int:
    from core import clock
    from core.backup import preview, restore
    from core.errors import (
        AuthenticationError, CorruptDatabase, DatabaseMissing, MissingKey, PassphraseRequired, PermissionDenied,
        ValidationError,
    )
    if not backup.is_file():
        print(f"orchard restore: no backup at {backup}", file=sys.stderr)
        return EXIT_ERROR
    print(f"Store database: {path}")
    try:
        db: StoreDatabase | None = _open(path)
    except PassphraseRequired:
        # the store is kept by a passphrase that was not given: never the recovery-key route,
        # which would put the restored store under a keyring key instead
        print(NO_PASSPHRASE.format(command="restore"), file=sys.stderr)
        return EXIT_ERROR
    except (DatabaseMissing, MissingKey, CorruptDatabase) as exc:
        # gone, its key gone from the keyring, or damaged: the recovery key opens the backup
        print(f"The store database cannot be opened ({exc.message}): the recovery key restores it.")
        db = None
    if db is None:
        seen = preview(backup, current=None)
        print(f"Backup of {_when(seen.backup)}: {_counts(seen.backup)}")
        _print_lines(seen.sentences())
        code = _ask("Recovery key (from the sheet printed at set-up): ", secret=True)
        passphrase = os.environ.get("ORCHARD_PASSPHRASE") or None
        from core.vault import keyring_usable
        if passphrase is None and not keyring_usable() and not path.exists():
            passphrase = _ask("This computer has no secure keyring. Choose a store passphrase: ", secret=True)
        if not _confirm(yes):
            print("orchard restore: not confirmed; nothing was changed", file=sys.stderr)
            return EXIT_REFUSED
        report = restore(path, backup, actor=None, now=clock.now(), recovery_code=code, passphrase=passphrase)
    else:
        try:
            try:
                actor = _sign_in_admin(db)
            except (AuthenticationError, ValidationError, PermissionDenied) as exc:
                print(f"orchard restore: {exc.message}", file=sys.stderr)
                return EXIT_REFUSED
            seen = preview(backup, current=db)
            print(f"Backup of {_when(seen.backup)}: {_counts(seen.backup)}")
            _print_lines(seen.sentences())
            code = None
            if seen.needs_code:
                print("This backup was not made from this store database: its recovery key opens it.")
                code = _ask("Recovery key: ", secret=True)
            if not _confirm(yes):
                print("orchard restore: not confirmed; nothing was changed", file=sys.stderr)
                return EXIT_REFUSED
            report = restore(path, backup, actor=actor, now=clock.now(), current=db, recovery_code=code)
        finally:
            db.close()
    print("Restored.")
    for line in report.words():
        print(f"  {line}")
    return 0
