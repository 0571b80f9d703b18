"""``orchard``: the desktop app and its subcommands.

  orchard [--db PATH]                 start Orchard on this counter's store database
  orchard --check-start [--db PATH]   start, say which first page was reached (and how fast), exit
  orchard setup --answers FILE.json [--db PATH]   set the store up without the wizard
  orchard --version                   print the version and exit (no display needed)
  orchard demo [--db PATH] [--fresh]  start on a seeded demo store (built on first run)
  orchard seed --customers N --db PATH   build a large store for benchmarks
  orchard report day|period|...       a manager report as PDF, after signing in with staff number
                                      and PIN (orchard report --help); no passphrase option
  orchard recover [--db PATH]         open a store whose key left the keyring, with its recovery key
  orchard reset-admin [--db PATH]     a new password for a locked-out admin (recovery key or HQ code)
  orchard backup [--folder DIR]       back up now; orchard backups [--folder DIR] lists them
  orchard restore FILE [--yes]        put a backup back (an admin signs in, or the recovery key)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path


def _default_db(demo: bool) -> Path:
    from desktop.app import data_dir
    from desktop.qt import QCoreApplication
    # the names decide the data folder; no QApplication is needed (the report CLI has no display)
    QCoreApplication.setOrganizationName("Orchard")
    QCoreApplication.setApplicationName("Orchard")
    base = data_dir()
    return base / "demo" / "store.db" if demo else base / "store.db"


def main(argv: list[str] | None = None) -> int:
    from core.version import VERSION         # no Qt: ``orchard --version`` answers at once
    parser = argparse.ArgumentParser(prog="orchard", description="Orchard point of service")
    parser.add_argument("--version", action="version", version=f"orchard {VERSION}")
    parser.add_argument("--db", type=Path, help="store database file")
    parser.add_argument("--check-start", action="store_true",
                        help="start, report the first page reached (first-run, sign-in, passphrase, recovery) "
                             "with the time and memory it took, and exit")
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="start on a seeded demo store")
    demo.add_argument("--db", type=Path, dest="demo_db")
    demo.add_argument("--fresh", action="store_true", help="throw the demo store away and build a new one")
    seed = sub.add_parser("seed", help="build a large store for benchmarks")
    seed.add_argument("--customers", type=int, required=True)
    seed.add_argument("--db", type=Path, dest="seed_db", required=True)
    seed.add_argument("--passphrase", default=None,
                      help="protect it with this passphrase (default: the OS keyring, or the demo passphrase)")
    sub.add_parser("report", help="print a manager report to PDF, signing in with staff number and PIN "
                                  "(see: orchard report --help)", add_help=False)
    for name, text in (("recover", "open a store whose key is no longer in the keyring, with its recovery key"),
                       ("reset-admin", "set a new password for a locked-out admin with the recovery key or a "
                                       "reset code from HQ")):
        sub.add_parser(name, help=text).add_argument("--db", type=Path, dest="recovery_db")
    from desktop import backup_cli, setup_cli
    backup_cli.add_parsers(sub)
    setup_cli.add_parser(sub)
    argv = list(sys.argv[1:] if argv is None else argv)
    if "report" in argv[:3]:
        # the reports CLI has its own options; hand it everything after "report"
        from reports.cli import main as report_main
        i = argv.index("report")
        rest = argv[i + 1:]
        if i >= 2 and argv[i - 2] == "--db" and "--db" not in rest:
            rest += ["--db", argv[i - 1]]       # "orchard --db PATH report ...": the same as after it
        # no store named: this counter's, else (a developer's machine, after the demo) the demo's,
        # whose passphrase (where there is no keyring) is known
        from desktop.app import DEMO_PASSPHRASE
        return report_main(rest, default_db=_default_db(False), demo_db=_default_db(True),
                           demo_passphrase=DEMO_PASSPHRASE)
    args = parser.parse_args(argv)

    if args.command == "seed":
        return _seed(args.seed_db, args.customers, args.passphrase)
    if args.command in ("recover", "reset-admin"):      # no Qt on these paths: they run without a display
        path = args.recovery_db or args.db or _plain_default_db()
        return (_recover if args.command == "recover" else _reset_admin)(path)
    if args.command in ("backup", "backups", "restore"):    # no Qt here either (desktop/backup_cli.py)
        return backup_cli.main(args.command, args, args.backup_db or args.db or _plain_default_db())
    if args.command == "setup":      # the wizard's answers from a file; no Qt, no display
        return setup_cli.main(args, args.setup_db or args.db or _plain_default_db())
    if args.check_start:
        from desktop.start_check import needs_offscreen
        if needs_offscreen():
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.app import run
    if args.command == "demo":
        path = args.demo_db or _default_db(True)
        if args.fresh and path.parent.exists():
            from core.vault import Vault
            from desktop.app import stop_demo_hq
            stop_demo_hq(path.parent)       # an HQ a previous run left on the files about to go
            Vault(path).forget()
            shutil.rmtree(path.parent)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return run(path, demo=True)
    return run(args.db or _default_db(False), check_start=args.check_start)


def _plain_default_db() -> Path:
    """This counter's store database, found without Qt (Qt's AppDataLocation on Linux)."""
    import os
    if os.environ.get("ORCHARD_HOME"):
        return Path(os.environ["ORCHARD_HOME"]) / "store.db"
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(base) / "Orchard" / "Orchard" / "store.db"
    return _default_db(False)


def _ask(prompt: str, secret: bool = False) -> str:
    """A line from the terminal (a secret without echo), or stdin's next line in a script."""
    import getpass
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass(prompt) if secret else input(prompt)


def _new_passphrase() -> str:
    first = _ask("This computer has no secure keyring. Choose a store passphrase: ", secret=True)
    if sys.stdin.isatty() and first != _ask("The same passphrase again: ", secret=True):
        raise SystemExit("orchard: the two passphrases differ; nothing was changed")
    return first


def _recover(path: Path) -> int:
    """``orchard recover``: the recovery key opens the store; its key goes back in the
    keyring, or (no usable keyring) the store is re-keyed under a new passphrase."""
    from core.db import StoreDatabase
    from core.errors import OrchardError
    from core.vault import keyring_usable
    print(f"Store database: {path}")
    try:
        code = _ask("Recovery key (from the sheet printed at set-up): ", secret=True)
        keyring = keyring_usable()
        passphrase = None if keyring else _new_passphrase()
        db = StoreDatabase.recover(path, code=code, passphrase=passphrase, store_in_keyring=keyring)
    except OrchardError as exc:
        print(f"orchard: {exc.message} ({path})", file=sys.stderr)
        return 2
    db.close()
    print("The store database opens again: its key is back in this computer's keyring." if keyring else
          "The store database opens again, now with the new passphrase.")
    return 0


def _reset_admin(path: Path) -> int:
    """``orchard reset-admin``: the staff number, the recovery key or an HQ reset code (told
    apart by their length), and the new password twice."""
    import os

    from core import clock
    from core.db import StoreDatabase
    from core.errors import KeyringLost, OrchardError, PassphraseRequired
    from core.recovery import hq_codes, reset_admin
    print(f"Store database: {path}")
    try:
        try:
            db = StoreDatabase.open(path, passphrase=os.environ.get("ORCHARD_PASSPHRASE") or None)
        except KeyringLost:
            print("orchard: the database key is not in this computer's keyring; run `orchard recover` first",
                  file=sys.stderr)
            return 2
        except PassphraseRequired:
            db = StoreDatabase.open(path, passphrase=_ask("Store passphrase: ", secret=True) or None)
        try:
            number = _ask("The admin's staff number: ").strip()
            code = _ask("Recovery key, or the reset code from HQ: ", secret=True)
            password = _ask("New password: ", secret=True)
            if sys.stdin.isatty() and password != _ask("The same password again: ", secret=True):
                print("orchard: the two passwords differ; nothing was changed", file=sys.stderr)
                return 2
            hq = hq_codes.looks_like(code)
            reset_admin(db, code=None if hq else code, hq_reset_code=code if hq else None, staff_number=number,
                        new_password=password, now=clock.now())
        finally:
            db.close()
    except OrchardError as exc:
        print(f"orchard: {exc.message}", file=sys.stderr)
        return 2
    print(f"A new password is set for staff number {number}, and the account is unlocked.")
    return 0


def _seed(path: Path, customers: int, passphrase: str | None) -> int:
    from core.db import StoreDatabase
    from core.demo import build_demo, seed_large
    from core.vault import keyring_usable
    from desktop.app import DEMO_PASSPHRASE
    if passphrase is None and not keyring_usable():
        passphrase = DEMO_PASSPHRASE
        print(f"no OS keyring: the store passphrase is {passphrase}")
    t0 = time.perf_counter()
    if path.exists():
        db = StoreDatabase.open(path, passphrase=passphrase)
    else:
        db = StoreDatabase.create(path, passphrase=passphrase)
        from desktop.app import save_demo_credentials
        info = build_demo(db, customers=200)
        save_demo_credentials(path.parent, info)
        print(info.credentials_text())

    def progress(done: int, total: int) -> None:
        print(f"\r{done:,}/{total:,} customers", end="", flush=True)
    seed_large(db, customers=customers, progress=progress)
    db.close()
    print(f"\nseeded {customers:,} customers in {time.perf_counter() - t0:.1f} s -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
