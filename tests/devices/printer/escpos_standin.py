"""A raw ESC/POS printer on 127.0.0.1 for the tests: it parses what it receives, answers status.

Written apart from the kiosk's own virtual printer (kiosk.devices.printer.emulator), so that the
two do not share a misreading of the protocol. It knows the commands a receipt printer must
understand: ESC @, FS & / FS ., ESC E, GS !, ESC a, ESC d, GS ( k (QR), GS v 0, GS V, DLE EOT,
and text, decoded from GB18030 in Chinese mode. Anything else is recorded as unknown.

Faults: paper out from the start, or after so many printed lines (mid-receipt); cover open;
not answering status at all (a plain listener such as `nc -l 9100`); hanging up mid-receipt.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

DLE, ESC, FS, GS = 0x10, 0x1B, 0x1C, 0x1D


@dataclass
class Received:
    """What the printer made of the bytes, in order."""

    events: list[tuple[str, object]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # printed text lines
    held_lines: list[str] = field(default_factory=list)  # lines received with no paper
    qr: list[str] = field(default_factory=list)
    images: int = 0
    cuts: int = 0
    status_queries: list[int] = field(default_factory=list)
    unknown: list[bytes] = field(default_factory=list)

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.events]


@dataclass
class Faults:
    """How the stand-in misbehaves: as the test sets it up, and the paper running out as
    lines are printed."""

    answers_status: bool = True
    paper_out: bool = False
    lines_left: int | None = None  # paper out after this many more lines
    cover_open: bool = False
    hang_up_after_lines: int | None = None


class StandinPrinter:
    def __init__(
        self,
        *,
        answers_status: bool = True,
        paper_out: bool = False,
        paper_out_after_lines: int | None = None,
        cover_open: bool = False,
        hang_up_after_lines: int | None = None,
    ) -> None:
        self.faults = Faults(
            answers_status, paper_out, paper_out_after_lines, cover_open, hang_up_after_lines
        )
        self.received = Received()
        self.raw = bytearray()
        self.connections = 0
        self._chinese = False
        self._line = bytearray()
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        # accept() wakes up now and then to see whether the test is over.
        self._server.settimeout(0.05)
        self.port: int = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._stopping = False

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def __enter__(self) -> StandinPrinter:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopping = True
        self._thread.join(timeout=5)
        self._server.close()

    def load_paper(self) -> None:
        with self._lock:
            self.faults.paper_out = False
            self.faults.lines_left = None

    # --- the connection -------------------------------------------------------------------

    def _serve(self) -> None:
        while not self._stopping:
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with conn:
                self.connections += 1
                self._chinese = False
                pending = b""
                while True:
                    try:
                        chunk = conn.recv(65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    with self._lock:
                        self.raw += chunk
                        pending, replies = self._parse(pending + chunk)
                    if self._hung_up():
                        break
                    if replies:
                        conn.sendall(replies)

    # --- the protocol ---------------------------------------------------------------------

    def _parse(self, data: bytes) -> tuple[bytes, bytes]:
        """Parses whole commands; returns what is left (an incomplete command) and replies."""
        replies = bytearray()
        i = 0
        while i < len(data):
            need = self._length(data, i)
            if need is None or i + need > len(data):
                break
            command = data[i : i + need]
            reply = self._run(command)
            if reply is not None:
                replies.append(reply)
            i += need
        return data[i:], bytes(replies)

    def _length(self, data: bytes, i: int) -> int | None:
        """The length of the command at i, or None while it is incomplete."""
        left = len(data) - i
        b = data[i]
        if b in (DLE, ESC, FS, GS):
            if left < 2:
                return None
            two = data[i + 1]
            if b == DLE:
                return 3 if left >= 3 else None
            if (b, two) in ((ESC, 0x40), (FS, 0x26), (FS, 0x2E)):
                return 2
            if (b, two) == (GS, 0x28):  # GS ( x pL pH ...
                if left < 5:
                    return None
                return 5 + data[i + 3] + 256 * data[i + 4]
            if (b, two) == (GS, 0x76):  # GS v 0 m xL xH yL yH
                if left < 8:
                    return None
                return 8 + (data[i + 4] + 256 * data[i + 5]) * (data[i + 6] + 256 * data[i + 7])
            if (b, two) == (GS, 0x56):
                if left < 3:
                    return None
                return 4 if data[i + 2] in (65, 66) else 3
            return 3
        if b >= 0x81 and self._chinese:
            if left < 2:
                return None
            return 4 if 0x30 <= data[i + 1] <= 0x39 else 2
        return 1

    def _run(self, command: bytes) -> int | None:
        head = command[:2]
        received = self.received
        if command[0] == DLE:
            if command[1] != 0x04:
                received.unknown.append(command)
                return None
            received.status_queries.append(command[2])
            return self._status(command[2]) if self.faults.answers_status else None
        if head == b"\x1b@":
            received.events.append(("init", None))
            self._chinese = False
        elif head == b"\x1c&":
            received.events.append(("chinese", True))
            self._chinese = True
        elif head == b"\x1c.":
            received.events.append(("chinese", False))
            self._chinese = False
        elif head in (b"\x1bE", b"\x1d!", b"\x1ba"):
            received.events.append((head.decode("latin-1"), command[2]))
        elif head == b"\x1bd":
            received.events.append(("feed", command[2]))
        elif head == b"\x1dV":
            received.events.append(("cut", None))
            if self._stopped():
                received.held_lines.append("<cut>")
            else:
                received.cuts += 1
        elif head == b"\x1dv":
            received.events.append(("image", None))
            received.images += 1
        elif head == b"\x1d(":
            self._function(command)
        elif command[0] in (ESC, FS, GS):
            received.unknown.append(command)
        elif command == b"\n":
            self._end_line()
        elif command[0] >= 0x20 or len(command) > 1:
            self._line += command
        else:
            received.unknown.append(command)
        return None

    def _function(self, command: bytes) -> None:
        kind, body = command[2], command[5:]
        if kind == ord("k") and body[:1] == b"1" and body[1:2] == b"P":
            self.received.qr.append(body[3:].decode("utf-8"))
            self.received.events.append(("qr", body[3:].decode("utf-8")))
        elif kind == ord("k") and body[:1] == b"1":
            self.received.events.append(("qr-setting", body[1:2].decode("latin-1")))
        else:
            self.received.unknown.append(command[:3])

    def _end_line(self) -> None:
        encoding = "gb18030" if self._chinese else "latin-1"
        text = self._line.decode(encoding).rstrip()
        self._line.clear()
        self.received.events.append(("line", text))
        if self._stopped():
            self.received.held_lines.append(text)
            return
        self.received.lines.append(text)
        if self.faults.lines_left is not None:
            self.faults.lines_left -= 1
            if self.faults.lines_left <= 0:
                self.faults.paper_out = True

    def _hung_up(self) -> bool:
        limit = self.faults.hang_up_after_lines
        return limit is not None and len(self.received.lines) >= limit

    def _stopped(self) -> bool:
        return self.faults.paper_out or self.faults.cover_open

    def _status(self, n: int) -> int:
        faults = self.faults
        value = 0x12
        if n == 1 and self._stopped():
            value |= 0x08
        elif n == 2:
            value |= (0x20 if faults.paper_out else 0) | (0x04 if faults.cover_open else 0)
        elif n == 4 and faults.paper_out:
            value |= 0x6C
        return value
