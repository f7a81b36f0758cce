"""The two installers the packaging tests check, each built by its own tool from the current tree:
the offline .deb (scripts/build-deb.sh) and the frozen kiosk (PyInstaller's spec).

The tests' session fixtures get them through `installer()`, which builds one once for the same
inputs (packaging_rig.built_once). The same function runs in a process of its own
(`python tests/packaging/installers.py deb pyinstaller`, started by tests/early_builds.py as
soon as the run has collected its tests), so that the builds, half a minute of the suite's time
each, happen beside the other tests instead of holding up the worker that reaches them first.
The fixture then finds the installer built, or waits for the build under way: the cache's lock
lets only one process build it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from packaging_rig import ROOT, build_environment, built_once

SPEC = ROOT / "packaging" / "pyinstaller" / "onecard-kiosk.spec"


def _wheels() -> list[str]:
    """The wheel cache the script installs from, by file name: a wheel added there may be
    what the package's environment gets."""
    folder = Path(os.environ.get("KIOSK_WHEEL_CACHE", "~/.cache/onecard-kiosk-build/wheels"))
    folder = folder.expanduser()
    return sorted(p.name for p in folder.glob("*.whl")) if folder.is_dir() else []


def deb_inputs() -> tuple[str, ...]:
    """What the .deb is made of besides the tree: the package's environment is made with the
    system Python, from the wheel cache."""
    system_python = subprocess.run(
        ["/usr/bin/python3", "-VV"], capture_output=True, text=True, check=True
    ).stdout
    return (system_python, *_wheels())


def build_deb(out: Path) -> Path:
    """dist/onecard-kiosk_<version>_amd64.deb, built by scripts/build-deb.sh into `out` (the
    wheel cache is the script's own, shared with every later run)."""
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build-deb.sh"), "--out", str(out)],
        cwd=ROOT,
        env={**build_environment(), "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"build-deb.sh failed:\n{result.stderr[-3000:]}"
    built = sorted(out.glob("onecard-kiosk_*_amd64.deb"))
    assert len(built) == 1, f"build-deb.sh made {built}"
    return built[0]


def build_frozen(folder: Path) -> Path:
    """The Windows kiosk's spec built here, one folder; its program's path."""
    # PyInstaller's work folder is no cache worth keeping: it analyses the whole program
    # again each time (45 s of CPU with or without it, measured).
    work = folder / "work"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(folder / "dist"),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    shutil.rmtree(work)
    program = folder / "dist" / "onecard-kiosk" / "onecard-kiosk"
    assert program.is_file()
    return program


# Each installer: how it is built, and what goes into it besides the tree.
KINDS: dict[str, tuple[Callable[[Path], Path], Callable[[], tuple[str, ...]]]] = {
    "deb": (build_deb, deb_inputs),
    "pyinstaller": (build_frozen, tuple),
}


def installer(kind: str, scratch: Path) -> Path:
    """The installer of this kind for the current tree, built once for the same inputs."""
    build, inputs = KINDS[kind]
    return built_once(kind, build, scratch, *inputs())


def main(kinds: list[str]) -> int:
    """Builds the installers named into the cache, one after the other; a build that fails
    is left to its tests, which build it again and say why."""
    import tempfile

    failed = 0
    for kind in kinds:
        with tempfile.TemporaryDirectory(prefix=f"early-{kind}-") as scratch:
            try:
                installer(kind, Path(scratch))
            except (AssertionError, OSError, subprocess.SubprocessError) as error:
                print(f"early build of {kind} failed: {error}", file=sys.stderr)
                failed = 1
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
