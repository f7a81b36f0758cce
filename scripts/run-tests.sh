#!/usr/bin/env bash
# Sets up, then runs the whole test suite: lint, format, types, the layering check, the
# accessibility audit of every screen, and pytest. CI runs exactly this (.ci/run). Extra
# arguments go to pytest (`-n 0` runs it in one process).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
scripts/setup.sh --test
venv="$here/.venv/bin"

# Tests run without a display; Qt renders offscreen.
export QT_QPA_PLATFORM=offscreen

# Quick, and the likeliest to fail: first, on their own.
echo "== ruff"
"$venv/ruff" check kiosk tests bench scripts
"$venv/ruff" format --check kiosk tests bench scripts

# The other checks take from a second to a minute or two, each on one core, while pytest's
# workers spend much of their time waiting on servers, sockets and timers: they run beside
# pytest, each into its own log, shown when pytest is done. Any one failing fails the command.
# They run at the lowest priority, on what pytest leaves idle: pytest's workers (one more than
# the cores) keep the cores about 85% busy, the audit alone needs over a minute of CPU, and some
# tests time a start-up. At nice 10 a check still took a tenth of a core from a busy worker;
# at nice 19 the three checks still took pytest from 206 s to 302 s. They also run under the
# scheduler's idle policy (chrt --idle), which gives way at once whenever a worker can run.
idle=()
command -v chrt >/dev/null 2>&1 && idle=(chrt --idle 0)
logs="$(mktemp -d)"
names=()
pids=()
# Interrupted, the checks still running stop too.
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$logs"' EXIT
beside() {
  local name="$1"
  shift
  "${idle[@]}" nice -n 19 "$@" >"$logs/${#names[@]}.log" 2>&1 &
  names+=("$name")
  pids+=("$!")
}
beside "mypy (the core packages)" "$venv/mypy"
beside "layering: the domain and flows know no Qt; the UI knows devices only by interface" \
  "$venv/lint-imports"
# The audit is minutes of one core, most of it left for after pytest: shared over as many
# processes as there are cores, it then ends with pytest instead of long after.
beside "accessibility audit of every screen (kiosk audit)" \
  "$venv/kiosk" audit --out "$here/artifacts/audit" --no-screenshots --jobs "$(nproc)"

# pytest rewrites the asserts of every test module as it collects them, in each worker. With
# PYTHONDONTWRITEBYTECODE set (as some CI images have it) none of that is kept: each worker
# spent 17 s of a core on it at every run, 8 s when it is kept. On a fresh checkout one
# collection fills the cache first, on one core, while the checks above have the other.
unset PYTHONDONTWRITEBYTECODE
if ! compgen -G "tests/unit/__pycache__/*-pytest-*.pyc" >/dev/null; then
  "$venv/python" -m pytest --collect-only -q >/dev/null 2>&1 || true
fi

echo "== pytest, over every core"
status=0
"$venv/python" -m pytest -n auto "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "run-tests: pytest collected no tests; that is a failure here" >&2
  status=1
fi

failed=()
for i in "${!names[@]}"; do
  echo "== ${names[$i]}"
  rc=0
  wait "${pids[$i]}" || rc=$?
  cat "$logs/$i.log"
  if [ "$rc" -ne 0 ]; then
    echo "run-tests: ${names[$i]} failed (exit $rc)" >&2
    failed+=("${names[$i]}")
  fi
done
if [ "$status" -ne 0 ]; then
  echo "run-tests: pytest failed (exit $status)" >&2
  exit "$status"
fi
[ ${#failed[@]} -eq 0 ] || exit 1
