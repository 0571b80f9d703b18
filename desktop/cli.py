"""``orchard``: the desktop app and its subcommands.

  orchard [--db PATH]                 start Orchard on this counter's store database
  orchard demo [--db PATH] [--fresh]  start on a seeded demo store (built on first run)
  orchard seed --customers N --db PATH   build a large store for benchmarks
  orchard report day|period|...       a manager report as PDF, after signing in with staff number
                                      and PIN (orchard report --help); no passphrase option
"""

from __future__ import annotations

import argparse
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
    parser = argparse.ArgumentParser(prog="orchard", description="Orchard point of service")
    parser.add_argument("--db", type=Path, help="store database file")
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
    argv = list(sys.argv[1:] if argv is None else argv)
    if "report" in argv[:3]:
        # the reports CLI has its own options; hand it everything after "report"
        from reports.cli import main as report_main
        i = argv.index("report")
        db = Path(argv[i - 1]) if i >= 2 and argv[i - 2] == "--db" else None
        if db is None and "--db" not in argv[i + 1:]:
            db = _default_db(False)
        return report_main(argv[i + 1:], default_db=db)
    args = parser.parse_args(argv)

    if args.command == "seed":
        return _seed(args.seed_db, args.customers, args.passphrase)
    from desktop.app import run
    if args.command == "demo":
        path = args.demo_db or _default_db(True)
        if args.fresh and path.parent.exists():
            from core.vault import Vault
            Vault(path).forget()
            shutil.rmtree(path.parent)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return run(path, demo=True)
    return run(args.db or _default_db(False))


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
