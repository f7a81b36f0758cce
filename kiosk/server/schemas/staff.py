"""The staff's side of /v1 (Art. 13, 18): sign-in, consents and look-ups, the audit log, the
fleet's heartbeats and calls for staff, and a blocked PIN's reset at a counter."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from kiosk.domain.staff import LookupPurpose as LookupPurpose  # the API states the domain's type
from kiosk.server.schemas.base import (
    CardIdentifier,
    CardNumber,
    CardStatusName,
    Input,
    Model,
    example,
)
from kiosk.server.schemas.card import CardRequest, IdNumber
from kiosk.server.schemas.complaints import ComplaintView
from kiosk.server.schemas.resident import InsuranceSummary

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
