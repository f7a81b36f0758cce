"""The suite's own rules, run on a small suite of their own: a skip in CI fails (tests/ci_skips.py),
and tests holding a machine-wide resource share one xdist worker (tests/shared_resources.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]

CONFTEST = """
from ci_skips import pytest_make_collect_report, pytest_runtest_makereport
from shared_resources import (
    pytest_collection_modifyitems,
    pytest_collection_modifyitems_xdist_ids,
)
"""

SKIPS = """
import shutil
import pytest

@pytest.mark.skipif(True, reason="frobnicate is not installed")
def test_a_missing_tool():
    pass

def test_a_missing_service():
    pytest.skip("no such service running")

def test_nothing_to_make_invalid():
    pytest.skip("nothing to make invalid: no parameters, no body")

@pytest.mark.xfail(reason="a known fault", strict=True)
def test_an_expected_failure():
    assert False

def test_that_runs():
    pass
"""

IMPORT_SKIP = """
import pytest
pytest.importorskip("a_module_nobody_installed")

def test_never_collected():
    pass
"""


def run_pytest(folder: Path, *args: str, ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    # Only the plugins asked for: the suite's others (Qt, hypothesis...) take seconds to load.
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args, str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def outcomes(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """Test name -> PASSED, FAILED, SKIPPED, XFAIL or ERROR, from the -rA summary."""
    found: dict[str, str] = {}
    for line in result.stdout.splitlines():
        match = re.match(r"(PASSED|FAILED|SKIPPED|XFAIL|ERROR) \S*?(test_\w+)", line)
        if match:
            found[match.group(2)] = match.group(1)
        match = re.match(r"SKIPPED \[\d+\] \S+: (.*)", line)
        if match:
            found.setdefault("skip reasons", "")
            found["skip reasons"] += match.group(1) + "\n"
    return found


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "test_skips.py").write_text(SKIPS, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        *[(None, False), ("", False), ("false", False), ("0", False), ("no", False)],
        *[("true", True), ("1", True), ("yes", True), ("TRUE", True)],
    ],
)
def test_what_counts_as_ci(monkeypatch: pytest.MonkeyPatch, value: str | None, meant: bool) -> None:
    import ci_skips

    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert ci_skips.in_ci() is meant


def test_off_ci_a_missing_tool_is_a_skip(suite: Path) -> None:
    result = run_pytest(suite, ci="false")
    assert result.returncode == 0, result.stdout
    assert "1 passed, 3 skipped, 1 xfailed" in result.stdout


def test_in_ci_a_missing_tool_fails_and_an_input_skip_stays(suite: Path) -> None:
    result = run_pytest(suite, ci="true")
    assert result.returncode == 1, result.stdout
    # The skipif mark skips in set-up: failed there, it is counted as an error.
    assert "1 failed, 1 passed, 1 skipped, 1 xfailed, 1 error" in result.stdout
    assert "skipped in CI, where every tool the tests need is installed: frobnicate" in (
        result.stdout
    )
    assert "no such service running" in result.stdout
    assert "nothing to make invalid" in outcomes(result)["skip reasons"]


def test_in_ci_a_module_that_skips_at_import_is_an_error(suite: Path) -> None:
    (suite / "test_skips.py").unlink()
    (suite / "test_import.py").write_text(IMPORT_SKIP, encoding="utf-8")
    assert run_pytest(suite, ci=None).returncode == 5  # skipped whole: no test ran
    result = run_pytest(suite, ci="true")
    assert result.returncode != 0
    assert "a_module_nobody_installed" in result.stdout and "1 error" in result.stdout


GROUPED = """
import os
import time
import pytest

@pytest.fixture
def pcsc_stack():
    return None

@pytest.mark.parametrize("n", range(4))
def test_uses_the_reader(pcsc_stack, n):
    time.sleep(0.2)
    print("WORKER", os.environ["PYTEST_XDIST_WORKER"])

@pytest.mark.parametrize("n", range(8))
def test_holds_nothing(n):
    time.sleep(0.1)
"""


# A module that starts the program is grouped whole, and one that only names it is not. (The
# names are put together here, or this module would be taken for one that starts them.)
DISPLAY = """
import subprocess
import time
import pytest

def start_display():  # never called here: a call given the command line is enough
    return subprocess.Popen(["PROGRAM", "-displayfd", "3"], stdout=subprocess.DEVNULL)

@pytest.mark.parametrize("n", range(4))
def test_starts_a_display(n):
    time.sleep(0.2)
""".replace("PROGRAM", "X" + "vfb")

NAMED = """
import time
import pytest

# What a package depends on, as its control file lists them: named, never started.
DEPENDS = ("PROGRAM", "libpcsclite1")

@pytest.mark.parametrize("n", range(4))
def test_names_a_program(n):
    assert "PROGRAM" in DEPENDS
    time.sleep(0.1)
""".replace("PROGRAM", "pcs" + "cd")

# A fixture made once per worker for one module's tests alone (an installer they unpack).
BUILT_ONCE = """
import time
import pytest

@pytest.fixture(scope="session")
def installer():
    time.sleep(0.2)
    return object()

@pytest.mark.parametrize("n", range(6))
def test_unpacks_the_installer(installer, n):
    time.sleep(0.1)
"""


def test_tests_holding_a_resource_run_in_one_worker(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "test_grouped.py").write_text(GROUPED, encoding="utf-8")
    (tmp_path / "test_display.py").write_text(DISPLAY, encoding="utf-8")
    (tmp_path / "test_named.py").write_text(NAMED, encoding="utf-8")
    (tmp_path / "test_installer.py").write_text(BUILT_ONCE, encoding="utf-8")
    result = run_pytest(tmp_path, "-p", "xdist", "-n", "2", "--dist", "loadgroup", "-v", ci=None)
    assert result.returncode == 0, result.stdout + result.stderr
    workers: dict[str, set[str]] = {}
    for line in result.stdout.splitlines():
        match = re.match(r"\[(gw\d)\] .*PASSED \S+::(test_\w+)\[\d+\](@\w+)?", line)
        if match:
            workers.setdefault(match.group(2) + (match.group(3) or ""), set()).add(match.group(1))
    assert set(workers) == {
        "test_uses_the_reader@pcsc",
        "test_starts_a_display@display",
        "test_holds_nothing",
        "test_names_a_program",
        "test_unpacks_the_installer@test_installer",
    }, result.stdout
    assert len(workers["test_uses_the_reader@pcsc"]) == 1
    assert len(workers["test_starts_a_display@display"]) == 1
    assert len(workers["test_unpacks_the_installer@test_installer"]) == 1


class _Collected:
    """What tests/run_order.py reads of a collected test: its id and its xdist group."""

    def __init__(self, nodeid: str, group: str | None = None) -> None:
        self.nodeid = nodeid
        self.group = group

    def get_closest_marker(self, name: str) -> pytest.Mark | None:
        if name != "xdist_group" or self.group is None:
            return None
        return pytest.mark.xdist_group(self.group).mark


def test_the_workers_are_dealt_the_longest_blocks_first_and_the_built_installers_late(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import run_order

    monkeypatch.delenv("KIOSK_TEST_REBUILD_INSTALLERS", raising=False)
    items = [
        _Collected("tests/a/test_quick.py::test_one"),
        _Collected("tests/a/test_quick.py::test_two"),
        _Collected("tests/e2e/test_card.py::test_read@pcsc", "pcsc"),
        _Collected("tests/b/test_long.py::test_long"),
        _Collected("tests/packaging/test_deb_package.py::test_fields@deb", "test_deb_package"),
        _Collected("tests/e2e/test_cli.py::test_pin@pcsc", "pcsc"),
        _Collected("tests/c/test_middle.py::test_middle"),
        _Collected("tests/d/test_other.py::test_other"),
    ]
    seconds = {
        "tests/b/test_long.py::test_long": 30.0,
        "tests/e2e/test_card.py::test_read": 10.0,
        "tests/e2e/test_cli.py::test_pin": 10.0,
        "tests/c/test_middle.py::test_middle": 15.0,
        "tests/packaging/test_deb_package.py::test_fields": 40.0,
    }
    order = [item.nodeid for item in run_order.ordered(items, seconds, quick=0.5)]  # type: ignore[arg-type]
    assert order == [
        # Longest first: 30 s, then the pcsc group whole (20 s), then 15 s...
        "tests/b/test_long.py::test_long",
        "tests/e2e/test_card.py::test_read@pcsc",
        "tests/e2e/test_cli.py::test_pin@pcsc",
        "tests/c/test_middle.py::test_middle",
        # ...until 60% of the 106.5 s is dealt: the tests of an installer built beside the run
        # wait until then, however long they are...
        "tests/packaging/test_deb_package.py::test_fields@deb",
        # ...and the quick ones even the workers out, each module's tests together.
        "tests/a/test_quick.py::test_one",
        "tests/a/test_quick.py::test_two",
        "tests/d/test_other.py::test_other",
    ]
    # Built afresh by their own fixture, the installer's tests are one more long block.
    monkeypatch.setenv("KIOSK_TEST_REBUILD_INSTALLERS", "1")
    order = [item.nodeid for item in run_order.ordered(items, seconds, quick=0.5)]  # type: ignore[arg-type]
    assert order[0] == "tests/packaging/test_deb_package.py::test_fields@deb"


def test_the_durations_table_lists_tests_that_exist() -> None:
    """A table of renamed tests orders nothing: most of it must still name real tests."""
    import run_order

    seconds, quick = run_order._table()
    assert seconds and 0 < quick < run_order.LISTED_FROM_S
    files = {test_id.split("::", 1)[0] for test_id in seconds}
    existing = {name for name in files if (TESTS.parent / name).is_file()}
    assert len(existing) >= 0.8 * len(files), sorted(files - existing)
