#!/usr/bin/env bash
# Sets up, then runs the whole test suite: lint, format, types, the layering check, pytest.
# CI runs exactly this (.ci/run). Extra arguments go to pytest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
scripts/setup.sh --test
venv="$here/.venv/bin"

# Tests run without a display; Qt renders offscreen.
export QT_QPA_PLATFORM=offscreen

echo "== ruff"
"$venv/ruff" check kiosk tests bench scripts
"$venv/ruff" format --check kiosk tests bench scripts
echo "== mypy (the core packages)"
"$venv/mypy"
echo "== layering: the domain and flows know no Qt; the UI knows devices only by interface"
"$venv/lint-imports"
echo "== accessibility audit of every screen (kiosk audit)"
"$venv/kiosk" audit --out "$here/artifacts/audit" --no-screenshots
echo "== pytest"
status=0
"$venv/python" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "run-tests: pytest collected no tests; that is a failure here" >&2
  exit 1
fi
exit "$status"
