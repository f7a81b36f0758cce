"""`kiosk server` started from an interpreter that has imported the server's stack already.

A server process spends about 1.6 s of CPU importing FastAPI, pydantic, SQLAlchemy and uvicorn
and building its routes' schemas before it serves, and the test suite starts some seventy of
them (the replicas, the embedded platforms). Here one process per test worker imports all that
once, as gunicorn's --preload does, and forks a child for each start. The child runs the same
`python -m kiosk.server` with the caller's arguments, environment, working folder and pipes,
and handles Ctrl-C as the caller does (ignored where it ignores it, as exec leaves it).
What a test can see of it is what it sees of a fresh process: its own pid, its exit code or the
signal that ended it, its output, its logs.

The tests of the server's own start-up (tests/server/test_embedded.py) keep starting fresh
interpreters, and so does the product: kiosk.server.launch.start is this only inside the tests.

The two talk over a Unix socket of the SEQPACKET kind, so that each message arrives whole: a
start sends its request with the child's three standard streams attached (SCM_RIGHTS), and
that connection then stays open for the child's life. The preloaded process answers with the
child's pid and a pidfd of it, and when the child ends, with its exit code.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import logging
import os
import runpy
import secrets
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from typing import IO

_PRELOADED = (
    "kiosk.server.cli",
    "kiosk.server.app",
    "kiosk.server.service",
    "kiosk.server.demo",
    "uvicorn.config",
    "uvicorn.server",
    "uvicorn.supervisors",
    "uvicorn.loops.auto",
    "uvicorn.loops.asyncio",
    "uvicorn.lifespan.on",
    "uvicorn.protocols.http.auto",
    "uvicorn.protocols.http.h11_impl",
    "uvicorn.protocols.websockets.auto",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
)
_MESSAGE_BYTES = 1 << 20  # a request carries the caller's whole environment


def _preload() -> None:
    import importlib

    for name in _PRELOADED:
        # An optional speed-up or driver this machine lacks: the child imports what it needs
        # itself, as a fresh process would.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def _abstract(name: str) -> str:
    """A socket address in Linux's abstract namespace: a name in the kernel, no file to remove."""
    return f"\0{name}"


def _serve(name: str) -> None:
    """The preloaded process: fork a server for each request until the test worker goes away."""
    # Ctrl-C in the terminal reaches the whole process group; the worker's end closes our
    # standard input, and that is when this process ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(_abstract(name))
    listener.listen(64)
    # Frozen, the imported objects are left alone by the collector, so a child does not copy
    # the pages that hold them only because a collection walked over them.
    gc.freeze()
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "request")
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "worker")
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    # pidfd -> (pid, the connection its starter waits on)
    children: dict[int, tuple[int, socket.socket]] = {}
    while True:
        for key, _ in selector.select():
            if key.data == "worker":
                if not os.read(key.fd, 4096):
                    return
            elif key.data == "request":
                connection, _address = listener.accept()
                started = _fork_child(connection, listener, selector)
                if started is None:
                    connection.close()
                    continue
                pid, pidfd = started
                children[pidfd] = (pid, connection)
                selector.register(pidfd, selectors.EVENT_READ, "child")
            else:
                pid, connection = children.pop(key.fd)
                selector.unregister(key.fd)
                _, status = os.waitpid(pid, 0)
                os.close(key.fd)
                exit_code = os.waitstatus_to_exitcode(status)
                with contextlib.suppress(OSError):  # its starter is gone; nobody asks
                    connection.send(json.dumps({"exit": exit_code}).encode())
                connection.close()


def _fork_child(
    connection: socket.socket, listener: socket.socket, selector: selectors.BaseSelector
) -> tuple[int, int] | None:
    message, fds, _flags, _address = socket.recv_fds(connection, _MESSAGE_BYTES, 3)
    if len(fds) != 3 or not message:
        for fd in fds:
            os.close(fd)
        return None
    request = json.loads(message)
    pid = os.fork()
    if pid == 0:
        selector.close()
        listener.close()
        _become_server(request, fds, connection)
    for fd in fds:
        os.close(fd)
    # Opened before this process can reap it: the pidfd names this child and no later one.
    pidfd = os.pidfd_open(pid)
    socket.send_fds(connection, [json.dumps({"pid": pid}).encode()], [pidfd])
    return pid, pidfd


def _become_server(request: dict[str, object], fds: list[int], connection: socket.socket) -> None:
    """In the forked child: take the caller's streams, environment and folder, and run
    `python -m kiosk.server` as a fresh interpreter would. Never returns."""
    code = 1
    try:
        connection.close()
        # As a fresh interpreter: a Ctrl-C its starter ignores (a job started in the background
        # by a shell, under nohup) is ignored here too; otherwise it raises KeyboardInterrupt
        # and the server ends with 130.
        ignored = request.get("ctrl_c_ignored") is True
        signal.signal(signal.SIGINT, signal.SIG_IGN if ignored else signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        # The received descriptors, and every connection and pidfd of a sibling's starter,
        # inherited from the preloaded process: let go, so that no pipe or socket stays open here.
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        env = request["env"]
        assert isinstance(env, dict)
        os.environ.clear()
        os.environ.update(env)
        tempfile.tempdir = None  # TMPDIR is the caller's now
        cwd = request["cwd"]
        assert isinstance(cwd, str)
        os.chdir(cwd)
        args = request["args"]
        assert isinstance(args, list)
        sys.argv = ["-m", *map(str, args)]
        # The process's own standard streams for its life, as Python's are: not closed by a with.
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
        sys.stdout.reconfigure(line_buffering=True, write_through=True)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        sys.stderr.reconfigure(line_buffering=True, write_through=True)
        runpy.run_module("kiosk.server", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            sys.stderr.write(f"{stop.code}\n")
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        # What a fresh interpreter does on its way out: the exit handlers, logging's included.
        atexit._run_exitfuncs()
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)


class ForkedServerProcess:
    """A forked `kiosk server`, as subprocess.Popen shows a started one (kiosk.server.launch's
    ServerProcess). Signals go by pidfd, so none can reach a later process given its pid."""

    def __init__(
        self,
        args: Sequence[str],
        connection: socket.socket,
        stdin: IO[str],
        stdout: IO[str],
        stderr: IO[str] | None,
    ) -> None:
        self.args = list(args)
        message, fds, _flags, _address = socket.recv_fds(connection, 4096, 1)
        if not message or len(fds) != 1:
            connection.close()
            raise RuntimeError("the preloaded server process did not start a child")
        self.pid: int = json.loads(message)["pid"]
        self._pidfd = fds[0]
        self._connection = connection
        self.returncode: int | None = None
        self.stdin: IO[str] | None = stdin
        self.stdout: IO[str] | None = stdout
        self.stderr: IO[str] | None = stderr

    def poll(self) -> int | None:
        if self.returncode is None and self._ended(0):
            self._collect()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if not self._ended(timeout):
                raise subprocess.TimeoutExpired(self.args, timeout or 0.0)
            self._collect()
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, number: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # ended; its code is on its way
                signal.pidfd_send_signal(self._pidfd, number)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _ended(self, timeout: float | None) -> bool:
        with selectors.DefaultSelector() as selector:
            selector.register(self._connection, selectors.EVENT_READ)
            return bool(selector.select(timeout))

    def _collect(self) -> None:
        message = self._connection.recv(4096)
        self._connection.close()
        os.close(self._pidfd)
        if not message:
            raise RuntimeError(f"the preloaded server process ended before its child {self.pid}")
        self.returncode = int(json.loads(message)["exit"])


class ForkedServers:
    """kiosk.server.launch's ServerStarter for a test run: the preloaded process starts at the first
    request and ends with this one (or with close())."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._name = f"onecard-forked-servers-{os.getpid()}-{secrets.token_hex(4)}"

    def __call__(
        self, args: Sequence[str], *, env: Mapping[str, str], stderr: IO[str] | int
    ) -> ForkedServerProcess:
        self._ensure_running()
        stdin_read, stdin_write = os.pipe()
        stdout_read, stdout_write = os.pipe()
        if stderr == subprocess.PIPE:
            stderr_read, stderr_write = os.pipe()
        elif stderr == subprocess.DEVNULL:
            stderr_read, stderr_write = -1, os.open(os.devnull, os.O_WRONLY)
        elif isinstance(stderr, int):
            raise ValueError("stderr is subprocess.PIPE, subprocess.DEVNULL or an open file")
        else:
            stderr_read, stderr_write = -1, stderr.fileno()
        ours_stderr = stderr_read >= 0 or stderr == subprocess.DEVNULL
        request = {
            "args": list(args),
            "env": dict(env),
            "cwd": os.getcwd(),
            # What exec keeps of the caller's signal handling: an ignored signal stays ignored.
            "ctrl_c_ignored": signal.getsignal(signal.SIGINT) is signal.SIG_IGN,
        }
        ours = [stdin_write, stdout_read] + ([stderr_read] if stderr_read >= 0 else [])
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            connection.connect(_abstract(self._name))
            theirs = [stdin_read, stdout_write, stderr_write]
            socket.send_fds(connection, [json.dumps(request).encode()], theirs)
        except OSError:
            connection.close()
            for fd in ours:
                os.close(fd)
            raise
        finally:  # the child has its own copies now
            os.close(stdin_read)
            os.close(stdout_write)
            if ours_stderr:
                os.close(stderr_write)
        # Held for the child's life, as Popen holds its pipes: closed by wait's caller or stop.
        stdin_file = open(stdin_write, "w", encoding="utf-8")  # noqa: SIM115
        stdout_file = open(stdout_read, encoding="utf-8", errors="replace")  # noqa: SIM115
        stderr_file = (
            open(stderr_read, encoding="utf-8", errors="replace")  # noqa: SIM115
            if stderr_read >= 0
            else None
        )
        try:
            return ForkedServerProcess(args, connection, stdin_file, stdout_file, stderr_file)
        except RuntimeError:
            for stream in (stdin_file, stdout_file, stderr_file):
                if stream is not None:
                    stream.close()
            raise

    @property
    def pid(self) -> int | None:
        """The preloaded process's, while it runs."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def close(self) -> None:
        with self._lock:
            process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()  # its end: it stops at once
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()

    def _ensure_running(self) -> None:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                return
            process = subprocess.Popen(
                [sys.executable, "-m", "kiosk.testing.forked_servers", self._name],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert process.stdout is not None
            if process.stdout.readline() != "ready\n":
                process.kill()
                process.wait()
                raise RuntimeError("the preloaded server process did not start")
            self._process = process


if __name__ == "__main__":
    _serve(sys.argv[1])
