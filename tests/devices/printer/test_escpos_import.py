"""What importing python-escpos leaves behind: nothing in the temporary folder, its profile cache
in the kiosk's cache folder, and the root logger as it was (kiosk/devices/printer/_escpos.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_importing_the_printer_library_leaves_no_folder_and_no_logging(tmp_path: Path) -> None:
    temporary, cache = tmp_path / "temporary", tmp_path / "cache"
    temporary.mkdir()
    env = dict(os.environ, TMPDIR=str(temporary), XDG_CACHE_HOME=str(cache))
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    code = (
        "import logging, tempfile\n"
        "import kiosk.devices.printer._escpos\n"
        "print(len(logging.getLogger().handlers), tempfile.gettempdir())\n"
    )
    for _start in range(2):  # the first builds the profile cache, the second reads it
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
            check=True,
        )
        assert done.stdout.split() == ["0", str(temporary)]
    assert list(temporary.iterdir()) == []
    kept = cache / "onecard-kiosk" / "escpos"
    assert [p.name for p in kept.glob("*.capabilities.pickle")]
    assert list((kept / "import-scratch").iterdir()) == []
