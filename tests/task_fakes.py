"""Stand-ins for the resident tasks' ports: a platform with records, a printer that can run out
of paper, an outbox that says delivered or queued, and a rig that builds the TaskContext."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk_fakes import SESSION, SNAPSHOT, Clock, FakeCard, ManualRunner, make_catalog

from kiosk.domain import card_requests as cards
from kiosk.domain import records as r
from kiosk.domain.card import CardSnapshot, CardStatus
from kiosk.domain.catalog import LocalText
from kiosk.domain.complaints import ComplaintView
from kiosk.domain.errors import KioskError, PaperOut
from kiosk.domain.receipt import PaperLevel, PrinterStatus, PrintJob, PrintOutcome, PrintState
from kiosk.domain.session import ResidentSession
from kiosk.domain.submission import OutboxState, SubmissionReceipt
from kiosk.flows.tasks import TaskContext

UTC = dt.UTC


def contributions() -> r.Contributions:
    months = []
    for year in (2024, 2025):
        for number in range(1, 13):
            paid = not (year == 2024 and number in (3, 4))
            months.append(
                r.ContributionMonth(
                    f"{year}-{number:02d}", "pension", 500000, 40000 if paid else 0, 0, paid, "X"
                )
            )
    summary = (
        r.InsuranceSummary("pension", 22, 2, "2024-01", "2025-12", 22 * 40000),
        r.InsuranceSummary("maternity", 0, 0, None, None, 0),
    )
    return r.Contributions(summary, tuple(reversed(months)))


def medical() -> r.MedicalAccount:
    at = dt.datetime(2026, 10, 3, 9, 30, tzinfo=UTC)
    return r.MedicalAccount(
        123456,
        tuple(
            r.MedicalTransaction(
                at - dt.timedelta(days=i), kind, amount, 123456, "郑州市第一人民医院"
            )
            for i, (kind, amount) in enumerate(
                [("outpatient", -2350), ("credit", 15000), ("pharmacy", -880), ("inpatient", -9000)]
            )
        ),
    )


def card_view(status: CardStatus = CardStatus.NORMAL, requests: tuple[cards.CardRequest, ...] = ()):
    return cards.CardView(
        "A0000****", status, True, dt.date(2019, 4, 18), dt.date(2029, 4, 18), requests
    )


def reissue_request() -> cards.CardRequest:
    created = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    steps = (
        cards.ProgressStep("submitted", True, created),
        cards.ProgressStep("reviewed", True, created + dt.timedelta(minutes=10)),
        cards.ProgressStep("in_production", False, created + dt.timedelta(days=1)),
    )
    return cards.CardRequest(
        "R-AAAA-BBBB-CCCC", "reissue", "in_progress", created, CardStatus.LOST, steps
    )


@dataclass
class TaskPlatform:
    """Answers like the platform client, or raises the error a test sets for a call."""

    card_answer: Any = field(default_factory=card_view)
    errors: dict[str, KioskError] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    kiosk_id: str = "K-TEST"
    base_url: str = "https://platform.test"
    certificate_asks: list[Any] = field(default_factory=list)
    ecode_session: Any = None
    ecodes: list[str] = field(default_factory=list)
    loss_ids: list[str] = field(default_factory=list)
    loss_codes: list[Any] = field(default_factory=list)

    def _answer(self, name: str, value: Any) -> Any:
        self.calls.append(name)
        if name in self.errors:
            raise self.errors[name]
        return value

    def catalog(self):
        return self._answer("catalog", make_catalog())

    def card(self, token: str):
        return self._answer("card", self.card_answer)

    def contributions(self, token: str, **_query: Any):
        return self._answer("contributions", contributions())

    def medical_account(self, token: str):
        return self._answer("medical", medical())

    def pension_payments(self, token: str):
        payments = tuple(r.PensionPayment(f"2025-{m:02d}", 312000) for m in range(12, 0, -1))
        payments += tuple(r.PensionPayment(f"2024-{m:02d}", 300000) for m in range(12, 0, -1))
        return self._answer("pension", payments)

    def subsidies(self, token: str):
        return self._answer(
            "subsidies",
            (
                r.SubsidyPayment(
                    dt.date(2026, 9, 1), LocalText("高龄津贴", "Old-age allowance"), "民政局", 10000
                ),
            ),
        )

    def card_uses(self, token: str):
        at = dt.datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
        return self._answer(
            "card_uses",
            (
                r.CardUse(at, "metro", "紫荆山站", 200),
                r.CardUse(at, "library", "郑州图书馆", 0),
                r.CardUse(at, "bus", "B1路", 100),
                r.CardUse(at, "museum", "河南博物院", 0),
            ),
        )

    def issue_certificate(self, token: str, *, insurances=None, period=None):
        self.certificate_asks.append((insurances, period))
        return self._answer(
            "issue_certificate",
            r.Certificate(
                first_month=period[0] if period else None,
                last_month=period[1] if period else None,
                code="7K3M-Q9XT-2B4N",
                kind="insured_status",
                issued=dt.datetime(2026, 11, 27, 10, 0, tzinfo=UTC),
                valid_until=dt.date(2027, 2, 25),
                holder_name="王秀英",
                holder_id_masked="4101**********0027",
                insurances=(
                    r.CertificateInsurance("pension", "insured", "2014-01", "2026-10", 150),
                    r.CertificateInsurance("medical", "insured", "2014-01", "2026-10", 150),
                    r.CertificateInsurance("unemployment", "interrupted", "2014-01", "2020-12", 84),
                    r.CertificateInsurance("work_injury", "never", None, None, 0),
                ),
                demo=True,
            ),
        )

    # --- without the card (kiosk.flows.lost_card) ---

    def open_session_by_ecode(self, code: str):
        self.ecodes.append(code)
        return self._answer("open_session_by_ecode", self.ecode_session)

    def close_session(self, token: str) -> None:
        self._answer("close_session", None)

    def request_loss_code(self, id_number: str):
        self.loss_ids.append(id_number)
        return self._answer("request_loss_code", cards.LossCodeSent("a" * 32, 300, 6))

    def report_loss_by_code(self, request_id: str, code: str, *, idempotency_key: str):
        self.loss_codes.append((code, idempotency_key))
        request = cards.CardRequest(
            "R-LOSS-0000-0001",
            "loss_report",
            "completed",
            dt.datetime(2026, 11, 27, 10, 0, tzinfo=UTC),
            CardStatus.TEMPORARILY_LOST,
            (),
        )
        return self._answer("report_loss_by_code", cards.LossReported(request, "李*", "B0*****22"))

    def complaints(self, token: str):
        created = dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
        return self._answer(
            "complaints",
            (
                ComplaintView(
                    "C-AAAA-BBBB-CCCC",
                    "complaint",
                    "service",
                    "排队",
                    "replied",
                    created,
                    "已增加窗口",
                    created,
                ),
                ComplaintView(
                    "C-DDDD-EEEE-FFFF",
                    "suggestion",
                    "kiosk",
                    "字大",
                    "received",
                    created,
                    None,
                    None,
                ),
            ),
        )


class FakePrinter:
    def __init__(self) -> None:
        self.jobs: list[PrintJob] = []
        self.paper_out = False

    def print_job(self, job: PrintJob) -> PrintOutcome:
        if self.paper_out:
            status = PrinterStatus(answered=True, online=True, paper=PaperLevel.OUT)
            raise PaperOut("paper", PrintOutcome(job, PrintState.NOT_STARTED, status))
        self.jobs.append(job)
        return PrintOutcome(job, PrintState.PRINTED, PrinterStatus(answered=True))


class FakeOutbox:
    def __init__(self) -> None:
        self.items: list[tuple[str, dict[str, object], str | None]] = []
        self.reserved: list[str] = []
        self.state = OutboxState.DELIVERED

    def submit(self, kind: str, body: dict[str, object], *, token: str | None = None, **_: Any):
        self.items.append((kind, dict(body), token))
        prefix = "C" if kind == "complaint" else "R"
        return SubmissionReceipt(f"{prefix}-TEST-0000-{len(self.items):04d}", self.state)

    def reserve(self, token: str) -> None:
        self.reserved.append(token)


class PinCard(FakeCard):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[tuple[bytes, bytes, Callable[..., None], Callable[..., None]]] = []

    def change_pin(self, old: bytearray, new: bytearray, on_done, on_error) -> None:
        self.changes.append((bytes(old), bytes(new), on_done, on_error))


@dataclass
class TaskRig:
    platform: TaskPlatform = field(default_factory=TaskPlatform)
    runner: ManualRunner = field(default_factory=ManualRunner)
    card: PinCard = field(default_factory=PinCard)
    printer: FakePrinter | None = field(default_factory=FakePrinter)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    session: ResidentSession = SESSION
    snapshot: CardSnapshot | None = SNAPSHOT
    language: str = "zh_CN"
    redraws: int = 0
    finished: bool = False
    a4printer: Any = None
    at_counter: bool = False

    def context(self) -> TaskContext:
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
            clock=Clock(),
            changed=changed,
            finish=finish,
            language=lambda: self.language,
            printer=self.printer,
            outbox=self.outbox,
            a4printer=self.a4printer,
            at_counter=self.at_counter,
        )

    def run(self) -> None:
        self.runner.finish_all()


def choose(content, digit: str) -> None:
    """Presses a choice's digit, as the keypad does."""
    for choice in content.choices:
        if choice.digit == digit:
            choice.action()
            return
    raise AssertionError(f"no choice {digit} on {content.heading.id}")


def ids(content) -> list[str]:
    """Every message id on the screen, in the order the voice guide says them."""
    return [m.id for m in content.spoken()]
