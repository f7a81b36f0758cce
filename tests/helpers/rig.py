"""One kiosk without Qt, as every flow test builds it: the session flow, or a task alone, over
the kit's stand-ins. A field set at construction changes that one part; the rest is the same
kiosk each time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from kiosk.backend.client import PlatformClient
from kiosk.backend.outbox import Outbox
from kiosk.devices.printer.factory import make_receipt_printer
from kiosk.domain import hall_time
from kiosk.domain.card import CardSnapshot
from kiosk.domain.errors import CardNotInService
from kiosk.domain.session import ResidentSession
from kiosk.flows.ports import A4Printer
from kiosk.flows.privacy import privacy_notice
from kiosk.flows.session import SessionFlow, Step
from kiosk.flows.tasks import TaskContext
from kiosk.flows.view import Content
from kiosk.server.embedded import EmbeddedServer
from kiosk.testing.card import RecordingCard
from kiosk.testing.clock import ManualClock
from kiosk.testing.data import SESSION, SNAPSHOT, TODAY
from kiosk.testing.platform import FakePlatform
from kiosk.testing.printing import FakeOutbox, FakePrinter
from kiosk.testing.runner import InlineRunner, ManualRunner

C = TypeVar("C", bound=PlatformClient)


@dataclass
class KioskRig:
    platform: FakePlatform = field(default_factory=FakePlatform)
    runner: ManualRunner = field(default_factory=ManualRunner)
    card: RecordingCard = field(default_factory=RecordingCard)
    clock: ManualClock = field(default_factory=ManualClock)
    printer: FakePrinter | None = field(default_factory=FakePrinter)
    outbox: FakeOutbox | None = field(default_factory=FakeOutbox)
    a4printer: A4Printer | None = None
    at_counter: bool = False
    language: str = "zh_CN"
    # The session flow: the privacy notice (Art. 13) is off unless a test is about it.
    privacy_notice: bool = False
    timeout_s: float = 120.0
    # The hall's date as the flow reads it: a fixed day, so that no test depends on the real one.
    today: Callable[[], dt.date] = lambda: TODAY
    # A task alone: the session it runs in, and what it asked of the screen.
    session: ResidentSession = SESSION
    snapshot: CardSnapshot | None = SNAPSHOT
    redraws: int = 0
    finished: bool = False
    # Every step the flow went to, in order.
    seen: list[Step] = field(default_factory=list)

    @cached_property
    def flow(self) -> SessionFlow:
        flow = SessionFlow(
            self.card,
            self.platform,
            self.runner,
            self.clock,
            timeout_s=self.timeout_s,
            warning_s=30,
            today=self.today,
            printer=self.printer,
            outbox=self.outbox,
            privacy_notice=self.privacy_notice,
        )
        flow.at_counter = self.at_counter
        flow.a4printer = self.a4printer
        flow.add_listener(lambda f: self.seen.append(f.step))
        return flow

    def context(self) -> TaskContext:
        """What a task started alone gets, with no session flow around it."""

        def changed() -> None:
            self.redraws += 1

        def finish() -> None:
            self.finished = True

        return TaskContext(
            session=self.session,
            snapshot=self.snapshot,
            platform=self.platform,
            runner=self.runner,
            card=self.card,
            clock=self.clock,
            changed=changed,
            finish=finish,
            language=lambda: self.language,
            printer=self.printer,
            outbox=self.outbox,
            a4printer=self.a4printer,
            at_counter=self.at_counter,
        )

    def run(self) -> None:
        """The platform's answers to everything asked so far, in order."""
        self.runner.finish_all()

    def content(self) -> Content:
        """The running task's screen."""
        assert self.flow.task is not None, f"no task on {self.flow.step}"
        return self.flow.task.view()

    def press(self, digit: str) -> None:
        """A choice of the screen shown: the privacy notice's, or the running task's."""
        shown = privacy_notice(self.flow) if self.flow.step is Step.PRIVACY else self.content()
        assert shown.choose(digit)

    # --- the resident at the card slot --------------------------------------------------------

    def insert_and_read(self, snapshot: CardSnapshot = SNAPSHOT) -> None:
        self.flow.card_inserted()
        on_done, _ = self.card.reads[-1]
        on_done(snapshot)

    def enter_pin(self, pin: str = "123456") -> None:
        self.flow.submit_pin(bytearray(pin.encode()))

    def pin_ok(self) -> None:
        """The chip takes the PIN, and the platform answers."""
        _, on_done, _ = self.card.pins[-1]
        on_done(None)
        self.run()

    def present_card(self) -> None:
        """Card A in, its PIN right on the card, then the platform's answers (the session)."""
        self.insert_and_read()
        self.enter_pin()
        self.pin_ok()

    def to_home(self) -> None:
        self.present_card()
        assert self.flow.step is Step.HOME

    def lost_card_in(self, status: str) -> None:
        """A card the platform has as `status` (lost, cancelled...), its PIN right."""
        self.platform.session = CardNotInService(status)
        self.present_card()


def platform_client(server: EmbeddedServer, folder: Path, kind: type[C] = PlatformClient) -> C:
    """The real client of an embedded reference server, its cache in `folder`."""
    return kind(server.url, server.kiosk_id, server.kiosk_key, cache_dir=folder)


@contextmanager
def on_platform(client: PlatformClient, folder: Path, **options: Any) -> Iterator[KioskRig]:
    """The kiosk on the real reference platform: its client, each call made at once, a real
    outbox and the simulated receipt printer, on the hall's date; `options` go to KioskRig."""
    outbox = Outbox(folder / "outbox.sqlite3", client)
    rig = KioskRig(
        **{
            "platform": client,
            "runner": InlineRunner(),
            "printer": make_receipt_printer("sim"),
            "outbox": outbox,
            "timeout_s": 600.0,
            "today": hall_time.today,
        }
        | options
    )
    try:
        yield rig
    finally:
        outbox.close()
