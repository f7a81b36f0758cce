"""The counter over the real reference platform, without Qt: the resident's SessionFlow as the
customer window, the staff's CounterFlow as the console, a real PlatformClient between them and
the platform, and a runner that runs each call at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk_fakes import SyncRunner

from kiosk.backend.client import PlatformClient
from kiosk.counter.customer import SessionCustomer
from kiosk.counter.flow import CounterFlow, CounterStep
from kiosk.devices.card.profile import load_demo_profiles
from kiosk.domain.card import CardSnapshot
from kiosk.flows.session import SessionFlow, Step
from kiosk.flows.view import Content


class DemoCard:
    """A demo card in the customer window's reader: read at once; its own PIN is right."""

    def __init__(self, key: str) -> None:
        profile = load_demo_profiles()[key]
        self.pin = profile.pin
        self.snapshot = CardSnapshot("counter reader", profile.atr, profile.card, profile.holder)

    def read(self, on_done: Callable[..., None], on_error: Callable[..., None]) -> None:
        on_done(self.snapshot)

    def verify_pin(
        self, pin: bytearray, on_done: Callable[..., None], on_error: Callable[..., None]
    ) -> None:
        from kiosk.domain.errors import WrongPin

        right = bytes(pin) == self.pin.encode()
        pin[:] = bytes(len(pin))
        if right:
            on_done(None)
        else:
            on_error(WrongPin(2))


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class CounterRig:
    client: PlatformClient
    clock: Clock = field(default_factory=Clock)
    card: DemoCard | None = None

    def __post_init__(self) -> None:
        runner = SyncRunner()
        self.session = SessionFlow(self, self.client, runner, self.clock)  # type: ignore[arg-type]
        self.session.at_counter = True  # as kiosk.assembly.counter.build_counter sets it
        self.counter = CounterFlow(
            self.client, SessionCustomer(self.session, self.client), runner, self.clock
        )

    # The customer window's card reader, as the SessionFlow's CardPort.
    def read(self, on_done: Callable[..., None], on_error: Callable[..., None]) -> None:
        assert self.card is not None
        self.card.read(on_done, on_error)

    def verify_pin(self, pin: bytearray, on_done: Any, on_error: Any) -> None:
        assert self.card is not None
        self.card.verify_pin(pin, on_done, on_error)

    def reset_pin(self, new: bytearray, on_done: Any, on_error: Any) -> None:
        assert self.card is not None
        self.card.reset_pin(new, on_done, on_error)  # type: ignore[attr-defined]

    def resident_signs_in(self, key: str = "demo_a") -> None:
        self.card = DemoCard(key)
        self.session.card_inserted()
        self.session.submit_pin(bytearray(self.card.pin.encode()))
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
        press(self.customer_view(), answer)


def press(content: Content, digit: str) -> None:
    for choice in content.choices:
        if choice.digit == digit:
            choice.action()
            return
    raise AssertionError(f"no choice {digit} on {content.heading.id}")


def texts(content: Content) -> list[str]:
    """Every message id and parameter value on a screen, to search."""
    found = [content.heading.id]
    for message in [content.hint, *(m for p in content.panels for m in (p.title, *p.lines))]:
        if message is not None:
            found.append(message.id)
            found.extend(str(v) for v in message.params.values())
    return found
