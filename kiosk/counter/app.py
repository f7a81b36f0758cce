"""`kiosk run --config FILE --counter`: the counter's two windows on one machine.

The customer-facing window is the kiosk's own window and flow (large print, speech, the card
reader and PIN pad, every resident task), so the resident at a counter sees and hears what they
would at a kiosk. Beside it the staff console (kiosk.ui.counter.console). The two meet in one
place: the console's consent request becomes a task of the resident's session
(kiosk.counter.customer). Devices, the platform and the voice come from kiosk.app, as a kiosk's.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk import app as kiosk_app
from kiosk.config import ConfigError, defaults, load

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from pathlib import Path

    from kiosk.accessibility.profile import Profile
    from kiosk.config import Config
    from kiosk.counter.flow import CounterFlow, CounterPlatform
    from kiosk.flows.ports import CardPort, Clock, Outbox, TaskRunner
    from kiosk.flows.session import SessionFlow
    from kiosk.i18n import Translations
    from kiosk.ui.counter.console import StaffConsole
    from kiosk.ui.window import KioskWindow


# --- the command line: `kiosk run` with --counter --------------------------------------------


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    kiosk_app.add_run_arguments(parser)
    parser.add_argument(
        "--counter",
        action="store_true",
        help="a counter: a staff console beside the customer-facing window",
    )


def add_demo_arguments(parser: argparse.ArgumentParser) -> None:
    kiosk_app.add_demo_arguments(parser)
    parser.add_argument(
        "--counter",
        action="store_true",
        help="the counter with the demo defaults: staff console and customer window",
    )


def run_demo(args: argparse.Namespace) -> int:
    """`kiosk demo --counter`: the counter on the embedded demo platform, no config needed."""
    if not args.counter:
        return kiosk_app.run_demo(args)
    config = defaults()
    if args.config is not None:
        try:
            config = load(args.config)
        except ConfigError as error:
            print(f"kiosk: config {error}", file=sys.stderr)
            return kiosk_app.EXIT_CONFIG
    return run_counter(config, fullscreen=config.kiosk.fullscreen)


def run_run(args: argparse.Namespace) -> int:
    if not args.counter:
        return kiosk_app.run_run(args)
    try:
        config = load(args.config)
        kiosk_app.check_printer_uri(config)
    except ConfigError as error:
        print(f"kiosk: config {error}", file=sys.stderr)
        return kiosk_app.EXIT_CONFIG
    return run_counter(config, fullscreen=args.fullscreen)


# --- the two windows ---------------------------------------------------------------------------


@dataclass
class Counter:
    session: SessionFlow
    counter: CounterFlow
    customer_window: KioskWindow
    console: StaffConsole


def build_counter(
    *,
    platform: CounterPlatform,
    card: CardPort,
    runner: TaskRunner,
    translations: Translations,
    font_family: str,
    profile: Profile,
    dpi: float,
    design_size: tuple[int, int] = (1920, 1080),
    scale: float = 1.0,
    clock: Clock = time.monotonic,
    timeout_s: float = 120.0,
    warning_s: float = 30.0,
    debounce_s: float = 0.04,
    long_debounce_s: float = 0.4,
    watch_presses: bool = True,
    privacy_notice: bool = False,
    outbox: Outbox | None = None,
) -> Counter:
    """The flows and both windows, wired; the caller starts devices and shows the windows."""
    from kiosk.counter.customer import SessionCustomer
    from kiosk.counter.flow import CounterFlow
    from kiosk.flows.session import SessionFlow
    from kiosk.ui.counter.console import StaffConsole
    from kiosk.ui.window import KioskWindow

    session = SessionFlow(
        card,
        platform,
        runner,
        clock,
        timeout_s=timeout_s,
        warning_s=warning_s,
        privacy_notice=privacy_notice,
        outbox=outbox,
    )
    session.at_counter = True  # a blocked PIN is reset here, not sent to a counter
    window = KioskWindow(
        session,
        translations,
        font_family,
        default_profile=profile,
        dpi=dpi,
        design_size=design_size,
        scale=scale,
        debounce_s=debounce_s,
        long_debounce_s=long_debounce_s,
        monotonic=clock,
        watch_presses=watch_presses,
    )
    counter = CounterFlow(platform, SessionCustomer(session, platform), runner, clock)
    console = StaffConsole(counter, translations, font_family)
    return Counter(session, counter, window, console)


def run_counter(config: Config, *, fullscreen: bool = False) -> int:
    try:
        return _run_counter(config, fullscreen, kiosk_app.cache_folder())
    except Exception:
        kiosk_app.log.exception("the counter stopped on an unexpected error")
        print("kiosk: stopped on an unexpected error; see the log for details", file=sys.stderr)
        return 1


def _run_counter(config: Config, fullscreen: bool, cache_dir: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from kiosk.devices.card.service import CardService
    from kiosk.domain import hall_time
    from kiosk.i18n import CatalogMissing, Translations
    from kiosk.ui.bridge import QtDispatcher, QtTaskRunner
    from kiosk.ui.fonts import FontProblem, check_coverage, load_fonts

    # The dates the counter prints and says, in the hall's zone (kiosk.domain.hall_time).
    hall_time.use(hall_time.HallClock(config.kiosk.timezone))
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(kiosk_app.APP_NAME)
    translations = Translations(cache_dir / "translations")
    try:
        family = load_fonts()
        check_coverage(translations.all_texts(), family)
    except (FontProblem, CatalogMissing) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return kiosk_app.EXIT_START

    dispatcher = QtDispatcher()
    runner = QtTaskRunner(dispatcher)
    connection = kiosk_app.platform_connection(
        config, cache_dir / "platform", on_connected=lambda _client: outbox.start()
    )
    platform = connection.client
    outbox = kiosk_app.open_outbox(platform)
    card_service = CardService(dispatcher.post)
    screen = app.primaryScreen()
    width, height = config.kiosk.window_width, config.kiosk.window_height
    dpi = kiosk_app.screen_dpi(config, screen)
    scale = 1.0
    if screen is not None and not fullscreen:
        available = screen.availableGeometry()
        # Two windows side by side on a development screen: the customer's gets two thirds.
        scale = min(1.0, available.width() * 0.62 / width, available.height() / height)
    counter = build_counter(
        platform=platform,
        outbox=outbox,
        card=card_service,
        runner=runner,
        translations=translations,
        font_family=family,
        profile=kiosk_app.configured_profile(config),
        dpi=dpi,
        design_size=(width, height),
        scale=scale,
        timeout_s=config.kiosk.inactivity_timeout_s,
        warning_s=config.kiosk.inactivity_warning_s,
        debounce_s=config.kiosk.debounce_s,
        long_debounce_s=config.kiosk.long_debounce_s,
        privacy_notice=True,  # Art. 13: the resident reads it on the customer window
    )
    window = counter.customer_window
    window.setWindowTitle(translations.get(config.kiosk.language).text("header.title"))
    if fullscreen:
        window.showFullScreen()
    else:
        window.show()
    counter.console.show()
    if screen is not None and not fullscreen:
        # Beside the customer window, within the screen: what is left of its width.
        available = screen.availableGeometry()
        right = window.frameGeometry().right() + 8
        counter.console.move(right, available.top())
        counter.console.resize(
            max(320, available.right() - right), min(counter.console.height(), available.height())
        )

    def start_devices() -> None:
        from platformdirs import user_log_path

        from kiosk.devices.card.factory import make_card_reader
        from kiosk.devices.card.simulated import SimulatedCardReader

        kiosk_app.setup_logging(user_log_path(kiosk_app.APP_NAME))
        connection.start()
        reader = make_card_reader(
            config.card_reader.kind,
            config.card_reader.reader_pattern or None,
            config.card_reader.secure_access,
            "simulated" if config.is_demo else config.card_reader.pin_reset,
        )
        card_service.start(reader, counter.session)
        counter.session.printer = kiosk_app.make_printer(config)
        counter.session.a4printer = kiosk_app.make_a4printer(config, family, cache_dir)
        guide = kiosk_app.start_voice_guide(config, translations, dispatcher, cache_dir / "speech")
        window.attach_guide(guide)
        deck: Any = None
        if config.is_demo and isinstance(reader, SimulatedCardReader):
            deck = kiosk_app.SimulatorDeck(reader)
        elif config.is_demo and kiosk_app.only_virtual_readers():
            deck = kiosk_app.VirtualCardDeck()
        # The configured scanner and headset detection, as at a kiosk (the dev panel's
        # simulated ones in the demo).
        headset = kiosk_app.start_headset(
            config, guide, dispatcher.post, simulated=deck is not None
        )
        scanning = kiosk_app.start_scanner(
            config, dispatcher.post, counter.session, demo_panel=deck is not None
        )
        if headset is not None:
            running.append(headset)
        if scanning is not None:
            running.append(scanning[0])
        # The counter's devices report to the fleet view as a kiosk's do; its service menu
        # (F12 on the customer window, no resident served) shows their health.
        kiosk_app.start_health_and_service(
            config,
            window,
            counter.session,
            runner,
            platform,
            scanner_available=(lambda: scanning[1].available) if scanning is not None else None,
        )
        if deck is not None:
            from kiosk.devices.scanner.simulated import SimulatedECodeScanner
            from kiosk.devices.speech.headset import SimulatedHeadset
            from kiosk.ui.dev_panel import DevPanel

            demo_scanner = scanning[0] if scanning is not None else None
            panel = DevPanel(
                deck,
                translations.get(config.kiosk.language),
                headset=headset.set if isinstance(headset, SimulatedHeadset) else None,
                printer=counter.session.printer,
                scan=(
                    demo_scanner.scan if isinstance(demo_scanner, SimulatedECodeScanner) else None
                ),
            )
            # Under the customer window where the screen has room, so it hides none of it.
            panel.adjustSize()
            frame = window.frameGeometry()
            below = frame.bottom() + 8
            room = screen.availableGeometry().bottom() if screen is not None else below
            top = below if below + panel.height() <= room else frame.bottom() - panel.height()
            panel.move(frame.left() + 40, top)
            panel.show()
            keep.append(panel)

    keep: list[object] = []
    running: list[Any] = []  # the scanner and headset detection, stopped on the way out
    after: Callable[[Any, Callable[[], None]], None] = kiosk_app.after_first_paint
    kiosk_app.notify_service_manager(window)
    after(window, start_devices)
    try:
        return app.exec()
    finally:
        for device in running:
            device.stop()
        card_service.close()
        runner.shutdown()
        outbox.close()
        connection.close()
