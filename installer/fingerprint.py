"""What a bundle is built from, as one hash: the app's sources, resources, the lock, the
packaging files. scripts/bundle.sh writes it into dist/orchard-build.json; the bundle test
reuses a dist/ whose hash matches the checkout instead of building again.

    python3 installer/fingerprint.py [ROOT]
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

INPUTS = ("pyproject.toml", "requirements/bundle.txt", "scripts/bundle.sh",
          "core", "desktop", "reports", "resources", "installer")
SKIP_SUFFIXES = (".pyc", ".qm")   # derived: compiled by Python, lrelease


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        top = root / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix in SKIP_SUFFIXES:
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


if __name__ == "__main__":
    print(fingerprint(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent))
