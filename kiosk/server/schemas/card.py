"""The card's life (Art. 2, Art. 19): its view, loss reports and their lifting, reissue and
replacement, and the one-time code that reports a loss without the card."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from kiosk.server.schemas.base import CardStatusName, Input, Model, example

# --- the card's life (Art. 2, Art. 19) -------------------------------------------------------


class ProgressStep(Model):
    step: Literal["submitted", "reviewed", "in_production", "ready_for_pickup", "completed"]
    done: bool
    at: dt.datetime | None = Field(description="when done, or when expected")


CardRequestKind = Literal["loss_report", "loss_lifting", "reissue", "replacement"]


class CardRequest(Model):
    tracking_number: str
    kind: CardRequestKind
    status: Literal["completed", "in_progress"]
    created: dt.datetime
    card_status: CardStatusName = Field(description="the card's status after this request")
    progress: list[ProgressStep]


class CardView(Model):
    number_masked: str
    status: CardStatusName
    financial_account_active: bool = Field(description="Art. 19")
    issued: dt.date
    expires: dt.date
    requests: list[CardRequest] = Field(description="newest first")


class LossReport(Input):
    model_config = example({"kind": "temporary"}, {"kind": "formal"})
    kind: Literal["temporary", "formal"] = Field(
        description="temporary: held for now; formal: the card is to be replaced"
    )


class LossLifting(Input):
    model_config = example({})


PickupHall = Literal["zhengzhou-city-hall", "jinshui-district-hall", "zhongyuan-district-hall"]


class ReissueRequest(Input):
    model_config = example({"pickup": "jinshui-district-hall"})
    pickup: PickupHall = Field(description="the service hall where the new card is collected")


class ReplacementRequest(Input):
    model_config = example({"reason": "damaged", "pickup": "zhengzhou-city-hall"})
    reason: Literal["damaged", "expired", "information_changed"]
    pickup: PickupHall


IdNumber = Annotated[
    str,
    Field(
        pattern=r"^\d{17}[\dXx]$",
        description="the 18-character resident ID number",
        examples=["410105198807160014"],
    ),
]


class LossCodeRequest(Input):
    """Step one of a loss report without the card: a one-time code to the phone on record."""

    model_config = example({"id_number": "410105198807160014"})
    id_number: IdNumber


class LossCodeSent(Model):
    """The same answer whether or not the platform knows the ID number."""

    request_id: str = Field(description="send it back with the code")
    expires_in_s: int
    digits: int = Field(description="how many digits the code has")


class LossByCode(Input):
    """Step two: the code from the phone; a correct one files a temporary loss report."""

    model_config = example({"request_id": "3f9c2a7d1b6e4f08a5c3d2e1f0a9b8c7", "code": "482915"})
    request_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    code: str = Field(pattern=r"^\d{6}$")


class LossReported(Model):
    request: CardRequest
    holder_name_masked: str
    card_number_masked: str


class DemoLossCode(Model):
    """The demo platform's stand-in for the text message (served in demo mode only)."""

    phone_masked: str
    code: str
    expires: dt.datetime
