"""The second phase of the start, once the attract screen is painted: the rest of the kiosk.

The same steps, once each, for a kiosk and a counter; a counter adds its staff console and
lays the dev panel out under its customer window.
"""

from __future__ import annotations

from platformdirs import user_log_path
from PySide6.QtWidgets import QApplication

from kiosk.assembly.counter import build_console, show_console
from kiosk.assembly.demo_deck import demo_deck, dev_panel, place_below, place_beside
from kiosk.assembly.devices import (
    make_a4printer,
    make_printer,
    make_reader,
    start_headset,
    start_scanner,
    start_voice_guide,
)
from kiosk.assembly.first_frame import Started
from kiosk.assembly.hall import setup_logging, start_health_and_service, tell_service_manager_ready
from kiosk.assembly.paths import APP_NAME
from kiosk.assembly.platform_link import open_outbox, platform_connection


def assemble(started: Started) -> None:
    config = started.config
    flow, window = started.face.session, started.face.window
    setup_logging(user_log_path(APP_NAME))
    tell_service_manager_ready(window)
    window.watch_presses()
    screen = QApplication.primaryScreen()
    if started.counter:
        _, console = build_console(
            flow, started.platform, started.runner, started.translations, started.font_family
        )
        show_console(console, window, screen)
        started.windows.append(console)

    # The outbox takes a resident's submissions from now on, before any card is read, and
    # sends them once the platform is reached.
    outbox = open_outbox(started.platform)
    started.outboxes.append(outbox)
    flow.outbox = outbox
    connection = platform_connection(config, started.platform, lambda _client: outbox.start())
    started.connections.append(connection)
    connection.start()
    reader = make_reader(config)
    started.card_service.start(reader, flow)
    printer = make_printer(config)
    flow.printer = printer
    flow.a4printer = make_a4printer(config, started.font_family, started.cache_dir)
    guide = start_voice_guide(
        config, started.translations, started.dispatcher, started.cache_dir / "speech"
    )
    window.attach_guide(guide)
    deck = demo_deck(config, reader)
    post = started.dispatcher.post
    headset = start_headset(config, guide, post, simulated=deck is not None)
    if headset is not None:
        started.devices.append(headset)
    scanning = start_scanner(config, post, flow, demo_panel=deck is not None)
    if scanning is not None:
        started.devices.append(scanning[0])
    # A counter's devices report to the fleet view as a kiosk's do; its service menu (F12 on
    # the customer window, no resident served) shows their health.
    start_health_and_service(
        config,
        window,
        flow,
        started.runner,
        started.platform,
        scanner_available=(lambda: scanning[1].available) if scanning is not None else None,
    )
    if deck is None:
        return
    panel = dev_panel(
        deck,
        started.translations.get(config.kiosk.language),
        headset=headset,
        printer=printer,
        scanner=scanning[0] if scanning is not None else None,
        platform=started.platform,
        runner=started.runner,
    )
    if started.counter:
        place_below(panel, window, screen.availableGeometry().bottom() if screen else None)
    else:
        place_beside(panel, window)
    panel.show()
    started.windows.append(panel)
