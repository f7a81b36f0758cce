"""A counter: the staff console beside the customer-facing window (docs/counter.md).

The customer window is the kiosk's own session and window (kiosk.assembly.faces), so the
resident at a counter sees and hears what they would at a kiosk. The two meet in one place:
the console's consent request becomes a task of the resident's session
(kiosk.counter.customer). Made in the second phase of the start, with the rest.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.assembly.faces import FaceSettings, build_session_face
from kiosk.counter.customer import SessionCustomer
from kiosk.counter.flow import CounterFlow, CounterPlatform
from kiosk.ui.counter.console import StaffConsole

if TYPE_CHECKING:
    from PySide6.QtGui import QScreen

    from kiosk.accessibility.profile import Profile
    from kiosk.flows.ports import CardPort, Clock, Outbox, TaskRunner
    from kiosk.flows.session import SessionFlow
    from kiosk.i18n import Translations
    from kiosk.ui.window import KioskWindow


@dataclass
class Counter:
    session: SessionFlow
    counter: CounterFlow
    customer_window: KioskWindow
    console: StaffConsole


def build_console(
    session: SessionFlow,
    platform: CounterPlatform,
    runner: TaskRunner,
    translations: Translations,
    font_family: str,
    clock: Clock = time.monotonic,
) -> tuple[CounterFlow, StaffConsole]:
    """The staff's flow and console over the resident's session."""
    counter = CounterFlow(platform, SessionCustomer(session, platform), runner, clock)
    return counter, StaffConsole(counter, translations, font_family)


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
    """Both windows of a counter, wired as the start wires them; the caller shows them."""
    settings = FaceSettings(
        translations,
        font_family,
        profile,
        dpi,
        design_size=design_size,
        scale=scale,
        clock=clock,
        timeout_s=timeout_s,
        warning_s=warning_s,
        debounce_s=debounce_s,
        long_debounce_s=long_debounce_s,
        watch_presses=watch_presses,
        privacy_notice=privacy_notice,
        at_counter=True,
    )
    face = build_session_face(card, platform, runner, settings, outbox)
    counter, console = build_console(
        face.session, platform, runner, translations, font_family, clock
    )
    return Counter(face.session, counter, face.window, console)


def show_console(console: StaffConsole, window: KioskWindow, screen: QScreen | None) -> None:
    """Shown beside the customer window, within the screen: what is left of its width."""
    console.show()
    if screen is None or window.isFullScreen():
        return
    available = screen.availableGeometry()
    right = window.frameGeometry().right() + 8
    console.move(right, available.top())
    console.resize(max(320, available.right() - right), min(console.height(), available.height()))
