"""The embedded platform ends with the kiosk that started it, even one killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

PARENT = """
import sys
from kiosk.server.embedded import EmbeddedServer
server = EmbeddedServer.start()
server.wait_ready(90)
print(server.pid, flush=True)
sys.stdin.read()  # wait to be killed
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it has ended all the same.
    with open(f"/proc/{pid}/stat", encoding="ascii") as fp:
        return fp.read().split()[2] != "Z"


def test_a_killed_kiosk_leaves_no_platform_behind() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None and parent.stdin is not None
    server_pid = int(parent.stdout.readline())
    assert _alive(server_pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    parent.stdin.close()
    parent.stdout.close()
    deadline = time.monotonic() + 15
    while _alive(server_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(server_pid), "the embedded platform outlived its kiosk"
