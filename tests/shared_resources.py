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
starts the resource's program: a call given the program's command line (`Popen(["Xvfb", ...])`,
`run("pg_ctl start")`, `which("pcscd")`). A module that only names the program (the .deb's
list of dependencies holds "pcscd") holds nothing. A test needing two groups' resources goes to
the first of them in the table: only pcsc is truly exclusive. A fixture asked for by
`request.getfixturevalue` is not seen: such a test (or its parameter) carries its group itself,
`xdist_group(name=...)` (a literal first argument would read as a program's command line).

The tests of a small module sharing a fixture made once per module (the embedded platform
`server`, a live platform), or once per run for that module alone (the .deb it unpacks), go to
one worker as well, so that the fixture is made once, not once in each worker.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
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


def _program(command: ast.expr) -> str | None:
    """The program a command line starts, without its folder: the first word of a string, or
    of a list or tuple literal's first item; None when the node is no such literal."""
    if isinstance(command, ast.List | ast.Tuple) and command.elts:
        command = command.elts[0]
    if not isinstance(command, ast.Constant) or not isinstance(command.value, str):
        return None
    words = command.value.split()
    return words[0].rsplit("/", 1)[-1] if words else None


def _command_lines(tree: ast.AST) -> Iterator[ast.expr]:
    """What each call of the module is given as its command line: its first argument, or its
    `args` keyword (subprocess's name for it)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if node.args:
            yield node.args[0]
        yield from (keyword.value for keyword in node.keywords if keyword.arg == "args")


_EVERY_PROGRAM: frozenset[str] = frozenset().union(*(resource.programs for resource in RESOURCES))


@cache
def _started_programs(path: Path) -> frozenset[str]:
    """The programs of the table that the module's own calls start."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return frozenset()
    return frozenset(_program(command) for command in _command_lines(tree)) & _EVERY_PROGRAM


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
    started = _started_programs(Path(item.path))
    for resource in RESOURCES:
        if fixtures & resource.fixtures or helpers & resource.helpers:
            return resource.group
        if started & resource.programs:
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


def _fixture_scopes(item: pytest.Item) -> dict[str, str]:
    """The scope of each fixture the test uses, by name (the definition the test sees)."""
    info = getattr(item, "_fixtureinfo", None)
    definitions = getattr(info, "name2fixturedefs", None) or {}
    return {
        name: str(getattr(chain[-1], "scope", "function"))
        for name, chain in definitions.items()
        if chain
    }


def _module_wide_fixtures(items: list[pytest.Item]) -> dict[Path, set[str]]:
    """Per module, its fixtures made once for many tests: those of module (or class or package)
    scope, and those of session scope that no other module uses (the .deb built for its tests,
    the frozen kiosk). Split over two workers, each would be made twice; a session fixture that
    many modules share is made once per worker whatever is done, and groups nothing."""
    users: dict[str, set[Path]] = {}
    scopes: dict[Path, dict[str, str]] = {}
    for item in items:
        path = Path(item.path)
        found = _fixture_scopes(item)
        scopes.setdefault(path, {}).update(found)
        for name, scope in found.items():
            if scope == "session":
                users.setdefault(name, set()).add(path)
    return {
        path: {
            name
            for name, scope in found.items()
            if scope in ("module", "class", "package")
            or (scope == "session" and users[name] == {path})
        }
        for path, found in scopes.items()
    }


# A module of more tests than this is split over the workers even so: one more start of its
# fixture costs less than a worker left idle at the end while the other runs them all.
MODULE_GROUP_LIMIT = 24


def mark_groups(items: list[pytest.Item]) -> None:
    """Gives each test that holds a shared resource its `xdist_group`, unless it has one; and
    keeps the tests of a (small) module that share a fixture made once for many tests in one
    worker too, so that it is made once (the group is the module's name, unique in a suite
    without packages)."""
    per_module: dict[Path, int] = {}
    for item in items:
        per_module[Path(item.path)] = per_module.get(Path(item.path), 0) + 1
    module_wide = _module_wide_fixtures(items)
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        path = Path(item.path)
        group = group_of(item)
        small = per_module[path] <= MODULE_GROUP_LIMIT
        if group is None and small and module_wide[path] & set(_fixture_scopes(item)):
            group = path.stem
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
