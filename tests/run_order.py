"""The order in which pytest-xdist deals the tests out to its workers: the longest first.

Under `--dist loadgroup` the controller hands each worker one unit at a time (a group of
tests/shared_resources.py, or a single test) in the order the workers collected them, and a
worker asks for more when it is nearly done. A long unit dealt last leaves the other worker
idle while it runs: the run ends with one worker alone. So the workers sort their collection
(identically, as pytest-xdist requires) into blocks, each group whole and each module's other
tests together (so a fixture made once per module is still made once per worker), and put the
blocks that take longest first; the many quick blocks at the end even the two workers out.

How long a test takes comes from tests/durations.json, a table of the tests that took a second
or more in a whole run (`KIOSK_TEST_RECORD_DURATIONS=tests/durations.json` with `-n auto`
writes it afresh); a test it does not list counts as a quick one. A stale table costs only
some balance, never a test.

The packaging tests wait for installers built beside the run (tests/early_builds.py): their
blocks go where about LATE_SHARE of the run's time is already dealt, to give the builds that
time, and still before the quick blocks that even the workers out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from early_builds import NEEDED_BY, REBUILD

TABLE = Path(__file__).resolve().parent / "durations.json"
RECORD = "KIOSK_TEST_RECORD_DURATIONS"
# Shorter tests are left out of the table: they count as its "quick" figure.
LISTED_FROM_S = 1.0
LATE_SHARE = 0.6


def _table() -> tuple[dict[str, float], float]:
    """Seconds by test id, and what a test not listed counts for."""
    try:
        data = json.loads(TABLE.read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data["tests"].items()}, float(data["quick"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}, 1.0


def _test_id(item: pytest.Item) -> str:
    """The test's id as the table has it: without the group suffix tests/shared_resources.py
    may add for the scheduler."""
    return item.nodeid.split("@", 1)[0]


def _block(item: pytest.Item) -> str:
    group = item.get_closest_marker("xdist_group")
    if group is not None:
        return "group:" + str(group.args[0] if group.args else group.kwargs.get("name"))
    return "module:" + item.nodeid.split("::", 1)[0]


def _waits_for_a_build(item: pytest.Item) -> bool:
    return not os.environ.get(REBUILD) and item.nodeid.startswith(tuple(NEEDED_BY.values()))


def ordered(items: list[pytest.Item], seconds: dict[str, float], quick: float) -> list[pytest.Item]:
    """The items in blocks, the longest block first and those that wait for an installer's
    build at LATE_SHARE of the run; within a block, in their collected order."""
    blocks: dict[str, list[pytest.Item]] = {}
    for item in items:
        blocks.setdefault(_block(item), []).append(item)
    cost = {
        name: sum(seconds.get(_test_id(item), quick) for item in members)
        for name, members in blocks.items()
    }
    # Stable: blocks of the same cost keep their collected order.
    longest_first = sorted(blocks, key=lambda name: -cost[name])
    late = [name for name in longest_first if any(map(_waits_for_a_build, blocks[name]))]
    rest = [name for name in longest_first if name not in late]
    total = sum(cost.values())
    dealt = 0.0
    position = len(rest)
    for index, name in enumerate(rest):
        if dealt >= LATE_SHARE * total:
            position = index
            break
        dealt += cost[name]
    names = rest[:position] + late + rest[position:]
    return [item for name in names for item in blocks[name]]


# After tests/shared_resources.py has given the groups (its first hook is tryfirst).
@pytest.hookimpl(specname="pytest_collection_modifyitems", trylast=True)
def pytest_collection_modifyitems_run_order(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """In an xdist worker under --dist loadgroup, the collection in the order to deal it out."""
    if not hasattr(config, "workerinput") or not getattr(config.option, "loadgroup", False):
        return
    seconds, quick = _table()
    items[:] = ordered(items, seconds, quick)


# Each test's time in this run, when it is recorded (KIOSK_TEST_RECORD_DURATIONS).
_TIMES: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Each test's time, set-up and tear-down included (in the controller, as the workers
    report them)."""
    if os.environ.get(RECORD):
        key = report.nodeid.split("@", 1)[0]
        _TIMES[key] = _TIMES.get(key, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    """With KIOSK_TEST_RECORD_DURATIONS=FILE set, the table written to FILE at the end of the
    run (by the controller: a worker saw only its own tests)."""
    target = os.environ.get(RECORD)
    if not target or hasattr(session.config, "workerinput") or not _TIMES:
        return
    listed = {k: round(v, 1) for k, v in sorted(_TIMES.items()) if v >= LISTED_FROM_S}
    rest = [v for k, v in _TIMES.items() if k not in listed]
    quick = round(sum(rest) / len(rest), 2) if rest else 0.1
    text = json.dumps({"quick": quick, "tests": listed}, ensure_ascii=False, indent=0)
    Path(target).write_text(text + "\n", encoding="utf-8")
