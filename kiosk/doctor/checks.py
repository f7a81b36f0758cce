"""The checks of `kiosk doctor`, one function each, from a Config to a Check.

A check never raises: whatever goes wrong is its finding. Details are for the technician
installing the kiosk and name devices, addresses and reasons, never a resident's data.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import errno
import ipaddress
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from kiosk.config import Config

Status = Literal["ok", "warning", "fault", "absent"]

# Beyond these, dates printed on certificates and the TLS handshake go wrong.
CLOCK_WARNING_S = 30.0
CLOCK_FAULT_S = 300.0
# The outbox keeps what residents file while the platform is unreachable (Art. 16).
DISK_FAULT_BYTES = 100 * 1024 * 1024
DISK_WARNING_BYTES = 1024 * 1024 * 1024
# A certificate that ends this soon is a warning: renewing it takes the operators time.
CERT_WARNING_DAYS = 30


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "status": self.status, "detail": self.detail}


def _error_name(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# --- the card reader and the card ----------------------------------------------------------


class _ScardTransport:
    """One connected card, as kiosk.devices.card.protocol's Transport."""

    def __init__(self, scard: Any, card: Any, protocol: int) -> None:
        self._scard = scard
        self._card = card
        self._pci = (
            scard.SCARD_PCI_T0 if protocol == scard.SCARD_PROTOCOL_T0 else (scard.SCARD_PCI_T1)
        )

    def transmit(self, apdu: bytes | bytearray) -> bytes:
        hresult, response = self._scard.SCardTransmit(self._card, self._pci, list(apdu))
        if hresult != self._scard.SCARD_S_SUCCESS:
            raise OSError(self._scard.SCardGetErrorMessage(hresult))
        return bytes(response)


def check_card_reader(config: Config) -> Check:
    """The PC/SC readers the kiosk would use, and the card in the first one that has one: its
    ATR and whether it holds the social security application (SELECT only, no record read)."""
    name = "card_reader"
    if config.card_reader.kind == "simulated":
        return Check(name, "absent", "card_reader.kind is 'simulated': no reader is used")
    try:
        from smartcard import scard
    except ImportError as error:
        return Check(name, "fault", f"pyscard does not load ({_error_name(error)})")
    from kiosk.devices.card.pcsc import select_readers

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return Check(
            name,
            "fault",
            "no PC/SC service (is pcscd running? systemctl enable --now pcscd.socket): "
            + scard.SCardGetErrorMessage(hresult),
        )
    try:
        hresult, names = scard.SCardListReaders(context, [])
        listed = list(names) if hresult == scard.SCARD_S_SUCCESS else []
        readers = select_readers(listed, config.card_reader.reader_pattern or None)
        if not readers:
            pattern = config.card_reader.reader_pattern
            others = (
                f"; present but not matching {pattern!r}: {', '.join(listed)}" if listed else ""
            )
            return Check(name, "fault", f"no card reader{others}")
        findings = []
        for reader in readers:
            found = _card_in(scard, context, reader)
            if found is None:
                findings.append(f"{reader}: no card")
                continue
            status, detail = found
            text = f"{reader}: {detail}"
            if status == "ok":
                return Check(name, "ok", text)
            return Check(name, status, text)
        return Check(
            name,
            "warning",
            "; ".join(findings) + " (insert a social security card to check it)",
        )
    finally:
        scard.SCardReleaseContext(context)


def _card_in(scard: Any, context: Any, reader: str) -> tuple[Status, str] | None:
    from kiosk.devices.card.protocol import select
    from kiosk.domain.errors import CardError

    hresult, card, protocol = scard.SCardConnect(
        context,
        reader,
        scard.SCARD_SHARE_SHARED,
        scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
    )
    if hresult in (scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD):
        return None
    if hresult != scard.SCARD_S_SUCCESS:
        return "fault", f"the card does not answer ({scard.SCardGetErrorMessage(hresult)})"
    try:
        hresult, _reader, _state, _protocol, atr = scard.SCardStatus(card)
        atr_text = bytes(atr).hex(" ").upper() if hresult == scard.SCARD_S_SUCCESS else "?"
        try:
            select(_ScardTransport(scard, card, protocol))
        except CardError as error:
            return "fault", f"card ATR {atr_text}; not a social security card ({error.message_id})"
        except OSError as error:
            return "fault", f"card ATR {atr_text}; the SELECT failed ({error})"
        return "ok", f"card ATR {atr_text}; social security application found"
    finally:
        scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)


# --- printers ------------------------------------------------------------------------------


def check_receipt_printer(config: Config) -> Check:
    """The receipt printer's real-time status (DLE EOT): online, paper, cover, errors."""
    name = "receipt_printer"
    uri = config.printer.uri
    if not uri:
        return Check(name, "absent", "no receipt printer configured: documents go to a QR code")
    if uri == "sim":
        return Check(name, "warning", "the demo's simulated printer is configured (printer.uri)")
    from kiosk.devices.printer.factory import make_receipt_printer
    from kiosk.domain.errors import PrinterError
    from kiosk.domain.receipt import PaperLevel, PaperWidth

    try:
        printer = make_receipt_printer(uri, PaperWidth(config.printer.width_mm))
    except PrinterError as error:
        return Check(name, "fault", f"{uri}: {error}")
    try:
        status = printer.status()
    except Exception as error:  # a driver's surprise is a finding, not a crash
        return Check(name, "fault", f"{printer.name}: {_error_name(error)}")
    finally:
        printer.close()
    where = printer.name
    if not status.answered:
        if status.online is False:
            return Check(name, "fault", f"{where}: not reachable")
        return Check(name, "warning", f"{where}: takes data but does not answer status (DLE EOT)")
    problems = []
    if status.online is False:
        problems.append("offline")
    if status.cover_open:
        problems.append("cover open")
    if status.paper is PaperLevel.OUT:
        problems.append("paper out")
    if status.error:
        problems.append("error (cutter jam or unrecoverable)")
    if problems:
        return Check(name, "fault", f"{where}: " + ", ".join(problems))
    if status.paper is PaperLevel.NEAR_END:
        return Check(name, "warning", f"{where}: online, paper near its end")
    return Check(name, "ok", f"{where}: online, paper {status.paper.value}, cover closed")


_LPSTAT_LINE = re.compile(r"^printer (?P<queue>\S+) (?P<state>is idle|now printing|disabled)")


def parse_lpstat(text: str, queue: str) -> tuple[Status, str] | None:
    """`lpstat -p QUEUE` (C locale): the queue's state; None if it is not listed."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = _LPSTAT_LINE.match(line)
        if not match or match["queue"] != queue:
            continue
        if match["state"] == "disabled":
            reason = lines[index + 1].strip() if index + 1 < len(lines) else ""
            return "fault", f"queue {queue} is disabled" + (f" ({reason})" if reason else "")
        return "ok", f"queue {queue} {match['state']}"
    return None


def check_a4_printer(config: Config) -> Check:
    """The A4 printer's CUPS queue, where the configuration names one."""
    name = "a4_printer"
    section = getattr(config, "a4printer", None)
    queue = ""
    for key in ("queue", "printer", "name"):
        queue = str(getattr(section, key, "") or "") if section is not None else ""
        if queue:
            break
    if not queue:
        return Check(name, "absent", "no A4 printer configured")
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return Check(name, "fault", "lpstat is not installed (the cups-client package)")
    try:
        done = subprocess.run(
            [lpstat, "-p", queue],
            capture_output=True,
            text=True,
            timeout=10,
            env={**os.environ, "LC_ALL": "C", "LANG": "C"},
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return Check(name, "fault", f"lpstat failed: {_error_name(error)}")
    found = parse_lpstat(done.stdout, queue)
    if found is None:
        said = (done.stderr or done.stdout).strip().splitlines()
        return Check(name, "fault", said[0] if said else f"no CUPS queue {queue}")
    return Check(name, found[0], found[1])


# --- the scanner ---------------------------------------------------------------------------


def check_scanner(config: Config) -> Check:
    name = "scanner"
    section = config.scanner
    if section.kind == "none":
        return Check(name, "absent", "no e-code scanner configured")
    if section.kind == "hid":
        keyboards = keyboard_devices()
        if keyboards is None:
            return Check(name, "warning", "keyboard-wedge scanner: scan a code to check it")
        if not keyboards:
            return Check(name, "fault", "keyboard-wedge scanner: no keyboard-type USB device")
        return Check(
            name,
            "ok",
            "keyboard-wedge scanner; keyboard-type devices: "
            + ", ".join(keyboards)
            + " (scan a code on the first screen to finish the check)",
        )
    try:
        import importlib

        serial = importlib.import_module("serial")  # pyserial ships no type hints
        port = serial.serial_for_url(section.port, baudrate=section.speed, timeout=0.1)
    except ImportError:
        return Check(name, "fault", "pyserial is not installed")
    except Exception as error:  # SerialException and the OSError under it
        number = getattr(error, "errno", None)
        reason = os.strerror(number) if isinstance(number, int) else _error_name(error)
        hint = " (add the kiosk's user to the dialout group)" if number == errno.EACCES else ""
        return Check(name, "fault", f"{section.port}: cannot open: {reason}{hint}")
    port.close()
    return Check(name, "ok", f"{section.port} opens at {section.speed} baud")


def keyboard_devices(devices_file: Path = Path("/proc/bus/input/devices")) -> list[str] | None:
    """Input devices that type keys, by name, from the Linux input list; None elsewhere."""
    try:
        text = devices_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = []
    for block in text.split("\n\n"):
        name = re.search(r'^N: Name="(.*)"$', block, re.MULTILINE)
        handlers = re.search(r"^H: Handlers=(.*)$", block, re.MULTILINE)
        bus = re.search(r"^I: Bus=(\w+)", block, re.MULTILINE)
        # Bus 0003 is USB: a scanner, not the power button or the laptop's own keyboard.
        if name and handlers and "kbd" in handlers[1].split() and bus and bus[1] == "0003":
            found.append(name[1])
    return found


# --- sound ---------------------------------------------------------------------------------


def check_sound(
    config: Config, outputs: Callable[[], list[tuple[str, str]]] | None = None
) -> Check:
    """The sound outputs speech can play through (as Qt, which plays it, sees them), and the
    configured one among them."""
    name = "sound"
    if config.speech.engine == "none":
        return Check(name, "absent", "speech.engine is 'none': the kiosk is silent")
    try:
        listed = (outputs or _qt_outputs)()
    except ImportError as error:
        return Check(name, "fault", f"Qt Multimedia does not load ({_error_name(error)})")
    cards = alsa_cards()
    cards_text = f"; ALSA cards: {', '.join(cards)}" if cards else ""
    if not listed:
        return Check(
            name,
            "fault",
            f"no sound output: speech cannot be heard{cards_text or '; no ALSA card'}",
        )
    from kiosk.devices.speech.qt_player import choose_output

    wanted = config.speech.device
    if wanted:
        index = choose_output(wanted, listed)
        if index is None:
            names = ", ".join(description for _id, description in listed)
            return Check(name, "fault", f"speech.device {wanted!r} is not among: {names}")
        return Check(name, "ok", f"speech plays through {listed[index][1]}")
    return Check(
        name,
        "ok",
        f"speech plays through the default output; outputs: "
        f"{', '.join(d for _i, d in listed)}{cards_text}",
    )


def _qt_outputs() -> list[tuple[str, str]]:
    from kiosk.devices.speech.qt_player import _output_list

    _gui_application()
    return _output_list()


def alsa_cards(cards_file: Path = Path("/proc/asound/cards")) -> list[str]:
    """The ALSA sound cards by name, from the kernel's list ("N [id]: driver - name")."""
    try:
        text = cards_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [
        match[1].strip()
        for match in re.finditer(r"^\s*\d+ \[[^\]]*\]: \S+ - (.*)$", text, re.MULTILINE)
    ]


def check_headset(config: Config) -> Check:
    name = "headset"
    from kiosk.devices.speech.headset import make_headset_detector

    try:
        detector = make_headset_detector(config.speech.headset, config.speech.device)
    except ValueError as error:
        return Check(name, "fault", str(error))
    if detector is None:
        return Check(
            name,
            "absent",
            "no headset detection (speech.headset, or not Linux): private data is never spoken",
        )
    state = detector.read_now()
    if state is None:
        return Check(
            name,
            "warning",
            f"{detector.name} cannot tell whether a headset is plugged in: "
            "private data will never be spoken",
        )
    return Check(
        name, "ok", f"{detector.name}: headset {'plugged in' if state else 'not plugged in'}"
    )


# --- fonts ---------------------------------------------------------------------------------


def check_fonts(config: Config) -> Check:
    """Every text of both catalogs in the bundled font, as the kiosk checks before starting."""
    name = "fonts"
    try:
        _gui_application()
        from kiosk.i18n import Translations
        from kiosk.ui.fonts import load_fonts, missing_characters

        family = load_fonts()
    except Exception as error:  # FontProblem, a missing Qt library
        return Check(name, "fault", _error_name(error))
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kiosk-doctor-") as folder:
        translations = Translations(Path(folder))
        try:
            missing = missing_characters(translations.all_texts(), family)
        except Exception as error:
            return Check(name, "fault", _error_name(error))
    if missing:
        shown = "".join(sorted(missing))[:20]
        return Check(name, "fault", f"{family} cannot draw {len(missing)} characters: {shown}")
    return Check(name, "ok", f"{family} draws every text in both languages")


def _gui_application() -> Any:
    """A Qt application for the font and sound checks; offscreen when there is no screen (the
    doctor is often run over a remote shell)."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        # Qt's own chatter (multimedia back-ends it could not load) is not the doctor's finding:
        # the checks say what matters in their own words.
        def quiet(kind: QtMsgType, _context: object, _message: str) -> None:
            del kind

        qInstallMessageHandler(quiet)
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([sys.argv[0]])
    return app


# --- the platform --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformLook:
    reachable: Check
    clock: Check


def check_platform(
    config: Config, now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
) -> PlatformLook:
    """The platform's health endpoint over the configured transport (TLS verified against the
    configured CA), its certificate's expiry, and the clock against the platform's Date."""
    url = config.platform.url
    if url == "embedded":
        absent = "platform.url is 'embedded' (the demo's own platform)"
        return PlatformLook(Check("platform", "absent", absent), Check("clock", "absent", absent))
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        bad = f"platform.url {url!r} is not an http(s) address"
        return PlatformLook(Check("platform", "fault", bad), Check("clock", "absent", bad))
    if parts.scheme == "http" and not _loopback(host):
        bad = "plain http is refused except to this machine; use https"
        return PlatformLook(Check("platform", "fault", bad), Check("clock", "absent", bad))
    import requests

    from kiosk.api_contract import API_PREFIX

    health = url.rstrip("/") + API_PREFIX + "/health"
    ca_file = config.platform.ca_file
    if ca_file and not Path(ca_file).is_file():
        bad = f"platform.ca_file {ca_file} is not there: TLS cannot be verified"
        return PlatformLook(Check("platform", "fault", bad), Check("clock", "absent", bad))
    verify: bool | str = ca_file or True
    try:
        answer = requests.get(health, timeout=config.platform.timeout_s, verify=verify)
        received = now()
    except requests.exceptions.SSLError as error:
        tls = f"{host}: the TLS certificate is not trusted ({_ssl_reason(error)})"
        return PlatformLook(Check("platform", "fault", tls), Check("clock", "absent", tls))
    except requests.RequestException as error:
        down = f"{health}: not reachable ({type(error).__name__})"
        return PlatformLook(Check("platform", "fault", down), Check("clock", "absent", down))
    if answer.status_code != 200:
        said = f"{health}: answered HTTP {answer.status_code}"
        return PlatformLook(Check("platform", "fault", said), Check("clock", "absent", said))
    detail = f"{health}: reachable"
    status: Status = "ok"
    if parts.scheme == "https":
        tls_status, tls_detail = _tls_look(host, parts.port or 443, config, received)
        detail += f"; {tls_detail}"
        status = tls_status
    else:
        detail += " (plain http on this machine)"
    return PlatformLook(Check("platform", status, detail), _clock_check(answer, received))


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _ssl_reason(error: BaseException) -> str:
    text = str(error)
    match = re.search(r"certificate verify failed: ([^(')]*)", text)
    return match[1].strip() if match else type(error).__name__


def _tls_look(host: str, port: int, config: Config, now: dt.datetime) -> tuple[Status, str]:
    context = ssl.create_default_context(cafile=config.platform.ca_file or None)
    try:
        with (
            socket.create_connection((host, port), timeout=config.platform.timeout_s) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            version = tls.version() or "TLS"
            cert = tls.getpeercert() or {}
    except (OSError, ssl.SSLError) as error:
        return "fault", f"TLS: {_error_name(error)}"
    not_after = cert.get("notAfter")
    if not isinstance(not_after, str):
        return "ok", f"{version}, certificate verified"
    ends = dt.datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), dt.UTC)
    days = (ends - now).days
    text = f"{version}, certificate verified, valid until {ends:%Y-%m-%d} ({days} days)"
    return ("warning" if days < CERT_WARNING_DAYS else "ok"), text


def _clock_check(answer: Any, received: dt.datetime) -> Check:
    date = answer.headers.get("Date")
    if not date:
        return Check("clock", "warning", "the platform sent no Date: the clock is not checked")
    try:
        theirs = email.utils.parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return Check("clock", "warning", f"the platform's Date {date!r} cannot be read")
    # Date has whole seconds: up to a second of difference is the header's rounding.
    difference = (received - theirs).total_seconds()
    size = abs(difference)
    side = "ahead of" if difference > 0 else "behind"
    text = f"{size:.0f} s {side} the platform" if size >= 1.5 else "agrees with the platform"
    if size >= CLOCK_FAULT_S:
        return Check("clock", "fault", f"{text}: set the time (NTP) before opening")
    if size >= CLOCK_WARNING_S:
        return Check("clock", "warning", text)
    return Check("clock", "ok", text)


# --- the outbox ----------------------------------------------------------------------------


def outbox_folder() -> Path:
    from platformdirs import user_data_path

    from kiosk.assembly.paths import APP_NAME

    return user_data_path(APP_NAME)


def check_disk(folder: Path | None = None) -> Check:
    """Free space where the outbox keeps what residents file while the platform is away."""
    name = "outbox_disk"
    target = folder or outbox_folder()
    existing = target
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        usage = shutil.disk_usage(existing)
    except OSError as error:
        return Check(name, "fault", f"{target}: {_error_name(error)}")
    free_mb = usage.free // (1024 * 1024)
    writable = os.access(existing, os.W_OK)
    text = f"{target}: {free_mb} MB free"
    if not writable:
        return Check(name, "fault", f"{text}, but not writable by this user")
    if usage.free < DISK_FAULT_BYTES:
        return Check(name, "fault", f"{text}: under {DISK_FAULT_BYTES // 2**20} MB")
    if usage.free < DISK_WARNING_BYTES:
        return Check(name, "warning", f"{text}: under {DISK_WARNING_BYTES // 2**20} MB")
    return Check(name, "ok", text)


def run_all(config: Config) -> list[Check]:
    """Every check, in the order a technician works through the machine."""

    def safely(name: str, check: Callable[[], Check]) -> Check:
        # A check that breaks is itself a finding; the technician never sees a traceback.
        try:
            return check()
        except Exception as error:
            return Check(name, "fault", f"the check itself failed: {_error_name(error)}")

    try:
        platform = check_platform(config)
    except Exception as error:
        failed = Check("platform", "fault", f"the check itself failed: {_error_name(error)}")
        platform = PlatformLook(failed, Check("clock", "absent", "the platform was not reached"))
    return [
        safely("card_reader", lambda: check_card_reader(config)),
        safely("receipt_printer", lambda: check_receipt_printer(config)),
        safely("a4_printer", lambda: check_a4_printer(config)),
        safely("scanner", lambda: check_scanner(config)),
        safely("sound", lambda: check_sound(config)),
        safely("headset", lambda: check_headset(config)),
        safely("fonts", lambda: check_fonts(config)),
        platform.reachable,
        platform.clock,
        safely("outbox_disk", check_disk),
    ]
