"""The kiosk's configuration: one TOML file, every setting declared once with type and default.

The defaults are the embedded demo (`kiosk` with no arguments). A deployed kiosk names a file
(`kiosk run --config FILE`); loading it checks every key and type, and a mistake is reported as
one line naming the file, the key and the problem (ConfigError), never as a traceback.
"""

import typing
from pathlib import Path
from typing import Any, Literal, NamedTuple, get_args, get_origin

CardReaderKind = Literal["auto", "pcsc", "simulated"]
SecureAccessKind = Literal["none", "simulated"]
SizeMode = Literal["default", "elderly", "largest"]
ColourMode = Literal["default", "black-on-white", "white-on-black", "yellow-on-black"]
Language = Literal["zh_CN", "en"]
ScannerKind = Literal["none", "serial", "hid"]
# The speeds e-code scanners are set to on a serial line (or a USB one's virtual COM port).
SERIAL_SPEEDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


class ConfigError(Exception):
    """A configuration problem, worded for the one line the command prints."""


# The sections are named tuples, immutable as frozen dataclasses are: every start reads the
# config before its first frame, and making nine frozen dataclasses cost that frame some 3 ms
# of CPU, a named tuple a tenth of it. Their annotations are evaluated as the module runs
# (no `from __future__ import annotations` here): typing compiles each field's annotation
# when it is a string, some seventy small compilations on the way to the first frame.


class KioskSection(NamedTuple):
    id: str = "demo-kiosk-01"
    # "demo" shows the dev panel and starts the reference platform on loopback.
    mode: Literal["demo", "deployed"] = "demo"
    language: Language = "zh_CN"
    window_width: int = 1920
    window_height: int = 1080
    fullscreen: bool = False
    # A walk-up kiosk: full screen, frameless, on top, and closed only from the service menu.
    lock_down: bool = False
    # The service PIN's hash, made by `kiosk admin-pin` (never the PIN itself). Empty: a demo
    # kiosk takes the demo PIN 147258; a deployed one has no service exit.
    admin_pin_hash: str = ""
    # Accessibility requirement 16: warn this long before the end; the elderly mode doubles both.
    inactivity_timeout_s: int = 120
    inactivity_warning_s: int = 30
    # The hall's time zone (a tz database name): the clock, and every date said and printed,
    # follow it whatever zone the operating system is set to.
    timezone: str = "Asia/Shanghai"
    # A second press of the same key or button within this time is the key's mechanical
    # bounce, not a press (0 to 0.1 s): brisk typing (112233 at 120 ms a key) stays whole.
    debounce_s: float = 0.04
    # Requirement 15's long debounce for unsteady hands (0.1 to 0.5 s): a setting of the
    # resident's profile, on in the elderly mode and a choice on the first screen.
    long_debounce_s: float = 0.4


class DisplaySection(NamedTuple):
    # Physical dots per inch; 0 asks the screen. Text sizes are millimetres (requirement 10).
    dpi: float = 0.0
    size: SizeMode = "default"
    colour: ColourMode = "default"


class PlatformSection(NamedTuple):
    # "embedded" starts the reference platform (`kiosk server`) on a free loopback port.
    url: str = "embedded"
    kiosk_key_file: str = ""
    ca_file: str = ""
    timeout_s: float = 5.0


class CardReaderSection(NamedTuple):
    kind: CardReaderKind = "auto"
    # A regular expression over PC/SC reader names; a PSAM slot must not match it.
    reader_pattern: str = ""
    secure_access: SecureAccessKind = "none"
    # The module a service counter resets a blocked PIN with (RELOAD PIN): "none", or the demo
    # PSAM "simulated". The demo always uses the demo PSAM.
    pin_reset: SecureAccessKind = "none"


class PrinterSection(NamedTuple):
    # A printer URI: tcp://HOST:PORT, usb://VID:PID, serial:///dev/ttyUSB0?baudrate=9600,
    # file:///PATH, or sim (the demo's printer, shown on the dev panel). "" for none: documents
    # are then offered as a QR code on screen.
    uri: str = "sim"
    width_mm: Literal[58, 80] = 80


class A4PrinterSection(NamedTuple):
    # The hall's A4 printer for certificates and the rights statement: a CUPS queue name, or
    # "" for none. With no queue, `pdf_dir` (a folder a print server watches, or where staff
    # find the files) takes PDF files instead; both "": slips only. The demo writes PDFs into
    # the user's cache folder.
    queue: str = ""
    pdf_dir: str = ""


class SpeechSection(NamedTuple):
    # auto: espeak-ng on Linux, the system's voices (Qt) on Windows and macOS; none: silent.
    engine: Literal["auto", "espeak-ng", "qt", "none"] = "auto"
    # Whether screens speak on their own from the start; residents can switch it either way.
    voice_mode: bool = False
    # The sound device speech plays through: a PulseAudio/PipeWire sink name
    # ("alsa_output.pci-0000_00_1f.3.analog-stereo", from `pactl list sinks short`), an ALSA
    # card ("hw:0", "PCH") or part of a device's description; "" for the system's default.
    device: str = ""
    # How a plugged headset is noticed: from PulseAudio/PipeWire's port availability
    # ("pactl"), ALSA's jack controls ("amixer"), whichever answers ("auto"), or not ("none":
    # speech then never says personal data, as through the loudspeaker).
    headset: Literal["auto", "pactl", "amixer", "none"] = "auto"


class ScannerSection(NamedTuple):
    # The e-code scanner (the electronic social security card's QR code, Art. 2): "serial"
    # (a serial line or a USB scanner in its virtual COM mode), "hid" (a USB scanner that types
    # like a keyboard) or "none". The demo's dev panel holds its phone up to a simulated one.
    kind: ScannerKind = "none"
    # serial: the device ("/dev/ttyACM0", a stable "/dev/serial/by-id/..." link, "COM3").
    port: str = ""
    speed: int = 9600
    # hid: what the scanner types before and after each code, as set in the scanner's own
    # configuration. A prefix no resident types keeps a code's digits off the screen at once.
    prefix: str = ""
    suffix: str = "\r"


class Config(NamedTuple):
    kiosk: KioskSection = KioskSection()
    display: DisplaySection = DisplaySection()
    platform: PlatformSection = PlatformSection()
    card_reader: CardReaderSection = CardReaderSection()
    speech: SpeechSection = SpeechSection()
    printer: PrinterSection = PrinterSection()
    scanner: ScannerSection = ScannerSection()
    a4printer: A4PrinterSection = A4PrinterSection()
    source: str = "<embedded defaults>"

    @property
    def is_demo(self) -> bool:
        return self.kiosk.mode == "demo"


def _sections() -> dict[str, type]:
    hints = typing.get_type_hints(Config)
    return {name: hints[name] for name in Config._fields if name != "source"}


def _type_name(expected: Any) -> str:
    if get_origin(expected) is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(expected))
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}[
        expected
    ]


def _check_value(key: str, value: Any, expected: Any) -> Any:
    if get_origin(expected) is Literal:
        if value not in get_args(expected):
            raise ConfigError(f"key '{key}': expected {_type_name(expected)}, got {value!r}")
        return value
    # bool is an int in Python, and TOML has both: keep them apart.
    ok = (
        isinstance(value, bool)
        if expected is bool
        else (
            isinstance(value, expected) and not isinstance(value, bool)
            if expected is not float
            else isinstance(value, int | float) and not isinstance(value, bool)
        )
    )
    if not ok:
        raise ConfigError(f"key '{key}': expected {_type_name(expected)}, got {value!r}")
    return float(value) if expected is float else value


def _check_limits(config: Config) -> None:
    k = config.kiosk
    if not (320 <= k.window_width <= 7680 and 240 <= k.window_height <= 4320):
        raise ConfigError("key 'kiosk.window_width/window_height': outside 320x240 to 7680x4320")
    if k.inactivity_warning_s < 30:
        # Requirement 16: at least 30 s to extend with one press.
        raise ConfigError("key 'kiosk.inactivity_warning_s': must be at least 30")
    if k.inactivity_timeout_s <= k.inactivity_warning_s:
        raise ConfigError(
            "key 'kiosk.inactivity_timeout_s': must be longer than kiosk.inactivity_warning_s"
        )
    if k.admin_pin_hash:
        from kiosk.domain.admin_pin import is_pin_hash

        if not is_pin_hash(k.admin_pin_hash):
            raise ConfigError("key 'kiosk.admin_pin_hash': not a hash made by `kiosk admin-pin`")
    if not 0 <= k.debounce_s <= 0.1:
        raise ConfigError(
            "key 'kiosk.debounce_s': expected 0 to 0.1 seconds (a key's bounce); the long"
            " debounce for unsteady hands is kiosk.long_debounce_s"
        )
    if not 0.1 <= k.long_debounce_s <= 0.5:
        raise ConfigError("key 'kiosk.long_debounce_s': expected 0.1 to 0.5 seconds")
    from kiosk.domain.hall_time import UnknownZone, load_zone

    try:
        load_zone(k.timezone)
    except UnknownZone:
        raise ConfigError(
            f"key 'kiosk.timezone': no time zone {k.timezone!r} (a name like 'Asia/Shanghai')"
        ) from None
    if config.display.dpi and not 50 <= config.display.dpi <= 600:
        raise ConfigError("key 'display.dpi': expected 0 (ask the screen) or 50 to 600")
    if config.platform.timeout_s <= 0:
        raise ConfigError("key 'platform.timeout_s': must be more than 0")
    _check_scanner(config.scanner)
    if config.card_reader.reader_pattern:
        import re

        try:
            re.compile(config.card_reader.reader_pattern)
        except re.error as error:
            raise ConfigError(
                f"key 'card_reader.reader_pattern': not a pattern ({error})"
            ) from None


def _check_scanner(scanner: ScannerSection) -> None:
    if scanner.kind == "serial" and not scanner.port:
        raise ConfigError("key 'scanner.port': a serial scanner needs its port")
    if scanner.speed not in SERIAL_SPEEDS:
        speeds = ", ".join(str(speed) for speed in SERIAL_SPEEDS)
        raise ConfigError(f"key 'scanner.speed': expected one of {speeds}")
    if not scanner.suffix:
        raise ConfigError("key 'scanner.suffix': must not be empty (it ends each code)")
    if not scanner.prefix.isprintable():
        raise ConfigError("key 'scanner.prefix': only characters a keyboard types")


def from_mapping(data: dict[str, Any], source: str = "<mapping>") -> Config:
    known = _sections()
    sections: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            raise ConfigError(f"unknown section '{name}' (known: {', '.join(known)})")
        if not isinstance(value, dict):
            raise ConfigError(f"key '{name}': expected a [{name}] table")
        section_type = known[name]
        hints = typing.get_type_hints(section_type)
        values: dict[str, Any] = {}
        for key, item in value.items():
            if key not in hints:
                raise ConfigError(f"unknown key '{name}.{key}'")
            values[key] = _check_value(f"{name}.{key}", item, hints[key])
        sections[name] = section_type(**values)
    config = Config(**sections, source=source)
    _check_limits(config)
    return config


def load(path: Path) -> Config:
    """Reads and checks a config file; every problem is a ConfigError naming the file."""
    import tomllib  # only a deployed kiosk reads a file: the demo starts without the parser

    try:
        with path.open("rb") as fp:
            data = tomllib.load(fp)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise ConfigError(f"{path}: not allowed to read it") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    try:
        return from_mapping(data, source=str(path))
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None


def defaults() -> Config:
    return Config()


__all__ = ["Config", "ConfigError", "defaults", "from_mapping", "load"]
