"""The test kit's forked servers (kiosk/testing/forked_servers.py), which start nearly every
platform of the suite, against fresh interpreters: a test must not be able to tell them apart."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from helpers.processes import serving_fresh_demo

from kiosk.server import launch
from kiosk.server.embedded import ready_url
from kiosk.testing.forked_servers import ForkedServers

pytestmark = pytest.mark.e2e

STARTERS = ["fresh", "forked"]


@pytest.fixture(scope="module")
def forked() -> Iterator[ForkedServers]:
    servers = ForkedServers()
    yield servers
    servers.close()


def starter(name: str, forked: ForkedServers) -> launch.ServerStarter:
    return launch.start_in_new_interpreter if name == "fresh" else forked


@pytest.mark.parametrize("name", STARTERS)
def test_a_served_start_takes_the_callers_arguments_environment_folder_and_streams(
    name: str, forked: ForkedServers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = dict(
        os.environ,
        ONECARD_KIOSK_ID="fork-test-kiosk",
        ONECARD_KIOSK_KEY="fork-test-key-0123456789",
        TMPDIR=str(tmp_path),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    args = ["--fresh-demo", "--port", "0", "--log-level", "info", "--exit-with-parent"]
    with (tmp_path / "server.log").open("w") as log:
        process = starter(name, forked)(args, env=env, stderr=log)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = ready_url(line)
        assert url is not None, line
        assert f'"pid": {process.pid}' in line  # the server is the process the caller holds
        assert process.pid != forked.pid
        assert Path(f"/proc/{process.pid}/cwd").resolve() == tmp_path.resolve()
        # Its own TMPDIR: the fresh demo copy is made there.
        assert len(list(tmp_path.glob("onecard-demo-*"))) == 1
        # The kiosk of its environment is registered.
        headers = {"X-Kiosk-Id": "fork-test-kiosk", "X-Kiosk-Key": "fork-test-key-0123456789"}
        body = {"method": "ecode", "ecode": "DEMO-ECODE-A00000011"}
        opened = requests.post(f"{url}/v1/sessions", json=body, headers=headers, timeout=10)
        assert opened.status_code == 201, opened.text
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(0.2)
        assert process.poll() is None
        process.terminate()
        # uvicorn stops gracefully, then ends by the signal it was sent.
        assert process.wait(15) == -signal.SIGTERM
        assert process.poll() == -signal.SIGTERM
    finally:
        process.kill()
        process.wait(5)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
    logged = (tmp_path / "server.log").read_text()
    assert "Application startup complete" in logged and "Shutting down" in logged
    assert not list(tmp_path.glob("onecard-demo-*"))  # removed on its way out


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--db", "not a url", "--port", "0"], 2, "is not a database URL"),
        (["--fresh-demo", "--db", "sqlite:///x", "--port", "0"], 2, "exclude each other"),
        (["--no-such-option"], 2, "unrecognized arguments"),
    ],
)
def test_a_refused_start_ends_with_the_same_code_and_words(
    args: list[str], code: int, says: str, forked: ForkedServers
) -> None:
    seen = []
    for name in STARTERS:
        process = starter(name, forked)(args, env=os.environ, stderr=subprocess.PIPE)
        assert process.stderr is not None and process.stdout is not None
        assert process.wait(60) == code
        seen.append((process.stdout.read(), process.stderr.read()))
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert seen[0] == seen[1]
    assert says in seen[0][1]


def test_a_server_stops_when_its_starter_lets_go_of_its_input(
    forked: ForkedServers, tmp_path: Path
) -> None:
    """--exit-with-parent: the input pipe is the caller's, not the preloaded process's."""
    process = serving_fresh_demo(forked, tmp_path, "--exit-with-parent")
    assert process.stdout is not None and process.stdin is not None
    process.stdin.close()
    assert process.wait(15) == 0
    process.stdout.close()


@contextlib.contextmanager
def ctrl_c_in_the_starter(handler: signal.Handlers | Callable[..., object]) -> Iterator[None]:
    """The test worker's handling of Ctrl-C, for the start of a server only: what the server
    takes over from its starter. A run started from an interactive shell has Python's own
    handler; one started in the background by a script, or under nohup, has Ctrl-C ignored."""
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize(
    ("handler", "code"),
    [
        # The preloaded process ignores Ctrl-C (the worker's end is its end); its children
        # must not inherit that.
        pytest.param(signal.default_int_handler, 130, id="handled"),
        # uvicorn still takes Ctrl-C for a graceful stop, then raises it again with the
        # handling it found, which ignores it: the server ends with 0.
        pytest.param(signal.SIG_IGN, 0, id="ignored"),
    ],
)
@pytest.mark.parametrize("name", STARTERS)
def test_ctrl_c_ends_a_server_as_it_ends_a_fresh_one(
    name: str,
    handler: signal.Handlers | Callable[..., object],
    code: int,
    forked: ForkedServers,
    tmp_path: Path,
) -> None:
    with ctrl_c_in_the_starter(handler):
        process = serving_fresh_demo(starter(name, forked), tmp_path)
    assert process.stdout is not None
    os.kill(process.pid, signal.SIGINT)
    assert process.wait(15) == code
    process.stdout.close()
    assert not list(tmp_path.glob("onecard-demo-*"))


def test_a_killed_server_reports_the_kill(forked: ForkedServers, tmp_path: Path) -> None:
    process = serving_fresh_demo(forked, tmp_path)
    assert process.stdout is not None
    process.kill()
    assert process.wait(10) == -signal.SIGKILL
    process.terminate()  # ended: nothing is sent, to it or to a later process with its pid
    process.stdout.close()


def test_the_preloaded_process_ends_with_close_and_comes_back_when_asked(
    tmp_path: Path,
) -> None:
    servers = ForkedServers()
    env = dict(os.environ, TMPDIR=str(tmp_path))
    try:
        first = servers(["--port", "-1"], env=env, stderr=subprocess.DEVNULL)
        assert first.wait(30) == 2
        preloaded = servers.pid
        assert preloaded is not None
        servers.close()
        assert servers.pid is None
        assert not Path(f"/proc/{preloaded}").exists()
        again = servers(["--port", "-1"], env=env, stderr=subprocess.DEVNULL)
        assert again.wait(30) == 2
        assert servers.pid not in (None, preloaded)
    finally:
        servers.close()
