"""What a piece of the kiosk loads, seen in a fresh interpreter: this test process may have
loaded Qt or the server's stack for other tests."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def loaded_by(code: str, packages: Iterable[str]) -> list[str]:
    """Which of the packages (top-level names) are loaded once `code` has run, sorted."""
    report = (
        "\nimport json as _json, sys as _sys\n"
        f"_asked = {json.dumps(sorted(set(packages)))}\n"
        "print(_json.dumps(sorted({m.split('.')[0] for m in _sys.modules} & set(_asked))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code + report],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found
