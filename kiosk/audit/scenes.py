"""Puts a real KioskWindow into each screen of the flow, with demo data and no devices.

The ports are stand-ins that answer at once: the audit measures screens, not devices, and must
be quick and repeatable. The data is the demo card A holder and the reference platform's
published catalog, so the screens carry realistic lengths of text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from kiosk.accessibility.profile import Profile
from kiosk.backend import records as rec
from kiosk.backend.outbox import OutboxState, SubmissionReceipt
from kiosk.backend.records import CardView
from kiosk.domain.card import CardSnapshot, CardStatus
from kiosk.domain.catalog import Catalog, CatalogCategory, LocalText, ServiceItem
from kiosk.domain.errors import KioskError, PlatformUnavailable, WrongPin
from kiosk.domain.session import ResidentSession
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.ui.window import KioskWindow

T = TypeVar("T")


def demo_catalog() -> Catalog:
    from kiosk.server import catalog_data  # plain data: no server is started

    published = dt.datetime.fromisoformat(catalog_data.PUBLISHED)
    categories = []
    for number, (zh, en) in sorted(catalog_data.CATEGORIES.items()):
        items = tuple(
            ServiceItem(
                id=row[0],
                category=number,
                name=LocalText(*row[1]),
                where=LocalText(*row[2]),
                how=LocalText(*row[3]),
                needs_financial_account=row[4],
            )
            for row in catalog_data.ITEMS.get(number, ())
        )
        categories.append(CatalogCategory(number, LocalText(zh, en), items))
    return Catalog(tuple(categories), published)


def demo_snapshot() -> CardSnapshot:
    from kiosk.devices.card.profile import load_demo_profiles

    profile = load_demo_profiles()["demo_a"]
    return CardSnapshot("Audit reader", profile.atr, profile.card, profile.holder)


class AuditCard:
    """Answers at once: the card is read, and the PIN is right unless told otherwise."""

    def __init__(self, snapshot: CardSnapshot) -> None:
        self.snapshot = snapshot
        self.wrong_pin = False

    def read(self, on_done: Callable[[CardSnapshot], None], on_error: Callable[..., None]) -> None:
        on_done(self.snapshot)

    def verify_pin(
        self, pin: bytearray, on_done: Callable[[None], None], on_error: Callable[..., None]
    ) -> None:
        pin[:] = bytes(len(pin))
        if self.wrong_pin:
            on_error(WrongPin(tries_left=2))
        else:
            on_done(None)


class AuditPlatform:
    def __init__(self, catalog: Catalog, holder_name: str) -> None:
        self._catalog = catalog
        self.down = False
        self.financial_account_active = False
        self._name = holder_name

    def open_session_by_card(self, card_identifier: str, card_number: str) -> ResidentSession:
        if self.down:
            raise PlatformUnavailable()
        return ResidentSession(
            "audit", self._name, CardStatus.NORMAL, self.financial_account_active, 600
        )

    def close_session(self, token: str) -> None:
        return None

    def request_assistance(self, screen: str) -> object:
        return dt.datetime(2026, 11, 27, 10, 42)

    def catalog(self) -> Catalog:
        if self.down:
            raise PlatformUnavailable()
        return self._catalog

    def card(self, token: str) -> CardView:
        return CardView(
            number_masked="A0000****",
            status=CardStatus.NORMAL,
            financial_account_active=self.financial_account_active,
            issued=dt.date(2019, 4, 18),
            expires=dt.date(2029, 4, 18),
            requests=(),
        )

    # --- records, certificate, complaints: fictional demo data of realistic length -----------

    def contributions(self, token: str) -> rec.Contributions:
        months = tuple(
            rec.ContributionMonth(
                f"{year}-{month:02d}",
                "pension",
                560000,
                44800 if (year, month) not in ((2024, 3), (2024, 4)) else 0,
                112000,
                (year, month) not in ((2024, 3), (2024, 4)),
                "郑州示例科技有限公司",
            )
            for year in (2026, 2025, 2024, 2023)
            for month in range(12, 0, -1)
        )
        summary = (
            rec.InsuranceSummary("pension", 94, 2, "2019-01", "2026-10", 94 * 44800),
            rec.InsuranceSummary("medical", 96, 0, "2019-01", "2026-10", 96 * 11200),
            rec.InsuranceSummary("unemployment", 60, 2, "2019-01", "2024-02", 60 * 2800),
            rec.InsuranceSummary("work_injury", 96, 0, "2019-01", "2026-10", 0),
            rec.InsuranceSummary("maternity", 0, 0, None, None, 0),
        )
        return rec.Contributions(summary, months)

    def medical_account(self, token: str) -> rec.MedicalAccount:
        at = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
        rows = (
            ("outpatient", -2350, "郑州大学第一附属医院"),
            ("credit", 15200, ""),
            ("pharmacy", -880, "张仲景大药房（金水路店）"),
        )
        return rec.MedicalAccount(
            312456,
            tuple(
                rec.MedicalTransaction(at - dt.timedelta(days=9 * i), kind, amount, 312456, place)
                for i, (kind, amount, place) in enumerate(rows * 3)
            ),
        )

    def issue_certificate(self, token: str) -> rec.Certificate:
        return rec.Certificate(
            code="7K3M-Q9XT-2B4N",
            kind="insured_status",
            issued=dt.datetime(2026, 11, 27, 10, 42, tzinfo=dt.UTC),
            valid_until=dt.date(2027, 2, 25),
            holder_name=self._name,
            holder_id_masked="4101**********0027",
            insurances=(
                rec.CertificateInsurance("pension", "insured", "2019-01", "2026-10", 94),
                rec.CertificateInsurance("medical", "insured", "2019-01", "2026-10", 96),
                rec.CertificateInsurance("unemployment", "interrupted", "2019-01", "2024-02", 60),
            ),
            demo=True,
        )


class AuditOutbox:
    """Says delivered at once, with a tracking number shaped like the platform's."""

    def submit(self, kind: str, body: object, **_: object) -> SubmissionReceipt:
        prefix = "C" if kind == "complaint" else "R"
        return SubmissionReceipt(f"{prefix}-K7Q2-M9XT-2B4N", OutboxState.DELIVERED)


class InlineRunner:
    """Runs a platform call where it is asked: the stand-ins answer at once."""

    def run(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[KioskError], None],
    ) -> None:
        try:
            result = job()
        except KioskError as error:
            on_error(error)
        else:
            on_done(result)


class FrozenClock:
    def __init__(self) -> None:
        self.now = 10_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Stage:
    """One window with its flow and stand-ins, reset between scenes."""

    window: KioskWindow
    flow: SessionFlow
    card: AuditCard
    platform: AuditPlatform
    clock: FrozenClock

    def show(self, profile: Profile) -> None:
        self.window.set_profile(profile)


def build_stage(translations: Translations, font_family: str, dpi: float) -> Stage:
    snapshot = demo_snapshot()
    holder = snapshot.holder.name if snapshot.holder else ""
    card = AuditCard(snapshot)
    platform = AuditPlatform(demo_catalog(), holder)
    clock = FrozenClock()
    flow = SessionFlow(card, platform, InlineRunner(), clock, timeout_s=120, warning_s=30)
    window = KioskWindow(
        flow,
        translations,
        font_family,
        default_profile=Profile(),
        dpi=dpi,
        design_size=(1920, 1080),
        clock=lambda: dt.datetime(2026, 11, 27, 10, 42),
        debounce_s=0.0,
        monotonic=clock,
    )
    return Stage(window, flow, card, platform, clock)


def _to_home(stage: Stage) -> None:
    stage.flow.card_inserted()
    stage.flow.submit_pin(bytearray(b"123456"))


def _reset(stage: Stage) -> None:
    stage.flow.card_removed()
    stage.card.wrong_pin = False
    stage.platform.down = False
    stage.platform.financial_account_active = False


def _attract(stage: Stage) -> None:
    _reset(stage)


def _reading(stage: Stage) -> None:
    _reset(stage)
    # Held in READING: the stand-in card answers at once, so step in by hand.
    stage.flow.card_present = True
    stage.flow.step = Step.READING
    stage.window.refresh(force=True)


def _pin(stage: Stage) -> None:
    _reset(stage)
    stage.flow.card_inserted()
    for digit in "123":
        stage.window.pin_screen.add_digit(digit)


def _pin_wrong(stage: Stage) -> None:
    _reset(stage)
    stage.card.wrong_pin = True
    stage.flow.card_inserted()
    stage.flow.submit_pin(bytearray(b"111111"))


def _verifying(stage: Stage) -> None:
    _reset(stage)
    stage.flow.card_inserted()
    stage.flow.step = Step.VERIFYING
    stage.window.refresh(force=True)


def _home(stage: Stage) -> None:
    _reset(stage)
    _to_home(stage)


def _home_warning(stage: Stage) -> None:
    _home(stage)
    stage.clock.now += stage.flow.timeout_s - 20
    stage.flow.tick()


def _catalog(stage: Stage) -> None:
    _home(stage)
    stage.flow.open_catalog()


def _category(stage: Stage) -> None:
    _catalog(stage)
    stage.flow.choose_category(10)  # financial services: shows the Art. 19 lock


def _task(stage: Stage, factory: Callable[..., object], *digits: str) -> None:
    """Starts a task from home and presses the given digits in it, as the keypad would."""
    _home(stage)
    stage.flow.outbox = AuditOutbox()
    stage.flow.start_task(factory)  # type: ignore[arg-type]
    for digit in digits:
        task = stage.flow.task
        assert task is not None
        for choice in task.view().choices:
            if choice.digit == digit:
                choice.action()
                break


def _records(*digits: str) -> Callable[[Stage], None]:
    from kiosk.flows.records import RecordsTask

    return lambda stage: _task(stage, RecordsTask, *digits)


def _card_life(*digits: str) -> Callable[[Stage], None]:
    from kiosk.flows.card_life import CardLifeTask

    return lambda stage: _task(stage, CardLifeTask, *digits)


def _complaints(*digits: str) -> Callable[[Stage], None]:
    from kiosk.flows.complaints import ComplaintsTask

    return lambda stage: _task(stage, ComplaintsTask, *digits)


def _services(*queries: str) -> Callable[[Stage], None]:
    from kiosk.flows.services import ServiceSearchTask

    def show(stage: Stage) -> None:
        _task(stage, ServiceSearchTask)
        task = stage.flow.task
        for query in queries:
            assert isinstance(task, ServiceSearchTask)
            task.find(query)

    return show


def _notice(stage: Stage) -> None:
    _reset(stage)
    stage.platform.down = True
    _to_home(stage)


def _take_card(stage: Stage) -> None:
    _home(stage)
    stage.flow.logout()


# Scene name -> (the flow step it shows, how to get there).
SCENES: dict[str, tuple[Step, Callable[[Stage], None]]] = {
    "attract": (Step.ATTRACT, _attract),
    "reading": (Step.READING, _reading),
    "pin": (Step.PIN, _pin),
    "pin-wrong": (Step.PIN, _pin_wrong),
    "verifying": (Step.VERIFYING, _verifying),
    "home": (Step.HOME, _home),
    "home-timeout-warning": (Step.HOME, _home_warning),
    "catalog": (Step.CATALOG, _catalog),
    "category": (Step.CATEGORY, _category),
    "notice": (Step.NOTICE, _notice),
    "task-records": (Step.TASK, _records()),
    "task-records-contributions": (Step.TASK, _records("1")),
    "task-records-insurance": (Step.TASK, _records("1", "1")),
    "task-records-medical": (Step.TASK, _records("2")),
    "task-certificate-choose": (Step.TASK, _records("3")),
    "task-certificate-preview": (Step.TASK, _records("3", "1")),
    "task-certificate-slip": (Step.TASK, _records("3", "1", "1")),
    "task-card-life": (Step.TASK, _card_life()),
    "task-card-life-loss": (Step.TASK, _card_life("1")),
    "task-card-life-confirm": (Step.TASK, _card_life("1", "1")),
    "task-card-life-sent": (Step.TASK, _card_life("1", "1", "1")),
    "task-card-life-replacement": (Step.TASK, _card_life("2")),
    "task-card-life-pickup": (Step.TASK, _card_life("2", "1")),
    "task-complaints": (Step.TASK, _complaints()),
    "task-complaints-topic": (Step.TASK, _complaints("1")),
    "task-complaints-place": (Step.TASK, _complaints("1", "1")),
    "task-complaints-phrase": (Step.TASK, _complaints("1", "1", "1")),
    "task-complaints-contact": (Step.TASK, _complaints("2", "1", "1", "1")),
    "task-complaints-review": (Step.TASK, _complaints("2", "1", "1", "1", "2")),
    "task-complaints-sent": (Step.TASK, _complaints("2", "1", "1", "1", "2", "1")),
    "task-services": (Step.TASK, _services()),
    "task-services-results": (Step.TASK, _services("dt")),
    "take-card": (Step.TAKE_CARD, _take_card),
}


def unknown_steps() -> list[str]:
    """Flow steps no scene shows: each is a failed check of its own."""
    covered = {step for step, _ in SCENES.values()}
    return sorted(step.value for step in Step if step not in covered)
