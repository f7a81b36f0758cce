"""The demo's dev panel (演示控制台) and the deck of demo cards it inserts (DEMO DATA ONLY)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from kiosk.devices.card.pcsc import matching_readers
from kiosk.devices.card.profile import CardProfile, load_demo_profiles
from kiosk.devices.card.simulated import SimulatedCardReader
from kiosk.devices.card.virtual_card import VirtualSocialSecurityCard
from kiosk.devices.card.vpcd import VpcdCardEmulator, VpcdUnreachable
from kiosk.devices.scanner.simulated import SimulatedECodeScanner
from kiosk.devices.speech.headset import SimulatedHeadset
from kiosk.domain.demo_ecode import demo_ecode, demo_ecode_digits
from kiosk.ui.dev_panel import DemoCard, DevPanel

if TYPE_CHECKING:
    from kiosk.backend.client import PlatformClient
    from kiosk.config import Config
    from kiosk.devices.card.interface import CardReader
    from kiosk.devices.printer.interface import ReceiptPrinter
    from kiosk.devices.scanner.interface import ECodeScanner
    from kiosk.devices.speech.interface import HeadsetDetector
    from kiosk.flows.ports import TaskRunner
    from kiosk.i18n import Translator

log = logging.getLogger("kiosk")


def demo_cards(profiles: dict[str, CardProfile]) -> list[DemoCard]:
    """The dev panel's cards, with each holder's demo e-code and ID number (demo data)."""
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


class SimulatorDeck:
    """The dev panel's view of the simulated reader and the demo card profiles."""

    def __init__(self, reader: SimulatedCardReader) -> None:
        self._reader = reader
        self._profiles = load_demo_profiles()

    def cards(self) -> list[DemoCard]:
        return demo_cards(self._profiles)

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
        self._profiles = load_demo_profiles()
        self._chips: dict[str, VirtualSocialSecurityCard] = {}
        self._emulator: VpcdCardEmulator | None = None

    def cards(self) -> list[DemoCard]:
        return demo_cards(self._profiles)

    def insert(self, key: str) -> None:
        self.remove()
        # One chip per card, kept across insertions: its PIN tries count down like a real one.
        chip = self._chips.setdefault(key, VirtualSocialSecurityCard(self._profiles[key]))
        emulator = VpcdCardEmulator(chip)
        try:
            emulator.insert(timeout=2.0)
        except VpcdUnreachable:
            log.warning("vpcd is not reachable: the demo card was not inserted")
            return
        self._emulator = emulator

    def remove(self) -> None:
        emulator, self._emulator = self._emulator, None
        if emulator is not None:
            emulator.remove()


def only_virtual_readers() -> bool:
    """Whether every PC/SC reader present is vpcd's, which only the dev panel can fill."""
    names = matching_readers(None)
    return bool(names) and all(name.startswith("Virtual PCD") for name in names)


def demo_deck(config: Config, reader: CardReader) -> SimulatorDeck | VirtualCardDeck | None:
    """The deck a demo's dev panel inserts cards from; None for a deployed kiosk, or a demo
    reading real cards."""
    if not config.is_demo:
        return None
    if isinstance(reader, SimulatedCardReader):
        return SimulatorDeck(reader)
    return VirtualCardDeck() if only_virtual_readers() else None


def dev_panel(
    deck: SimulatorDeck | VirtualCardDeck,
    tr: Translator,
    *,
    headset: HeadsetDetector | None,
    printer: ReceiptPrinter | None,
    scanner: ECodeScanner | None,
    platform: PlatformClient,
    runner: TaskRunner,
) -> DevPanel:
    """The dev panel over the demo's simulated devices; it shows the demo platform's address
    once that is up."""
    panel = DevPanel(
        deck,
        tr,
        headset=headset.set if isinstance(headset, SimulatedHeadset) else None,
        printer=printer,
        # The demo's e-code scanner: the dev panel holds a demo phone up to it.
        scan=scanner.scan if isinstance(scanner, SimulatedECodeScanner) else None,
        text_messages=demo_text_messages(platform, runner),
    )
    panel.adjustSize()  # its width grows with the demo data it lists
    QTimer.singleShot(500, lambda: _show_platform_url(panel, platform))
    return panel


def place_beside(panel: QWidget, window: QWidget) -> None:
    """At the kiosk window's right edge, whole."""
    frame = window.geometry()
    panel.move(frame.right() - panel.width() - 16, frame.top() + 140)


def place_below(panel: QWidget, window: QWidget, screen_bottom: int | None) -> None:
    """Under a counter's customer window where the screen has room, so it hides none of it."""
    frame = window.frameGeometry()
    below = frame.bottom() + 8
    room = screen_bottom if screen_bottom is not None else below
    top = below if below + panel.height() <= room else frame.bottom() - panel.height()
    panel.move(frame.left() + 40, top)


def demo_text_messages(
    platform: PlatformClient, runner: TaskRunner
) -> Callable[[Callable[[tuple[str, str] | None], None]], None]:
    """The dev panel's view of the demo platform's last one-time code (demo platform only)."""

    def fetch(show: Callable[[tuple[str, str] | None], None]) -> None:
        def job() -> tuple[str, str] | None:
            sent = platform.demo_loss_code()
            return (sent.phone_masked, sent.code) if sent is not None else None

        runner.run(job, show, lambda _error: show(None))

    return fetch


def _show_platform_url(panel: DevPanel, platform: PlatformClient) -> None:
    if platform.base_url:
        panel.set_platform_url(platform.base_url)
    else:
        QTimer.singleShot(500, lambda: _show_platform_url(panel, platform))
