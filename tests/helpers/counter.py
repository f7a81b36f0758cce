"""The counter over the real reference platform: without Qt, the resident's session flow as the
customer window (the kit's kiosk, at a counter, on a real PlatformClient), the staff's
CounterFlow as the console, and a runner that makes each call at once; with Qt, both windows as
kiosk.assembly.counter builds them. And a demo card on a virtual chip, for the PIN reset."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from helpers.rig import KioskRig
from kiosk.accessibility.profile import Profile
from kiosk.assembly.counter import Counter, build_counter
from kiosk.backend.client import PlatformClient
from kiosk.counter.customer import SessionCustomer
from kiosk.counter.flow import CounterFlow, CounterStep
from kiosk.devices.card.profile import load_demo_profiles
from kiosk.devices.card.secure_access import SimulatedPsam
from kiosk.devices.card.simulated import SimulatedCardReader
from kiosk.flows.ports import CardPort, TaskRunner
from kiosk.flows.session import SessionFlow, Step
from kiosk.flows.view import Content
from kiosk.i18n import Translations
from kiosk.testing.card import CardSlot, demo_card
from kiosk.testing.clock import ManualClock
from kiosk.testing.runner import InlineRunner
from kiosk.ui.fonts import load_fonts

T = TypeVar("T")


@dataclass
class CounterRig:
    client: PlatformClient
    kiosk: KioskRig = field(init=False)

    def __post_init__(self) -> None:
        self.slot = CardSlot()
        # As kiosk.assembly.counter builds the customer window: no printer, no outbox.
        self.kiosk = KioskRig(
            platform=self.client,
            runner=InlineRunner(),
            card=self.slot,
            printer=None,
            outbox=None,
            at_counter=True,
        )
        self.session: SessionFlow = self.kiosk.flow
        self.clock: ManualClock = self.kiosk.clock
        self.counter = CounterFlow(
            self.client, SessionCustomer(self.session, self.client), self.kiosk.runner, self.clock
        )

    @property
    def card(self) -> CardPort | None:
        """The card in the customer window's reader."""
        return self.slot.card

    @card.setter
    def card(self, card: CardPort) -> None:
        self.slot.card = card

    def resident_signs_in(self, key: str = "demo_a") -> None:
        card = demo_card(key, "counter reader")
        self.card = card
        self.session.card_inserted()
        assert card.pin is not None
        self.session.submit_pin(bytearray(card.pin.encode()))
        assert self.session.step is Step.HOME, self.session.notice

    def staff_signs_in(self, username: str = "demo-counter") -> None:
        self.counter.sign_in(username, f"{username}-pass")
        assert self.counter.step is CounterStep.PURPOSES, self.counter.login_error

    def customer_view(self) -> Content:
        assert self.session.task is not None
        return self.session.task.view()

    def serve(self, purpose: str, *, answer: str = "1") -> None:
        """Staff choose the purpose; the resident presses `answer` on the question (1 allows)."""
        self.counter.choose(purpose)
        assert self.counter.step is CounterStep.AWAITING
        assert self.customer_view().choose(answer)


class ChipCard:
    """A demo card on a virtual chip in a simulated reader, through the real card protocol, each
    answer at once; with the demo PSAM, so a counter can reset its PIN, unless told not to."""

    def __init__(self, key: str = "demo_a", *, pin_reset: bool = True) -> None:
        self.profile = load_demo_profiles()[key]
        self.reader = SimulatedCardReader(pin_reset=SimulatedPsam() if pin_reset else None)
        self.reader.insert(self.profile)

    def _do(self, job: Callable[[], T], on_done: Callable[[T], None], on_error: Any) -> None:
        # The reader raises only the card's errors (CardError); they reach on_error.
        InlineRunner().run(job, on_done, on_error)

    def read(self, on_done: Any, on_error: Any) -> None:
        self._do(self.reader.read, on_done, on_error)

    def verify_pin(self, pin: bytearray, on_done: Any, on_error: Any) -> None:
        self._do(lambda: self.reader.verify_pin(pin), on_done, on_error)

    def change_pin(self, old: bytearray, new: bytearray, on_done: Any, on_error: Any) -> None:
        self._do(lambda: self.reader.change_pin(old, new), on_done, on_error)

    def reset_pin(self, new: bytearray, on_done: Any, on_error: Any) -> None:
        self._do(lambda: self.reader.reset_pin(new), on_done, on_error)


@contextmanager
def counter_windows(
    qtbot: Any,
    client: PlatformClient,
    card: CardPort,
    runner: TaskRunner,
    folder: Path,
    *,
    show: bool = True,
) -> Iterator[Counter]:
    """The customer window and the staff console as a hall runs them, at the design size and
    without a debounce (presses in a test come faster than any hand); staff signed out after."""
    built = build_counter(
        platform=client,
        card=card,
        runner=runner,
        translations=Translations(folder / "t"),
        font_family=load_fonts(),
        profile=Profile(),
        dpi=96.0,
        debounce_s=0.0,
        watch_presses=False,
    )
    for window in (built.customer_window, built.console):
        qtbot.addWidget(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
    try:
        yield built
    finally:
        built.counter.sign_out()
