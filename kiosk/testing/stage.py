"""The audit's stage: a real KioskWindow over a session flow whose ports are the kit's
stand-ins with the demo data, and the staff's service menu attached. Scenes reset it and put
it into one screen each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from kiosk import __version__
from kiosk.accessibility.profile import Profile
from kiosk.domain.admin_pin import DEMO_PIN
from kiosk.domain.card import CardStatus
from kiosk.domain.session import ResidentSession
from kiosk.flows.service_menu import ServiceActions, ServiceMenu
from kiosk.flows.session import SessionFlow
from kiosk.i18n import Translations
from kiosk.testing.card import InstantCard
from kiosk.testing.clock import ManualClock, TickingClock
from kiosk.testing.data import card_view, demo_catalog, demo_data, demo_snapshot
from kiosk.testing.health import health_monitor
from kiosk.testing.platform import FakePlatform
from kiosk.testing.printing import FakeOutbox
from kiosk.testing.runner import InlineRunner
from kiosk.ui.window import KioskWindow

# The demo's tracking numbers: one fixed shape, as a resident would see it.
DEMO_SERIES = "K7Q2-M9XT-2B4N"


@dataclass
class Stage:
    """One window with its flow and stand-ins, reset between scenes."""

    window: KioskWindow
    flow: SessionFlow
    card: InstantCard
    platform: FakePlatform
    clock: ManualClock
    service: ServiceMenu

    def show(self, profile: Profile) -> None:
        self.window.set_profile(profile)

    def reset(self) -> None:
        """Back to the attract screen, every stand-in as the stage built it."""
        self.service.close()
        self.flow.card_removed()
        self.card.wrong_pin = self.card.blocked = False
        self.platform.session = self.platform.ecode_session = self.session
        self.platform.errors.clear()
        self.platform.consent = None
        self.flow.at_counter = False
        self.flow.a4printer = None
        self.flow.printer = None
        self.flow.outbox = FakeOutbox(DEMO_SERIES, numbered=False)

    @property
    def session(self) -> ResidentSession:
        """The demo holder's session: the financial account not yet active (Art. 19)."""
        holder = self.card.snapshot.holder
        return ResidentSession(
            "audit", holder.name if holder else "", CardStatus.NORMAL, False, 600
        )


def build_stage(translations: Translations, font_family: str, dpi: float) -> Stage:
    snapshot = demo_snapshot()
    holder = snapshot.holder.name if snapshot.holder else ""
    card = InstantCard(snapshot)
    platform = FakePlatform(
        data=demo_data(holder),
        catalog_answer=demo_catalog(),
        card_answer=replace(card_view(), financial_account_active=False),
        # As a platform not reached yet: slips carry no kiosk id, and their QR codes lead to
        # the default address, so the scenes read the same on every machine.
        kiosk_id="",
        base_url="",
    )
    clock = ManualClock(10_000.0)
    flow = SessionFlow(
        card, platform, InlineRunner(), clock, timeout_s=120, warning_s=30, privacy_notice=True
    )
    window = KioskWindow(
        flow,
        translations,
        font_family,
        default_profile=Profile(),
        dpi=dpi,
        design_size=(1920, 1080),
        clock=lambda: dt.datetime(2026, 11, 27, 10, 42),
        debounce_s=0.0,
        long_debounce_s=0.4,
        # The walks of the reachable check press the same key twice (0, 0) with the long
        # debounce on, as a resident may at their own pace.
        monotonic=TickingClock(),
    )
    stage = Stage(window, flow, card, platform, clock, _service_menu(window, flow, platform, clock))
    stage.reset()
    return stage


def _service_menu(
    window: KioskWindow, flow: SessionFlow, platform: FakePlatform, clock: ManualClock
) -> ServiceMenu:
    """The staff's service menu, its PIN the demo's, its health from stand-in devices."""
    monitor = health_monitor(
        InlineRunner(),
        clock,
        platform,
        wall_clock=lambda: dt.datetime(2026, 11, 27, 10, 41, 30),
        software_version=__version__,
        # A configured scanner: its line is one more on the health screen, which must fit.
        scanner_available=lambda: True,
    )
    menu = ServiceMenu(
        ServiceActions(
            check_pin=lambda pin: bytes(pin) == DEMO_PIN.encode(),
            exit_kiosk=lambda: None,
            changed=window.refresh,
        ),
        monitor,
        clock,
    )
    window.attach_service_menu(menu)
    return menu
