"""Start-up: from process start to the sign-in window on screen (offscreen), and the resident
memory then, for a store's real start: an existing store database whose key is in the
keyring (no passphrase page, no demo HQ). Each figure beside a bare PySide6 window started
the same way in the same run, interleaved so the machine's drift hits both alike.

Two bytecode cases:
  warm  the usual start: compiled bytecode cached (a PYTHONPYCACHEPREFIX the first run fills)
  cold  no bytecode cache at all: PYTHONDONTWRITEBYTECODE=1 and an empty PYTHONPYCACHEPREFIX,
        so every module (project, packages, stdlib) is compiled on every start

The app (desktop/app.py, under ORCHARD_BENCH_STARTUP) prints SIGNIN_SHOWN when the sign-in
page is on screen with the staff list filled and a PIN can be typed (read from the file by
core.quick_open before SQLAlchemy loads), then SIGNIN_READY when the database is open behind
it (a sign-in goes through at once), and quits. Both are printed, with RSS and CPU time (all
threads; less sensitive to other load than wall time); the target is on the first. The
keyring is a small file-backed backend written to the bench's folder (a real keyring's
stand-in; the app's code paths are those of a keyring store).

    .venv/bin/python bench/startup.py [--runs 7] [--customers 2000] [--demo]

``--demo`` also times ``orchard demo`` on a passphrase demo store (the passphrase's Argon2id
derivation is in it; no demo HQ is started: the store has no demo-hq.json).

Target (issue 25): warm start < 1.0 s and RSS < 150 MB at sign-in.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S, TARGET_MB = 1.0, 150
BASELINE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1000, 660); w.show()
def done():
    import time
    rss = [l for l in open('/proc/self/status') if l.startswith('VmRSS:')][0].split()[1]
    cpu = time.process_time() * 1000
    print(f"SIGNIN_SHOWN rss_kib={rss} cpu_ms={cpu:.0f}", flush=True)
    print(f"SIGNIN_READY rss_kib={rss} cpu_ms={cpu:.0f}", flush=True); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""
KEYRING = '''
"""bench/startup.py's keyring: secrets in a JSON file named by ORCHARD_BENCH_KEYRING_FILE."""
import json, os
from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1

    def _load(self):
        try:
            with open(os.environ["ORCHARD_BENCH_KEYRING_FILE"], encoding="utf-8") as fh:
                return json.load(fh)
        except FileNotFoundError:
            return {}

    def get_password(self, service, username):
        return self._load().get(f"{service}/{username}")

    def set_password(self, service, username, password):
        data = self._load()
        data[f"{service}/{username}"] = password
        with open(os.environ["ORCHARD_BENCH_KEYRING_FILE"], "w", encoding="utf-8") as fh:
            json.dump(data, fh)

    def delete_password(self, service, username):
        data = self._load()
        data.pop(f"{service}/{username}", None)
        with open(os.environ["ORCHARD_BENCH_KEYRING_FILE"], "w", encoding="utf-8") as fh:
            json.dump(data, fh)
'''
BUILD = """
import sys
sys.path.insert(0, {root!r})
from core.db import StoreDatabase
from core.demo import build_demo
from desktop.app import DEMO_PASSPHRASE
db = StoreDatabase.create({db!r}, passphrase=DEMO_PASSPHRASE if {demo!r} else None)
build_demo(db, customers={customers})
db.close()
"""


class Start:
    """One start: seconds to the sign-in page shown and to the database open behind it, the
    resident memory (MB) and CPU time (ms, all threads) at each."""

    def __init__(self) -> None:
        self.shown = self.ready = 0.0
        self.shown_mb = self.ready_mb = 0.0
        self.shown_cpu = self.ready_cpu = 0.0


def _fields(line: str) -> dict[str, float]:
    return {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}


def run_once(cmd: list[str], env: dict[str, str]) -> Start:
    """Until SIGNIN_READY (the app quits then)."""
    start = Start()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(("SIGNIN_SHOWN", "SIGNIN_READY")):
            elapsed = time.perf_counter() - t0
            f = _fields(line)
            mb, cpu = f["rss_kib"] / 1024, f.get("cpu_ms", 0.0)
            if line.startswith("SIGNIN_SHOWN"):
                start.shown, start.shown_mb, start.shown_cpu = elapsed, mb, cpu
            start.ready, start.ready_mb, start.ready_cpu = elapsed, mb, cpu
            if line.startswith("SIGNIN_READY"):
                proc.stdout.close()
                proc.wait(timeout=30)
                return start
    _, err = proc.communicate()
    raise RuntimeError(f"{cmd[1:4]} exited ({proc.returncode}) without showing the sign-in window:\n{err[-2000:]}")


def build(cmd: list[str], env: dict[str, str]) -> None:
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"building the store failed:\n{out.stderr[-3000:]}")


def med(values: list[float]) -> float:
    return statistics.median(values)


def measure(label: str, app: list[str], baseline: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median seconds and MB to the sign-in page shown, printed beside the baseline."""
    run_once(app, env)             # the OS file cache (and, warm, the bytecode cache) filled once for both
    run_once(baseline, env)
    apps: list[Start] = []
    bases: list[Start] = []
    for _ in range(runs):
        apps.append(run_once(app, env))
        bases.append(run_once(baseline, env))
    shown = [a.shown for a in apps]
    a_s, a_mb, a_cpu = med(shown), med([a.shown_mb for a in apps]), med([a.shown_cpu for a in apps])
    b_s, b_mb = med([b.shown for b in bases]), med([b.shown_mb for b in bases])
    r_s, r_mb, r_cpu = med([a.ready for a in apps]), med([a.ready_mb for a in apps]), med([a.ready_cpu for a in apps])
    print(f"[{label}] orchard start -> sign-in shown: median {a_s:.3f} s (min {min(shown):.3f}, max {max(shown):.3f}),"
          f" RSS {a_mb:.0f} MB, CPU {a_cpu:.0f} ms")
    print(f"[{label}] orchard ... database open behind it: median {r_s:.3f} s, RSS {r_mb:.0f} MB, CPU {r_cpu:.0f} ms")
    print(f"[{label}] baseline bare PySide6 window:    median {b_s:.3f} s (min {min(b.shown for b in bases):.3f},"
          f" max {max(b.shown for b in bases):.3f}), RSS {b_mb:.0f} MB")
    print(f"[{label}] ratio orchard/baseline: time {a_s / b_s:.2f}x (database open {r_s / b_s:.2f}x),"
          f" memory {a_mb / b_mb:.2f}x", flush=True)
    return a_s, a_mb


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--customers", type=int, default=2000, help="size of the store opened")
    ap.add_argument("--demo", action="store_true", help="also time `orchard demo` on a passphrase demo store")
    ap.add_argument("--no-cold", action="store_true", help="skip the no-bytecode-cache case")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="orchard-bench-"))
    (tmp / "kr").mkdir()
    (tmp / "kr" / "orchard_bench_keyring.py").write_text(KEYRING, "utf-8")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHARD_", "PYTHON", "QT_"))}
    base.update(QT_QPA_PLATFORM="offscreen", ORCHARD_HOME=str(tmp / "home"), XDG_CONFIG_HOME=str(tmp / "config"),
                ORCHARD_BENCH_STARTUP="1", PYTHONPATH=str(tmp / "kr"),
                PYTHON_KEYRING_BACKEND="orchard_bench_keyring.FileKeyring",
                ORCHARD_BENCH_KEYRING_FILE=str(tmp / "keyring.json"))
    (tmp / "pyc-empty").mkdir()
    warm = dict(base, PYTHONPYCACHEPREFIX=str(tmp / "pyc-warm"))
    cold = dict(base, PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=str(tmp / "pyc-empty"))

    db = tmp / "store" / "store.db"
    print(f"building a store ({args.customers} customers, key in the keyring) in {db.parent} ...", flush=True)
    build([sys.executable, "-c", BUILD.format(root=str(ROOT), db=str(db), demo=False, customers=args.customers)],
          env=cold)
    orchard = [sys.executable, "-m", "desktop.cli", "--db", str(db)]
    baseline = [sys.executable, "-c", BASELINE]
    load = os.getloadavg()
    print(f"runs: {args.runs} each, interleaved with the baseline, offscreen; load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    warm_s, warm_mb = measure("warm", orchard, baseline, warm, args.runs)
    if not args.no_cold:
        measure("cold", orchard, baseline, cold, args.runs)
    if args.demo:
        demo_db = tmp / "demo" / "store.db"
        build([sys.executable, "-c", BUILD.format(root=str(ROOT), db=str(demo_db), demo=True,
                                                  customers=args.customers)], env=cold)
        measure("demo, warm", [sys.executable, "-m", "desktop.cli", "demo", "--db", str(demo_db)],
                baseline, warm, args.runs)
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    ok = warm_s < TARGET_S and warm_mb < TARGET_MB
    print(f"target (warm): < {TARGET_S:.1f} s and < {TARGET_MB} MB -> {warm_s:.3f} s, {warm_mb:.0f} MB: "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
