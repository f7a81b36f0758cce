#!/usr/bin/env bash
# Builds the offline installer for Debian-based systems: dist/onecard-kiosk_<version>_amd64.deb.
#
#   scripts/build-deb.sh [--offline] [--wheels DIR] [--out DIR]
#
# The package holds the kiosk and every Python package it needs, installed from wheels into
# its own environment under /opt/onecard-kiosk, so that a hall whose network reaches no package
# index installs it with `apt install ./onecard-kiosk_<version>_amd64.deb` (apt brings the
# Debian packages it depends on from the distribution's own mirror or media).
#
# The wheels come from a cache directory (default ~/.cache/onecard-kiosk-build/wheels, or
# $KIOSK_WHEEL_CACHE), filled by `pip wheel` the first time and reused afterwards; with
# --offline nothing is fetched and a wheel missing from the cache is an error.
# The environment uses this machine's /usr/bin/python3: build on the Debian release (and
# architecture) the kiosks run, since the package depends on that Python's minor version.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

offline=0
wheels="${KIOSK_WHEEL_CACHE:-$HOME/.cache/onecard-kiosk-build/wheels}"
out="$here/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --offline) offline=1 ;;
    --wheels) wheels="$2"; shift ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "build-deb.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

say() { printf 'build-deb: %s\n' "$*"; }
fail() { printf 'build-deb: %s\n' "$*" >&2; exit 1; }

command -v dpkg-deb >/dev/null || fail "dpkg-deb is missing: build on a Debian-based system"
target_python=/usr/bin/python3
[ -x "$target_python" ] || fail "$target_python is missing: the package's environment is made from the system's Python"
# pip runs from the build's own environment and installs into the package's (pip --python).
build_python="${PYTHON:-$here/.venv/bin/python}"
[ -x "$build_python" ] || build_python="$(command -v python3)"
"$build_python" -m pip --version >/dev/null 2>&1 || fail "$build_python has no pip; run scripts/setup.sh first"

version="$("$build_python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
py_minor="$("$target_python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
arch="$(dpkg --print-architecture)"
[ "$arch" = amd64 ] || say "building for $arch (the kiosk is tested on amd64)"
package="onecard-kiosk_${version}_${arch}.deb"

work="$(mktemp -d "${TMPDIR:-/tmp}/onecard-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/root"
venv="$root/opt/onecard-kiosk/venv"
mkdir -p "$wheels" "$out" "$work/kiosk-wheel"

# pip must see neither this machine's pip configuration nor its package index while it
# installs: the package is proven to install from the cache alone (--isolated, --no-index).
offline_pip=(--isolated --no-index --find-links "$wheels")

# --- the wheels ------------------------------------------------------------------------------
fetch() {
  say "filling the wheel cache $wheels (pip wheel)"
  "$build_python" -m pip wheel --quiet --wheel-dir "$wheels" --find-links "$wheels" \
    "setuptools>=77" wheel
  "$build_python" -m pip wheel --quiet --wheel-dir "$wheels" --find-links "$wheels" \
    "$here[usb]"
  # The cache holds dependencies; the kiosk's own wheel is built fresh every time.
  rm -f "$wheels"/onecard_kiosk-*.whl
}

build_kiosk_wheel() {
  # From a clean copy of the tree (the files git tracks or would track): no bytecode, build
  # folder or local test output ends up in the wheel.
  rm -rf "$work/src"
  mkdir -p "$work/src"
  git -C "$here" ls-files -z --cached --others --exclude-standard \
    | (cd "$here" && xargs -0 tar -cf - --ignore-failed-read 2>/dev/null) | tar -xf - -C "$work/src"
  "$build_python" -m pip wheel --quiet "${offline_pip[@]}" --no-deps \
    --wheel-dir "$work/kiosk-wheel" "$work/src"
}

install_venv() {
  rm -rf "$venv"
  "$target_python" -m venv --without-pip "$venv"
  local kiosk_wheel
  kiosk_wheel="$(ls "$work"/kiosk-wheel/onecard_kiosk-*.whl)"
  "$build_python" -m pip --python "$venv/bin/python" install --quiet "${offline_pip[@]}" \
    --no-compile --no-warn-script-location "${kiosk_wheel}[usb]"
}

say "onecard-kiosk $version for Python $py_minor ($arch)"
if ! { build_kiosk_wheel && install_venv; } 2>"$work/pip.log"; then
  if [ "$offline" = 1 ]; then
    cat "$work/pip.log" >&2
    fail "the wheel cache $wheels lacks a wheel (above); run once without --offline where PyPI is reachable"
  fi
  fetch
  build_kiosk_wheel
  install_venv
fi

# Qt's add-ons the kiosk never loads (WebEngine alone is 200 MB); checked to keep what it does.
"$target_python" packaging/prune_qt.py "$venv/lib/python${py_minor}/site-packages"

# Wheels may carry bytecode of their own build; postinst compiles for this Python instead.
find "$venv" -name __pycache__ -type d -prune -exec rm -rf {} +

# The environment was made at a build path; it runs from /opt/onecard-kiosk/venv.
while IFS= read -r -d '' file; do
  sed -i "s#$root##g" "$file"
done < <(grep -rlZ --fixed-strings "$root" "$venv/bin" "$venv/pyvenv.cfg" || true)
# Where pip installed the kiosk from (a build folder) means nothing on the kiosk.
find "$venv/lib" -path '*onecard_kiosk-*.dist-info/direct_url.json' -delete
sed -i '/direct_url.json/d' "$venv"/lib/python*/site-packages/onecard_kiosk-*.dist-info/RECORD
if grep -rq --fixed-strings "$work" "$venv/bin" "$venv/pyvenv.cfg"; then
  fail "a build path is left in the environment's scripts"
fi

# --- the files around it ---------------------------------------------------------------------
install -D -m 0644 packaging/kiosk.toml "$root/etc/onecard-kiosk/kiosk.toml"
install -D -m 0644 packaging/pam-onecard-kiosk "$root/etc/pam.d/onecard-kiosk"
install -D -m 0644 packaging/systemd/onecard-kiosk.service "$root/lib/systemd/system/onecard-kiosk.service"
install -D -m 0644 packaging/systemd/onecard-platform.service "$root/lib/systemd/system/onecard-platform.service"
install -D -m 0644 packaging/udev/70-onecard-kiosk.rules "$root/lib/udev/rules.d/70-onecard-kiosk.rules"
mkdir -p "$root/usr/bin"
ln -s /opt/onecard-kiosk/venv/bin/kiosk "$root/usr/bin/onecard-kiosk"
doc="$root/usr/share/doc/onecard-kiosk"
install -D -m 0644 docs/installation.md "$doc/installation.md"
install -D -m 0644 docs/kiosk.example.toml "$doc/kiosk.example.toml"
install -D -m 0644 README.md "$doc/README.md"
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: onecard-kiosk"
  echo
  echo "Files: *"
  echo "License: Apache-2.0"
  echo " The kiosk is under the Apache License 2.0 (/usr/share/common-licenses/Apache-2.0)."
  echo " The Python packages under /opt/onecard-kiosk/venv keep their own licences, in each"
  echo " package's *.dist-info folder there."
} > "$doc/copyright"

# --- control ---------------------------------------------------------------------------------
mkdir -p "$root/DEBIAN"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$root/DEBIAN/"
printf '/etc/onecard-kiosk/kiosk.toml\n/etc/pam.d/onecard-kiosk\n' > "$root/DEBIAN/conffiles"
# Qt's xcb and Wayland platforms and their libraries (the same list as scripts/setup.sh), the
# PC/SC service, espeak-ng, cage, libusb for USB receipt printers, and this Python.
depends=(
  "python${py_minor}" "libpython${py_minor}-stdlib" adduser libpam-systemd kbd
  pcscd libpcsclite1 espeak-ng cage xwayland libusb-1.0-0
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1
  libxcb-xinerama0 libpulse0 libwayland-client0 libwayland-cursor0 libwayland-egl1
)
installed_kb="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<CONTROL
Package: onecard-kiosk
Version: $version
Architecture: $arch
Maintainer: One-Card kiosk maintainers <onecard-kiosk@maintainers.invalid>
Section: misc
Priority: optional
Installed-Size: $installed_kb
Depends: $(IFS=,; echo "${depends[*]}" | sed 's/,/, /g')
Description: Zhengzhou Resident Service One-Card self-service kiosk
 A self-service kiosk for the Resident Service One-Card (social security card
 or e-code): services by category, records and certificates, card loss and
 reissue, complaints. Runs full screen in cage as the kiosk user under systemd,
 with a watchdog; includes the reference platform service. Every Python package
 it needs is inside /opt/onecard-kiosk, so it installs without a package index.
CONTROL
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z \
  | xargs -0 md5sum) > "$root/DEBIAN/md5sums"

# gzip, not xz or zstd: quick to build, and every dpkg reads it (older UOS and Kylin included).
say "packing $package ($((installed_kb / 1024)) MB installed)"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$root" "$out/$package" >/dev/null
say "made $out/$package"
