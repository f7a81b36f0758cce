"""A real headless Chromium (Debian's chromium and chromium-driver) driven by selenium, against a
real platform on loopback. Missing browser: the tests skip, except under CI, where they fail."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# A real platform on loopback, as the server's tests have it.
from live_platform import demo_template, live  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# What a browser needs to start, as root and without a screen, and nothing it would fetch by
# itself (updates, sync, field trials): the tests must not depend on the network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1366,768",
    # The date fields' typing order follows the browser's locale: fixed, so tests type alike.
    "--lang=en-US",
)


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (scripts/setup.sh --test installs it)")
    pytest.skip(reason)


@pytest.fixture
def browser(request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh headless Chromium. The platform its test drives (`live`) is made first so that
    it is stopped after the browser is closed: a console page left open keeps polling, and the
    platform's shutdown would wait for that connection (up to ten seconds, LivePlatform.stop)."""
    request.getfixturevalue("live")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed")
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        _missing("Debian's chromium and chromium-driver are not installed")
    profile = tempfile.mkdtemp(prefix="console-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
