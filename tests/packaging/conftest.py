"""The .deb, built from the wheel cache once for the same inputs, and unpacked for the tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from installers import installer
from packaging_rig import require


@pytest.fixture(scope="session")
def deb_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/onecard-kiosk_<version>_amd64.deb, built by scripts/build-deb.sh once for the same
    inputs (tests/packaging/installers.py)."""
    require(shutil.which("dpkg-deb") is not None, "dpkg-deb is missing")
    require(Path("/usr/bin/python3").exists(), "the system Python /usr/bin/python3 is missing")
    return installer("deb", tmp_path_factory.mktemp("deb"))


@pytest.fixture(scope="session")
def deb_tree(deb_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's files unpacked as dpkg would lay them out, under a temporary root."""
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(deb_package), str(root)], check=True)
    return root
