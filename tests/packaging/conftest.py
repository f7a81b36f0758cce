"""The .deb, built from the wheel cache once for the same inputs, and unpacked for the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging_rig import ROOT, build_environment, built_once, require


def _wheels() -> list[str]:
    """The wheel cache the script installs from, by file name: a wheel added there may be
    what the package's environment gets."""
    folder = Path(os.environ.get("KIOSK_WHEEL_CACHE", "~/.cache/onecard-kiosk-build/wheels"))
    folder = folder.expanduser()
    return sorted(p.name for p in folder.glob("*.whl")) if folder.is_dir() else []


@pytest.fixture(scope="session")
def deb_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/onecard-kiosk_<version>_amd64.deb, built by scripts/build-deb.sh (the wheel cache
    is the script's own, shared with every later run), once for the same inputs."""
    require(shutil.which("dpkg-deb") is not None, "dpkg-deb is missing")
    require(Path("/usr/bin/python3").exists(), "the system Python /usr/bin/python3 is missing")

    def build(out: Path) -> Path:
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

    # The package's environment is made with the system Python, from the wheel cache.
    system_python = subprocess.run(
        ["/usr/bin/python3", "-VV"], capture_output=True, text=True, check=True
    ).stdout
    return built_once("deb", build, tmp_path_factory.mktemp("deb"), system_python, *_wheels())


@pytest.fixture(scope="session")
def deb_tree(deb_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's files unpacked as dpkg would lay them out, under a temporary root."""
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(deb_package), str(root)], check=True)
    return root
