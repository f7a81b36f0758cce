"""The wire shapes of /v1, as pydantic models: they validate input and write the OpenAPI document.

Every request model carries an example. Strings that name cards, codes or
people have a pattern and a length limit, so that nothing unbounded reaches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    JsonValue,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# C0 and C1 control characters and DEL; a newline is allowed where a field is free text. NUL in
# particular: PostgreSQL refuses it in text, which would otherwise answer 500.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _refuse_control(value: object, multiline: bool) -> None:
    if isinstance(value, str):
        pattern = _CONTROL if multiline else _CONTROL_OR_NEWLINE
        if pattern.search(value):
            raise ValueError(
                "control characters are not allowed" + ("" if multiline else ", nor line breaks")
            )
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _refuse_control(item, multiline)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_control(key, False)
            _refuse_control(item, multiline)


# The same rule for the OpenAPI document, as JSON Schema patterns, so that clients and tools
# know it without trying.
ONE_LINE_TEXT = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
FREE_TEXT = "^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]*$"


def _describe_text(schema: dict[str, object], multiline: bool) -> None:
    if schema.get("type") == "string" and not {"pattern", "enum", "const", "format"} & set(schema):
        schema["pattern"] = FREE_TEXT if multiline else ONE_LINE_TEXT
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, []) or []:  # type: ignore[attr-defined]
            if isinstance(option, dict):
                _describe_text(option, multiline)
    for key in ("items", "additionalProperties"):
        inner = schema.get(key)
        if isinstance(inner, dict):
            _describe_text(inner, multiline)


class Input(Model):
    """A request body: every text in it is checked for control characters, on every backend."""

    # The fields that are free text, where a newline is allowed.
    multiline: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object, info: ValidationInfo) -> object:
        _refuse_control(value, info.field_name in cls.multiline)
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        for name, field_schema in schema.get("properties", {}).items():
            _describe_text(field_schema, name in cls.multiline)
        return schema


def example(*examples: dict[str, JsonValue], **rules: JsonValue) -> ConfigDict:
    """The model's examples; `rules` are more JSON Schema keywords for what crosses fields."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples), **rules})


# --- errors --------------------------------------------------------------------------------


class FieldProblem(Model):
    where: str = Field(description="which part of the request: body.card_number, query.limit...")
    problem: str


class ErrorAnswer(Model):
    code: str = Field(description="machine-readable reason code; see docs/platform.md")
    detail: str = Field(description="what went wrong, for a person")
    card_status: str | None = Field(
        default=None, description="with card_not_in_service: the card's status"
    )
    problems: list[FieldProblem] | None = Field(
        default=None, description="with invalid_request: each field that failed"
    )
    locked_until: dt.datetime | None = Field(
        default=None, description="with staff_locked: when the account opens again"
    )


class Health(Model):
    status: Literal["ok"]
    version: str


# --- shared --------------------------------------------------------------------------------


class LocalText(Model):
    zh: str
    en: str


CardStatusName = Literal["normal", "temporarily_lost", "lost", "cancelled", "expired"]
CardIdentifier = Annotated[
    str,
    Field(
        pattern=r"^[0-9A-Fa-f]{32}$",
        description="EF05 card identifier: 16 bytes as hex",
        examples=["410100D156000005A0000000000000A1"],
    ),
]
CardNumber = Annotated[
    str,
    Field(pattern=r"^[0-9A-Z]{9}$", description="the card number printed on the card"),
]

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


# --- complaints and suggestions (Art. 16) ---------------------------------------------------

ComplaintKind = Literal["complaint", "report", "suggestion"]
ComplaintCategory = Literal["service", "staff", "card", "kiosk", "privacy", "other"]


# How a contact number of each kind looks (Art. 16, para. 2): the server checks it with these,
# and the OpenAPI document states them.
CONTACT_PATTERNS = {"mobile": "^1[0-9]{10}$", "landline": "^0[0-9]{9,11}$"}


def _contact_fits(kind: str, pattern: str) -> dict[str, JsonValue]:
    return {
        "if": {"properties": {"contact_kind": {"const": kind}}, "required": ["contact_kind"]},
        "then": {
            "required": ["contact"],
            "properties": {"contact": {"type": "string", "pattern": pattern}},
        },
    }


class ComplaintIn(Input):
    multiline = frozenset({"text"})
    model_config = example(
        {
            "kind": "complaint",
            "category": "service",
            "subject": "窗口排队时间过长",
            "text": "上午在金水区服务大厅等候超过一小时。",
            "contact": "13900000000",
            "anonymous": False,
        },
        {
            "kind": "suggestion",
            "category": "kiosk",
            "subject": "Larger text",
            "text": "Please make the default text larger.",
            "anonymous": True,
        },
        {
            "kind": "report",
            "category": "staff",
            "subject": "推诿、拖延办事",
            "text": "办事时被多次推到其他窗口或部门",
            "contact": "037166668888",
            "contact_kind": "landline",
        },
        {
            "kind": "complaint",
            "category": "service",
            "subject": "窗口排队时间过长",
            "text": "上午在金水区服务大厅等候超过一小时。",
            "contact_kind": "none",
        },
        # What crosses fields, as the server checks it: only a suggestion may be anonymous (a
        # complaint is answered to its author, Art. 16), and then without a contact kind; the
        # contact fits its kind, and "none" goes without one.
        allOf=[
            {
                "if": {"properties": {"anonymous": {"const": True}}, "required": ["anonymous"]},
                "then": {
                    "properties": {
                        "kind": {"const": "suggestion"},
                        "contact_kind": {"type": "null"},
                    }
                },
            },
            *(_contact_fits(kind, pattern) for kind, pattern in CONTACT_PATTERNS.items()),
            {
                "if": {
                    "properties": {"contact_kind": {"const": "none"}},
                    "required": ["contact_kind"],
                },
                "then": {"properties": {"contact": {"type": "null"}}},
            },
        ],
    )
    kind: ComplaintKind
    category: ComplaintCategory
    subject: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=2000)
    contact: str | None = Field(
        default=None, max_length=64, description="how the department may answer, if not by kiosk"
    )
    anonymous: bool = Field(default=False, description="allowed for suggestions only")
    item: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9-]{1,64}$",
        description="the catalog item it is about, if any: it goes to that item's department",
    )
    # Art. 16, para. 2: how the answer reaches the author. "none": no number left; the author
    # reads the answer at a kiosk, signed in. Absent: contact is taken as given.
    contact_kind: Literal["mobile", "landline", "none"] | None = Field(
        default=None,
        description="mobile (11 digits from 1), landline (0 and area code, 10 to 12 digits), "
        "or none (no contact: the author reads the answer at a kiosk, signed in)",
    )


class ComplaintView(Model):
    tracking_number: str
    kind: ComplaintKind
    category: ComplaintCategory | None = Field(
        description="null unless asked in the filer's own session"
    )
    subject: str | None = Field(description="null unless asked in the filer's own session")
    status: Literal["received", "in_progress", "replied", "closed"]
    created: dt.datetime
    reply: str | None = Field(description="null until replied, and unless asked by the filer")
    replied: dt.datetime | None
    department: str | None = Field(default=None, description="the department that answers it")
    due: dt.datetime | None = Field(default=None, description="the answer is due by then")
    shown_to_filer: bool = Field(
        default=True,
        description="false: asked by tracking number alone, so only whether it exists and its"
        " stage are shown (Art. 12)",
    )


class ComplaintList(Model):
    complaints: list[ComplaintView]


class ComplaintReply(Input):
    multiline = frozenset({"reply"})
    model_config = example({"reply": "已核实并改进窗口排班，感谢您的反馈。", "close": True})
    reply: str = Field(min_length=1, max_length=2000)
    close: bool = False


# --- staff (Art. 13, 18) --------------------------------------------------------------------


class StaffLogin(Input):
    model_config = example({"username": "demo-counter", "password": "demo-counter-pass"})
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=128)


class StaffSessionOpened(Model):
    token: str = Field(description="send it as X-Staff-Token")
    name: str
    role: Literal["counter", "supervisor", "auditor", "department", "operator"]
    expires_in_s: int


LookupPurpose = Literal[
    "card_service",
    "card_reissue",
    "contribution_inquiry",
    "medical_inquiry",
    "certificate_service",
    "complaint_handling",
]


class ConsentRequest(Input):
    model_config = example({"purpose": "card_service"})
    purpose: LookupPurpose = Field(description="what the look-up is for; it decides the fields")


class ConsentView(Model):
    id: str = Field(description="name it in the look-up once the resident has granted it")
    purpose: LookupPurpose
    fields: list[str] = Field(description="what the member of staff will see, in this order")
    status: Literal["pending", "granted", "refused", "expired"]
    staff_name: str
    staff_username: str = Field(description="the staff id the resident is shown")
    asked: dt.datetime
    expires: dt.datetime = Field(description="a pending request or a granted consent ends then")


class ConsentAnswer(Input):
    model_config = example({"granted": True}, {"granted": False})
    granted: bool


class Lookup(Input):
    model_config = example({"consent_id": "c0a1b2c3d4e5f60718293a4b5c6d7e8f"})
    consent_id: str = Field(
        min_length=1, max_length=32, description="the resident's granted consent at this counter"
    )


class LookupCard(Model):
    number_masked: str
    status: CardStatusName
    financial_account_active: bool
    expires: dt.date
    requests: list[CardRequest]


class LookupCertificate(Model):
    code: str
    kind: str
    issued: dt.datetime
    valid_until: dt.date


class LookupResult(Model):
    audit_id: int = Field(description="the audit log entry this look-up wrote")
    purpose: LookupPurpose
    fields: list[str] = Field(description="the fields this purpose may see; others stay null")
    name: str
    id_number: str | None = Field(
        default=None, description="masked (4101**********0014) unless the purpose needs it whole"
    )
    card: LookupCard | None = None
    contributions: list[InsuranceSummary] | None = None
    medical_balance_fen: int | None = None
    certificates: list[LookupCertificate] | None = None
    complaints: list[ComplaintView] | None = None


# What a member of staff did, beside look-ups: each is an audit entry too (Art. 16, 18).
StaffAction = Literal[
    "complaint_reply",
    "complaint_extend",
    "complaint_pass",
    "assistance_taken",
    "kiosk_enroll",
    "kiosk_disable",
    "catalog_edit",
    "catalog_publish",
    "notice_publish",
    "staff_add",
    "staff_disable",
]


class AuditEntry(Model):
    id: int
    at: dt.datetime
    staff: str
    kiosk_id: str
    resident_ref: str = Field(
        description="an opaque reference to the resident, not the name; empty for an action "
        "that concerns no resident"
    )
    # pin_reset: a blocked PIN reset at a counter (identity checked, then the chip's answer).
    purpose: LookupPurpose | StaffAction | Literal["pin_reset"]
    fields: list[str]
    consent_id: str = Field(description="the consent the look-up was made under")
    hash: str
    prev_hash: str


class AuditProblem(Model):
    entry_id: int | None = Field(description="the first entry that fails; null: the log's end")
    problem: Literal["altered", "broken_link", "missing_end"]
    detail: str


class AuditLog(Model):
    entries: list[AuditEntry] = Field(description="newest first")
    chain_intact: bool = Field(description="false if any entry was altered or removed")


class AuditExport(Model):
    since: dt.datetime
    until: dt.datetime
    entries: list[AuditEntry] = Field(description="oldest first, from since up to until")
    chain_intact: bool = Field(description="whether the whole log, not only this period, holds")
    first_problem: AuditProblem | None = None


# --- kiosks ---------------------------------------------------------------------------------

DeviceState = Literal["ok", "degraded", "fault", "absent"]


class Devices(Input):
    """Each device the kiosk has, by its state; a device the kiosk does not have is left out."""

    card_reader: DeviceState | None = None
    printer: DeviceState | None = None
    scanner: DeviceState | None = None
    speech: DeviceState | None = None
    display: DeviceState | None = None
    network: DeviceState | None = None


class Heartbeat(Input):
    model_config = example(
        {
            "software_version": "0.1.0",
            "uptime_s": 3600,
            "devices": {"card_reader": "ok", "printer": "degraded", "scanner": "ok"},
            "paper": "low",
            "outbox_pending": 0,
        }
    )
    software_version: str = Field(min_length=1, max_length=32)
    uptime_s: int = Field(ge=0, le=10**9)
    devices: Devices
    paper: Literal["ok", "low", "out", "unknown"] = "unknown"
    outbox_pending: int = Field(default=0, ge=0, le=10**6)


class HeartbeatAck(Model):
    server_time: dt.datetime
    next_heartbeat_s: int


class AssistanceRequest(Input):
    """A resident pressed 呼叫工作人员. Says where they are in the kiosk, never who they are."""

    model_config = example({"screen": "pin"})
    screen: str = Field(pattern=r"^[a-z][a-z_-]{0,31}$", description="the kiosk screen's name")


class AssistanceAck(Model):
    requested_at: dt.datetime


class KioskStatus(Model):
    id: str
    label: str
    enabled: bool
    online: bool = Field(description="a heartbeat arrived within three intervals")
    last_heartbeat: dt.datetime | None
    health: Heartbeat | None
    assistance_requested: dt.datetime | None = Field(
        default=None, description="a resident at this kiosk asked for staff, not yet answered"
    )
    assistance_screen: str | None = None


class Fleet(Model):
    kiosks: list[KioskStatus]


# --- a blocked PIN reset at a counter ---------------------------------------------------------


class PinResetCheck(Input):
    """Staff compared the holder's identity card with the resident in front of them and typed
    its number; the card is the one in the customer window's reader."""

    model_config = example(
        {
            "card_identifier": "410100D156000005A0000000000000A1",
            "card_number": "A00000011",
            "id_number": "410105195203150026",
        }
    )
    card_identifier: CardIdentifier
    card_number: CardNumber
    id_number: IdNumber = Field(description="as printed on the identity card staff checked")


class PinResetTicket(Model):
    reset_id: str = Field(description="name it when saying how the reset on the chip went")
    holder_name_masked: str
    card_number_masked: str


class PinResetOutcome(Input):
    model_config = example({"written": True})
    written: bool = Field(description="whether the card took the new PIN")
