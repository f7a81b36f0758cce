"""The kiosk names its cache folder as platformdirs does, without importing it at start-up."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from kiosk.assembly.paths import APP_NAME, cache_folder


@pytest.mark.parametrize("xdg", [None, "", "   ", "/srv/kiosk-cache", "relative/cache"])
def test_the_cache_folder_is_the_one_platformdirs_names(monkeypatch, xdg) -> None:
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    monkeypatch.setenv("HOME", "/home/resident-kiosk")
    assert cache_folder() == platformdirs.user_cache_path(APP_NAME)


def test_the_shortcut_is_taken_only_on_linux(monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(platformdirs, "user_cache_path", lambda name: f"asked for {name}")
    assert cache_folder() == f"asked for {APP_NAME}"
