"""Where the bytes go: one abstract write, and a small class per kind of connection.

The connections are python-escpos's printer classes (Network, Serial, Usb, File), used for
opening, writing and closing; what they lack for status queries (reading with a deadline,
dropping stale input, closing a socket without losing its last bytes) is added here. Every
failure to reach or write to the device is an OSError (TransportUnavailable when opening), which
the printer turns into PrinterOffline.
"""

from __future__ import annotations

import contextlib
import importlib.util
import socket
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.devices.printer import _escpos


class TransportUnavailable(OSError):
    """The device could not be opened: one line saying why."""


class Transport(ABC):
    # Whether the connection is kept between jobs. A raw TCP port (9100) serves one client at a
    # time and may drop an idle one, so it is opened per job; the others stay open.
    stays_open = True
    can_read = False

    @property
    @abstractmethod
    def description(self) -> str:
        """Where this goes, for logs and messages: no receipt content, no secret."""

    def open(self) -> None:
        """Idempotent. Connections that need no opening do nothing."""
        return None

    @abstractmethod
    def write(self, data: bytes) -> None: ...

    def read(self, size: int, timeout: float) -> bytes:
        """Up to `size` bytes, waiting at most `timeout` seconds in all; b"" when none came."""
        return b""

    def discard_input(self) -> None:
        """Drops bytes already received, so a late answer is not taken for the next one."""
        return None

    def close(self) -> None:
        """Idempotent."""
        return None


class MemoryTransport(Transport):
    """Keeps what it is sent (like python-escpos's Dummy); answers nothing."""

    def __init__(self) -> None:
        self.data = bytearray()

    @property
    def description(self) -> str:
        return "memory"

    def write(self, data: bytes) -> None:
        self.data += data


class _EscposConnection(Transport):
    """A python-escpos printer object used as the connection.

    The object is made on first use: python-escpos's Usb raises from its destructor when pyusb
    is missing, so a kiosk configured for tcp must never make one.
    """

    def __init__(self, make_device: Callable[[], Any]) -> None:
        self._make_device = make_device
        self._device: Any = None
        self._opened = False

    def _made(self) -> Any:
        if self._device is None:
            self._device = self._make_device()
        return self._device

    def open(self) -> None:
        if self._opened:
            return
        try:
            self._made().open()
        except _escpos.DeviceNotFoundError as error:
            raise TransportUnavailable(_one_line(error)) from None
        except (OSError, ValueError, RuntimeError) as error:
            # RuntimeError: a missing optional library (pyusb); ValueError: a bad device name.
            raise TransportUnavailable(_one_line(error)) from None
        self._opened = True

    def write(self, data: bytes) -> None:
        self.open()
        self._device._raw(data)

    def close(self) -> None:
        if not self._opened:
            return
        self._opened = False
        with contextlib.suppress(OSError):
            self._device.close()

    @property
    def _connection(self) -> Any:
        self.open()
        return self._device.device


class TcpTransport(_EscposConnection):
    stays_open = False
    can_read = True

    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        super().__init__(lambda: _escpos.Network(host=host, port=port, timeout=timeout))
        self._host, self._port, self._timeout = host, port, timeout

    @property
    def description(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"tcp://{host}:{self._port}"

    def open(self) -> None:
        if self._opened:
            return
        super().open()
        # A status query is a few bytes waiting for a one-byte answer: without this, Nagle's
        # algorithm holds it back for the acknowledgement of the receipt's last bytes.
        with contextlib.suppress(OSError):
            self._device.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def read(self, size: int, timeout: float) -> bytes:
        sock: socket.socket = self._connection
        received = b""
        deadline = time.monotonic() + timeout
        try:
            while len(received) < size:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                sock.settimeout(left)
                chunk = sock.recv(size - len(received))
                if not chunk:
                    break
                received += chunk
        except TimeoutError:
            pass
        finally:
            sock.settimeout(self._timeout)
        return received

    def discard_input(self) -> None:
        sock: socket.socket = self._connection
        sock.setblocking(False)
        try:
            while sock.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        finally:
            sock.settimeout(self._timeout)

    def close(self) -> None:
        if not self._opened:
            return
        sock: socket.socket = self._device.device
        # Closing with unread input makes the kernel send a reset, which can throw away the
        # receipt's last bytes before the printer has them: end our side, then read to its end.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + 0.5
            while (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                if not sock.recv(4096):
                    break
        super().close()


class SerialTransport(_EscposConnection):
    can_read = True

    def __init__(self, port: str, baudrate: int = 9600) -> None:
        super().__init__(lambda: _escpos.Serial(devfile=port, baudrate=baudrate, timeout=1))
        self._port, self._baudrate = port, baudrate

    @property
    def description(self) -> str:
        return f"serial://{self._port}?baudrate={self._baudrate}"

    def read(self, size: int, timeout: float) -> bytes:
        port = self._connection
        port.timeout = timeout
        try:
            return bytes(port.read(size))
        finally:
            port.timeout = 1

    def discard_input(self) -> None:
        self._connection.reset_input_buffer()


class UsbTransport(_EscposConnection):
    can_read = True

    def __init__(self, vendor: int, product: int, in_ep: int = 0x82, out_ep: int = 0x01) -> None:
        super().__init__(
            lambda: _escpos.Usb(
                idVendor=vendor, idProduct=product, timeout=10_000, in_ep=in_ep, out_ep=out_ep
            )
        )
        self._vendor, self._product, self._in_ep = vendor, product, in_ep

    @property
    def description(self) -> str:
        return f"usb://{self._vendor:04x}:{self._product:04x}"

    def open(self) -> None:
        if importlib.util.find_spec("usb") is None:
            raise TransportUnavailable("USB printers need the pyusb package and libusb")
        super().open()

    def read(self, size: int, timeout: float) -> bytes:
        try:
            return bytes(self._connection.read(self._in_ep, size, int(timeout * 1000)))
        except OSError:  # pyusb's USBError and USBTimeoutError are OSErrors
            return b""

    def discard_input(self) -> None:
        while self.read(64, 0.01):
            pass


class FileTransport(_EscposConnection):
    """A file or a device node (/dev/usb/lp0). Cannot answer status queries."""

    def __init__(self, path: Path) -> None:
        super().__init__(lambda: _escpos.File(devfile=str(path)))
        self._path = path

    @property
    def description(self) -> str:
        return f"file://{self._path}"

    def open(self) -> None:
        if self._opened:
            return
        # python-escpos opens with "wb": a reopened file would lose the receipts already in it.
        try:
            self._made().device = self._path.open("ab")
        except OSError as error:
            raise TransportUnavailable(f"cannot open {self._path}: {error.strerror}") from None
        self._opened = True


def _one_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return " ".join(lines) or type(error).__name__
