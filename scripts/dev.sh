#!/usr/bin/env bash
# Orchard's one entry point for people and CI.
#   bash scripts/dev.sh demo   set up everything and start Orchard on a seeded demo store
#   bash scripts/dev.sh test   set up everything, check core/'s types (mypy --strict), run the whole
#                              test suite, then the date-sensitive tests at other machine dates
#                              (scripts/date_matrix.sh)

#   bash scripts/dev.sh lock   rewrite the lock files in requirements/ after pyproject.toml changes
#   bash scripts/dev.sh bundle build the store bundle, .deb and tarball into dist/ (installer/README.md)
# "Everything" is: the Debian packages Qt needs to run (offscreen included) and fonts for
# Chinese, a .venv with Orchard and its Python packages, compiled translations, and for the
# tests a PostgreSQL server on 127.0.0.1:5432 (installed and started if none answers).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}

QT_DEBS="libegl1 libgl1 libx11-6 libbrotli1 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0"
XCB_DEBS="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0"
FONT_DEBS="fonts-noto-cjk fonts-wqy-zenhei"
TOOL_DEBS="poppler-utils zbar-tools"   # pdftoppm and zbarimg read reports back in tests
TEST_DEBS="faketime"                   # the date matrix moves the machine's clock for the tests
TEST_DEBS="$TEST_DEBS chromium chromium-driver"   # the HQ console's browser tests (selenium drives them)
TEST_DEBS="$TEST_DEBS $XCB_DEBS dpkg-dev binutils"   # the bundle's smoke test builds and unpacks the .deb

log() { printf '\033[1m[orchard]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else log "need root to run: $*"; return 1
  fi
}

missing_debs() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$p"
  done
}

apt_updated=""
ensure_debs() {
  command -v dpkg-query >/dev/null 2>&1 || { log "not a Debian/Ubuntu system: install $* yourself"; return 0; }
  local need
  need=$(missing_debs "$@")
  [ -z "$need" ] && return 0
  log "installing Debian packages: $need"
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  # shellcheck disable=SC2086
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
}

make_venv() {
  if [ ! -x .venv/bin/python ]; then
    if ! "$PY" -m venv --help >/dev/null 2>&1 || ! "$PY" -c "import ensurepip" >/dev/null 2>&1; then
      ensure_debs python3-venv
    fi
    log "creating .venv"
    "$PY" -m venv .venv
  fi
}

# Python packages come from a lock file (requirements/, written by `bash scripts/dev.sh lock`),
# every file checked against its hash; Orchard itself goes in after without resolving anything,
# built with the locked setuptools. The demo needs the app and its local HQ (orchard[hq]);
# the tests also their tools (orchard[dev,hq]).
ensure_venv() {
  make_venv
  local lock=requirements/test.txt
  [ "$cmd" = demo ] && lock=requirements/demo.txt
  # one stamp per lock, holding the hash of what it installed: a changed lock or pyproject
  # (a pull, a branch switch) installs again, whatever the files' times say
  local stamp=.venv/.orchard-$(basename "$lock" .txt) want
  want=$(cat "$lock" pyproject.toml | sha256sum)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing Python packages into .venv from $lock"
    # PySide6-Pdf (6.12's QtPdf) left by an older lock would be taken for 6.11's own QtPdf:
    # out before the lock's PySide6 goes in (its files are then the Addons' own)
    if ! grep -qi '^pyside6-pdf==' "$lock" && .venv/bin/python -m pip show -q PySide6-Pdf >/dev/null 2>&1; then
      .venv/bin/python -m pip uninstall -q -y PySide6-Pdf PySide6-Essentials PySide6-Addons shiboken6
    fi
    .venv/bin/python -m pip install -q --require-hashes -r "$lock"
    .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
    printf '%s\n' "$want" >"$stamp"
  fi
}

# Writes the lock files from pyproject.toml for Python 3.11 on Linux x86_64 (the Python and
# machine this runs on), resolved from PyPI alone whatever the machine's pip configuration adds.
# Pins that still fit are kept; pass --upgrade (everything) or --upgrade-package NAME.
write_locks() {
  make_venv
  .venv/bin/python -m pip install -q pip-tools
  local compile=(env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT
                 PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="bash scripts/dev.sh lock"
                 .venv/bin/pip-compile -q --generate-hashes --allow-unsafe --all-build-deps
                 --strip-extras --no-emit-index-url --no-emit-find-links pyproject.toml)
  mkdir -p requirements
  "${compile[@]}" --extra dev --extra hq -o requirements/test.txt "$@"
  # the smaller locks start from the test lock's pins, so all of them name the same versions
  local f
  for f in demo desktop; do cp requirements/test.txt "requirements/$f.txt"; done
  "${compile[@]}" --extra hq -o requirements/demo.txt
  "${compile[@]}" -o requirements/desktop.txt
  # the bundle's lock (scripts/bundle.sh): the app's packages and PyInstaller; its own pins
  # (PyInstaller's) are kept too, the test lock's win for the packages both hold
  { cat requirements/bundle.txt 2>/dev/null || true; cat requirements/test.txt; } >requirements/bundle.txt.pins
  mv requirements/bundle.txt.pins requirements/bundle.txt
  "${compile[@]}" --extra bundle -o requirements/bundle.txt
}

build_translations() {
  local ts
  for ts in resources/translations/*.ts; do
    [ -e "$ts" ] || continue
    if [ ! -f "${ts%.ts}.qm" ] || [ "$ts" -nt "${ts%.ts}.qm" ]; then
      .venv/bin/pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"
    fi
  done
}

pg_answers() {
  .venv/bin/python - <<'PYEOF' 2>/dev/null
import psycopg, sys
try:
    psycopg.connect("host=127.0.0.1 port=5432 user=postgres password=postgres dbname=postgres", connect_timeout=3).close()
except Exception:
    sys.exit(1)
PYEOF
}

ensure_postgres() {
  pg_answers && { ensure_pg_test_db; return 0; }
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    ensure_debs postgresql
  fi
  local ver
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  log "starting PostgreSQL $ver"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || true
  for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
  if ! pg_answers; then
    # a fresh Debian install asks for a password over TCP: give postgres a known one
    as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
  fi
  pg_answers || { log "PostgreSQL does not answer on 127.0.0.1:5432"; return 1; }
  ensure_pg_test_db
}

ensure_pg_test_db() {
  .venv/bin/python - <<'PYEOF'
import psycopg
with psycopg.connect("host=127.0.0.1 port=5432 user=postgres password=postgres dbname=postgres",
                     autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'test'").fetchone():
        conn.execute("CREATE DATABASE test")
PYEOF
}

setup() {
  ensure_debs $QT_DEBS $FONT_DEBS $TOOL_DEBS "$@"
  ensure_venv
  build_translations
}

cmd=${1:-help}
shift || true
case "$cmd" in
  demo)
    setup $XCB_DEBS
    exec .venv/bin/orchard demo "$@"
    ;;
  test)
    setup $TEST_DEBS
    ensure_postgres
    export QT_QPA_PLATFORM=offscreen
    # Hypothesis draws from a seed printed here, so a red run can be replayed exactly:
    #   HYPOTHESIS_SEED=<seed> bash scripts/dev.sh test tests/core/test_slots.py
    seed=${HYPOTHESIS_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
    log "Hypothesis seed $seed (replay with HYPOTHESIS_SEED=$seed)"
    status=0
    # mypy --strict on core/ (pyproject.toml's [tool.mypy]): a typing error fails the run too
    log "mypy --strict on core/ (set-up took $SECONDS s)"
    .venv/bin/mypy || status=1
    # the whole suite runs on both cores (pytest-xdist, a test file per worker: module-scoped
    # fixtures such as the reports' demo store are built once per file, as before);
    # ORCHARD_TEST_WORKERS=0 runs it in one process
    workers=()
    if [ $# -eq 0 ] && [ "${ORCHARD_TEST_WORKERS:-2}" != 0 ]; then
      workers=(-n "${ORCHARD_TEST_WORKERS:-2}" --dist loadfile)
    fi
    started=$SECONDS
    # --durations: the slowest tests are named in every run, so the 40-minute budget can be kept
    .venv/bin/python -m pytest --hypothesis-seed="$seed" --durations=25 "${workers[@]}" "$@" || status=$?
    log "pytest took $((SECONDS - started)) s"

    # the whole suite (no arguments) goes on to the date-sensitive tests at other dates
    if [ $# -eq 0 ]; then
      log "date matrix: the date-sensitive tests at other machine dates (scripts/date_matrix.sh)"
      started=$SECONDS
      HYPOTHESIS_SEED=$seed bash scripts/date_matrix.sh || status=1
      log "date matrix took $((SECONDS - started)) s"
    fi
    exit "$status"
    ;;
  setup)
    setup $XCB_DEBS
    ;;
  lock)
    write_locks "$@"
    ;;
  bundle)
    # what a store installs: dist/orchard/, the .deb and the tarball (scripts/bundle.sh; its
    # own .bundle-venv from requirements/bundle.txt). The Qt runtime packages are installed
    # here because the .deb's check looks every library the bundle links up on this machine.
    ensure_debs $QT_DEBS $XCB_DEBS $FONT_DEBS dpkg-dev binutils
    exec bash scripts/bundle.sh "$@"
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test|lock|bundle [args...]" >&2
    exit 2
    ;;
esac
