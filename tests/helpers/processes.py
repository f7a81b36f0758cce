"""Processes the tests start (pcscd, the card emulator, a bus, a print server) end with them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from kiosk.server.embedded import ready_url
from kiosk.server.launch import ServerProcess, ServerStarter

ROOT = Path(__file__).resolve().parents[2]


def stop(process: subprocess.Popen[Any] | ServerProcess, timeout: float = 10.0) -> None:
    """Asks the process to end (SIGTERM), and kills it if it has not within `timeout` seconds:
    a test never leaves one behind, nor hangs on one."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_kiosk(
    *args: str, env: dict[str, str] | None = None, stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`kiosk ARGS` as a person runs it, from the repository's root, run to its end: the exit
    code and what it printed (UTF-8), with these environment variables added."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def serving_fresh_demo(start: ServerStarter, tmp_path: Path, *more: str) -> ServerProcess:
    """`kiosk server --fresh-demo` started by `start`, its copy of the demo data made in
    tmp_path, once it serves."""
    env = dict(os.environ, TMPDIR=str(tmp_path))
    process = start(["--fresh-demo", "--port", "0", *more], env=env, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    assert ready_url(process.stdout.readline()) is not None
    return process
