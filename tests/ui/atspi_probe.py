"""A screen reader's view of the running kiosk, through AT-SPI (run by tests/ui/test_atspi.py).

Runs under the system Python, which has the AT-SPI client library (python3-gi with
gir1.2-atspi-2.0); the project's virtual environment need not. It reads one JSON command a line
on standard input and answers each with one JSON line, so the test can drive the kiosk the way
Orca would (pressing buttons through their accessible action) and read what Orca would read.

Commands:
  {"do": "apps"}                                   names of the applications on the desktop
  {"do": "snapshot", "frame": NAME}                every showing node of that top-level frame
  {"do": "wait", "frame": NAME, "name": TEXT, "timeout": S}
                                                   until a showing node has that exact name
  {"do": "press", "frame": NAME, "name": TEXT}     the first showing node of that name, by its
                                                   first action, as a screen reader does
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from collections.abc import Iterator
from typing import Any

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

# get_action_iface is deprecated in newer AT-SPI, and the only call older ones have.
warnings.filterwarnings("ignore", category=DeprecationWarning)


def _frames() -> Iterator[Any]:
    desktop = Atspi.get_desktop(0)
    for index in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(index)
        if app is None:
            continue
        for child in range(app.get_child_count()):
            frame = app.get_child_at_index(child)
            if frame is not None:
                yield frame


def _frame(name: str) -> Any | None:
    for frame in _frames():
        if frame.get_name() == name:
            return frame
    return None


def _walk(node: Any, depth: int = 0) -> Iterator[tuple[Any, int]]:
    yield node, depth
    for index in range(node.get_child_count()):
        child = node.get_child_at_index(index)
        if child is not None:
            yield from _walk(child, depth + 1)


def _describe(node: Any, depth: int) -> dict[str, Any]:
    states = node.get_state_set()
    action = node.get_action_iface() if hasattr(node, "get_action_iface") else None
    actions = [action.get_action_name(i) for i in range(action.get_n_actions())] if action else []
    return {
        "depth": depth,
        "role": node.get_role_name(),
        "name": node.get_name() or "",
        "description": node.get_description() or "",
        "showing": states.contains(Atspi.StateType.SHOWING),
        "visible": states.contains(Atspi.StateType.VISIBLE),
        "focusable": states.contains(Atspi.StateType.FOCUSABLE),
        "enabled": states.contains(Atspi.StateType.ENABLED),
        "actions": actions,
    }


def _showing(frame: Any) -> list[tuple[Any, dict[str, Any]]]:
    found = []
    for node, depth in _walk(frame):
        described = _describe(node, depth)
        if described["showing"]:
            found.append((node, described))
    return found


def _answer(command: dict[str, Any]) -> dict[str, Any]:
    what = command["do"]
    if what == "apps":
        desktop = Atspi.get_desktop(0)
        names = []
        for index in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(index)
            if app is not None:
                names.append(app.get_name())
        return {"apps": names, "frames": [f.get_name() for f in _frames()]}
    frame = _frame(command["frame"])
    if frame is None:
        return {"error": f"no frame named {command['frame']!r}"}
    if what == "snapshot":
        return {"nodes": [described for _node, described in _showing(frame)]}
    if what == "wait":
        deadline = time.monotonic() + float(command.get("timeout", 20))
        while time.monotonic() < deadline:
            if any(d["name"] == command["name"] for _n, d in _showing(frame)):
                return {"found": True}
            time.sleep(0.2)
            frame = _frame(command["frame"]) or frame
        return {"found": False}
    if what == "press":
        for node, described in _showing(frame):
            if described["name"] == command["name"] and described["actions"]:
                done = node.get_action_iface().do_action(0)
                return {"pressed": bool(done)}
        return {"error": f"nothing showing named {command['name']!r} to press"}
    return {"error": f"unknown command {what!r}"}


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = _answer(json.loads(line))
        except Exception as error:  # the test reads the reason rather than a dead pipe
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
