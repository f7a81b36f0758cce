"""The installers, built once per test run from the wheel cache and unpacked for the tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging_rig import ROOT, build_environment, require


@pytest.fixture(scope="session")
def deb_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/onecard-kiosk_<version>_amd64.deb, built by scripts/build-deb.sh into a temporary
    folder (the wheel cache is the script's own, shared with every later run)."""
    require(shutil.which("dpkg-deb") is not None, "dpkg-deb is missing")
    require(Path("/usr/bin/python3").exists(), "the system Python /usr/bin/python3 is missing")
    out = tmp_path_factory.mktemp("deb")
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


@pytest.fixture(scope="session")
def deb_tree(deb_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's files unpacked as dpkg would lay them out, under a temporary root."""
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(deb_package), str(root)], check=True)
    return root
