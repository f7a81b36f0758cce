"""Stand-ins for the flows' ports, shared by the flow, UI and scenario tests.

They behave like the real ports (the card wipes the PIN it is handed, the platform raises the
typed errors) but let a test choose when and how each answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.card import CardInfo, CardSnapshot, CardStatus, CardVersion, Holder
from kiosk.domain.card_requests import CardView
from kiosk.domain.catalog import Catalog, CatalogCategory, LocalText, ServiceItem
from kiosk.domain.errors import CardNotInService, KioskError
from kiosk.domain.session import ResidentSession

TODAY = dt.date(2026, 11, 27)

SNAPSHOT = CardSnapshot(
    reader="Test Reader 00",
    atr="3B00",
    card=CardInfo(
        identifier="410100D156000005A0000000000000A1",
        type="3",
        version=CardVersion.V2,
        issuer="410100000000000000000001",
        issued=dt.date(2019, 4, 18),
        expires=dt.date(2029, 4, 18),
        number="A00000011",
    ),
    holder=Holder(
        ssn="410102195203120027",
        name="王秀英",
        sex="2",
        ethnicity="01",
        birthplace="410102",
        birth_date=dt.date(1952, 3, 12),
    ),
)
SESSION = ResidentSession(
    token="t-1",
    name="王秀英",
    card_status=CardStatus.NORMAL,
    financial_account_active=True,
    expires_in_s=600,
)


def make_catalog() -> Catalog:
    item = ServiceItem(
        id="bus",
        category=6,
        name=LocalText("乘坐公交车", "City buses"),
        where=LocalText("全市公交线路", "All city bus lines"),
        how=LocalText("上车刷卡", "Tap the card when boarding"),
        needs_financial_account=False,
    )
    categories = tuple(
        CatalogCategory(n, LocalText(f"类别{n}", f"Category {n}"), (item,) if n == 6 else ())
        for n in range(1, 14)
    )
    return Catalog(categories, dt.datetime(2026, 11, 1, tzinfo=dt.UTC))


class FakeCard:
    """Records what the flow asks of the card; the test answers when it chooses."""

    def __init__(self) -> None:
        self.reads: list[tuple[Callable[..., None], Callable[..., None]]] = []
        self.pins: list[tuple[bytes, Callable[..., None], Callable[..., None]]] = []
        self.resets: list[tuple[bytes, Callable[..., None], Callable[..., None]]] = []

    def read(self, on_done: Callable[..., None], on_error: Callable[..., None]) -> None:
        self.reads.append((on_done, on_error))

    def verify_pin(
        self, pin: bytearray, on_done: Callable[..., None], on_error: Callable[..., None]
    ) -> None:
        self.pins.append((bytes(pin), on_done, on_error))
        pin[:] = bytes(len(pin))  # as the real card layer does

    def reset_pin(
        self, new: bytearray, on_done: Callable[..., None], on_error: Callable[..., None]
    ) -> None:
        self.resets.append((bytes(new), on_done, on_error))
        new[:] = bytes(len(new))


@dataclass
class FakePlatform:
    session: ResidentSession | KioskError = SESSION
    catalog_answer: Catalog | KioskError = field(default_factory=make_catalog)
    opened: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    catalog_calls: int = 0
    assistance: list[str] = field(default_factory=list)
    assistance_fails: KioskError | None = None
    ecode_session: ResidentSession | KioskError = SESSION
    ecodes: list[str] = field(default_factory=list)
    # As a platform not reached yet: no kiosk id, no address.
    kiosk_id: str = ""
    base_url: str = ""

    def open_session_by_card(
        self, card_identifier: str, card_number: str, *, scope: str = "full"
    ) -> ResidentSession:
        self.opened.append((card_identifier, card_number))
        if scope == "card_life" and isinstance(self.session, CardNotInService):
            # The platform opens a session acting on the card's life only for such a card.
            return ResidentSession("card-life", "", CardStatus(self.session.status), False, 300)
        if isinstance(self.session, KioskError):
            raise self.session
        return self.session

    def close_session(self, token: str) -> None:
        self.closed.append(token)

    def open_session_by_ecode(self, code: str) -> ResidentSession:
        self.ecodes.append(code)
        if isinstance(self.ecode_session, KioskError):
            raise self.ecode_session
        return self.ecode_session

    def request_assistance(self, screen: str) -> dt.datetime:
        self.assistance.append(screen)
        if self.assistance_fails:
            raise self.assistance_fails
        return dt.datetime(2026, 11, 27, 10, 42)

    def card(self, token: str) -> CardView:
        return CardView(
            number_masked="A0000****",
            status=CardStatus.NORMAL,
            financial_account_active=True,
            issued=dt.date(2019, 4, 18),
            expires=dt.date(2029, 4, 18),
            requests=(),
        )

    def catalog(self) -> Catalog:
        self.catalog_calls += 1
        if isinstance(self.catalog_answer, KioskError):
            raise self.catalog_answer
        return self.catalog_answer


class ManualRunner:
    """Holds background jobs until the test runs them, so their order can be chosen."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[[], Any], Callable[[Any], None], Callable[..., None]]] = []

    def run(self, job: Callable[[], Any], on_done: Callable[[Any], None], on_error: Any) -> None:
        self.jobs.append((job, on_done, on_error))

    def finish_all(self) -> None:
        while self.jobs:
            SyncRunner().run(*self.jobs.pop(0))


class SyncRunner:
    """Runs each background job where it is asked: the caller waits, as a test can afford to."""

    def run(self, job: Callable[[], Any], on_done: Callable[[Any], None], on_error: Any) -> None:
        try:
            result = job()
        except KioskError as error:
            on_error(error)
        else:
            on_done(result)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def present_card(flow: Any, card: FakeCard, runner: ManualRunner) -> None:
    """Card A in, its PIN right on the card, then the platform's answers (the session) run."""
    flow.card_inserted()
    card.reads[-1][0](SNAPSHOT)
    flow.submit_pin(bytearray(b"123456"))
    card.pins[-1][1](None)
    runner.finish_all()
