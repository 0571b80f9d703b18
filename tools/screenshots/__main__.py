"""python -m tools.screenshots --out DIR [--customers N] [--only AREA ...]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.screenshots.driver import AREAS, MAIN, OWN_STORE, take_all


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.screenshots",
                                 description="save screenshots of every main screen, English and Chinese")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--customers", type=int, default=400, help="size of the demo store")
    ap.add_argument("--only", nargs="+", metavar="AREA", choices=(MAIN, *AREAS, *OWN_STORE),
                    help="take these areas' shots alone (main: sign-in, roles, lock, dark)")
    args = ap.parse_args(argv)
    take_all(args.out, customers=args.customers, only=args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
