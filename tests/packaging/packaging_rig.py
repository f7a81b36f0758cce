"""What the packaging tests share: where the project is, the installers built once for given
inputs, and starting a kiosk to its first frame."""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIRST_FRAME = "first-frame "
# Installers built by the tests, by what they were built from (`built_once`).
BUILD_CACHE = Path.home() / ".cache" / "onecard-kiosk-build" / "installers"
# Set, every installer is built afresh and nothing is kept: a build from nothing.
REBUILD = "KIOSK_TEST_REBUILD_INSTALLERS"
# Entries of the cache unused for this long go, past the few newest of each kind.
KEEP_NEWEST = 3
STALE_S = 3600


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


def _inputs_digest(kind: str, inputs: tuple[str, ...]) -> str | None:
    """A digest of everything an installer is made of: every file of the project but its
    tests, as the working tree has them (edits not yet committed included), this Python, the
    version of every package in its environment, and the caller's own `inputs`. None outside
    a git checkout, where the files cannot be listed: there the installer is always built."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    digest = hashlib.sha256()
    for name in sorted({n for n in listed.stdout.decode().split("\0") if n}):
        path = ROOT / name
        if name.startswith("tests/") or not path.is_file():
            continue
        # The mode too: a script made executable goes into the package as one.
        mode = f"{path.stat().st_mode & 0o777:o}".encode()
        digest.update(b"\0".join((name.encode(), mode, hashlib.sha256(path.read_bytes()).digest())))
    # A set: a process started from the checkout's root also finds the project's own
    # egg-info there, and its digest must match that of one started elsewhere.
    packages = sorted(
        {f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()}
    )
    for text in (kind, sys.version, platform.machine(), *packages, *inputs):
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()[:32]


def _prune(folder: Path) -> None:
    """Past the newest few, the entries no run has used for an hour go (another run, of
    another checkout, may be using a recent one), and so do the leftovers of interrupted
    builds."""
    entries = sorted(
        (p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
    )
    kept = [p for p in entries if not p.name.startswith(".")][:KEEP_NEWEST]
    for entry in entries:
        if entry not in kept and time.time() - entry.stat().st_mtime > STALE_S:
            shutil.rmtree(entry, ignore_errors=True)


def built_once(kind: str, build: Callable[[Path], Path], scratch: Path, *inputs: str) -> Path:
    """The artefact `build` makes in the empty folder it is given (it returns the artefact's
    path there), built once for the same inputs (`_inputs_digest`) and kept between runs.

    A build of the .deb or of the frozen kiosk takes half a minute to a minute of the suite's
    time, and makes the same installer while nothing that goes into it has changed; every test
    still runs on the installer itself. With KIOSK_TEST_REBUILD_INSTALLERS set (or outside a
    git checkout) it is built afresh in `scratch`, and not kept."""
    key = None if os.environ.get(REBUILD) else _inputs_digest(kind, inputs)
    if key is None:
        return build(scratch)
    folder = BUILD_CACHE / kind
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / key
    # One build of a kind at a time: a test that needs the installer while the run's early
    # build (tests/packaging/installers.py) is making it waits for that build, not makes its
    # own beside it.
    with (folder / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (kept / "artefact").is_file():
            fresh = Path(tempfile.mkdtemp(prefix=".building-", dir=folder))
            try:
                artefact = build(fresh)
            except BaseException:
                shutil.rmtree(fresh, ignore_errors=True)
                raise
            (fresh / "artefact").write_text(str(artefact.relative_to(fresh)), encoding="utf-8")
            try:
                # Whole or not at all: an interrupted build leaves no entry that looks finished.
                fresh.rename(kept)
            except OSError:
                # A run of a checkout that takes no lock kept the same build first.
                shutil.rmtree(fresh, ignore_errors=True)
        os.utime(kept)  # in use: not pruned by another run
        _prune(folder)
    return kept / (kept / "artefact").read_text(encoding="utf-8")


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
