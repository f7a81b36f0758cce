"""What a printer reports and returns: its status, a job, and what became of the job, so that a
caller can keep a job that did not print and print it again."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.domain.receipt.model import Receipt

__all__ = [
    "UNKNOWN_STATUS",
    "PaperLevel",
    "PrintJob",
    "PrintOutcome",
    "PrintState",
    "PrinterStatus",
]


class PaperLevel(StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"
    UNKNOWN = "unknown"  # the printer does not answer status queries (or cannot: a file)


@dataclass(frozen=True)
class PrinterStatus:
    """The printer's real-time status (DLE EOT), as the heartbeat and the flows see it."""

    answered: bool
    online: bool | None = None
    paper: PaperLevel = PaperLevel.UNKNOWN
    cover_open: bool = False
    error: bool = False  # cutter jam or an unrecoverable error

    @property
    def can_print(self) -> bool:
        """False only on a known reason; a printer that does not answer is given the benefit."""
        return not (
            self.paper is PaperLevel.OUT or self.cover_open or self.error or self.online is False
        )

    @property
    def needs_attention(self) -> bool:
        """For the fleet's operators: paper to load soon, or a fault to clear now."""
        return not self.can_print or self.paper is PaperLevel.NEAR_END

    def as_dict(self) -> dict[str, object]:
        return {
            "answered": self.answered,
            "online": self.online,
            "paper": self.paper.value,
            "cover_open": self.cover_open,
            "error": self.error,
        }


UNKNOWN_STATUS = PrinterStatus(answered=False)


@dataclass(frozen=True)
class PrintJob:
    """A receipt to print, with an id that stays the same across retries."""

    receipt: Receipt
    job_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def reference(self) -> str:
        return self.receipt.reference

    @property
    def qr_payload(self) -> str | None:
        return self.receipt.qr_payload


class PrintState(StrEnum):
    PRINTED = "printed"
    NOT_STARTED = "not_started"  # nothing reached the paper: print it when the printer is ready
    INTERRUPTED = "interrupted"  # part of it may be on paper: print it again, whole


@dataclass(frozen=True)
class PrintOutcome:
    """What became of a job. Returned when it printed; carried by the PrinterError otherwise,
    so the caller still holds the job to show as a QR code and to print again."""

    job: PrintJob
    state: PrintState
    status: PrinterStatus
    bytes_sent: int = 0

    @property
    def printed(self) -> bool:
        return self.state is PrintState.PRINTED
