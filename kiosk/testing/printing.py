"""Where documents go: a receipt printer that can run out of paper, an A4 printer that can fail
once, and an outbox that says delivered (or whatever state a test sets)."""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.domain.a4 import A4Document
from kiosk.domain.errors import PaperOut
from kiosk.domain.receipt import PaperLevel, PrinterStatus, PrintJob, PrintOutcome, PrintState
from kiosk.domain.submission import OutboxState, SubmissionReceipt


class FakePrinter:
    """Keeps each slip it prints; with `paper_out` it refuses, as a printer out of paper does,
    and with `paper` set it reports that level (near its end, say)."""

    name = "test receipt printer"

    def __init__(self, paper: PaperLevel = PaperLevel.UNKNOWN) -> None:
        self.jobs: list[PrintJob] = []
        self.paper_out = False
        self.paper = paper

    def status(self) -> PrinterStatus:
        paper = PaperLevel.OUT if self.paper_out else self.paper
        return PrinterStatus(answered=True, online=True, paper=paper)

    def print_job(self, job: PrintJob) -> PrintOutcome:
        if self.paper_out:
            raise PaperOut("paper", PrintOutcome(job, PrintState.NOT_STARTED, self.status()))
        self.jobs.append(job)
        return PrintOutcome(job, PrintState.PRINTED, PrinterStatus(answered=True))


class FakeA4Printer:
    """Keeps each document; raises the error it is given in `fail_with` instead, once."""

    name = "a4-standin"

    def __init__(self) -> None:
        self.documents: list[A4Document] = []
        self.fail_with: Exception | None = None

    def print_document(self, document: A4Document) -> str:
        if self.fail_with is not None:
            error, self.fail_with = self.fail_with, None
            raise error
        self.documents.append(document)
        return "queue"


class FakeOutbox:
    """Keeps what is filed as (kind, body, session token) and answers in `state`, with tracking
    numbers shaped like the platform's: C- for complaints, R- for card requests, counted from 1
    under `series` (the audit's fixed one when `numbered` is off)."""

    def __init__(self, series: str = "TEST-0000", *, numbered: bool = True) -> None:
        self.items: list[tuple[str, dict[str, object], str | None]] = []
        self.state = OutboxState.DELIVERED
        # The sessions leave to deliver was asked for ahead, and how many wait to be delivered.
        self.reserved: list[str] = []
        self.pending = 0
        self._series = series
        self._numbered = numbered

    def reserve(self, token: str) -> None:
        self.reserved.append(token)

    def pending_count(self) -> int:
        return self.pending

    def submit(
        self, kind: str, body: Mapping[str, object], *, token: str | None = None, **_: object
    ) -> SubmissionReceipt:
        self.items.append((kind, dict(body), token))
        self.pending += self.state is OutboxState.QUEUED
        prefix = "C" if kind == "complaint" else "R"
        number = f"-{len(self.items):04d}" if self._numbered else ""
        return SubmissionReceipt(f"{prefix}-{self._series}{number}", self.state)
