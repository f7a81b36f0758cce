"""How `kiosk server` is started as a child process, for the embedded platform and the replicas.

Light to import, as kiosk.server.embedded is: the kiosk loads it before its first frame.

`start` is looked up at each start, not bound at import, so that the test kit can put in its own
way of starting the same command (kiosk.testing.forked_servers forks it from an interpreter that has
the server's stack imported already). The product always starts a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import IO, Protocol


class ServerProcess(Protocol):
    """What the starters need of a running `kiosk server`: the part of subprocess.Popen they use.
    Its standard input is a pipe held open and never written (--exit-with-parent), its standard
    output a pipe that carries the ready line, as text."""

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> int | None: ...

    @property
    def stdin(self) -> IO[str] | None: ...

    @property
    def stdout(self) -> IO[str] | None: ...

    @property
    def stderr(self) -> IO[str] | None: ...

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def terminate(self) -> None: ...

    def kill(self) -> None: ...


class ServerStarter(Protocol):
    def __call__(
        self, args: Sequence[str], *, env: Mapping[str, str], stderr: IO[str] | int
    ) -> ServerProcess:
        """`python -m kiosk.server ARGS` with exactly this environment; `stderr` is
        subprocess.PIPE, subprocess.DEVNULL or an open file."""
        ...


def start_in_new_interpreter(
    args: Sequence[str], *, env: Mapping[str, str], stderr: IO[str] | int
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk.server", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=dict(env),
    )


start: ServerStarter = start_in_new_interpreter
