"""The installers' builds started as soon as the run knows it will check them.

The .deb and the frozen kiosk take half a minute of a core or more each to build
(tests/packaging/installers.py), and their tests cannot start before them. Left to the test
that first needs one, the build holds up one of the two workers while the other runs on alone.
Started here instead, in a process of its own beside the whole run (at a lower priority than
the tests, so it takes what they leave idle), the builds are done by the time their tests come,
and those tests come late in the run (tests/run_order.py) to give them that time. The tests'
fixtures take the same cache lock as the build, so a build not yet done is waited for, never
made twice; one that failed is made again by the fixture, which says why.

Only under pytest-xdist, where the controller sees what the workers collected; and not with
KIOSK_TEST_REBUILD_INSTALLERS set, where nothing is kept for a fixture to find.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
BUILDER = TESTS / "packaging" / "installers.py"
# Each installer, by the test module whose fixture needs it.
NEEDED_BY = {
    "deb": "tests/packaging/test_deb_package.py::",
    "pyinstaller": "tests/packaging/test_pyinstaller_build.py::",
}
REBUILD = "KIOSK_TEST_REBUILD_INSTALLERS"
# Below the tests (0), above the checks scripts/run-tests.sh runs beside pytest (19): what the
# tests leave idle goes to the builds their own tests wait for first.
NICENESS = 10

_started = pytest.StashKey[subprocess.Popen[bytes]]()


def needed(node_ids: Iterable[str]) -> list[str]:
    """The installers some of these tests check."""
    ids = list(node_ids)
    return [kind for kind, prefix in NEEDED_BY.items() if any(i.startswith(prefix) for i in ids)]


def start(config: pytest.Config, node_ids: Iterable[str]) -> None:
    """Starts the builds the collected tests need, once a run."""
    if _started in config.stash or os.environ.get(REBUILD):
        return
    kinds = needed(node_ids)
    if not kinds:
        return
    process = subprocess.Popen(
        ["nice", "-n", str(NICENESS), sys.executable, str(BUILDER), *kinds],
        cwd=TESTS.parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Its own process group: stopped with PyInstaller or pip under it if the run ends first.
        start_new_session=True,
    )
    config.stash[_started] = process
    config.add_cleanup(lambda: _stop(process))


def _stop(process: subprocess.Popen[bytes]) -> None:
    """A run that ends before its builds (interrupted, or failed fast) stops them: an unfinished
    build is never kept (tests/packaging/packaging_rig.py)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: object, ids: list[str]) -> None:
    """In the controller, when a worker has collected: the builds start there."""
    config = getattr(node, "config", None)
    if isinstance(config, pytest.Config):
        start(config, ids)
