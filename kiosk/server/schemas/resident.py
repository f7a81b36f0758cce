"""The resident's side of /v1: signing in (Art. 2), the catalog (Art. 7, 15), the records
(Art. 7 items 1, 3, 4, 6, 7) and the certificates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, GetJsonSchemaHandler, field_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from kiosk.server.schemas.base import (
    CardIdentifier,
    CardNumber,
    CardStatusName,
    Input,
    LocalText,
    Model,
    example,
)

# --- sessions (Art. 2) ---------------------------------------------------------------------


class OpenByCard(Input):
    model_config = example(
        {
            "method": "card",
            "card_identifier": "410100D156000005A0000000000000A1",
            "card_number": "A00000011",
            "pin_verified_on_chip": True,
        }
    )
    method: Literal["card"]
    card_identifier: CardIdentifier
    card_number: CardNumber
    pin_verified_on_chip: bool = Field(
        description="the kiosk states that the chip accepted the resident's PIN; must be true"
        " (false answers 422 pin_not_verified)",
        json_schema_extra={"const": True},
    )
    scope: Literal["full", "card_life"] = Field(
        default="full",
        description="card_life: also for a card that is lost, temporarily lost or expired, a"
        " session that may only act on the card's life (lift the loss, reissue, replace); a"
        " card in service opens a full session either way",
    )


class OpenByECode(Input):
    model_config = example({"method": "ecode", "ecode": "DEMO-ECODE-A00000011"})
    method: Literal["ecode"]
    ecode: str = Field(
        min_length=8, max_length=512, pattern=r"^[\x21-\x7e]+$", description="the scanned e-code"
    )


OpenSession = Annotated[OpenByCard | OpenByECode, Field(discriminator="method")]


class SessionOpened(Model):
    token: str = Field(description="send it as X-Session-Token; scoped to this resident")
    name: str
    card_status: CardStatusName
    financial_account_active: bool = Field(description="Art. 19")
    expires_in_s: int = Field(description="idle seconds after which the token stops working")
    scope: Literal["full", "card_life"] = Field(
        default="full", description="what the session may do (see OpenByCard.scope)"
    )


IdempotencyKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{16,64}$")]


class GrantRequest(Input):
    model_config = example({"idempotency_keys": ["3f2b9c1d0e4a4b6f8a7c5d2e1f0a9b8c"]})
    idempotency_keys: list[IdempotencyKey] = Field(
        min_length=1,
        max_length=8,
        description="the keys of submissions this session may file later; each at most once",
    )


class DeliveryGrant(Model):
    idempotency_key: str
    grant: str = Field(description="send it as X-Delivery-Grant with that Idempotency-Key")
    expires: dt.datetime


class DeliveryGrants(Model):
    grants: list[DeliveryGrant]


# --- catalog (Art. 7) ----------------------------------------------------------------------


class ServiceItem(Model):
    id: str
    category: int = Field(ge=1, le=13, description="the item of Art. 7")
    name: LocalText
    where: LocalText
    how: LocalText
    needs_financial_account: bool = Field(description="Art. 19")
    department: str = Field(
        default="", description="the department that runs it and answers complaints about it"
    )


class CatalogCategory(Model):
    number: int = Field(ge=1, le=13)
    name: LocalText
    items: list[ServiceItem]


class Notice(Model):
    """A short public notice (Art. 15), shown at the kiosks from starts to ends, both included."""

    id: int
    title: LocalText
    body: LocalText
    starts: dt.date
    ends: dt.date


class Catalog(Model):
    published: dt.datetime
    categories: list[CatalogCategory]
    notices: list[Notice] = Field(default=[], description="the notices in force today")


# --- records (Art. 7 items 1, 3, 4, 6, 7) ---------------------------------------------------

InsuranceName = Literal["pension", "medical", "unemployment", "work_injury", "maternity"]
Month = Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", examples=["2024-01"])]


class ContributionMonth(Model):
    month: Month
    insurance: InsuranceName
    base_fen: int = Field(description="the contribution base, in fen")
    personal_fen: int
    employer_fen: int
    paid: bool = Field(description="false: a gap in the record")
    employer: str


class InsuranceSummary(Model):
    insurance: InsuranceName
    paid_months: int
    unpaid_months: int
    first_month: Month | None
    last_month: Month | None
    personal_total_fen: int


class Contributions(Model):
    summary: list[InsuranceSummary]
    months: list[ContributionMonth] = Field(description="newest first")


class MedicalTransaction(Model):
    at: dt.datetime
    kind: Literal["credit", "outpatient", "pharmacy", "inpatient"]
    amount_fen: int = Field(description="credits positive, spending negative")
    balance_fen: int
    place: str


class MedicalAccount(Model):
    balance_fen: int
    transactions: list[MedicalTransaction] = Field(description="newest first")


class PensionPayment(Model):
    month: Month
    amount_fen: int


class Pension(Model):
    payments: list[PensionPayment] = Field(description="newest first; empty if none")


class SubsidyPayment(Model):
    paid_on: dt.date
    program: LocalText
    department: str
    amount_fen: int


class Subsidies(Model):
    subsidies: list[SubsidyPayment] = Field(description="newest first")


CardUseKind = Literal["bus", "metro", "library", "museum", "hospital"]


class CardUse(Model):
    at: dt.datetime
    kind: CardUseKind
    place: str
    amount_fen: int


class CardUses(Model):
    uses: list[CardUse] = Field(description="newest first")


# --- certificates ---------------------------------------------------------------------------


class CertificateRequest(Input):
    model_config = example(
        {"kind": "insured_status"},
        {
            "kind": "insured_status",
            "insurances": ["pension"],
            "first_month": "2025-01",
            "last_month": "2025-12",
        },
        # A period has both ends, or none; given in reverse, it is read in order.
        dependentRequired={"first_month": ["last_month"], "last_month": ["first_month"]},
    )
    kind: Literal["insured_status"] = Field(description="a certificate of insured status")
    insurances: list[InsuranceName] | None = Field(
        default=None, max_length=5, description="which insurances it states; all when absent"
    )
    first_month: Month | None = Field(
        default=None, description="the period it covers, from this month (with last_month)"
    )
    last_month: Month | None = Field(default=None, description="the period's last month")

    @field_validator("first_month", "last_month", mode="before")
    @classmethod
    def _absent_not_null(cls, value: object) -> object:
        # Leave the period out for the whole record; a null end is neither one nor the other.
        if value is None:
            raise ValueError("leave the field out instead of sending null")
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = super().__get_pydantic_json_schema__(core_schema, handler)
        for name in ("first_month", "last_month"):
            field = schema["properties"][name]
            options = [o for o in field.pop("anyOf", []) if o.get("type") != "null"]
            field.pop("default", None)
            if options:
                field.update(options[0])
        return schema


class CertificateInsurance(Model):
    insurance: InsuranceName
    status: Literal["insured", "interrupted", "never"]
    first_month: Month | None
    last_month: Month | None
    paid_months: int


class Certificate(Model):
    code: str = Field(description="verification code printed on the certificate")
    kind: Literal["insured_status"]
    issued: dt.datetime
    valid_until: dt.date
    holder_name: str
    holder_id_masked: str
    insurances: list[CertificateInsurance]
    first_month: Month | None = Field(
        default=None, description="the period stated, when one was asked for"
    )
    last_month: Month | None = None
    demo: bool = Field(description="true when issued from demo data: not a real certificate")


class CertificateCheck(Model):
    valid: bool = Field(description="false once the certificate's validity has passed")
    code: str
    kind: Literal["insured_status"]
    issued: dt.datetime
    valid_until: dt.date
    holder_name_masked: str
    holder_id_masked: str
    insurances: list[CertificateInsurance]
    first_month: Month | None = None
    last_month: Month | None = None
    demo: bool
