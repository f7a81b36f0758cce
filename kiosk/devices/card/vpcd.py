"""A virtual social security card served to pcscd through vsmartcard-vpcd.

vpcd (a pcscd driver) listens on TCP, 35963 for "Virtual PCD 00 00", 35964 for "00 01". A
program that connects is a card in that reader, and closing the connection removes it. Every
message is a 2-byte big-endian length and a payload; a 1-byte payload from vpcd is a control
(0 power off, 1 power on, 2 reset, 4 send the ATR), a longer one is a command APDU to answer.

vpcd listens on every interface and any connection is a card insertion: it belongs on
development and test machines, never on a deployed kiosk.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
import time
from enum import Enum

from kiosk.devices.card.virtual_card import CardPulled, VirtualSocialSecurityCard

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 35963

_POWER_OFF = 0
_POWER_ON = 1
_RESET = 2
_GET_ATR = 4

# Linux only; elsewhere the emulator still works, just slower per APDU.
_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)


class Ended(Enum):
    REMOVED = "removed"  # remove() was called
    PULLED = "pulled"  # the profile's remove_after fault
    VPCD_CLOSED = "vpcd_closed"  # pcscd stopped, or vpcd dropped us


class VpcdUnreachable(ConnectionError):
    """Nothing listens on the vpcd port: pcscd is not running or has no vpcd reader."""


class VpcdCardEmulator:
    """Puts one virtual card into a vpcd reader (insert) and takes it out (remove)."""

    def __init__(
        self,
        card: VirtualSocialSecurityCard,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
    ) -> None:
        self.card = card
        self.host = host
        self.port = port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._ended: Ended | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()

    @property
    def inserted(self) -> bool:
        return self._thread is not None and not self._done.is_set()

    @property
    def ended(self) -> Ended | None:
        """Why the last insertion ended, once it has."""
        return self._ended

    def insert(self, timeout: float = 5.0) -> None:
        """Connect to vpcd, retrying until `timeout`; then answer it on a thread of our own."""
        if self.inserted:
            return
        sock = self._connect(timeout)
        with self._lock:
            self._sock = sock
            self._ended = None
            self._done.clear()
            self._thread = threading.Thread(
                target=self._serve, args=(sock,), name="vpcd-card", daemon=True
            )
            self._thread.start()

    def remove(self) -> None:
        """Close the connection: to pcscd the card has left the reader."""
        with self._lock:
            sock, thread = self._sock, self._thread
        if sock is not None:
            self._ended = self._ended or Ended.REMOVED
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5.0)

    def wait(self, timeout: float | None = None) -> Ended | None:
        """Block until this insertion ends (removed, pulled or vpcd gone)."""
        self._done.wait(timeout)
        return self._ended

    def _connect(self, timeout: float) -> socket.socket:
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
            except OSError as error:
                if time.monotonic() >= deadline:
                    raise VpcdUnreachable(
                        f"no vpcd on {self.host}:{self.port} ({error.strerror or error}); "
                        "is pcscd running with vsmartcard-vpcd?"
                    ) from None
                time.sleep(0.1)
                continue
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock

    def _serve(self, sock: socket.socket) -> None:
        ended = Ended.VPCD_CLOSED
        try:
            while True:
                header = _receive(sock, 2)
                if header is None:
                    break
                (length,) = struct.unpack(">H", header)
                payload = _receive(sock, length)
                if payload is None:
                    break
                if length == 1:
                    reply = self._control(payload[0])
                    if reply is not None:
                        _send(sock, reply)
                    continue
                try:
                    response = self.card.answer(payload)
                except CardPulled:
                    ended = Ended.PULLED
                    break
                _send(sock, response)
        except OSError as error:
            log.info("vpcd connection ended: %s", error.strerror or error)
        finally:
            self.card.power_off()
            with contextlib.suppress(OSError):
                sock.close()
            with self._lock:
                if self._ended is None:
                    self._ended = ended
                self._sock = None
            self._done.set()
            log.info("virtual card out of the reader (%s)", self._ended.value)

    def _control(self, code: int) -> bytes | None:
        if code == _POWER_OFF:
            self.card.power_off()
        elif code in (_POWER_ON, _RESET):
            self.card.power_on()
        elif code == _GET_ATR:
            return self.card.atr
        else:
            log.warning("unknown vpcd control %d", code)
        return None


def _receive(sock: socket.socket, size: int) -> bytes | None:
    """Exactly `size` bytes, or None at the end of the stream."""
    chunks = bytearray()
    while len(chunks) < size:
        # vpcd sends each message in two pieces; without an immediate ACK the kernel's delayed
        # ACK and vpcd's Nagle wait on each other, and every APDU costs ~40 ms. The flag does
        # not stick, so it is set before every receive.
        if _QUICKACK is not None:
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack(">H", len(payload)) + payload)
