"""A laid-out receipt as ESC/POS bytes.

Text goes in the printer's Chinese mode (FS &) as GB18030 bytes, sent through python-escpos's
raw interface, with sizes by GS ! (which, unlike ESC !, enlarges Chinese characters too) and
bold by ESC E. A line with a character beyond GBK (a rare name character) is printed as an
image instead, since printer fonts stop at GBK. For printers without a Chinese font, TextMode
RASTER prints every line as an image. QR codes are the printer's own (GS ( k), or an image for
printers without it; images, QR images and the cut are python-escpos's.

The output comes in segments, one per section of the layout, so that the printer can ask the
printer for its status between them and notice paper running out mid-receipt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.devices.printer import _escpos, raster
from kiosk.devices.printer.address import QrMode, TextMode
from kiosk.domain.receipt import (
    Layout,
    PaperWidth,
    PrintFeed,
    PrintItem,
    PrintLine,
    PrintQr,
    Receipt,
    Size,
    layout,
)

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
LF = b"\n"
INITIALISE = ESC + b"@"
CHINESE_MODE = FS + b"&"
# Error correction M (15 %): a receipt QR code survives a crease or a smudge.
QR_EC_M = 1
_SIZE_BYTES = {Size.NORMAL: 0x00, Size.TALL: 0x01, Size.DOUBLE: 0x11}


@dataclass(frozen=True)
class EncodedReceipt:
    """ESC/POS for one receipt: segments sent in order, with status checks between them."""

    segments: tuple[bytes, ...]

    @property
    def data(self) -> bytes:
        return b"".join(self.segments)

    def __len__(self) -> int:
        return sum(len(s) for s in self.segments)


def fits_text_mode(text: str) -> bool:
    """True when every character has a one- or two-byte GB18030 code (printer fonts hold GBK)."""
    try:
        return all(len(c.encode("gb18030")) <= 2 for c in text)
    except UnicodeEncodeError:
        return False


class EscposEncoder:
    def __init__(
        self,
        width: PaperWidth,
        text_mode: TextMode = TextMode.GB18030,
        qr_mode: QrMode = QrMode.NATIVE,
    ) -> None:
        self.width = width
        self.text_mode = text_mode
        self.qr_mode = qr_mode
        self._profile = _escpos.profile_for(width.dots, width.columns)

    def encode(self, receipt: Receipt) -> EncodedReceipt:
        return self.encode_layout(layout(receipt, self.width))

    def encode_layout(self, laid_out: Layout) -> EncodedReceipt:
        if laid_out.width is not self.width:
            raise ValueError(
                f"laid out for {laid_out.width.value} mm, encoding for {self.width.value} mm"
            )
        out = _Composer(self)
        out.raw(INITIALISE)
        if self.text_mode is TextMode.GB18030:
            out.raw(CHINESE_MODE)
        segments: list[bytes] = []
        for section in laid_out.sections:
            out.items(section)
            segments.append(out.take())
        out.cut()
        segments.append(out.take())
        return EncodedReceipt(tuple(segments))

    def separating_cut(self) -> bytes:
        """A feed and a cut, to set apart what a printer still holds from an interrupted job."""
        out = _Composer(self)
        out.cut()
        return out.take()


class _Composer:
    """Writes through a python-escpos Dummy, which keeps the bytes; tracks the text style so
    that a style command is sent only when the style changes."""

    def __init__(self, encoder: EscposEncoder) -> None:
        self._encoder = encoder
        self._printer = _escpos.Dummy(profile=encoder._profile)
        self._bold = False
        self._size = Size.NORMAL

    def raw(self, data: bytes) -> None:
        self._printer._raw(data)

    def take(self) -> bytes:
        data: bytes = self._printer.output
        self._printer.clear()
        return data

    def items(self, items: Sequence[PrintItem]) -> None:
        pending: list[PrintLine] = []
        for item in items:
            if isinstance(item, PrintLine) and self._as_image(item):
                pending.append(item)
                continue
            self._image_lines(pending)
            pending = []
            if isinstance(item, PrintLine):
                self._text_line(item)
            elif isinstance(item, PrintQr):
                self._qr(item)
            elif isinstance(item, PrintFeed):
                self.raw(ESC + b"d" + bytes([min(item.lines, 255)]))
        self._image_lines(pending)

    def cut(self) -> None:
        self._style(bold=False, size=Size.NORMAL)
        self._printer.cut()

    def _as_image(self, line: PrintLine) -> bool:
        return self._encoder.text_mode is TextMode.RASTER or not fits_text_mode(line.text)

    def _style(self, *, bold: bool, size: Size) -> None:
        if bold != self._bold:
            self.raw(ESC + b"E" + (b"\x01" if bold else b"\x00"))
            self._bold = bold
        if size is not self._size:
            self.raw(GS + b"!" + bytes([_SIZE_BYTES[size]]))
            self._size = size

    def _text_line(self, line: PrintLine) -> None:
        if line.text:
            self._style(bold=line.bold, size=line.size)
            self.raw(line.text.encode("gb18030"))
        self.raw(LF)

    def _image_lines(self, lines: Sequence[PrintLine]) -> None:
        if lines:
            image = raster.render_lines(lines, self._encoder.width.dots)
            self._printer.image(image, impl="bitImageRaster")

    def _qr(self, qr: PrintQr) -> None:
        if self._encoder.qr_mode is QrMode.NATIVE:
            # ESC a centres what follows; python-escpos cannot centre a native code itself.
            self.raw(ESC + b"a\x01")
            self._printer.qr(qr.payload, ec=QR_EC_M, size=qr.module_dots, native=True)
            self.raw(LF + ESC + b"a\x00")
        else:
            self._printer.qr(
                qr.payload,
                ec=QR_EC_M,
                size=qr.module_dots,
                native=False,
                image_arguments={"impl": "bitImageRaster", "center": True},
            )
