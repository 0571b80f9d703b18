#!/usr/bin/env bash
# Packs the PyInstaller folder into a .deb (scripts/bundle.sh runs it):
#   bash installer/build_deb.sh dist/orchard 1.0.0 dist/orchard_1.0.0_amd64.deb
# ORCHARD_DEB_COMPRESSION: xz (default: the smallest download for a store) or zstd (several
# times faster to pack, a fifth larger; the bundle test uses it, dpkg reads both)
# The package holds
#   /opt/orchard/                                   the bundle (orchard + _internal/)
#   /usr/bin/orchard -> /opt/orchard/orchard
#   /usr/share/applications/orchard.desktop         the launcher entry
#   /usr/share/icons/hicolor/scalable/apps/orchard.svg
# and depends on the Debian packages of every system library the bundle links (the bundle
# leaves them out: installer/orchard.spec) plus the fonts the PDFs are set in. Before packing,
# every library a file of the bundle needs and does not carry is looked up on this machine
# (ldconfig, dpkg -S): one whose package is not in DEPENDS stops the build, naming both.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ $# -eq 3 ] || { echo "usage: bash installer/build_deb.sh BUNDLE_DIR VERSION OUT.deb" >&2; exit 2; }
bundle=$(realpath "$1")
version=$2
out=$(realpath -m "$3")
log() { printf '\033[1m[deb]\033[0m %s\n' "$*" >&2; }
started=$SECONDS

# One entry per package; "a | b": the 64-bit-time name (Debian 13, Ubuntu 24.04) or the older.
DEPENDS=(
  # Qt's xcb platform and what Qt itself links (scripts/dev.sh QT_DEBS and XCB_DEBS)
  "libegl1" "libgl1" "libopengl0" "libx11-6" "libx11-xcb1" "libxcb1" "libxkbcommon0" "libxkbcommon-x11-0"
  "libxcb-cursor0" "libxcb-icccm4" "libxcb-image0" "libxcb-keysyms1" "libxcb-render-util0"
  "libxcb-shape0" "libxcb-randr0" "libxcb-render0" "libxcb-shm0" "libxcb-sync1" "libxcb-xfixes0"
  "libxcb-xkb1" "libxcb-glx0" "libxcb-util1" "libfontconfig1" "libfreetype6"
  "libglib2.0-0t64 | libglib2.0-0" "libdbus-1-3" "libbrotli1"
  # Qt's Wayland platform (GNOME's and KDE's default sessions)
  "libwayland-client0" "libwayland-cursor0" "libwayland-egl1"
  # QtNetwork, which QtPdf (the print preview) links
  "libgssapi-krb5-2" "libzstd1"
  # printing (Qt's CUPS plugin): receipts, labels, reports
  "libcups2t64 | libcups2"
  # the Python interpreter's own modules (ssl, hashlib, ctypes, bz2, lzma, sqlite3, uuid, readline)
  "libssl3t64 | libssl3" "libffi8" "libbz2-1.0" "liblzma5" "zlib1g" "libsqlite3-0" "libuuid1"
  "libreadline8t64 | libreadline8" "libncursesw6" "libtinfo6" "libexpat1"
  "libstdc++6" "libgcc-s1"
  # the PDFs' fonts (reports/fonts.py): DejaVu for Latin text, WenQuanYi Zen Hei for Chinese;
  # taken from Debian rather than bundled: one copy for the whole system, updated with it
  "fonts-dejavu-core" "fonts-wqy-zenhei"
)
# the keyring that keeps the store's key (Secret Service); without one the store runs on a passphrase
RECOMMENDS="gnome-keyring | kwalletmanager | keepassxc"
SUGGESTS="cups"
# always there: the C library (its version floor is worked out below) and the loader
IGNORE_LIBS="libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libutil.so.1 libresolv.so.2 ld-linux-x86-64.so.2"

# --- what the bundle links and does not carry -----------------------------------------------
# one readelf over every shared object and executable: the libraries each needs (NEEDED) and
# the glibc symbol versions it asks for (the version-needs section)
mapfile -d '' objects < <(find "$bundle" -type f \( -name '*.so' -o -name '*.so.*' -o -perm -u=x \) -print0)
linked=$(readelf -d -V -W "${objects[@]}" 2>/dev/null | awk '
  /^File: / { file = $2; next }
  /\(NEEDED\)/ { lib = $NF; gsub(/[][]/, "", lib); print "NEEDED\t" file "\t" lib; next }
  /Name: GLIBC_[0-9]/ { for (i = 1; i <= NF; i++) if ($i ~ /^GLIBC_[0-9]/) { sub(/GLIBC_/, "", $i); print "GLIBC\t" $i } }')
declare -A carried=()
while IFS= read -r -d '' f; do carried[${f##*/}]=1; done < <(find "$bundle" \( -type f -o -type l \) -print0)
declare -A wanted_by=()
while IFS=$'\t' read -r kind f lib; do
  [ "$kind" = NEEDED ] || continue
  [ -n "${carried[$lib]:-}" ] && continue
  case " $IGNORE_LIBS " in *" $lib "*) continue ;; esac
  [ -z "${wanted_by[$lib]:-}" ] && wanted_by[$lib]=${f#"$bundle"/}
done <<<"$linked"

declare -A named=()
for dep in "${DEPENDS[@]}"; do
  IFS='|' read -ra alts <<<"$dep"
  for alt in "${alts[@]}"; do named[$(echo "$alt" | tr -d ' ')]=1; done
done
problems=()
cache=$(ldconfig -p)
declare -A path_of=() owner=()
candidates=()
for lib in "${!wanted_by[@]}"; do
  path=$(awk -v l="$lib" '$1 == l && /x86-64/ {print $NF}' <<<"$cache" | head -1)
  path_of[$lib]=$path
  # merged /usr: dpkg may know the file under /lib or /usr/lib, by its link name or its target
  [ -n "$path" ] && candidates+=("$path" "$(realpath "$path")" "/usr$path" "/usr$(realpath "$path")")
done
# one dpkg -S for all of them: "package[:arch][, other]: /path"
while IFS= read -r line; do
  owner[${line#*: }]=$(cut -d: -f1 <<<"${line%%,*}")
done < <(dpkg -S "${candidates[@]}" 2>/dev/null || true)
for lib in "${!wanted_by[@]}"; do
  path=${path_of[$lib]}
  if [ -z "$path" ]; then
    problems+=("$lib (needed by ${wanted_by[$lib]}) is not installed here: install its package and name it in DEPENDS")
    continue
  fi
  pkg=""
  for candidate in "$path" "$(realpath "$path")" "/usr$path" "/usr$(realpath "$path")"; do
    pkg=${owner[$candidate]:-}
    [ -n "$pkg" ] && break
  done
  if [ -z "$pkg" ]; then
    problems+=("$lib ($path, needed by ${wanted_by[$lib]}) belongs to no Debian package")
  elif [ -z "${named[$pkg]:-}" ]; then
    problems+=("$lib (needed by ${wanted_by[$lib]}) comes from $pkg, which DEPENDS does not name")
  fi
done
if [ ${#problems[@]} -gt 0 ]; then
  log "the bundle links system libraries the .deb would not bring:"
  printf '  %s\n' "${problems[@]}" >&2
  exit 1
fi
log "every system library the bundle links is in Depends (${#objects[@]} files checked, $((SECONDS - started)) s)"
# the C library: at least the newest GLIBC_x.y symbol version any file of the bundle asks for
glibc=$(awk -F'\t' '$1 == "GLIBC" {print $2}' <<<"$linked" | sort -uV | tail -1)
depends="libc6 (>= ${glibc:-2.28})"
for dep in "${DEPENDS[@]}"; do depends+=", $dep"; done

# --- the package tree -----------------------------------------------------------------------
stage=$(mktemp -d "${TMPDIR:-/tmp}/orchard-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/opt" "$stage/usr/bin" "$stage/DEBIAN"
cp -a "$bundle" "$stage/opt/orchard"
ln -s /opt/orchard/orchard "$stage/usr/bin/orchard"
install -Dm644 "$here/orchard.desktop" "$stage/usr/share/applications/orchard.desktop"
install -Dm644 "$root/resources/icons/orchard.svg" "$stage/usr/share/icons/hicolor/scalable/apps/orchard.svg"
install -d "$stage/usr/share/doc/orchard"
printf 'Orchard %s: point of service for consumer-electronics stores.\nBuilt from the Orchard sources with PyInstaller; the bundled Python packages keep their own licences (/opt/orchard/_internal/*.dist-info).\n' \
  "$version" >"$stage/usr/share/doc/orchard/README"
chmod -R u=rwX,go=rX "$stage"
installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<EOF
Package: orchard
Version: $version
Architecture: amd64
Section: misc
Priority: optional
Maintainer: Orchard maintainers <packaging@orchard.invalid>
Installed-Size: $installed_kb
Depends: $depends
Recommends: $RECOMMENDS
Suggests: $SUGGESTS
Description: point of service for consumer-electronics stores
 Orchard runs a store's counter: customers, appointments, repairs, trade-in
 and loyalty, with printed receipts, labels and manager reports. The store's
 database is encrypted; its key is kept in the desktop's keyring or behind a
 passphrase, and a printed recovery key opens it if the keyring is lost.
EOF
# the icon and launcher caches are refreshed by the hicolor and desktop-file-utils triggers

mkdir -p "$(dirname "$out")"
log "packing $out"
case "${ORCHARD_DEB_COMPRESSION:-xz}" in
  xz) compress=(-Zxz -z6) ;;
  zstd) compress=(-Zzstd -z3) ;;
  *) log "ORCHARD_DEB_COMPRESSION is xz or zstd"; exit 2 ;;
esac
dpkg-deb --root-owner-group "${compress[@]}" --build "$stage" "$out.part" >/dev/null
mv "$out.part" "$out"
log "packed in $((SECONDS - started)) s"
