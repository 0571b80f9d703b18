"""The bundle against the development install: the folder's size, and the time from process
start to the first page (``orchard --check-start``, offscreen, a new computer: first-run)
and the resident memory then, median over several runs each, alternating the two.

    .venv/bin/python bench/bundle_start.py [--runs 5] [--bundle dist/orchard]

Build the bundle first: ``bash scripts/dev.sh bundle``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"orchard: reached (\S+) in (\d+) ms, rss (\d+) MB")


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def start_once(cmd: list[str]) -> tuple[str, int, int]:
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHARD_", "QT_"))}
        env.update(HOME=home, ORCHARD_HOME=str(Path(home) / "data"), QT_QPA_PLATFORM="offscreen",
                   PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        env.pop("DISPLAY", None)
        out = subprocess.run([*cmd, "--check-start"], env=env, capture_output=True, text=True, timeout=120)
    match = LINE.search(out.stdout)
    if out.returncode != 0 or match is None:
        raise SystemExit(f"{cmd[0]} --check-start failed: {out.stdout}{out.stderr}")
    return match.group(1), int(match.group(2)), int(match.group(3))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "orchard")
    args = parser.parse_args()
    bundle = args.bundle / "orchard"
    dev = Path(sys.prefix) / "bin" / "orchard"
    if not bundle.exists():
        raise SystemExit(f"no bundle at {args.bundle}: bash scripts/dev.sh bundle")
    kinds = {"bundle": [str(bundle)], "development": [str(dev)]}
    results: dict[str, list[tuple[int, int]]] = {k: [] for k in kinds}
    start_once(kinds["bundle"])                 # the first run fills the page cache; not counted
    start_once(kinds["development"])
    for _ in range(args.runs):
        for kind, cmd in kinds.items():
            page, ms, rss = start_once(cmd)
            results[kind].append((ms, rss))
    print(f"bundle folder: {folder_mb(args.bundle):.0f} MB ({args.bundle})")
    for kind, runs in results.items():
        ms = statistics.median(r[0] for r in runs)
        rss = statistics.median(r[1] for r in runs)
        print(f"{kind:12} start to {page}: median {ms:.0f} ms (min {min(r[0] for r in runs)}, "
              f"max {max(r[0] for r in runs)}), rss {rss:.0f} MB, {args.runs} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
