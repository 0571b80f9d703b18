"""Start-up time: from process start to the sign-in window on screen (offscreen), and
the resident memory then. Prints the median over several runs and the ratio against a
baseline in the same run: a bare PySide6 window started the same way.

    .venv/bin/python bench/startup.py [--runs 7]

Target (issue 4): under 1.5 s and under 200 MB.
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
BASELINE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1000, 660); w.show()
def done():
    rss = [l for l in open('/proc/self/status') if l.startswith('VmRSS:')][0].split()[1]
    print(f"SIGNIN_SHOWN rss_kib={rss}", flush=True); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def run_once(cmd: list[str], env: dict) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    for line in proc.stdout:
        if line.startswith("SIGNIN_SHOWN"):
            elapsed = time.perf_counter() - t0
            rss = int(line.split("rss_kib=")[1])
            proc.wait(timeout=30)
            return elapsed, rss
    proc.wait()
    raise RuntimeError(f"{cmd[:3]} exited ({proc.returncode}) without showing the sign-in window")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--customers", type=int, default=2000, help="size of the demo store opened")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="orchard-bench-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ORCHARD_HOME=str(tmp / "home"),
               XDG_CONFIG_HOME=str(tmp / "config"), ORCHARD_BENCH_STARTUP="1",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    db = tmp / "demo" / "store.db"
    print(f"building a demo store ({args.customers} customers) in {db.parent} ...", flush=True)
    build = ("import sys; sys.path.insert(0, %r)\n"
             "from core.db import StoreDatabase\nfrom core.demo import build_demo\n"
             "from desktop.app import DEMO_PASSPHRASE\n"
             "db = StoreDatabase.create(%r, passphrase=DEMO_PASSPHRASE)\n"
             "build_demo(db, customers=%d); db.close()\n") % (str(ROOT), str(db), args.customers)
    subprocess.run([sys.executable, "-c", build], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    orchard = [sys.executable, "-m", "desktop.cli", "demo", "--db", str(db)]
    baseline = [sys.executable, "-c", BASELINE]
    run_once(orchard, env)   # warm the OS file cache once for both
    run_once(baseline, env)
    o_times, o_rss, b_times, b_rss = [], [], [], []
    for _ in range(args.runs):     # interleaved, so drift in the machine hits both alike
        t, r = run_once(orchard, env)
        o_times.append(t)
        o_rss.append(r)
        t, r = run_once(baseline, env)
        b_times.append(t)
        b_rss.append(r)
    om, bm = statistics.median(o_times), statistics.median(b_times)
    orss, brss = statistics.median(o_rss) / 1024, statistics.median(b_rss) / 1024
    print(f"runs: {args.runs} each (interleaved), offscreen, passphrase-protected demo store")
    print(f"orchard  start -> sign-in shown: median {om:.3f} s (min {min(o_times):.3f}, max {max(o_times):.3f});"
          f" RSS {orss:.0f} MB")
    print(f"baseline bare PySide6 window:    median {bm:.3f} s (min {min(b_times):.3f}, max {max(b_times):.3f});"
          f" RSS {brss:.0f} MB")
    print(f"ratio orchard/baseline: time {om / bm:.2f}x, memory {orss / brss:.2f}x")
    print(f"target: < 1.5 s and < 200 MB -> {'met' if om < 1.5 and orss < 200 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
