"""A virtual ESC/POS thermal printer: it parses the bytes it is sent and draws what it prints.

The simulated printer is the real printer code (EscposPrinter) talking to this, so what the
demo and the dev panel show is what the kiosk's bytes make on a printer: text decoded from
GB18030 in Chinese mode (and mojibake outside it, as a real printer would print), double sizes,
native QR codes, raster images, cuts. It answers DLE EOT status queries at once, even with no
paper, and its faults are a real printer's: paper out (now, or after so many lines), paper near
end, cover open, a cutter jam. With no paper it holds what it receives and prints it when paper
is loaded, as printers do.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import qrcode
from PIL import Image, ImageDraw

from kiosk.devices.printer import raster
from kiosk.devices.printer.status import answer_byte
from kiosk.domain.receipt import CELL_DOTS, PaperLevel, PaperWidth

LINE_DOTS = raster.CELL_HEIGHT + raster.LINE_GAP
_QR_EC = {
    48: qrcode.constants.ERROR_CORRECT_L,
    49: qrcode.constants.ERROR_CORRECT_M,
    50: qrcode.constants.ERROR_CORRECT_Q,
    51: qrcode.constants.ERROR_CORRECT_H,
}
# Commands of fixed length that change nothing the emulator draws: their total length in bytes.
_IGNORED = {
    b"\x1bt": 3,  # code table
    b"\x1bM": 3,  # font
    b"\x1b-": 3,  # underline
    b"\x1bG": 3,  # double strike
    b"\x1b2": 2,  # default line spacing
    b"\x1b3": 3,  # line spacing
    b"\x1b{": 3,  # upside down
    b"\x1c!": 3,  # Chinese character print mode
    b"\x1c-": 3,  # Chinese underline
    b"\x1cC": 3,  # Chinese code system
    b"\x1dB": 3,  # reverse
    b"\x1dL": 4,  # left margin
    b"\x1dW": 4,  # print area width
}


@dataclass
class _Style:
    bold: bool = False
    width_factor: int = 1
    height_factor: int = 1
    align: int = 0


@dataclass
class Printed:
    """What came out, for tests and the dev panel: text lines decoded, QR payloads, cuts."""

    lines: list[str] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    images: int = 0
    cuts: int = 0
    unknown: list[bytes] = field(default_factory=list)


class EscposEmulator:
    def __init__(self, width: PaperWidth = PaperWidth.MM80) -> None:
        self.width = width
        self._lock = threading.Lock()
        self._buffer = b""
        self._replies = bytearray()
        self._held: list[Callable[[], None]] = []
        self._style = _Style()
        # Chinese mode decides how bytes are read, so it follows the parser, not the printing:
        # text held for want of paper is still read as it was sent.
        self._chinese = False
        self._line: list[tuple[str, _Style]] = []
        self._qr_store = b""
        self._qr_module = 3
        self._qr_ec = qrcode.constants.ERROR_CORRECT_L
        self._strips: list[Image.Image] = []
        self._sheets: list[Image.Image] = []
        self.printed = Printed()
        self.received = bytearray()
        # Faults.
        self.paper = PaperLevel.OK
        self.cover_open = False
        self.cutter_error = False
        self._lines_left: int | None = None

    # --- the outside world ---------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        with self._lock:
            self.received += data
            self._buffer += data
            self._parse()

    def take_replies(self, size: int) -> bytes:
        with self._lock:
            taken = bytes(self._replies[:size])
            del self._replies[:size]
            return taken

    def load_paper(self) -> None:
        """A new roll, cover closed: whatever the printer held now prints."""
        with self._lock:
            self.paper = PaperLevel.OK
            self.cover_open = False
            self._lines_left = None
            self._release()

    def run_out_of_paper(self, after_lines: int | None = None) -> None:
        """Out now, or after `after_lines` more printed lines (mid-receipt)."""
        with self._lock:
            if after_lines is None or after_lines <= 0:
                self.paper = PaperLevel.OUT
                self._lines_left = None
            else:
                self._lines_left = after_lines

    def set_near_end(self, near: bool = True) -> None:
        with self._lock:
            if self.paper is not PaperLevel.OUT:
                self.paper = PaperLevel.NEAR_END if near else PaperLevel.OK

    def set_cover_open(self, is_open: bool = True) -> None:
        with self._lock:
            self.cover_open = is_open
            if not is_open:
                self._release()

    def set_cutter_error(self, jammed: bool = True) -> None:
        with self._lock:
            self.cutter_error = jammed

    @property
    def stopped(self) -> bool:
        return self.paper is PaperLevel.OUT or self.cover_open or self.cutter_error

    @property
    def held(self) -> int:
        """How many print actions wait for paper (or a closed cover)."""
        return len(self._held)

    def sheets(self) -> list[Image.Image]:
        """Each cut-off receipt, and what is above the cutter now if anything."""
        with self._lock:
            current = [self._sheet(self._strips)] if self._strips else []
            return [*self._sheets, *current]

    def last_png(self) -> bytes | None:
        sheets = self.sheets()
        if not sheets:
            return None
        out = io.BytesIO()
        sheets[-1].save(out, format="PNG")
        return out.getvalue()

    # --- parsing ---------------------------------------------------------------------------

    def _parse(self) -> None:
        while self._buffer:
            used = self._command(self._buffer)
            if used == 0:
                return  # incomplete: wait for more bytes
            self._buffer = self._buffer[used:]

    def _command(self, data: bytes) -> int:
        """Runs the command at the start of data; returns its length, or 0 if incomplete."""
        first = data[0]
        if first == 0x10:
            return self._realtime(data)
        if first == 0x0A:
            self._act(self._print_line)
            return 1
        if first in (0x0D, 0x00):
            return 1
        if first == 0x09:
            self._char(" ")
            return 1
        if first in (0x1B, 0x1C, 0x1D):
            return self._escape(data)
        if first < 0x20 or first == 0x7F:
            self.printed.unknown.append(bytes([first]))
            return 1
        return self._text(data)

    def _realtime(self, data: bytes) -> int:
        if len(data) < 3:
            return 0
        if data[1] == 0x04:
            # Answered at once, whatever the printer is doing: that is what real-time means.
            self._replies.append(
                answer_byte(
                    data[2],
                    offline=self.stopped,
                    cover_open=self.cover_open,
                    paper=self.paper,
                    cutter_error=self.cutter_error,
                )
            )
            return 3
        self.printed.unknown.append(bytes(data[:2]))
        return 2

    def _text(self, data: bytes) -> int:
        first = data[0]
        if first < 0x80 or not self._chinese:
            # Outside Chinese mode a byte is one character of the code page (here, cp437).
            self._char(bytes([first]).decode("cp437"))
            return 1
        if len(data) < 2:
            return 0
        size = 4 if 0x30 <= data[1] <= 0x39 else 2
        if len(data) < size:
            return 0
        self._char(data[:size].decode("gb18030", errors="replace"))
        return size

    def _escape(self, data: bytes) -> int:
        if len(data) < 2:
            return 0
        head = data[:2]
        if head in _IGNORED:
            return _IGNORED[head] if len(data) >= _IGNORED[head] else 0
        if head == b"\x1b@":
            self._chinese = False
            self._act(self._initialise)
            return 2
        if head in (b"\x1c&", b"\x1c."):
            self._chinese = head == b"\x1c&"
            return 2
        if head == b"\x1dV":
            return self._cut(data)
        if head == b"\x1d(":
            return self._function(data)
        if head == b"\x1dv":
            return self._raster(data)
        if len(data) < 3:
            return 0
        value = data[2]
        if head == b"\x1bE":
            self._act(lambda: setattr(self._style, "bold", bool(value & 1)))
        elif head == b"\x1b!":
            self._act(lambda: self._print_mode(value))
        elif head == b"\x1d!":
            self._act(lambda: self._size(value))
        elif head == b"\x1ba":
            self._act(lambda: setattr(self._style, "align", value % 48 if value >= 48 else value))
        elif head == b"\x1bd":
            self._act(lambda: self._feed(value))
        elif head == b"\x1bJ":
            self._act(lambda: self._feed_dots(value))
        else:
            self.printed.unknown.append(bytes(head))
            return 2
        return 3

    def _cut(self, data: bytes) -> int:
        if len(data) < 3:
            return 0
        mode = data[2]
        size = 4 if mode in (65, 66, 97, 98, 103, 104) else 3
        if len(data) < size:
            return 0
        self._act(self._do_cut)
        return size

    def _function(self, data: bytes) -> int:
        """GS ( k (2D codes) and GS ( L (graphics): pL pH then that many bytes."""
        if len(data) < 5:
            return 0
        length = data[3] + 256 * data[4]
        if len(data) < 5 + length:
            return 0
        body = bytes(data[5 : 5 + length])
        if data[2] == ord("k") and length >= 2 and body[0] == ord("1"):
            function, args = body[1], body[2:]
            if function == 0x43 and args:
                self._qr_module = args[0]
            elif function == 0x45 and args:
                self._qr_ec = _QR_EC.get(args[0], self._qr_ec)
            elif function == 0x50:
                self._qr_store = args[1:]
            elif function == 0x51:
                payload, module, ec = self._qr_store, self._qr_module, self._qr_ec
                self._act(lambda: self._print_qr(payload, module, ec))
        else:
            self.printed.unknown.append(bytes(data[:3]))
        return 5 + length

    def _raster(self, data: bytes) -> int:
        """GS v 0 m xL xH yL yH d...: a bit image, xL+xH*256 bytes wide."""
        if len(data) < 8:
            return 0
        width_bytes = data[4] + 256 * data[5]
        height = data[6] + 256 * data[7]
        size = 8 + width_bytes * height
        if len(data) < size:
            return 0
        image = Image.frombytes("1", (width_bytes * 8, height), bytes(data[8:size]))
        # In ESC/POS a set bit is a black dot; in Pillow's "1" mode a set bit is white.
        image = Image.eval(image.convert("L"), lambda v: 255 - v)
        self._act(lambda: self._print_image(image))
        return size

    # --- printing ------------------------------------------------------------------------

    def _act(self, action: Callable[[], None]) -> None:
        """Does it now, or holds it while the printer cannot print."""
        if self.stopped or self._held:
            self._held.append(action)
        else:
            action()

    def _release(self) -> None:
        held, self._held = self._held, []
        for number, action in enumerate(held):
            if self.stopped:
                self._held = held[number:]
                return
            action()

    def _initialise(self) -> None:
        self._flush_pending_line()
        self._style = _Style()

    def _print_mode(self, value: int) -> None:
        self._style.bold = bool(value & 0x08)
        self._style.height_factor = 2 if value & 0x10 else 1
        self._style.width_factor = 2 if value & 0x20 else 1

    def _size(self, value: int) -> None:
        self._style.width_factor = min((value >> 4) + 1, 8)
        self._style.height_factor = min((value & 0x0F) + 1, 8)

    def _char(self, char: str) -> None:
        # The style is taken when the character prints: style changes may be held before it.
        self._act(lambda: self._line.append((char, _Style(**vars(self._style)))))

    def _flush_pending_line(self) -> None:
        if self._line:
            self._print_line()

    def _use_paper(self, lines: int) -> None:
        if self._lines_left is None:
            return
        self._lines_left -= lines
        if self._lines_left <= 0:
            self._lines_left = None
            self.paper = PaperLevel.OUT

    def _print_line(self) -> None:
        chars, self._line = self._line, []
        text = "".join(c for c, _ in chars)
        self.printed.lines.append(text.rstrip())
        height = max((s.height_factor for _, s in chars), default=1) * raster.CELL_HEIGHT
        strip = Image.new("L", (self.width.dots, height + raster.LINE_GAP), raster.WHITE)
        width = sum(
            (CELL_DOTS if ord(c) < 0x80 else 2 * CELL_DOTS) * s.width_factor for c, s in chars
        )
        x = self._aligned(width, chars[-1][1].align if chars else self._style.align)
        for char, style in chars:
            top = height - raster.CELL_HEIGHT * style.height_factor
            x = raster.draw_text(
                strip,
                x,
                top,
                char,
                bold=style.bold,
                width_factor=style.width_factor,
                height_factor=style.height_factor,
            )
        self._add_strip(strip)
        self._use_paper(1)

    def _aligned(self, width: int, align: int) -> int:
        room = max(self.width.dots - width, 0)
        return {0: 0, 1: room // 2, 2: room}.get(align, 0)

    def _feed(self, lines: int) -> None:
        self._flush_pending_line()
        for _ in range(lines):
            self._add_strip(Image.new("L", (self.width.dots, LINE_DOTS), raster.WHITE))
            self._use_paper(1)

    def _feed_dots(self, dots: int) -> None:
        if dots:
            self._add_strip(Image.new("L", (self.width.dots, dots), raster.WHITE))

    def _print_image(self, image: Image.Image) -> None:
        self._flush_pending_line()
        self.printed.images += 1
        strip = Image.new("L", (self.width.dots, image.height), raster.WHITE)
        strip.paste(
            image.crop((0, 0, min(image.width, self.width.dots), image.height)),
            (self._aligned(image.width, self._style.align), 0),
        )
        self._add_strip(strip)
        self._use_paper(max(1, image.height // LINE_DOTS))

    def _print_qr(self, payload: bytes, module: int, ec: int) -> None:
        self._flush_pending_line()
        text = payload.decode("utf-8", errors="replace")
        self.printed.qr_payloads.append(text)
        code = qrcode.QRCode(error_correction=ec, box_size=1, border=0)
        code.add_data(payload)
        code.make(fit=True)
        matrix = code.get_matrix()
        side = len(matrix) * module
        image = Image.new("L", (side, side), raster.WHITE)
        draw = ImageDraw.Draw(image)
        for row, cells in enumerate(matrix):
            for column, dark in enumerate(cells):
                if dark:
                    x, y = column * module, row * module
                    draw.rectangle((x, y, x + module - 1, y + module - 1), fill=raster.BLACK)
        strip = Image.new("L", (self.width.dots, side), raster.WHITE)
        strip.paste(image, (self._aligned(side, self._style.align), 0))
        self._add_strip(strip)
        self._use_paper(max(1, side // LINE_DOTS))

    def _do_cut(self) -> None:
        self._flush_pending_line()
        if self.cutter_error:
            return
        self.printed.cuts += 1
        self._sheets.append(self._sheet(self._strips))
        self._strips = []

    def _add_strip(self, strip: Image.Image) -> None:
        self._strips.append(strip)

    def _sheet(self, strips: list[Image.Image]) -> Image.Image:
        margin = 16
        height = sum(s.height for s in strips) + 2 * margin
        sheet = Image.new("L", (self.width.dots + 2 * margin, height), raster.WHITE)
        y = margin
        for strip in strips:
            sheet.paste(strip, (margin, y))
            y += strip.height
        return raster.to_bitmap(sheet)
