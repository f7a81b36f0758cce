"""The card's life as the platform tells it (Art. 2): the card's view, its requests (a loss
report, its lifting, a reissue, a replacement) and their progress, and a loss reported
without the card by the ID number and a code sent to the phone on record. Frozen values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.domain.card import CardStatus

REQUEST_KINDS = ("loss_report", "loss_lifting", "reissue", "replacement")
REQUEST_STATUSES = ("completed", "in_progress")
PROGRESS_STEPS = ("submitted", "reviewed", "in_production", "ready_for_pickup", "completed")


@dataclass(frozen=True, slots=True)
class ProgressStep:
    step: str
    done: bool
    at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class CardRequest:
    tracking_number: str
    kind: str
    status: str  # completed, in_progress
    created: dt.datetime
    card_status: CardStatus
    progress: tuple[ProgressStep, ...]


@dataclass(frozen=True, slots=True)
class CardView:
    number_masked: str
    status: CardStatus
    financial_account_active: bool  # Art. 19
    issued: dt.date
    expires: dt.date
    requests: tuple[CardRequest, ...]


@dataclass(frozen=True, slots=True)
class LossCodeSent:
    """The platform's answer to "send a code": the same whether or not it knows the ID."""

    request_id: str
    expires_in_s: int
    digits: int

    def __repr__(self) -> str:
        return "LossCodeSent(<request>)"


@dataclass(frozen=True, slots=True)
class LossReported:
    request: CardRequest
    holder_name_masked: str
    card_number_masked: str


@dataclass(frozen=True, slots=True)
class DemoLossCode:
    """The demo platform's stand-in for the text message, for the dev panel only."""

    phone_masked: str
    code: str

    def __repr__(self) -> str:
        return "DemoLossCode(<one-time code>)"
