"""Which tests hold something the machine has only one of, so pytest-xdist runs them in one worker.

The suite runs over every core (`-n auto --dist loadgroup`, pyproject.toml). Most tests make all
they touch for themselves (a free port, a temporary folder, their own server), but a few share a
thing with a fixed name on the machine, and two of those at once would trip over each other:

- pcsc: pcscd is one service per machine, and the vpcd virtual reader listens on one fixed port
  (35963); a card inserted by one test is seen by every PC/SC client.
- display: an X server (Xvfb) with a session D-Bus and the AT-SPI bus. Each test starts its own
  on a free display, but the stack is heavy (a server, two buses, the kiosk in its own process,
  a screen reader's client) and its tests were written to run one at a time.
- postgres: the throwaway PostgreSQL cluster is one per worker (tests/server/conftest.py);
  keeping its tests together starts it once, not once per worker.

Tests are put in a group here, by what they use, so that a new test needs nothing of its author:
a test is in a group when it asks for one of the group's fixtures (directly or through other
fixtures), when its module uses a helper module that drives the resource, or when its module
names the resource's program in a string (which it would do to start it). A test needing two
groups' resources goes to the first of them in the table: only pcsc is truly exclusive.

The tests of a small module sharing a fixture made once per module (the embedded platform
`server`, a live platform) go to one worker as well, so that the fixture is made once, not once
in each worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest


@dataclass(frozen=True)
class Resource:
    group: str
    fixtures: frozenset[str]
    # Modules whose functions drive the resource: a test module that imports from one is in.
    helpers: frozenset[str]
    # Programs that start the resource, as they would be named in a command line.
    programs: frozenset[str]


RESOURCES = (
    Resource(
        "pcsc",
        fixtures=frozenset({"pcsc_stack"}),
        helpers=frozenset({"card_fixtures", "kiosk.devices.card.vpcd"}),
        programs=frozenset({"pcscd", "vpcd"}),
    ),
    Resource(
        "display",
        fixtures=frozenset(),
        helpers=frozenset({"atspi_probe"}),
        programs=frozenset({"Xvfb", "Xvnc", "dbus-daemon", "dbus-launch", "at-spi-bus-launcher"}),
    ),
    Resource(
        "postgres",
        fixtures=frozenset({"postgres_server", "postgres_template", "postgres_url"}),
        helpers=frozenset(),
        programs=frozenset({"initdb", "pg_ctl", "postgres"}),
    ),
)


def _quoted(programs: frozenset[str]) -> re.Pattern[str]:
    """A program's name as a whole string literal, or the first word of one ("pcscd --x")."""
    names = "|".join(re.escape(p) for p in sorted(programs))
    return re.compile(rf"""["'](?:[\w./-]*/)?(?:{names})(?:["']|\s)""")


_PROGRAMS = {resource.group: _quoted(resource.programs) for resource in RESOURCES}


@cache
def _source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _helpers_used(module: ModuleType | None) -> set[str]:
    """The modules that the test module's own names come from."""
    if module is None:
        return set()
    used: set[str] = set()
    for value in vars(module).values():
        if isinstance(value, ModuleType):
            used.add(value.__name__)
        else:
            origin = getattr(value, "__module__", None)
            if isinstance(origin, str):
                used.add(origin)
    return used


def group_of(item: pytest.Item) -> str | None:
    """The shared resource this test holds, or None when it holds none."""
    fixtures = set(getattr(item, "fixturenames", ()))
    module = getattr(item, "module", None)
    helpers = _helpers_used(module)
    source = _source(Path(item.path))
    for resource in RESOURCES:
        if fixtures & resource.fixtures or helpers & resource.helpers:
            return resource.group
        if _PROGRAMS[resource.group].search(source):
            return resource.group
    return None


def _group_names(item: pytest.Item) -> list[str]:
    names = {
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    }
    return sorted(names)


def suffix_node_ids(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In an xdist worker under --dist loadgroup: the group as a suffix of each grouped test's
    node id ("...::test_x@pcsc"), which is all the scheduler sees of a test.

    pytest-xdist writes that suffix itself, to `item._nodeid`; pytest 9 reads a node's id from
    `item._id` instead, so there the suffix is lost and the groups with it (the pcsc tests then
    ran in both workers and took each other's cards). Written here when it is missing, and
    checked: a group that does not reach the scheduler stops the run.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        names = _group_names(item)
        if not names:
            continue
        suffix = "@" + "_".join(names)
        if not item.nodeid.endswith(suffix):
            renamed = item.nodeid + suffix
            if hasattr(item, "_id"):
                from _pytest.nodeid import NodeId

                item._id = NodeId.parse(renamed)
            else:
                item._nodeid = renamed
        if not item.nodeid.endswith(suffix):
            raise pytest.UsageError(
                f"could not give {item.nodeid} its xdist group {suffix[1:]}: this pytest and "
                "pytest-xdist do not agree on node ids (tests/shared_resources.py)"
            )


def _shares_module_fixtures(item: pytest.Item) -> bool:
    """True when the test uses a fixture made once per module (or class or package), such as
    the embedded platform `server`: split over two workers, it would be made twice."""
    info = getattr(item, "_fixtureinfo", None)
    definitions = getattr(info, "name2fixturedefs", None) or {}
    return any(
        getattr(chain[-1], "scope", "function") in ("module", "class", "package")
        for chain in definitions.values()
        if chain
    )


# A module of more tests than this is split over the workers even so: one more start of its
# fixture costs less than a worker left idle at the end while the other runs them all.
MODULE_GROUP_LIMIT = 24


def mark_groups(items: list[pytest.Item]) -> None:
    """Gives each test that holds a shared resource its `xdist_group`, unless it has one; and
    keeps the tests of a (small) module that share a module-wide fixture in one worker too, so
    that it is made once (the group is the module's name, unique in a suite without packages)."""
    per_module: dict[Path, int] = {}
    for item in items:
        per_module[Path(item.path)] = per_module.get(Path(item.path), 0) + 1
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        group = group_of(item)
        small = per_module[Path(item.path)] <= MODULE_GROUP_LIMIT
        if group is None and small and _shares_module_fixtures(item):
            group = Path(item.path).stem
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


# The hooks, imported by name into tests/conftest.py.


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups off the tests
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that share a thing the machine has one of run in one worker, one after another."""
    mark_groups(items)


# After pytest-xdist has (or has not) put the groups in the node ids.
@pytest.hookimpl(specname="pytest_collection_modifyitems", trylast=True)
def pytest_collection_modifyitems_xdist_ids(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    suffix_node_ids(config, items)
