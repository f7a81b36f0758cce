"""The composition root: configuration -> devices, platform client, flows, window.

Whether each device is real or simulated is decided here and nowhere else (the VxSuite rule).
The first frame is painted before anything slow starts: the reference platform, the card
reader and the platform client come up once the attract screen shows.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kiosk.config import Config, ConfigError, defaults, load
from kiosk.domain.errors import PlatformUnavailable

if TYPE_CHECKING:
    import argparse

    from PySide6.QtGui import QScreen
    from PySide6.QtWidgets import QWidget

    from kiosk.accessibility.profile import Profile
    from kiosk.accessibility.voice import VoiceGuide
    from kiosk.backend.client import PlatformClient
    from kiosk.backend.connection import PlatformConnection
    from kiosk.backend.outbox import Outbox
    from kiosk.devices.card.profile import CardProfile
    from kiosk.devices.card.simulated import SimulatedCardReader
    from kiosk.devices.printer.interface import ReceiptPrinter
    from kiosk.devices.scanner.interface import ECodeScanner
    from kiosk.devices.speech.interface import HeadsetDetector
    from kiosk.flows.ports import A4Printer
    from kiosk.flows.session import SessionFlow
    from kiosk.i18n import Translations
    from kiosk.server.embedded import EmbeddedServer
    from kiosk.ui.bridge import QtDispatcher, QtTaskRunner
    from kiosk.ui.dev_panel import DemoCard
    from kiosk.ui.window import KioskWindow

log = logging.getLogger("kiosk")
APP_NAME = "onecard-kiosk"
EXIT_CONFIG = 2
EXIT_START = 3
T = TypeVar("T")
# Set by bench/startup.py: report the first painted frame on stdout, then quit.
FIRST_FRAME_ENV = "KIOSK_REPORT_FIRST_FRAME"


# --- the command line ----------------------------------------------------------------------


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, type=Path, metavar="FILE")
    parser.add_argument("--fullscreen", action="store_true", help="fill the screen (a kiosk)")


def add_demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="FILE", help="override the demo defaults")


def run_run(args: argparse.Namespace) -> int:
    try:
        config = load(args.config)
        check_printer_uri(config)
    except ConfigError as error:
        print(f"kiosk: config {error}", file=sys.stderr)
        return EXIT_CONFIG
    return run_kiosk(config, fullscreen=args.fullscreen or config.kiosk.fullscreen)


def check_printer_uri(config: Config) -> None:
    """A mistyped printer address is a configuration error, said before the kiosk starts."""
    if not config.printer.uri:
        return
    from kiosk.devices.printer.factory import parse_printer_uri
    from kiosk.domain.errors import PrinterError

    try:
        parse_printer_uri(config.printer.uri)
    except PrinterError as error:
        raise ConfigError(f"{config.source}: key 'printer.uri': {error}") from None


def run_demo(args: argparse.Namespace | None) -> int:
    config = defaults()
    if args is not None and args.config is not None:
        try:
            config = load(args.config)
        except ConfigError as error:
            print(f"kiosk: config {error}", file=sys.stderr)
            return EXIT_CONFIG
    return run_kiosk(config, fullscreen=config.kiosk.fullscreen)


# --- the platform --------------------------------------------------------------------------


def open_outbox(platform: PlatformClient) -> Outbox:
    """Submissions wait here, on disk, until the platform has them (Art. 16: nothing a resident
    files is lost to a network outage). It starts sending once the platform is reached."""
    from kiosk.backend.outbox import Outbox

    def where() -> Path:
        from platformdirs import user_data_path

        return user_data_path(APP_NAME) / "outbox.sqlite3"

    return Outbox(where, platform)


def platform_connection(
    config: Config,
    cache_dir: Path,
    on_connected: Callable[[PlatformClient], None] | None = None,
) -> PlatformConnection:
    """The platform's client, to be reached once started: the embedded reference server, or
    the configured URL."""
    from kiosk.backend.client import PlatformClient
    from kiosk.backend.connection import PlatformConnection
    from kiosk.backend.transport import Endpoint

    servers: list[EmbeddedServer] = []
    client = PlatformClient.reached_later(
        timeout_s=config.platform.timeout_s,
        cache_dir=cache_dir,
        ca_bundle=config.platform.ca_file or None,
    )

    def embedded(closing: threading.Event) -> Endpoint:
        from kiosk.server.embedded import EmbeddedServer

        if closing.is_set():
            raise PlatformUnavailable()
        server = EmbeddedServer.start()
        servers.append(server)
        url = server.wait_ready(timeout_s=60.0)
        return Endpoint(url, server.kiosk_id, server.kiosk_key)

    def configured(closing: threading.Event) -> Endpoint:
        key = Path(config.platform.kiosk_key_file).read_text(encoding="utf-8").strip()
        return Endpoint(config.platform.url, config.kiosk.id, key)

    connect = embedded if config.platform.url == "embedded" else configured
    return PlatformConnection(client, connect, servers, on_connected)


# --- the demo deck -------------------------------------------------------------------------


def _demo_cards(profiles: dict[str, CardProfile]) -> list[DemoCard]:
    """The dev panel's cards, with each holder's demo e-code and ID number (demo data)."""
    from kiosk.server.demo import demo_ecode, demo_ecode_digits
    from kiosk.ui.dev_panel import DemoCard

    return [
        DemoCard(
            key,
            p.label,
            p.pin,
            ecode=demo_ecode(p.card.number),
            id_number=p.holder.ssn,
            ecode_digits=demo_ecode_digits(p.card.number),
        )
        for key, p in sorted(profiles.items())
    ]


class ScannerToFlow:
    """Scanner events (on the scanner's thread) posted to the flow on the screen's thread, and
    whether the scanner answers, for the service menu and the heartbeat."""

    def __init__(self, post: Callable[[Callable[[], None]], None], flow: SessionFlow) -> None:
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
    config: Config,
    post: Callable[[Callable[[], None]], None],
    flow: SessionFlow,
    *,
    demo_panel: bool,
) -> tuple[ECodeScanner, ScannerToFlow] | None:
    """The configured e-code scanner, started; in a demo without one, the dev panel's simulated
    scanner. A keyboard-wedge scanner reads the keys the screen receives (WedgeKeyFilter)."""
    from kiosk.devices.scanner.factory import make_ecode_scanner

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
        from PySide6.QtWidgets import QApplication

        from kiosk.devices.scanner.keyboard_wedge import KeyboardWedgeScanner
        from kiosk.ui.scanner_keys import WedgeKeyFilter

        app = QApplication.instance()
        assert isinstance(scanner, KeyboardWedgeScanner) and app is not None
        app.installEventFilter(WedgeKeyFilter(scanner, app))
    scanner.start(link)
    return scanner, link


class SimulatorDeck:
    """The dev panel's view of the simulated reader and the demo card profiles."""

    def __init__(self, reader: SimulatedCardReader) -> None:
        from kiosk.devices.card.profile import load_demo_profiles

        self._reader = reader
        self._profiles = load_demo_profiles()

    def cards(self) -> list[DemoCard]:
        return _demo_cards(self._profiles)

    def insert(self, key: str) -> None:
        if self._reader.inserted is not None:
            self._reader.remove()
        self._reader.insert(self._profiles[key])

    def remove(self) -> None:
        self._reader.remove()


class VirtualCardDeck:
    """The dev panel's view of vpcd: demo cards served through the real PC/SC stack.

    When pcscd runs with vsmartcard-vpcd (a development machine), the demo reads its cards the
    way a deployed kiosk does, through pcscd, and the dev panel is the hand that inserts them.
    """

    def __init__(self) -> None:
        from kiosk.devices.card.profile import load_demo_profiles

        self._profiles = load_demo_profiles()
        self._chips: dict[str, object] = {}
        self._emulator: object | None = None

    def cards(self) -> list[DemoCard]:
        return _demo_cards(self._profiles)

    def insert(self, key: str) -> None:
        from kiosk.devices.card.virtual_card import VirtualSocialSecurityCard
        from kiosk.devices.card.vpcd import VpcdCardEmulator, VpcdUnreachable

        self.remove()
        # One chip per card, kept across insertions: its PIN tries count down like a real one.
        chip = self._chips.setdefault(key, VirtualSocialSecurityCard(self._profiles[key]))
        assert isinstance(chip, VirtualSocialSecurityCard)
        emulator = VpcdCardEmulator(chip)
        try:
            emulator.insert(timeout=2.0)
        except VpcdUnreachable:
            log.warning("vpcd is not reachable: the demo card was not inserted")
            return
        self._emulator = emulator

    def remove(self) -> None:
        from kiosk.devices.card.vpcd import VpcdCardEmulator

        emulator, self._emulator = self._emulator, None
        if isinstance(emulator, VpcdCardEmulator):
            emulator.remove()


def only_virtual_readers() -> bool:
    """Whether every PC/SC reader present is vpcd's, which only the dev panel can fill."""
    from kiosk.devices.card.pcsc import matching_readers

    names = matching_readers(None)
    return bool(names) and all(name.startswith("Virtual PCD") for name in names)


# --- logging -------------------------------------------------------------------------------


def setup_logging(log_dir: Path) -> None:
    """A rotating file in the user's log folder. Personal data never reaches it: modules log
    status words, lengths, reason codes and step names, never card or holder values."""
    import logging.handlers  # here: its socket and pickle imports would delay the first frame

    root = logging.getLogger()
    if any(getattr(h, "_kiosk", False) for h in root.handlers):
        return
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler._kiosk = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


# --- the kiosk -----------------------------------------------------------------------------


def cache_folder() -> Path:
    """The kiosk's cache folder, as platformdirs names it. On Linux the XDG rule is applied
    here, which is all platformdirs does there, because importing it costs the first frame
    some 7 ms (tests/unit/test_cache_folder.py holds the two to the same answer)."""
    if sys.platform.startswith("linux"):
        # The XDG rule: $XDG_CACHE_HOME when it is an absolute path, else ~/.cache.
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):
            base = os.path.expanduser("~/.cache")
        return Path(base) / APP_NAME
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME)


def configured_profile(config: Config) -> Profile:
    """The profile each session starts from: the config's language, colours and print size."""
    from kiosk.accessibility.profile import Profile

    return Profile(
        language=config.kiosk.language,
        colour_mode=config.display.colour,
        size_mode=config.display.size,
    )


def screen_dpi(config: Config, screen: QScreen | None) -> float:
    """The panel's physical density, which turns the theme's millimetres into pixels: the
    config's, else the screen's own, else a typical kiosk panel's when the screen's is absurd."""
    from kiosk.accessibility.theme import FALLBACK_DPI

    dpi = config.display.dpi or (screen.physicalDotsPerInch() if screen else 0.0)
    return dpi if 50 <= dpi <= 600 else FALLBACK_DPI


def run_kiosk(config: Config, *, fullscreen: bool = False) -> int:
    try:
        return _run_kiosk(config, fullscreen, cache_folder())
    except Exception:
        log.exception("the kiosk stopped on an unexpected error")
        print("kiosk: stopped on an unexpected error; see the log for details", file=sys.stderr)
        return 1


def _run_kiosk(config: Config, fullscreen: bool, cache_dir: Path) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.devices.card.service import CardService
    from kiosk.domain import hall_time
    from kiosk.flows.session import SessionFlow
    from kiosk.i18n import LANGUAGES, CatalogMissing, Translations, po_path
    from kiosk.ui.bridge import QtDispatcher, QtTaskRunner
    from kiosk.ui.fonts import FontProblem, check_coverage_once, font_files, load_fonts
    from kiosk.ui.window import KioskWindow

    # The clock on screen and every date said or printed, in the hall's zone whatever the
    # operating system's is (config checked the name already).
    hall_time.use(hall_time.HallClock(config.kiosk.timezone))
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    translations = Translations(cache_dir / "translations")
    try:
        family = load_fonts()
        # Refuse to start rather than show a resident empty boxes (issue: fonts).
        check_coverage_once(
            translations.all_texts,
            [*font_files(), *(po_path(language) for language in LANGUAGES)],
            cache_dir / "font-coverage",
            family,
        )
    except (FontProblem, CatalogMissing) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_START

    dispatcher = QtDispatcher()
    runner = QtTaskRunner(dispatcher)
    card_service = CardService(dispatcher.post)
    connection = platform_connection(
        config, cache_dir / "platform", on_connected=lambda _client: outbox.start()
    )
    platform = connection.client
    outbox = open_outbox(platform)
    flow = SessionFlow(
        card_service,
        platform,
        runner,
        time.monotonic,
        timeout_s=config.kiosk.inactivity_timeout_s,
        warning_s=config.kiosk.inactivity_warning_s,
        privacy_notice=True,  # Art. 13
        outbox=outbox,
    )

    screen = app.primaryScreen()
    width, height = config.kiosk.window_width, config.kiosk.window_height
    scale = 1.0
    if screen is not None and not fullscreen:
        available = screen.availableGeometry()
        scale = min(1.0, available.width() / width, available.height() / height)
    window = KioskWindow(
        flow,
        translations,
        family,
        default_profile=configured_profile(config),
        dpi=screen_dpi(config, screen),
        design_size=(width, height),
        scale=scale,
        debounce_s=config.kiosk.debounce_s,
        long_debounce_s=config.kiosk.long_debounce_s,
        watch_presses=False,
    )
    window.setWindowTitle(translations.get(config.kiosk.language).text("header.title"))
    measuring_start_up = bool(os.environ.get(FIRST_FRAME_ENV))
    if measuring_start_up:
        after_first_paint(window, _report_first_frame)
    notify_service_manager(window)
    if config.kiosk.lock_down:
        _lock_down(window)
    if fullscreen or config.kiosk.lock_down:
        window.showFullScreen()
    else:
        window.show()

    panel = None
    stoppables: list[ECodeScanner | HeadsetDetector] = []

    def start_devices() -> None:
        nonlocal panel
        from platformdirs import user_log_path

        from kiosk.devices.card.factory import make_card_reader
        from kiosk.devices.card.simulated import SimulatedCardReader

        # The log file is opened after the first frame; before it, Python's last-resort
        # handler still prints any warning to standard error.
        setup_logging(user_log_path(APP_NAME))
        window.watch_presses()
        connection.start()
        reader = make_card_reader(
            config.card_reader.kind,
            config.card_reader.reader_pattern or None,
            config.card_reader.secure_access,
            "simulated" if config.is_demo else config.card_reader.pin_reset,
        )
        card_service.start(reader, flow)
        flow.printer = make_printer(config)
        flow.a4printer = make_a4printer(config, family, cache_dir)

        guide = start_voice_guide(config, translations, dispatcher, cache_dir / "speech")
        window.attach_guide(guide)
        deck: SimulatorDeck | VirtualCardDeck | None = None
        if config.is_demo and isinstance(reader, SimulatedCardReader):
            deck = SimulatorDeck(reader)
        elif config.is_demo and only_virtual_readers():
            deck = VirtualCardDeck()
        headset = start_headset(config, guide, dispatcher.post, simulated=deck is not None)
        if headset is not None:
            stoppables.append(headset)
        scanning = start_scanner(config, dispatcher.post, flow, demo_panel=deck is not None)
        if scanning is not None:
            stoppables.append(scanning[0])
        start_health_and_service(
            config,
            window,
            flow,
            runner,
            platform,
            scanner_available=(lambda: scanning[1].available) if scanning is not None else None,
        )
        if deck is not None:
            from kiosk.devices.scanner.simulated import SimulatedECodeScanner
            from kiosk.devices.speech.headset import SimulatedHeadset
            from kiosk.ui.dev_panel import DevPanel

            # The demo's e-code scanner: the dev panel holds a demo phone up to it.
            demo_scanner = scanning[0] if scanning is not None else None
            panel = DevPanel(
                deck,
                translations.get(config.kiosk.language),
                headset=headset.set if isinstance(headset, SimulatedHeadset) else None,
                printer=flow.printer,
                scan=(
                    demo_scanner.scan if isinstance(demo_scanner, SimulatedECodeScanner) else None
                ),
                text_messages=_demo_text_messages(platform, runner),
            )
            # At the window's right edge, whole: its width grows with the demo data it lists.
            panel.adjustSize()
            frame = window.geometry()
            panel.move(frame.right() - panel.width() - 16, frame.top() + 140)
            panel.show()
            QTimer.singleShot(500, lambda: _show_platform_url(panel, platform))

    if not measuring_start_up:
        # Devices and the platform come up after the first frame; a start-up measurement stops
        # at that frame, so it does not start them only to kill them again.
        after_first_paint(window, start_devices)
    try:
        return app.exec()
    finally:
        for device in stoppables:
            device.stop()
        card_service.close()
        runner.shutdown()
        outbox.close()
        connection.close()


def _lock_down(window: KioskWindow) -> None:
    """A walk-up kiosk's window: frameless, above every other window, closed only from the
    service menu. Qt's window flags are read here, after the start-up path has kept clear of
    the `Qt` namespace, because only a locked-down kiosk needs them."""
    from PySide6.QtCore import Qt

    window.setWindowFlags(
        window.windowFlags()
        | Qt.WindowType.FramelessWindowHint
        | Qt.WindowType.WindowStaysOnTopHint
    )
    window.lock_down()


def _service_pin_hash(config: Config) -> str:
    """The configured service PIN's hash; a demo kiosk without one takes the demo PIN."""
    if config.kiosk.admin_pin_hash:
        return config.kiosk.admin_pin_hash
    if config.is_demo:
        from kiosk.domain.admin_pin import DEMO_PIN, hash_pin

        return hash_pin(DEMO_PIN, iterations=10_000)
    return ""


def start_health_and_service(
    config: Config,
    window: KioskWindow,
    flow: SessionFlow,
    runner: QtTaskRunner,
    platform: PlatformClient,
    *,
    scanner_available: Callable[[], bool | None] | None = None,
) -> None:
    """The heartbeat to the platform's fleet view, and the staff's service menu over it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk import __version__
    from kiosk.domain import hall_time
    from kiosk.domain.admin_pin import pin_matches
    from kiosk.flows.health import HealthMonitor
    from kiosk.flows.service_menu import ServiceActions, ServiceMenu

    monitor = HealthMonitor(
        runner=runner,
        clock=time.monotonic,
        wall_clock=hall_time.now,
        platform=lambda: platform,
        printer=lambda: flow.printer,
        reader_available=lambda: flow.reader_available,
        outbox=lambda: flow.outbox,
        software_version=__version__,
        scanner_available=scanner_available,
    )
    beat = QTimer(window)
    beat.setInterval(1000)
    # A lambda, not the bound method: PySide holds a plain object's bound method weakly, and
    # without a service PIN nothing else keeps the monitor, so the heartbeat stopped at once.
    beat.timeout.connect(lambda: monitor.tick())
    beat.start()
    stored = _service_pin_hash(config)
    if not stored:
        log.info("no service PIN is configured: the service menu is off")
        return

    def exit_kiosk() -> None:
        log.info("the kiosk program was closed from the service menu")
        window.close_from_service_menu()
        QApplication.quit()

    menu = ServiceMenu(
        ServiceActions(
            check_pin=lambda pin: pin_matches(pin, stored),
            exit_kiosk=exit_kiosk,
            changed=window.refresh,
        ),
        monitor,
        time.monotonic,
    )
    window.attach_service_menu(menu)


def make_printer(config: Config) -> ReceiptPrinter | None:
    """The receipt printer the config names; None (documents shown as QR codes) if none or
    if its address is wrong, which is logged for the operators."""
    if not config.printer.uri:
        return None
    from kiosk.devices.printer.factory import make_receipt_printer
    from kiosk.domain.errors import PrinterError
    from kiosk.domain.receipt import PaperWidth

    try:
        return make_receipt_printer(config.printer.uri, PaperWidth(config.printer.width_mm))
    except PrinterError as error:
        log.error("no receipt printer: %s", type(error).__name__)
        return None


def make_a4printer(config: Config, font_family: str, cache_dir: Path) -> A4Printer | None:
    """The hall's A4 printer the config names (a CUPS queue, or a PDF folder); the demo without
    one writes PDFs into the cache folder, so the choice of A4 or slip can be tried."""
    from kiosk.devices.a4printer.printers import make_a4_printer

    pdf_dir = config.a4printer.pdf_dir
    if config.is_demo and not config.a4printer.queue and not pdf_dir:
        pdf_dir = str(cache_dir / "a4")
    return make_a4_printer(config.a4printer.queue, pdf_dir, font_family)


def start_voice_guide(
    config: Config, translations: Translations, dispatcher: QtDispatcher, cache: Path
) -> VoiceGuide:
    """The voice guide, with the configured engine; fixed prompts are made ahead of time on a
    background thread so that screens speak at once."""
    from kiosk.accessibility.voice import ThreadWorker, VoiceGuide
    from kiosk.devices.speech.factory import make_speech

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
    config: Config,
    guide: VoiceGuide,
    post: Callable[[Callable[[], None]], None],
    *,
    simulated: bool,
) -> HeadsetDetector | None:
    """Headset detection from the sound system (the dev panel's simulated jack in the demo),
    told to the voice guide on the screen's thread: with a headset in, speech may say the
    resident's own data (requirement 5, Art. 13)."""
    from kiosk.devices.speech.headset import SimulatedHeadset, make_headset_detector

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


def _demo_text_messages(
    platform: PlatformClient, runner: QtTaskRunner
) -> Callable[[Callable[[tuple[str, str] | None], None]], None]:
    """The dev panel's view of the demo platform's last one-time code (demo platform only)."""

    def fetch(show: Callable[[tuple[str, str] | None], None]) -> None:
        def job() -> tuple[str, str] | None:
            sent = platform.demo_loss_code()
            return (sent.phone_masked, sent.code) if sent is not None else None

        runner.run(job, show, lambda _error: show(None))

    return fetch


def _show_platform_url(panel: object, platform: PlatformClient) -> None:
    from PySide6.QtCore import QTimer

    from kiosk.ui.dev_panel import DevPanel

    assert isinstance(panel, DevPanel)
    if platform.base_url:
        panel.set_platform_url(platform.base_url)
    else:
        QTimer.singleShot(500, lambda: _show_platform_url(panel, platform))


def _report_first_frame() -> None:
    """For the start-up benchmark: the wall time of the first painted frame, then quit."""
    from PySide6.QtWidgets import QApplication

    # Wall time for the measurement, and this process's CPU time, which a busy machine
    # disturbs less, for reading the result.
    print(f"first-frame {time.time():.6f} cpu {time.process_time():.6f}", flush=True)
    # exit(), not quit(): Qt 6's quit() first asks every window to close, and a locked-down
    # kiosk's window refuses.
    QApplication.exit(0)


def notify_service_manager(window: QWidget) -> None:
    """When a service manager started the kiosk (NOTIFY_SOCKET is set): READY=1 once the
    window has painted, then WATCHDOG=1 from the event loop at half the watchdog time, so that
    a frozen screen stops the pings and the kiosk is restarted (kiosk.sd_notify)."""
    if not os.environ.get("NOTIFY_SOCKET"):
        return  # the usual desktop start: not even the socket module is loaded for it
    from PySide6.QtCore import QTimer

    from kiosk.sd_notify import ServiceNotifier

    notifier = ServiceNotifier.from_environment()
    if notifier is None:
        return

    def ready() -> None:
        notifier.ready()
        interval_s = notifier.watchdog_interval_s
        if interval_s is None:
            return
        # A timer of the screen's own event loop: it fires only while that loop runs.
        timer = QTimer(window)
        timer.setInterval(max(1, int(interval_s * 1000)))
        timer.timeout.connect(notifier.watchdog)
        timer.start()
        notifier.watchdog()

    after_first_paint(window, ready)
    window.destroyed.connect(notifier.close)


def after_first_paint(window: QWidget, callback: Callable[[], None]) -> None:
    """Runs `callback` once the window has painted: slow start-up work waits for the screen."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                QTimer.singleShot(0, callback)
            return False

    window.installEventFilter(FirstPaint(window))
