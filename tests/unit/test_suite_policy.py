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
