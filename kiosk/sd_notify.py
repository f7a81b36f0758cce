"""Telling the service manager (systemd) that the kiosk is up, and still alive.

systemd's notify protocol is one datagram per message to the AF_UNIX socket named by
NOTIFY_SOCKET ("@name" for an abstract socket): "READY=1" once the kiosk shows its first frame,
then "WATCHDOG=1" at half of WATCHDOG_USEC. The watchdog pings are sent from the screen's event
loop, so a frozen screen stops them and the service manager restarts the kiosk: a hall's kiosk
must not stand frozen until someone notices.

Without NOTIFY_SOCKET (a desktop, Windows, a test) nothing is sent. Where AF_UNIX datagrams do
not exist (Windows) this module still imports and simply stays silent.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


class ServiceNotifier:
    """Sends notify messages to one socket address; a failed send is logged once, never raised
    (the kiosk serves residents whether or not the service manager listens)."""

    def __init__(self, address: str | bytes, watchdog_usec: int | None = None) -> None:
        self._address = address
        self._watchdog_usec = watchdog_usec
        self._failed = False
        family = getattr(socket, "AF_UNIX", None)
        self._socket: socket.socket | None = None
        if family is not None:
            try:
                self._socket = socket.socket(family, socket.SOCK_DGRAM)
            except OSError as error:
                log.warning("service notifications are off: %s", type(error).__name__)

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, pid: int | None = None
    ) -> ServiceNotifier | None:
        """The notifier the service manager asked for, or None if it asked for none."""
        env = os.environ if environ is None else environ
        name = env.get("NOTIFY_SOCKET", "")
        if not name or getattr(socket, "AF_UNIX", None) is None:
            return None
        if not (name.startswith("/") or name.startswith("@")):
            log.warning("NOTIFY_SOCKET is neither a path nor an abstract name: ignored")
            return None
        # "@name" is Linux's abstract namespace: a leading NUL byte on the wire.
        address: str | bytes = b"\0" + name[1:].encode() if name.startswith("@") else name
        return cls(address, _watchdog_usec(env, os.getpid() if pid is None else pid))

    @property
    def watchdog_interval_s(self) -> float | None:
        """Half the service manager's watchdog time, as sd_watchdog_enabled(3) advises; None
        when it keeps no watchdog on this process."""
        if not self._watchdog_usec:
            return None
        return self._watchdog_usec / 2 / 1_000_000

    def ready(self) -> None:
        self.send("READY=1")

    def watchdog(self) -> None:
        self.send("WATCHDOG=1")

    def stopping(self) -> None:
        self.send("STOPPING=1")

    def send(self, message: str) -> bool:
        if self._socket is None:
            return False
        try:
            self._socket.sendto(message.encode(), self._address)
        except OSError as error:
            if not self._failed:
                self._failed = True
                log.warning("a service notification was not delivered: %s", type(error).__name__)
            return False
        self._failed = False
        return True

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _watchdog_usec(env: Mapping[str, str], pid: int) -> int | None:
    value = env.get("WATCHDOG_USEC", "")
    if not value.isdigit() or int(value) == 0:
        return None
    # WATCHDOG_PID names the process the watchdog is for; another process's is not ours.
    owner = env.get("WATCHDOG_PID", "")
    if owner and (not owner.isdigit() or int(owner) != pid):
        return None
    return int(value)
