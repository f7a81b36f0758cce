"""A receipt printer's address: the URI of the config's `printer.uri`, read and checked.

    tcp://HOST[:PORT]                 raw ESC/POS over TCP (port 9100 by default)
    usb://VID:PID                     a USB printer, ids in hex (usb://0416:5011)
    serial:///dev/ttyUSB0?baudrate=9600   or serial://COM3 on Windows
    file:///PATH                      a file or device node (/dev/usb/lp0); no status
    sim                               the simulated printer (keeps the bytes, renders a PNG)

Options any URI may carry: text=gb18030|raster (raster for printers without a Chinese font),
qr=native|raster, settle=SECONDS (how long status is watched after a receipt), and for usb
in_ep=0x82&out_ep=0x01. For sim: paper=out|near_end, paper_out_after=LINES, cover=open (a fault
from the start, for demos and tests). Anything else is a PrinterAddressInvalid whose message is
one line saying what is wrong.

A module of its own, apart from the printers it names (kiosk.devices.printer.factory makes
them), because `kiosk run` checks the address before the kiosk starts and must not load
python-escpos and PIL on the way to its first frame for that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import SplitResult, parse_qs, urlsplit

from kiosk.domain.errors import PrinterAddressInvalid


class TextMode(StrEnum):
    GB18030 = "gb18030"
    RASTER = "raster"


class QrMode(StrEnum):
    NATIVE = "native"
    RASTER = "raster"


SCHEMES = ("tcp", "usb", "serial", "file", "sim")
DEFAULT_TCP_PORT = 9100
_COMMON = {"text", "qr", "settle"}
_ALLOWED = {
    "tcp": _COMMON,
    "usb": _COMMON | {"in_ep", "out_ep"},
    "serial": _COMMON | {"baudrate"},
    "file": _COMMON,
    "sim": _COMMON | {"paper", "paper_out_after", "cover"},
}
_BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


@dataclass(frozen=True)
class PrinterAddress:
    scheme: str
    host: str = ""
    port: int = DEFAULT_TCP_PORT
    path: str = ""
    vendor: int = 0
    product: int = 0
    options: dict[str, str] = field(default_factory=dict)

    def option(self, name: str, default: str) -> str:
        return self.options.get(name, default)


def parse_printer_uri(uri: str) -> PrinterAddress:
    text = uri.strip()
    if not text:
        raise PrinterAddressInvalid("empty printer address; try tcp://HOST:9100 or sim")
    if text == "sim" or text.startswith(("sim:", "sim?")):
        query = text.partition("?")[2]
        return PrinterAddress("sim", options=_options(query, "sim", uri))
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or "://" not in text:
        raise PrinterAddressInvalid(
            f"unknown printer address {uri!r}: use tcp://HOST[:PORT], usb://VID:PID, "
            "serial:///dev/ttyUSB0, file:///PATH or sim"
        )
    options = _options(parts.query, scheme, uri)
    if scheme == "tcp":
        return _tcp(parts.hostname, _port(parts, uri), parts.path, options, uri)
    if scheme == "usb":
        return _usb(parts.netloc, options, uri)
    if scheme == "serial":
        port = parts.path if parts.path not in ("", "/") else parts.netloc
        if not port or (parts.netloc and parts.path not in ("", "/")):
            raise PrinterAddressInvalid(
                f"bad serial printer address {uri!r}: use serial:///dev/ttyUSB0 or serial://COM3"
            )
        _baud(options, uri)
        return PrinterAddress("serial", path=port, options=options)
    if parts.netloc or not parts.path.startswith("/"):
        raise PrinterAddressInvalid(f"bad file printer address {uri!r}: use file:///absolute/path")
    return PrinterAddress("file", path=parts.path, options=options)


def _tcp(
    host: str | None, port: int, path: str, options: dict[str, str], uri: str
) -> PrinterAddress:
    if not host:
        raise PrinterAddressInvalid(f"no host in printer address {uri!r}: use tcp://HOST[:PORT]")
    if path not in ("", "/"):
        raise PrinterAddressInvalid(f"a tcp printer address has no path: {uri!r}")
    return PrinterAddress("tcp", host=host, port=port, options=options)


def _port(parts: SplitResult, uri: str) -> int:
    try:
        # urlsplit checks the port only when it is read.
        port = parts.port
    except ValueError:
        raise PrinterAddressInvalid(f"bad port in printer address {uri!r}: 1 to 65535") from None
    if port is None:
        return DEFAULT_TCP_PORT
    if not 1 <= port <= 65535:
        raise PrinterAddressInvalid(f"bad port in printer address {uri!r}: 1 to 65535")
    return int(port)


def _usb(netloc: str, options: dict[str, str], uri: str) -> PrinterAddress:
    vendor, colon, product = netloc.partition(":")
    try:
        ids = (int(vendor, 16), int(product, 16)) if colon else None
    except ValueError:
        ids = None
    if ids is None or not all(0 < i <= 0xFFFF for i in ids):
        raise PrinterAddressInvalid(
            f"bad USB printer address {uri!r}: use usb://VID:PID in hex, e.g. usb://0416:5011"
        )
    for name in ("in_ep", "out_ep"):
        if name in options:
            _endpoint(options[name], name, uri)
    return PrinterAddress("usb", vendor=ids[0], product=ids[1], options=options)


def _endpoint(value: str, name: str, uri: str) -> None:
    if not _within(lambda text: int(text, 0), value, 0, 0xFF):
        raise PrinterAddressInvalid(f"bad {name} in printer address {uri!r}: a byte, e.g. 0x82")


def _within(parse: Callable[[str], float], value: str, low: float, high: float) -> bool:
    """Whether the option's text is a number of its kind from low to high."""
    try:
        return low <= parse(value) <= high
    except ValueError:
        return False


def _baud(options: dict[str, str], uri: str) -> int:
    value = options.get("baudrate", "9600")
    if not value.isdigit() or int(value) not in _BAUD_RATES:
        raise PrinterAddressInvalid(
            f"bad baudrate in printer address {uri!r}: one of {', '.join(map(str, _BAUD_RATES))}"
        )
    return int(value)


def _options(query: str, scheme: str, uri: str) -> dict[str, str]:
    try:
        parsed = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise PrinterAddressInvalid(f"bad options in printer address {uri!r}") from None
    options = {name: values[-1] for name, values in parsed.items()}
    unknown = sorted(set(options) - _ALLOWED[scheme])
    if unknown:
        known = ", ".join(sorted(_ALLOWED[scheme]))
        raise PrinterAddressInvalid(
            f"unknown option {unknown[0]!r} in printer address {uri!r}; known: {known}"
        )
    _choice(options, "text", TextMode, uri)
    _choice(options, "qr", QrMode, uri)
    if "settle" in options:
        _seconds(options["settle"], uri)
    if scheme == "sim":
        _sim_options(options, uri)
    return options


def _choice(
    options: dict[str, str], name: str, kind: type[TextMode] | type[QrMode], uri: str
) -> None:
    if name in options and options[name] not in {m.value for m in kind}:
        allowed = "|".join(m.value for m in kind)
        raise PrinterAddressInvalid(f"bad {name}={options[name]!r} in {uri!r}: {allowed}")


def _seconds(value: str, uri: str) -> None:
    if not _within(float, value, 0, 60):
        raise PrinterAddressInvalid(f"bad settle={value!r} in {uri!r}: 0 to 60 seconds")


def _sim_options(options: dict[str, str], uri: str) -> None:
    if options.get("paper", "ok") not in ("ok", "out", "near_end"):
        raise PrinterAddressInvalid(f"bad paper={options['paper']!r} in {uri!r}: ok|out|near_end")
    if options.get("cover", "closed") not in ("open", "closed"):
        raise PrinterAddressInvalid(f"bad cover={options['cover']!r} in {uri!r}: open|closed")
    after = options.get("paper_out_after", "1")
    if not after.isdigit() or int(after) < 1:
        raise PrinterAddressInvalid(f"bad paper_out_after={after!r} in {uri!r}: a number of lines")
