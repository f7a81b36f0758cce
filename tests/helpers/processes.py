"""Processes the tests start (pcscd, the card emulator, a bus, a print server) end with them."""

from __future__ import annotations

import subprocess
from typing import Any


def stop(process: subprocess.Popen[Any], timeout: float = 10.0) -> None:
    """Asks the process to end (SIGTERM), and kills it if it has not within `timeout` seconds:
    a test never leaves one behind, nor hangs on one."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
