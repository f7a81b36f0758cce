"""Puts a real KioskWindow into each screen of the flow, with demo data and no devices.

The ports are stand-ins that answer at once: the audit measures screens, not devices, and must
be quick and repeatable. The data is the demo card A holder and the reference platform's
published catalog, so the screens carry realistic lengths of text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from kiosk import __version__
from kiosk.accessibility.profile import Profile
from kiosk.domain import records as rec
from kiosk.domain.admin_pin import DEMO_PIN
from kiosk.domain.card import CardSnapshot, CardStatus
from kiosk.domain.card_requests import CardRequest, CardView, LossCodeSent, LossReported
from kiosk.domain.catalog import Catalog, CatalogCategory, LocalText, Notice, ServiceItem
from kiosk.domain.complaints import ComplaintView
from kiosk.domain.errors import (
    CardNotInService,
    KioskError,
    PinBlocked,
    PlatformUnavailable,
    WrongPin,
)
from kiosk.domain.receipt import PrinterStatus, PrintJob, PrintOutcome, PrintState
from kiosk.domain.session import ResidentSession
from kiosk.domain.submission import OutboxState, SubmissionReceipt
from kiosk.flows.health import HealthMonitor
from kiosk.flows.service_menu import MenuState, ServiceActions, ServiceMenu
from kiosk.flows.session import SessionFlow, Step
from kiosk.flows.view import Choice
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
        self.blocked = False

    def read(self, on_done: Callable[[CardSnapshot], None], on_error: Callable[..., None]) -> None:
        on_done(self.snapshot)

    def verify_pin(
        self, pin: bytearray, on_done: Callable[[None], None], on_error: Callable[..., None]
    ) -> None:
        pin[:] = bytes(len(pin))
        if self.blocked:
            on_error(PinBlocked())
        elif self.wrong_pin:
            on_error(WrongPin(tries_left=2))
        else:
            on_done(None)

    def change_pin(
        self,
        old: bytearray,
        new: bytearray,
        on_done: Callable[[None], None],
        on_error: Callable[..., None],
    ) -> None:
        old[:] = bytes(len(old))
        new[:] = bytes(len(new))
        on_done(None)

    def reset_pin(
        self, new: bytearray, on_done: Callable[[None], None], on_error: Callable[..., None]
    ) -> None:
        new[:] = bytes(len(new))
        on_done(None)


class AuditPlatform:
    def __init__(self, catalog: Catalog, holder_name: str) -> None:
        self._catalog = catalog
        self.down = False
        self.lost = False
        self.expired = False
        self.financial_account_active = False
        self._name = holder_name

    # As a platform not reached yet: slips carry no kiosk id, and their QR codes lead to the
    # default address, so the scenes read the same on every machine.
    kiosk_id = ""
    base_url = ""

    def open_session_by_card(
        self, card_identifier: str, card_number: str, *, scope: str = "full"
    ) -> ResidentSession:
        if self.down:
            raise PlatformUnavailable()
        if self.lost and scope == "full":
            raise CardNotInService(CardStatus.TEMPORARILY_LOST.value)
        if self.expired:
            raise CardNotInService(CardStatus.EXPIRED.value)
        return ResidentSession(
            "audit", self._name, CardStatus.NORMAL, self.financial_account_active, 600
        )

    def close_session(self, token: str) -> None:
        return None

    def request_assistance(self, screen: str) -> dt.datetime:
        return dt.datetime(2026, 11, 27, 10, 42, tzinfo=dt.UTC)

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

    def contributions(self, token: str, **_query: object) -> rec.Contributions:
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

    def pension_payments(self, token: str, *, limit: int = 120) -> tuple[rec.PensionPayment, ...]:
        return tuple(rec.PensionPayment(f"2026-{m:02d}", 356789) for m in range(11, 0, -1))

    def medical_account(self, token: str, *, limit: int = 100) -> rec.MedicalAccount:
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

    def issue_certificate(
        self,
        token: str,
        kind: str = "insured_status",
        *,
        insurances: tuple[str, ...] | None = None,
        period: tuple[str, str] | None = None,
    ) -> rec.Certificate:
        return rec.Certificate(
            first_month=period[0] if period else None,
            last_month=period[1] if period else None,
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

    # --- without the card (kiosk.flows.lost_card): fictional answers ----------------------

    def open_session_by_ecode(self, code: str) -> ResidentSession:
        if self.down:
            raise PlatformUnavailable()
        return ResidentSession("audit", self._name, CardStatus.NORMAL, False, 600)

    def request_loss_code(self, id_number: str) -> LossCodeSent:
        return LossCodeSent("0" * 32, 300, 6)

    def report_loss_by_code(
        self, request_id: str, code: str, *, idempotency_key: str
    ) -> LossReported:
        request = CardRequest(
            "R-K7Q2-M9XT-2B4N",
            "loss_report",
            "completed",
            dt.datetime(2026, 11, 27, 10, 42, tzinfo=dt.UTC),
            CardStatus.TEMPORARILY_LOST,
            (),
        )
        return LossReported(request, self._name[:1] + "*", "A0*****11")

    def subsidies(self, token: str, *, limit: int = 100) -> tuple[rec.SubsidyPayment, ...]:
        program = LocalText(zh="高龄津贴", en="Old-age allowance")
        return tuple(
            rec.SubsidyPayment(dt.date(2026, m, 10), program, "郑州市民政局", 10000)
            for m in range(11, 0, -1)
        )

    def card_uses(
        self, token: str, *, kind: str | None = None, limit: int = 100
    ) -> tuple[rec.CardUse, ...]:
        at = dt.datetime(2026, 11, 20, 8, 5, tzinfo=dt.UTC)
        uses = (("metro", "郑州地铁1号线 紫荆山站", 200), ("bus", "郑州公交 B2路", 100))
        return tuple(
            rec.CardUse(at - dt.timedelta(days=i), use, place, fen)
            for i, (use, place, fen) in enumerate(uses * 4)
            if kind is None or use == kind
        )

    def complaints(self, token: str) -> tuple[ComplaintView, ...]:
        return (self.complaint("C-7K3Q-9XW2-M4PD", token),)

    def complaint(self, tracking_number: str, token: str | None = None) -> ComplaintView:
        """A complaint looked up by its number (issue #7), with the department's reply."""
        filed = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
        return ComplaintView(
            tracking_number,
            "complaint",
            "service",
            "服务态度与效率：社会保障",
            "replied",
            filed,
            "您反映的排队时间过长问题已收到，服务大厅已在上午增开两个窗口，感谢您的监督。",
            filed + dt.timedelta(days=2),
        )


class AuditOutbox:
    """Says delivered at once, with a tracking number shaped like the platform's."""

    def submit(
        self,
        kind: str,
        body: Mapping[str, object],
        *,
        token: str | None = None,
        send_now: bool = True,
    ) -> SubmissionReceipt:
        prefix = "C" if kind == "complaint" else "R"
        return SubmissionReceipt(f"{prefix}-K7Q2-M9XT-2B4N", OutboxState.DELIVERED)

    def reserve(self, token: str) -> None:
        """Nothing waits to be delivered here, so no leave is asked ahead."""

    def pending_count(self) -> int:
        return 0


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


class _Ticking:
    """A clock that moves a second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@dataclass
class Stage:
    """One window with its flow and stand-ins, reset between scenes."""

    window: KioskWindow
    flow: SessionFlow
    card: AuditCard
    platform: AuditPlatform
    clock: FrozenClock
    service: ServiceMenu

    def show(self, profile: Profile) -> None:
        self.window.set_profile(profile)


def build_stage(translations: Translations, font_family: str, dpi: float) -> Stage:
    snapshot = demo_snapshot()
    holder = snapshot.holder.name if snapshot.holder else ""
    card = AuditCard(snapshot)
    # A notice in force whatever the day the audit runs: the idle loop's first slide.
    notice = Notice(
        id=1,
        title=LocalText("春节期间服务时间", "Service hours over the Spring Festival"),
        body=LocalText(
            "各服务大厅正月初一至初三休息，自助服务终端照常使用。",
            "Service halls close on the first three days of the New Year; kiosks serve as usual.",
        ),
        starts=dt.date(2024, 1, 1),
        ends=dt.date(2099, 12, 31),
    )
    platform = AuditPlatform(replace(demo_catalog(), notices=(notice,)), holder)
    clock = FrozenClock()
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
        # Each press a second after the last: the walks of the reachable check press the same
        # key twice (0, 0) with the long debounce on, as a resident may at their own pace.
        monotonic=_Ticking(),
    )
    return Stage(window, flow, card, platform, clock, _service_menu(window, flow, clock))


class _AuditHeartbeat:
    def heartbeat(self, **_body: object) -> int:
        return 60


def _service_menu(window: KioskWindow, flow: SessionFlow, clock: FrozenClock) -> ServiceMenu:
    """The staff's service menu, its PIN the demo's, its health from stand-in devices."""
    monitor = HealthMonitor(
        runner=InlineRunner(),
        clock=clock,
        wall_clock=lambda: dt.datetime(2026, 11, 27, 10, 41, 30),
        platform=_AuditHeartbeat,
        printer=lambda: None,
        reader_available=lambda: True,
        outbox=lambda: None,
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


def _insert(stage: Stage) -> None:
    """The card in and read, and the privacy notice (Art. 13) accepted: the PIN is asked."""
    stage.flow.card_inserted()
    stage.flow.accept_privacy()


def _to_home(stage: Stage) -> None:
    _insert(stage)
    stage.flow.submit_pin(bytearray(b"123456"))


def _privacy(stage: Stage) -> None:
    _reset(stage)
    stage.flow.card_inserted()


def _reset(stage: Stage) -> None:
    stage.service.close()
    stage.flow.card_removed()
    stage.card.wrong_pin = False
    stage.platform.down = False
    stage.platform.lost = False
    stage.platform.expired = False
    stage.platform.financial_account_active = False
    stage.card.blocked = False
    stage.flow.at_counter = False
    stage.flow.a4printer = None
    stage.flow.printer = None


def _attract(stage: Stage) -> None:
    _reset(stage)


def _idle(slide: int) -> Callable[[Stage], None]:
    """The first screen with nobody there (Art. 15): a notice, then what the card does."""

    def arrange(stage: Stage) -> None:
        from kiosk.flows.session import IDLE_AFTER_S

        _reset(stage)
        stage.clock.now += IDLE_AFTER_S + 1
        stage.flow.tick()
        stage.flow.tick()
        stage.flow.slide = slide
        stage.window.refresh(force=True)

    return arrange


def _browsing(category: int | None) -> Callable[[Stage], None]:
    """The catalog from the first screen, without a card."""

    def arrange(stage: Stage) -> None:
        _reset(stage)
        stage.flow.browse_catalog()
        if category is not None:
            stage.flow.choose_category(category)

    return arrange


def _reading(stage: Stage) -> None:
    _reset(stage)
    # Held in READING: the stand-in card answers at once, so step in by hand.
    stage.flow.card_present = True
    stage.flow.step = Step.READING
    stage.window.refresh(force=True)


def _pin(stage: Stage) -> None:
    _reset(stage)
    _insert(stage)
    for digit in "123":
        stage.window.pin_screen.add_digit(digit)


def _pin_wrong(stage: Stage) -> None:
    _reset(stage)
    stage.card.wrong_pin = True
    _insert(stage)
    stage.flow.submit_pin(bytearray(b"111111"))


def _verifying(stage: Stage) -> None:
    _reset(stage)
    _insert(stage)
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


# --- without the card, and a lost card in hand (kiosk.flows.lost_card, card_life) -------------


def _without_card(*steps: str) -> Callable[[Stage], None]:
    """From the attract screen's 没带卡: digits press choices, "=..." types on the keypad,
    "scan" holds a demo e-code to the scanner, "late" lets the one-time code run out."""

    def show(stage: Stage) -> None:
        _reset(stage)
        stage.flow.outbox = AuditOutbox()
        stage.flow.start_without_card()
        stage.flow.accept_privacy()
        for step in steps:
            task = stage.flow.task
            assert task is not None
            view = task.view()
            if step.startswith("="):
                view.submit(step[1:])  # type: ignore[attr-defined]
            elif step == "scan":
                stage.flow.ecode_scanned("DEMO-ECODE-A00000011")
            elif step == "late":
                # The code expires; the resident is still there (a press just now), so the
                # session's own idle timer has not run out with it.
                stage.clock.now += 301
                stage.flow.activity()
            else:
                _press(view.choices, step)
        stage.window.refresh(force=True)

    return show


def _press(choices: Sequence[Choice], digit: str) -> None:
    for choice in choices:
        if choice.digit == digit:
            choice.action()
            return


def _new_pin(*digits: str) -> Callable[[Stage], None]:
    """The card's menu, a new PIN typed three times, then the given choices."""
    from kiosk.flows.card_life import CardLifeTask

    def show(stage: Stage) -> None:
        _task(stage, CardLifeTask, "3")
        for pin in (b"123456", b"654321", b"654321"):
            task = stage.flow.task
            assert task is not None
            task.view().submit(bytearray(pin))  # type: ignore[attr-defined]
        for digit in digits:
            task = stage.flow.task
            assert task is not None
            _press(task.view().choices, digit)
        stage.window.refresh(force=True)

    return show


def _lift(*digits: str) -> Callable[[Stage], None]:
    """A card reported lost, its PIN right: lifting the report is offered."""

    def show(stage: Stage) -> None:
        _reset(stage)
        stage.flow.outbox = AuditOutbox()
        stage.platform.lost = True
        _to_home(stage)
        for digit in digits:
            task = stage.flow.task
            assert task is not None
            _press(task.view().choices, digit)
        stage.window.refresh(force=True)

    return show


# --- the card in the way: expired, its PIN blocked (kiosk.flows.card_problems) -------------


class AuditA4Printer:
    """Takes every A4 document at once."""

    name = "audit A4"

    def print_document(self, document: object) -> str:
        return "audit"


class AuditReceiptPrinter:
    """Prints every slip at once."""

    def status(self) -> PrinterStatus:
        return PrinterStatus(answered=True)

    def print_job(self, job: PrintJob) -> PrintOutcome:
        return PrintOutcome(job, PrintState.PRINTED, self.status())


def _expired(*digits: str) -> Callable[[Stage], None]:
    """An expired card, its PIN right: its replacement is offered, and nothing else."""

    def show(stage: Stage) -> None:
        _reset(stage)
        stage.flow.outbox = AuditOutbox()
        stage.platform.expired = True
        _to_home(stage)
        for digit in digits:
            task = stage.flow.task
            assert task is not None
            _press(task.view().choices, digit)
        stage.window.refresh(force=True)

    return show


def _blocked(*digits: str, at_counter: bool = False) -> Callable[[Stage], None]:
    def show(stage: Stage) -> None:
        _reset(stage)
        stage.card.blocked = True
        stage.flow.at_counter = at_counter
        _to_home(stage)
        for digit in digits:
            task = stage.flow.task
            assert task is not None
            _press(task.view().choices, digit)
        stage.window.refresh(force=True)

    return show


def _pin_reset(*steps: str) -> Callable[[Stage], None]:
    """At a counter, staff have checked the identity card: the new PIN on the keypad."""

    def show(stage: Stage) -> None:
        _blocked(at_counter=True)(stage)
        stage.flow.start_pin_reset(lambda _written: None)
        for step in steps:
            task = stage.flow.task
            assert task is not None
            view = task.view()
            if step.startswith("="):
                view.submit(bytearray(step[1:].encode()))  # type: ignore[attr-defined]
            else:
                _press(view.choices, step)
        stage.window.refresh(force=True)

    return show


def _a4(*digits: str, slip_too: bool = True) -> Callable[[Stage], None]:
    """The certificate where the hall has an A4 printer (and a receipt printer)."""

    def show(stage: Stage) -> None:
        from kiosk.flows.records import RecordsTask

        _reset(stage)
        _to_home(stage)
        stage.flow.a4printer = AuditA4Printer()
        stage.flow.printer = AuditReceiptPrinter() if slip_too else None
        stage.flow.outbox = AuditOutbox()
        stage.flow.start_task(RecordsTask)
        for digit in digits:
            task = stage.flow.task
            assert task is not None
            view = task.view()
            if digit == "0":  # the next page, as keypad 0 turns it
                view.pager_actions[1][1]()
            else:
                _press(view.choices, digit)
        stage.window.refresh(force=True)

    return show


# --- typing on the on-screen keyboard (issue #7) -------------------------------------------


def _typed(start: Callable[[Stage], None], *presses: str) -> Callable[[Stage], None]:
    """Opens a keyboard screen, then presses its keys: letters and digits as keys, "<done>"
    accepts."""

    def show(stage: Stage) -> None:
        start(stage)
        task = stage.flow.task
        view = task.view() if task is not None else None
        editor = getattr(view, "editor", None)
        assert editor is not None, "the scene did not reach a keyboard"
        for press in presses:
            if press == "<done>":
                editor.accept()
                continue
            for key in press:
                editor.press_digit(key) if key.isdigit() else editor.press(key)

    return show


def _services_typing(stage: Stage) -> None:
    _services()(stage)
    task = stage.flow.task
    assert task is not None
    for choice in task.view().choices:
        if choice.label.id == "services.type":
            choice.action()


def _notice(stage: Stage) -> None:
    _reset(stage)
    stage.platform.down = True
    _to_home(stage)


def _take_card(stage: Stage) -> None:
    _home(stage)
    stage.flow.logout()


def _service(state: MenuState) -> Callable[[Stage], None]:
    def scene(stage: Stage) -> None:
        _reset(stage)
        menu = stage.service
        menu.open()
        if state is MenuState.LOCKED:
            for _ in range(3):
                menu.submit_pin(bytearray(b"11111111"))
        elif state is not MenuState.PIN:
            menu.submit_pin(bytearray(DEMO_PIN.encode()))
        if state is MenuState.HEALTH:
            menu.show_health()
        elif state is MenuState.CONFIRM_EXIT:
            menu.ask_exit()
        # Never left locked for the next scene: the stand-in clock does not move.
        menu._locked_until = 0.0
        stage.window.refresh(force=True)

    return scene


def _consent(purpose: str, answer: str = "") -> Callable[[Stage], None]:
    """The counter's consent question (issue 8), kept in kiosk.audit.counter_scenes."""

    def enter(stage: Stage) -> None:
        from kiosk.audit import counter_scenes

        counter_scenes.consent_scene(purpose, answer)(stage)

    return enter


# Scene name -> (the flow step it shows, how to get there).
SCENES: dict[str, tuple[Step, Callable[[Stage], None]]] = {
    "attract": (Step.ATTRACT, _attract),
    "idle-notice": (Step.ATTRACT, _idle(0)),
    "idle-catalog": (Step.ATTRACT, _idle(2)),
    "public-catalog": (Step.CATALOG, _browsing(None)),
    "public-category": (Step.CATEGORY, _browsing(10)),
    "reading": (Step.READING, _reading),
    "privacy-notice": (Step.PRIVACY, _privacy),
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
    "task-certificate-period": (Step.TASK, _records("3", "1")),
    "task-certificate-years": (Step.TASK, _records("3", "1", "4")),
    "task-certificate-preview": (Step.TASK, _records("3", "1", "1")),
    "task-certificate-preview-period": (Step.TASK, _records("3", "1", "2")),
    "task-certificate-slip": (Step.TASK, _records("3", "1", "1", "1")),
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
    "task-complaints-review": (Step.TASK, _complaints("2", "1", "1", "1", "4")),
    "task-complaints-sent": (Step.TASK, _complaints("2", "1", "1", "1", "4", "1")),
    "task-complaints-landline": (Step.TASK, _complaints("1", "1", "1", "1", "2")),
    "task-complaints-at-kiosk": (Step.TASK, _complaints("1", "1", "1", "1", "3")),
    "task-services": (Step.TASK, _services()),
    "task-services-results": (Step.TASK, _services("dt")),
    # Issue #7: the on-screen keyboard (pinyin with candidates, Latin letters for codes).
    "task-complaints-own-words": (Step.TASK, _typed(_complaints("1", "1", "1", "3"), "paidui")),
    "task-complaints-lookup": (Step.TASK, _typed(_complaints("4"), "K7Q2M9")),
    "task-complaints-lookup-found": (
        Step.TASK,
        _typed(_complaints("4"), "K7Q2M9XT2B4N", "<done>"),
    ),
    "task-services-typing": (Step.TASK, _typed(_services_typing, "dt")),
    "take-card": (Step.TAKE_CARD, _take_card),
    # Without the card, and a lost card in hand (Art. 2; kiosk.flows.lost_card, card_life).
    "no-card": (Step.TASK, _without_card()),
    "no-card-sign-in": (Step.TASK, _without_card("1")),
    "lost-card-way": (Step.TASK, _without_card("2")),
    "lost-card-ecode": (Step.TASK, _without_card("2", "2")),
    "lost-card-ecode-confirm": (Step.TASK, _without_card("2", "2", "scan")),
    "lost-card-id": (Step.TASK, _without_card("2", "1")),
    "lost-card-id-wrong": (Step.TASK, _without_card("2", "1", "=12345")),
    "lost-card-code": (Step.TASK, _without_card("2", "1", "=410105198807160014")),
    "lost-card-code-expired": (
        Step.TASK,
        _without_card("2", "1", "=410105198807160014", "late", "=123456"),
    ),
    "lost-card-confirm": (
        Step.TASK,
        _without_card("2", "1", "=410105198807160014", "=123456"),
    ),
    "lost-card-sent": (
        Step.TASK,
        _without_card("2", "1", "=410105198807160014", "=123456", "1"),
    ),
    "task-card-life-pin-confirm": (Step.TASK, _new_pin()),
    "task-card-life-pin-done": (Step.TASK, _new_pin("1")),
    "lift-confirm": (Step.TASK, _lift()),
    "lift-sent": (Step.TASK, _lift("1")),
    # An expired card, a blocked PIN (Art. 2; kiosk.flows.card_problems).
    "expired-offer": (Step.TASK, _expired()),
    "expired-pickup": (Step.TASK, _expired("1")),
    "expired-confirm": (Step.TASK, _expired("1", "1")),
    "expired-sent": (Step.TASK, _expired("1", "1", "1")),
    "pin-blocked": (Step.TASK, _blocked()),
    "pin-blocked-slip": (Step.TASK, _blocked("1")),
    "pin-blocked-counter": (Step.TASK, _blocked(at_counter=True)),
    "pin-reset-new": (Step.TASK, _pin_reset()),
    "pin-reset-confirm": (Step.TASK, _pin_reset("=135790", "=135790")),
    "pin-reset-done": (Step.TASK, _pin_reset("=135790", "=135790", "1")),
    # The certificate on A4 or as a slip, and the rights statement (A4 only).
    "task-certificate-medium": (Step.TASK, _a4("3", "1", "1", "1")),
    "task-certificate-sheet": (Step.TASK, _a4("3", "1", "1", "1", "1")),
    "task-rights-statement": (Step.TASK, _a4("0", "3")),
    # The counter (issue 8): the resident's consent question on the customer window. (The
    # staff console is a desktop window with its own tests: tests/counter/.)
    "consent-question": (Step.TASK, _consent("card_service")),
    "consent-question-whole-id": (Step.TASK, _consent("card_reissue")),
    "consent-question-complaints": (Step.TASK, _consent("complaint_handling")),
    "consent-granted": (Step.TASK, _consent("card_service", "1")),
    "consent-refused": (Step.TASK, _consent("card_service", "2")),
    "consent-withdrawn": (Step.TASK, _consent("card_service", "withdrawn")),
    # The staff's service menu over the attract screen (lock-down, issue #8).
    **{
        f"service-{state.value.replace('_', '-')}": (Step.ATTRACT, _service(state))
        for state in MenuState
        if state is not MenuState.CLOSED
    },
}


def unknown_steps() -> list[str]:
    """Flow steps no scene shows: each is a failed check of its own."""
    covered = {step for step, _ in SCENES.values()}
    missing = sorted(step.value for step in Step if step not in covered)
    # The service menu's screens are not flow steps: each needs its own scene.
    missing += [
        f"service:{state.value}"
        for state in MenuState
        if state is not MenuState.CLOSED
        and f"service-{state.value.replace('_', '-')}" not in SCENES
    ]
    return missing
