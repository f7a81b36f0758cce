"""What the packaging tests share: where the project is, and starting a kiosk to its first frame."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIRST_FRAME = "first-frame "


def require(condition: bool, reason: str) -> None:
    """Skips when a build tool is missing here; CI must have it, so there it fails."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: CI must build the installers")
    pytest.skip(reason)


def build_environment() -> dict[str, str]:
    """The suite points XDG_CACHE_HOME at a throwaway folder; pip's download cache, which makes
    a first fill of the wheel cache quick, lives under the real one."""
    env = dict(os.environ)
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    return env


def first_frame(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Starts a kiosk with the start-up probe on and returns the line it prints at its first
    painted frame (it quits there); fails with what it said otherwise."""
    run_env = dict(env if env is not None else os.environ)
    run_env.update(QT_QPA_PLATFORM="offscreen", KIOSK_REPORT_FIRST_FRAME="1")
    result = subprocess.run(
        command, cwd=cwd, env=run_env, capture_output=True, text=True, timeout=120
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith(FIRST_FRAME)]
    assert result.returncode == 0 and lines, (
        f"{command} painted no frame (exit {result.returncode}):\n{result.stderr[-2000:]}"
    )
    return lines[0]


def serves_its_platform(
    command: list[str],
    cwd: Path,
    env: dict[str, str],
    arguments: tuple[str, ...] = ("--port", "0", "--fresh-demo"),
    then: Callable[[str], None] | None = None,
) -> None:
    """Starts the platform as a packaged kiosk does (`-m kiosk server` or `-m kiosk.server`, by
    default on a free port with a throwaway database), asks its health address, then hands its
    address to `then` while it still serves."""
    import requests

    server = subprocess.Popen(
        [*command, *arguments],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("ONECARD-PLATFORM-READY "), line
        url = json.loads(line.split(" ", 1)[1])["url"]
        assert requests.get(f"{url}/v1/health", timeout=10).status_code == 200
        if then is not None:
            then(url)
    finally:
        server.terminate()
        server.wait(timeout=20)
