"""The counter over the real reference platform, without Qt: the resident's session flow as the
customer window (the kit's kiosk, at a counter, on a real PlatformClient), the staff's
CounterFlow as the console, and a runner that makes each call at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers.rig import KioskRig
from kiosk.backend.client import PlatformClient
from kiosk.counter.customer import SessionCustomer
from kiosk.counter.flow import CounterFlow, CounterStep
from kiosk.flows.ports import CardPort
from kiosk.flows.session import SessionFlow, Step
from kiosk.flows.view import Content
from kiosk.testing.card import CardSlot, demo_card
from kiosk.testing.clock import ManualClock
from kiosk.testing.runner import InlineRunner


@dataclass
class CounterRig:
    client: PlatformClient
    kiosk: KioskRig = field(init=False)

    def __post_init__(self) -> None:
        self.slot = CardSlot()
        # As kiosk.counter.app builds the customer window: no printer, no outbox.
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
            self.client, SessionCustomer(self.session), self.kiosk.runner, self.clock
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
        self.customer_view().choose(answer)
