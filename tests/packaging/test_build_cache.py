"""The installers' cache (packaging_rig.built_once): one build for the same inputs, whoever
asks for it, even two at once, as the run's early build (tests/early_builds.py) and a test's
fixture do."""

from __future__ import annotations

import threading
from pathlib import Path

import packaging_rig
import pytest


def test_two_at_once_get_one_build_and_a_failed_one_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packaging_rig, "BUILD_CACHE", tmp_path / "cache")
    monkeypatch.delenv(packaging_rig.REBUILD, raising=False)
    started = threading.Event()
    builds: list[Path] = []

    def build(folder: Path) -> Path:
        builds.append(folder)
        started.set()
        # Long enough that the second caller arrives while this build is under way.
        threading.Event().wait(0.5)
        (folder / "installer.bin").write_bytes(b"built")
        return folder / "installer.bin"

    got: list[Path] = []

    def ask(scratch: str) -> None:
        got.append(packaging_rig.built_once("test-kind", build, tmp_path / scratch, "input"))

    first = threading.Thread(target=ask, args=("one",))
    first.start()
    assert started.wait(30)
    second = threading.Thread(target=ask, args=("two",))
    second.start()
    first.join(30)
    second.join(30)
    assert len(builds) == 1
    assert len(got) == 2 and got[0] == got[1] and got[0].read_bytes() == b"built"

    # Other inputs, a build that fails: nothing is kept that a later caller could take.
    def broken(folder: Path) -> Path:
        (folder / "half.bin").write_bytes(b"half")
        raise AssertionError("the build failed")

    with pytest.raises(AssertionError, match="the build failed"):
        packaging_rig.built_once("test-kind", broken, tmp_path / "three", "other input")
    kept = sorted(p.name for p in (tmp_path / "cache" / "test-kind").iterdir() if p.is_dir())
    assert kept == [got[0].parent.name]
