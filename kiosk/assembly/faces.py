"""The resident's face of a kiosk or a counter: the session flow and the window that shows it.

Built in the first phase of the start; a counter is the same session and window with the
settings of a staffed counter (kiosk.assembly.counter adds the staff console beside it).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, NamedTuple

from kiosk.accessibility.profile import Profile
from kiosk.accessibility.theme import FALLBACK_DPI
from kiosk.flows.session import SessionFlow
from kiosk.ui.window import KioskWindow

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QScreen

    from kiosk.config import Config
    from kiosk.flows.ports import CardPort, Clock, Outbox, Platform, TaskRunner
    from kiosk.i18n import Translations

# A counter's two windows share a development screen: the customer's gets this much of its
# width, the staff console what is left.
COUNTER_SHARE = 0.62


# Named tuples rather than frozen dataclasses: as immutable, and made before every first frame
# for a tenth of the CPU (kiosk.config says the same of its sections).
class FaceSettings(NamedTuple):
    """How the resident's face looks and keeps time; the config's values, or a test's."""

    translations: Translations
    font_family: str
    profile: Profile
    dpi: float
    design_size: tuple[int, int] = (1920, 1080)
    scale: float = 1.0
    clock: Clock = time.monotonic
    timeout_s: float = 120.0
    warning_s: float = 30.0
    debounce_s: float = 0.04
    long_debounce_s: float = 0.4
    watch_presses: bool = True
    privacy_notice: bool = False
    # A service counter's customer window: a blocked PIN is reset there, not sent elsewhere.
    at_counter: bool = False
    # Where the window keeps its drawn illustrations between starts; None draws them anew.
    illustrations: Path | None = None


class SessionFace(NamedTuple):
    session: SessionFlow
    window: KioskWindow


def build_session_face(
    card: CardPort,
    platform: Platform,
    runner: TaskRunner,
    settings: FaceSettings,
    outbox: Outbox | None = None,
) -> SessionFace:
    """The session flow and its window, wired; the caller shows the window. A kiosk's start
    hands the flow its outbox in the second phase, before any card is read."""
    session = SessionFlow(
        card,
        platform,
        runner,
        settings.clock,
        timeout_s=settings.timeout_s,
        warning_s=settings.warning_s,
        privacy_notice=settings.privacy_notice,
        outbox=outbox,
    )
    session.at_counter = settings.at_counter
    window = KioskWindow(
        session,
        settings.translations,
        settings.font_family,
        default_profile=settings.profile,
        dpi=settings.dpi,
        design_size=settings.design_size,
        scale=settings.scale,
        debounce_s=settings.debounce_s,
        long_debounce_s=settings.long_debounce_s,
        monotonic=settings.clock,
        watch_presses=settings.watch_presses,
        illustrations=settings.illustrations,
    )
    window.setWindowTitle(settings.translations.get(settings.profile.language).text("header.title"))
    return SessionFace(session, window)


def configured_settings(
    config: Config,
    translations: Translations,
    font_family: str,
    screen: QScreen | None,
    *,
    fullscreen: bool,
    counter: bool,
    illustrations: Path | None = None,
) -> FaceSettings:
    """The face a configured kiosk or counter shows. Key presses are watched only from the
    second phase of the start (KioskWindow.watch_presses says why)."""
    width, height = config.kiosk.window_width, config.kiosk.window_height
    scale = 1.0
    if screen is not None and not fullscreen:
        available = screen.availableGeometry()
        share = COUNTER_SHARE if counter else 1.0
        scale = min(1.0, available.width() * share / width, available.height() / height)
    return FaceSettings(
        translations,
        font_family,
        configured_profile(config),
        screen_dpi(config, screen),
        design_size=(width, height),
        scale=scale,
        timeout_s=config.kiosk.inactivity_timeout_s,
        warning_s=config.kiosk.inactivity_warning_s,
        debounce_s=config.kiosk.debounce_s,
        long_debounce_s=config.kiosk.long_debounce_s,
        watch_presses=False,
        privacy_notice=True,  # Art. 13: shown on the kiosk's screen and a counter's customer's
        at_counter=counter,
        illustrations=illustrations,
    )


def configured_profile(config: Config) -> Profile:
    """The profile each session starts from: the config's language, colours and print size."""
    return Profile(
        language=config.kiosk.language,
        colour_mode=config.display.colour,
        size_mode=config.display.size,
    )


def screen_dpi(config: Config, screen: QScreen | None) -> float:
    """The panel's physical density, which turns the theme's millimetres into pixels: the
    config's, else the screen's own, else a typical kiosk panel's when the screen's is absurd."""
    dpi = config.display.dpi or (screen.physicalDotsPerInch() if screen else 0.0)
    return dpi if 50 <= dpi <= 600 else FALLBACK_DPI
