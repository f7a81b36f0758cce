#!/usr/bin/env bash
# Sets up everything the kiosk needs, then leaves a virtual environment at .venv.
#
#   scripts/setup.sh            the kiosk and its demo (what `scripts/run-kiosk.sh` needs)
#   scripts/setup.sh --test     the above, plus what the test suite needs
#   scripts/setup.sh --deployed a real kiosk: no virtual card reader (see README, Deployment)
#
# Idempotent and quick when already done: Debian packages are installed only when missing, and
# the project is reinstalled into .venv only when pyproject.toml changed. As root on Debian it
# installs the system packages itself; elsewhere it prints the exact list and goes on.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

purpose="demo"
for arg in "$@"; do
  case "$arg" in
    --test) purpose="test" ;;
    --deployed) purpose="deployed" ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $arg (use --test, --deployed or nothing)" >&2; exit 2 ;;
  esac
done

say() { printf 'setup: %s\n' "$*"; }

# --- system packages -----------------------------------------------------------------------
# Qt's xcb platform and its libraries; the PC/SC service and the headers pyscard builds
# against; espeak-ng for voice guidance; Python with venv and a compiler for pyscard; libcups2
# for Qt's print support (the A4 printer's CUPS queue).
packages=(
  python3 python3-venv python3-dev gcc swig
  pcscd libpcsclite-dev
  espeak-ng
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1
  libxcb-xinerama0 libpulse0
  libcups2
)
# A virtual smart-card reader: any connection to it is a card insertion, so it belongs on
# development and test machines only, never on a deployed kiosk.
[ "$purpose" != "deployed" ] && packages+=(vsmartcard-vpcd)
# The tests take screenshots under a virtual screen and run the server against PostgreSQL.
[ "$purpose" = "test" ] && packages+=(xvfb xauth postgresql)
# The A4 tests read the PDF back (poppler-utils), decode its QR code (zbar-tools) and print
# through a private cupsd (cups-daemon, cups-client).
[ "$purpose" = "test" ] && packages+=(poppler-utils zbar-tools cups-daemon cups-client)
# The platform's TLS test makes its certificate with the openssl command.
[ "$purpose" = "test" ] && packages+=(openssl)
# A screen reader's view of the kiosk (tests/ui/test_atspi.py): a session bus, the AT-SPI bus,
# and AT-SPI's client library for the system Python.
[ "$purpose" = "test" ] && packages+=(dbus-daemon at-spi2-core python3-gi gir1.2-atspi-2.0)
# The staff console's browser tests drive a real headless Chromium (tests/web).
[ "$purpose" = "test" ] && packages+=(chromium chromium-driver)
# The offline .deb the tests build (scripts/build-deb.sh): its environment is made from the
# system's Python, and systemd-analyze checks its units.
[ "$purpose" = "test" ] && packages+=(python3-venv systemd)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
    [ "$status" = "install ok installed" ] || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      say "installing Debian packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      say "not root: please install these Debian packages, then run this again:"
      say "  sudo apt-get install ${missing[*]}"
    fi
  fi
else
  say "not a Debian system: install the equivalents of these packages yourself:"
  say "  ${packages[*]}"
fi

# --- the virtual reader's ports ----------------------------------------------------------------
# vpcd's readers listen on TCP 35963 and 35964, inside the kernel's range of ephemeral ports: any
# outgoing connection on the machine (the tests make thousands) may be given one of them as its
# own port, and pcscd then starts without the virtual reader ("Address already in use"). Reserved,
# the kernel never hands them out.
if [ "$purpose" != "deployed" ] && [ -w /proc/sys/net/ipv4/ip_local_reserved_ports ]; then
  reserved="$(cat /proc/sys/net/ipv4/ip_local_reserved_ports)"
  case ",$reserved," in
    *,35963-35964,*) ;;
    *)
      # A container may refuse the write: then the card tests wait for the port instead.
      ports="${reserved:+$reserved,}35963-35964"
      if echo "$ports" 2>/dev/null >/proc/sys/net/ipv4/ip_local_reserved_ports; then
        say "reserved the virtual card reader's ports 35963-35964"
        # The whole list, so that a reservation made before is kept after a reboot too.
        if [ -d /etc/sysctl.d ] && [ -w /etc/sysctl.d ]; then
          echo "net.ipv4.ip_local_reserved_ports = $ports" >/etc/sysctl.d/60-onecard-vpcd.conf
        fi
      else
        say "could not reserve the virtual card reader's ports 35963-35964 (read-only /proc/sys)"
      fi
      ;;
  esac
elif [ "$purpose" != "deployed" ]; then
  say "not root: reserve the virtual card reader's ports so pcscd always gets them:"
  say "  echo 'net.ipv4.ip_local_reserved_ports = 35963-35964' | sudo tee /etc/sysctl.d/60-onecard-vpcd.conf && sudo sysctl --system"
fi

# --- Python ----------------------------------------------------------------------------------
python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: Python 3.11 or newer is needed as '$python' (set PYTHON=...)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  say "making the virtual environment .venv"
  "$python" -m venv .venv
fi

extras=""
[ "$purpose" = "test" ] && extras="[test]"

install_with_uv() {
  .venv/bin/python -m pip install --quiet uv >/dev/null 2>&1 || return 1
  local index cert settings=()
  index="${PIP_INDEX_URL:-$(.venv/bin/python -m pip config get global.index-url 2>/dev/null || true)}"
  cert="${PIP_CERT:-$(.venv/bin/python -m pip config get global.cert 2>/dev/null || true)}"
  [ -n "$index" ] && settings+=("UV_INDEX_URL=$index")
  [ -n "$cert" ] && settings+=("SSL_CERT_FILE=$cert")
  # pip itself too: scripts/build-deb.sh and the packaging tests drive it from .venv. Compiled
  # to bytecode as pip does: uv does not by default, and with PYTHONDONTWRITEBYTECODE set every
  # process would compile FastAPI, SQLAlchemy and the rest again at each start.
  env "${settings[@]}" UV_HTTP_TIMEOUT="${UV_HTTP_TIMEOUT:-30}" \
    .venv/bin/uv pip install --python .venv/bin/python --quiet --compile-bytecode \
    -e ".$1" pip --upgrade-package pip
}
stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)${extras:+-test}"
if [ ! -e "$stamp" ]; then
  say "installing the kiosk into .venv${extras:+ with its test tools}"
  # uv installs the same releases from the same index as pip, in parallel: about 10 s here
  # where pip took 45 s of a fresh set-up. pip stays the fallback wherever uv cannot be had or
  # cannot reach the index (uv reads no pip.conf: it is given pip's index and certificates).
  if ! install_with_uv "${extras}"; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".${extras}"
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
  # The test stamp covers the plain set-up too.
  [ -n "$extras" ] && touch "${stamp%-test}"
fi
# Bytecode for the kiosk's own modules, as a wheel install would make: an editable install run
# with PYTHONDONTWRITEBYTECODE set would otherwise compile every module at every start. Only
# what changed since the last run is compiled, so this is quick when done.
.venv/bin/python -m compileall -q kiosk >/dev/null || say "could not write bytecode; the kiosk starts slower"
say "ready ($purpose)"
