"""In CI a skipped test is a failed one, unless its skip is about the test's own inputs.

A test skips on a developer's machine when a tool, a service or a display is missing
(PostgreSQL, pcscd and vpcd, Xvfb, D-Bus and AT-SPI, espeak-ng, openssl...): a developer can
still run the rest. CI installs all of them (scripts/setup.sh --test), so there a skip means a
test that did not run and a green build that proves less than it says. With `CI` set (.ci/run
sets it, and so do CI runners), every skip becomes a failure that gives the skip's reason,
whether it came from a `skipif` mark, `pytest.skip` or `pytest.importorskip`, in a test, a
fixture or at a module's import.

The allow-list below holds the only skips that stay skips in CI. Each is about what the test
was given, not about the machine: installing something would not make it run.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

# Reasons, as the tests give them (the start of the text is enough), of skips that are no
# failure in CI.
ALLOWED = (
    # The contract test of an operation with no parameters and no body: nothing to make invalid.
    "nothing to make invalid: no parameters, no body",
    # The contract test of an operation whose only input is a free-text header: no invalid
    # request exists for it.
    "no invalid request can be written for it",
    # The embedded platform answered before the test could look at it starting: the state the
    # test checks was over before it began.
    "ready already",
)


def in_ci() -> bool:
    """CI=true, CI=1, CI=yes... set; unset, empty, 0, false or no is a developer's machine."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_reason(longrepr: object) -> str:
    """A skip's reason from its report: pytest keeps it as (path, line, "Skipped: reason")."""
    is_triple = isinstance(longrepr, tuple) and len(longrepr) == 3
    text = str(longrepr[2]) if is_triple else str(longrepr)  # type: ignore[index]
    return text.removeprefix("Skipped: ").strip()


def allowed(reason: str) -> bool:
    return reason.startswith(ALLOWED)


def _fail_in_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    if not report.skipped or hasattr(report, "wasxfail") or not in_ci():
        return
    reason = skip_reason(report.longrepr)
    if allowed(reason):
        return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped in CI, where every tool the tests need is installed: {reason}\n"
        "(install it in scripts/setup.sh --test; a skip about the test's inputs belongs in "
        "tests/ci_skips.py ALLOWED)"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    _fail_in_ci(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report: pytest.CollectReport = yield
    _fail_in_ci(report)
    return report
