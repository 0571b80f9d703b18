#!/usr/bin/env bash
# Builds what a store installs (run by `bash scripts/dev.sh bundle`):
#   dist/orchard/                              the PyInstaller one-folder bundle (orchard, _internal/)
#   dist/orchard_<version>_amd64.deb           /opt/orchard + /usr/bin/orchard + launcher + icon
#   dist/orchard-<version>-linux-x86_64.tar.gz the same folder for other Linux systems
# in its own venv (.bundle-venv) installed from requirements/bundle.txt, every file checked
# against its hash, then Orchard itself without resolving anything. The HQ server's packages
# are never installed there, so they cannot end up in the bundle.
#
#   bash scripts/bundle.sh [--dist DIR] [--work DIR] [--fast]
# --dist: where the three results go (default dist/); --work: PyInstaller's scratch folder
# (default build/bundle; kept between builds, so an unchanged package is not analysed again);
# --fast: the same files, packed with quicker compression (the .deb with zstd, the tarball with
# gzip -1): for the bundle test, never for what goes to stores.
# Prints the build time, the folder's and the .deb's sizes; writes <dist>/orchard-build.json
# (version, what it was built from: installer/fingerprint.py, seconds, sizes).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
DIST=$ROOT/dist
WORK=$ROOT/build/bundle
VENV=$ROOT/.bundle-venv
FAST=
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) DIST=$(realpath -m "$2"); shift 2 ;;
    --work) WORK=$(realpath -m "$2"); shift 2 ;;
    --fast) FAST=1; shift ;;
    *) echo "usage: bash scripts/bundle.sh [--dist DIR] [--work DIR] [--fast]" >&2; exit 2 ;;
  esac
done

log() { printf '\033[1m[bundle]\033[0m %s\n' "$*" >&2; }
started=$SECONDS
VERSION=$(sed -n 's/^VERSION = "\(.*\)"$/\1/p' core/version.py)
[ -n "$VERSION" ] || { log "no VERSION in core/version.py"; exit 1; }
FINGERPRINT=$("$PY" installer/fingerprint.py)

# 1. the venv, from the lock (one stamp holding the hash of what it installed)
if [ ! -x "$VENV/bin/python" ]; then
  log "creating $(basename "$VENV")"
  "$PY" -m venv "$VENV"
fi
want=$(cat requirements/bundle.txt | sha256sum)
if [ "$(cat "$VENV/.orchard-bundle" 2>/dev/null)" != "$want" ]; then
  log "installing Python packages into $(basename "$VENV") from requirements/bundle.txt"
  "$VENV/bin/python" -m pip install -q --require-hashes -r requirements/bundle.txt
  printf '%s\n' "$want" >"$VENV/.orchard-bundle"
fi
# Orchard itself, as a store gets it (not editable: PyInstaller reads the installed copy);
# built from a copy of the sources so the checkout gets no build/ or egg-info of it
src="$WORK/src"
rm -rf "$src"
mkdir -p "$src"
cp -r pyproject.toml core desktop reports "$src"/   # never hq/
log "installing Orchard $VERSION into $(basename "$VENV") (no dependencies)"
"$VENV/bin/python" -m pip install -q --no-deps --no-build-isolation --force-reinstall "$src"
rm -rf "$src"

# 2. compiled translations for the bundle (the .qm files are not in git)
mkdir -p "$WORK/translations"
rm -f "$WORK"/translations/*.qm
for ts in resources/translations/*.ts; do
  [ -e "$ts" ] || continue
  qm=$(basename "${ts%.ts}.qm")
  "$VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$WORK/translations/$qm"
done

# 3. PyInstaller (installer/orchard.spec reads these two)
export ORCHARD_ROOT=$ROOT ORCHARD_QM_DIR=$WORK/translations
log "PyInstaller: $DIST/orchard"
rm -rf "$DIST/orchard"
"$VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK/pyinstaller" \
  installer/orchard.spec
[ -x "$DIST/orchard/orchard" ] || { log "PyInstaller made no $DIST/orchard/orchard"; exit 1; }
bundle_s=$((SECONDS - started))

# 4. the .deb and the tarball
deb=$DIST/orchard_${VERSION}_amd64.deb
tarball=$DIST/orchard-$VERSION-linux-x86_64.tar.gz
ORCHARD_DEB_COMPRESSION=${FAST:+zstd} bash installer/build_deb.sh "$DIST/orchard" "$VERSION" "$deb"
log "tarball: $tarball"
gzip_cmd=gzip
level=6
[ -n "$FAST" ] && level=1
command -v pigz >/dev/null 2>&1 && gzip_cmd=pigz
# the folder, with the launcher entry and icon beside it for the person installing it (installer/README.md)
tarstage="$WORK/tarball"
rm -rf "$tarstage"
mkdir -p "$tarstage"
cp -al "$DIST/orchard" "$tarstage/orchard"
install -Dm644 installer/orchard.desktop "$tarstage/orchard/share/applications/orchard.desktop"
install -Dm644 resources/icons/orchard.svg "$tarstage/orchard/share/icons/hicolor/scalable/apps/orchard.svg"
tar -C "$tarstage" --owner=0 --group=0 --numeric-owner -cf - orchard | "$gzip_cmd" "-$level" >"$tarball.part"
mv "$tarball.part" "$tarball"
rm -rf "$tarstage"

seconds=$((SECONDS - started))
folder_mb=$(du -sm "$DIST/orchard" | cut -f1)
deb_mb=$(( ($(stat -c %s "$deb") + 524288) / 1048576 ))
tar_mb=$(( ($(stat -c %s "$tarball") + 524288) / 1048576 ))
cat >"$DIST/orchard-build.json" <<EOF
{"version": "$VERSION", "fingerprint": "$FINGERPRINT", "fast": $([ -n "$FAST" ] && echo true || echo false), "seconds": $seconds,
 "bundle_seconds": $bundle_s, "folder_mb": $folder_mb, "deb_mb": $deb_mb, "tarball_mb": $tar_mb}
EOF
log "built Orchard $VERSION in $seconds s (bundle $bundle_s s): folder $folder_mb MB, .deb $deb_mb MB, tarball $tar_mb MB"
