"""The soak script (bench/sync_soak.py) runs: eight seconds of random edits, proxy cuts and
HQ SIGKILLs against a real HQ process on SQLite, then heal; its figures line says what
reached HQ and its exit status says PASS only when nothing was lost and no replica differs."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.hq.conftest import ROOT


@pytest.mark.slow
@pytest.mark.timeout(30)
def test_soak_script_runs_and_converges():
    # seed 19 draws proxy cuts and an HQ kill within its first 30 steps, even on a loaded machine
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "sync_soak.py"), "--sqlite", "--duration", "8",
                           "--seed", "19", "--fast-kdf"], cwd=ROOT, capture_output=True, text=True, timeout=28)
    out = proc.stdout
    line = next((x for x in out.splitlines() if x.startswith("figures: ")), None)
    assert line is not None, out + proc.stderr[-3000:]
    figures = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
    assert figures["written"] > 10, line                       # the stores really wrote
    assert figures["hq_peak_kib"] > 0, line                     # HQ's memory was sampled
    assert figures["proxy_cuts"] + figures["hq_kills"] > 0, line  # and the network really failed
    assert (figures["lost"], figures["divergences"], figures["pending"]) == (0, 0, 0), out
    assert proc.returncode == 0 and out.rstrip().endswith("PASS"), out + proc.stderr[-3000:]
