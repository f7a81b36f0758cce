"""Shared test set-up: no display, no user folders touched, personal data kept out of logs."""

from __future__ import annotations

import os

# Before anything imports Qt: the suite runs without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import tempfile
from collections.abc import Iterator

import pytest

# The CI skip policy's hooks, by their names (tests/ci_skips.py says why).
from ci_skips import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401

# The installers' builds start beside the run as soon as it has collected their tests.
from early_builds import pytest_xdist_node_collection_finished  # noqa: F401

# One kiosk builder for the flow tests, as the `rig` fixture (tests/helpers/fixtures.py).
from helpers.fixtures import rig  # noqa: F401

# The workers are dealt the longest tests first (tests/run_order.py).
from run_order import (  # noqa: F401
    pytest_collection_modifyitems_run_order,
    pytest_runtest_logreport,
    pytest_sessionfinish,
)

# Tests holding a machine-wide resource share one xdist worker (tests/shared_resources.py).
from shared_resources import (  # noqa: F401
    pytest_collection_modifyitems,
    pytest_collection_modifyitems_xdist_ids,
)

from kiosk.server import launch
from kiosk.server.embedded import EmbeddedServer
from kiosk.testing.forked_servers import ForkedServers


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than the cores. A worker spends about a third of its time
    waiting (for a server or a kiosk process to start, a card reader's poll, a person's pace of
    typing): with one worker per core the two cores of the CI machine were measured 63% busy,
    and a third worker took a fresh clone's run from 250 s to 200 s."""
    return len(os.sched_getaffinity(0)) + 1


# A temporary home for the whole run, set before any fixture: module-scoped ones (an embedded
# server shared by a test file) start before the per-test home below exists, and must not write
# to the real user folders either.
_RUN_HOME = tempfile.mkdtemp(prefix="kiosk-tests-home-")
for _variable, _folder in (
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_STATE_HOME", "state"),
    ("XDG_CONFIG_HOME", "config"),
):
    os.environ[_variable] = os.path.join(_RUN_HOME, _folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_RUN_HOME, ignore_errors=True)


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Caches, logs and data go to a temporary home: tests never write to the real one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    yield


@pytest.fixture(scope="session", autouse=True)
def _servers_forked_from_one_preloaded_interpreter() -> Iterator[None]:
    """The platforms the tests start (embedded, replicas) fork from one interpreter per worker
    that has the server's stack imported: 0.2 s of CPU a start instead of 1.8, some seventy
    times a run (kiosk/testing/forked_servers.py). The tests of the start itself ask for fresh
    interpreters (tests/server/test_embedded.py)."""
    forked = ForkedServers()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(launch, "start", forked)
        yield
    forked.close()


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    """The real reference server in its own process, shared by the tests of one file.

    A file needing other settings (its own database, logs kept) defines its own `server`.
    """
    with EmbeddedServer.start() as started:
        # The first start of a run builds the demo database, which takes a while on a slow box.
        started.wait_ready(timeout_s=90)
        yield started
