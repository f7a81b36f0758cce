"""The hall's devices as the config names them, started for the second phase of the start:
the card reader, the printers, the voice, the headset jack and the e-code scanner."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from kiosk.accessibility.voice import ThreadWorker, VoiceGuide
from kiosk.devices.a4printer.printers import make_a4_printer
from kiosk.devices.card.factory import make_card_reader
from kiosk.devices.printer.factory import make_receipt_printer
from kiosk.devices.scanner.factory import make_ecode_scanner
from kiosk.devices.scanner.keyboard_wedge import KeyboardWedgeScanner
from kiosk.devices.speech.factory import make_speech
from kiosk.devices.speech.headset import SimulatedHeadset, make_headset_detector
from kiosk.domain.errors import PrinterError
from kiosk.domain.receipt import PaperWidth
from kiosk.ui.scanner_keys import WedgeKeyFilter

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.devices.card.interface import CardReader
    from kiosk.devices.printer.interface import ReceiptPrinter
    from kiosk.devices.scanner.interface import ECodeScanner
    from kiosk.devices.speech.interface import HeadsetDetector
    from kiosk.flows.ports import A4Printer
    from kiosk.flows.session import SessionFlow
    from kiosk.i18n import Translations
    from kiosk.ui.bridge import QtDispatcher

log = logging.getLogger("kiosk")
Post = Callable[[Callable[[], None]], None]


def make_reader(config: Config) -> CardReader:
    """The configured card reader; a demo resets a blocked PIN on its simulated chip."""
    section = config.card_reader
    return make_card_reader(
        section.kind,
        section.reader_pattern or None,
        section.secure_access,
        "simulated" if config.is_demo else section.pin_reset,
    )


def make_printer(config: Config) -> ReceiptPrinter | None:
    """The receipt printer the config names; None (documents shown as QR codes) if none or
    if its address is wrong, which is logged for the operators."""
    if not config.printer.uri:
        return None
    try:
        return make_receipt_printer(config.printer.uri, PaperWidth(config.printer.width_mm))
    except PrinterError as error:
        log.error("no receipt printer: %s", type(error).__name__)
        return None


def make_a4printer(config: Config, font_family: str, cache_dir: Path) -> A4Printer | None:
    """The hall's A4 printer the config names (a CUPS queue, or a PDF folder); the demo without
    one writes PDFs into the cache folder, so the choice of A4 or slip can be tried."""
    pdf_dir = config.a4printer.pdf_dir
    if config.is_demo and not config.a4printer.queue and not pdf_dir:
        pdf_dir = str(cache_dir / "a4")
    return make_a4_printer(config.a4printer.queue, pdf_dir, font_family)


def start_voice_guide(
    config: Config, translations: Translations, dispatcher: QtDispatcher, cache: Path
) -> VoiceGuide:
    """The voice guide, with the configured engine; fixed prompts are made ahead of time on a
    background thread so that screens speak at once."""
    speech = make_speech(config.speech.engine, cache_folder=cache, device=config.speech.device)
    guide = VoiceGuide(
        translations,
        speech.engine,
        speech.player,
        cache=speech.cache,
        worker=ThreadWorker(dispatcher.post),
        language=config.kiosk.language,
        voice_mode=config.speech.voice_mode,
    )
    guide.prewarm(translations.fixed_message_ids())
    return guide


def start_headset(
    config: Config, guide: VoiceGuide, post: Post, *, simulated: bool
) -> HeadsetDetector | None:
    """Headset detection from the sound system (the dev panel's simulated jack in the demo),
    told to the voice guide on the screen's thread: with a headset in, speech may say the
    resident's own data (requirement 5, Art. 13)."""
    detector: HeadsetDetector | None
    if simulated:
        detector = SimulatedHeadset()
    else:
        try:
            detector = make_headset_detector(config.speech.headset, config.speech.device)
        except ValueError as error:
            log.error("no headset detection: %s", error)
            detector = None
    if detector is None:
        return None
    detector.start(lambda plugged: post(lambda: guide.set_private(plugged)))
    return detector


class ScannerToFlow:
    """Scanner events (on the scanner's thread) posted to the flow on the screen's thread, and
    whether the scanner answers, for the service menu and the heartbeat."""

    def __init__(self, post: Post, flow: SessionFlow) -> None:
        self._post = post
        self._flow = flow
        self.available: bool | None = None

    def scanner_changed(self, available: bool) -> None:
        if available != self.available:
            log.info("the e-code scanner is %s", "connected" if available else "not connected")
        self.available = available

    def code_scanned(self, raw: str) -> None:
        self._post(lambda: self._flow.ecode_scanned(raw))


def start_scanner(
    config: Config, post: Post, flow: SessionFlow, *, demo_panel: bool
) -> tuple[ECodeScanner, ScannerToFlow] | None:
    """The configured e-code scanner, started; in a demo without one, the dev panel's simulated
    scanner. A keyboard-wedge scanner reads the keys the screen receives (WedgeKeyFilter)."""
    section = config.scanner
    if section.kind == "none":
        if not demo_panel:
            return None
        scanner = make_ecode_scanner("simulated")
    else:
        scanner = make_ecode_scanner(
            section.kind,
            section.port,
            section.speed,
            prefix=section.prefix,
            suffix=section.suffix,
        )
    link = ScannerToFlow(post, flow)
    if section.kind == "hid":
        app = QApplication.instance()
        assert isinstance(scanner, KeyboardWedgeScanner) and app is not None
        app.installEventFilter(WedgeKeyFilter(scanner, app))
    scanner.start(link)
    return scanner, link
