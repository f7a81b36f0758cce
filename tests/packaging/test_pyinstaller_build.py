"""The PyInstaller spec that makes the Windows kiosk, built here on Linux the same way (one
folder) and started: to its first frame, and its embedded platform through `-m kiosk.server`,
as the demo starts it. What only Windows can show is listed in docs/windows.md."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from installers import installer
from packaging_rig import first_frame, require, serves_its_platform

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="session")
def frozen_kiosk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen kiosk built from the current tree (tests/packaging/installers.py)."""
    require(importlib.util.find_spec("PyInstaller") is not None, "PyInstaller is not installed")
    return installer("pyinstaller", tmp_path_factory.mktemp("pyinstaller"))


def _outside_env(tmp_path: Path) -> dict[str, str]:
    """No Python of ours anywhere: the frozen program must bring everything it needs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "cache"), PATH="/usr/bin:/bin")
    return env


def test_frozen_kiosk_reaches_its_first_frame(frozen_kiosk: Path, tmp_path: Path):
    assert first_frame([str(frozen_kiosk)], cwd=tmp_path, env=_outside_env(tmp_path))


def test_frozen_kiosk_starts_its_embedded_platform(frozen_kiosk: Path, tmp_path: Path):
    """The demo starts its platform as `sys.executable -m kiosk.server`: here that is the
    frozen program, which must serve the platform (migrations, FastAPI, uvicorn) by itself."""
    env = {**_outside_env(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    serves_its_platform([str(frozen_kiosk), "-m", "kiosk.server"], tmp_path, env)


def test_frozen_folder_leaves_out_what_the_kiosk_never_loads(frozen_kiosk: Path):
    files = [p.name for p in frozen_kiosk.parent.rglob("*")]
    assert not [n for n in files if "WebEngine" in n or "Qt6Quick3D" in n]
    # Nor the test environment's tools, which optional imports would otherwise pull in.
    bundled = {p.name for p in (frozen_kiosk.parent / "_internal").iterdir()}
    assert not bundled & {"hypothesis", "pytest", "_pytest", "trio", "rich", "pygments"}
    # The kiosk's own data came along: its font, catalogs and migrations.
    internal = frozen_kiosk.parent / "_internal" / "kiosk"
    assert (internal / "assets" / "fonts" / "NotoSansCJKsc-Regular-GBK.otf").is_file()
    assert (internal / "translations" / "en" / "LC_MESSAGES" / "kiosk.po").is_file()
    assert list((internal / "server" / "migrations" / "versions").glob("0001_*.py"))
