"""Where a resident's submission is: what the outbox answers when a task files something.

The tracking number is known at once, whether the platform heard the submission or it waits on
disk, so the resident is always told it, and honestly where the item is (Art. 16).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.domain.card_requests import CardRequest
from kiosk.domain.complaints import ComplaintView


class OutboxState(StrEnum):
    QUEUED = "queued"  # on disk, not yet heard by the platform
    DELIVERED = "delivered"  # the platform has it
    REJECTED = "rejected"  # the platform heard it and refused it, with a reason code


@dataclass(frozen=True, slots=True)
class SubmissionReceipt:
    """What the resident is told: the tracking number always, and honestly where the item is."""

    tracking_number: str
    state: OutboxState
    reason: str | None = None  # the reason code when rejected
    answer: CardRequest | ComplaintView | None = None  # the platform's answer when delivered

    @property
    def delivered(self) -> bool:
        return self.state is OutboxState.DELIVERED
