#!/usr/bin/env bash
# Sets up, then runs the kiosk with its embedded defaults: the reference platform on loopback
# with demo residents, a simulated card reader (or a real one when present) and the dev panel.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run-kiosk: no screen (DISPLAY is not set). Run it on a desktop, or under a virtual" >&2
  echo "  screen: Xvfb :99 -screen 0 1920x1080x24 & DISPLAY=:99 scripts/run-kiosk.sh" >&2
  exit 2
fi
exec "$here/.venv/bin/kiosk" "$@"
