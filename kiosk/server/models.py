"""The platform's tables. Alembic's migrations under migrations/ build exactly this schema.

Money is kept in fen (integer cents) so that sums never drift. Secrets the platform hands out
(session tokens, kiosk keys, e-codes, staff passwords) are stored only as hashes: a copy of the
database is not a key to it (Art. 12).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Facts about the database itself: the demo seed it holds, if any."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class Resident(Base):
    __tablename__ = "residents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ssn: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(1))  # GB/T 2261.1: 1 male, 2 female
    birth_date: Mapped[dt.date] = mapped_column(Date)
    # Art. 6: residents registered in the city, and others who enjoy its social security.
    registered_locally: Mapped[bool] = mapped_column(Boolean)
    employment: Mapped[str] = mapped_column(String(16))  # working, retired, student, unemployed
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Card(Base):
    __tablename__ = "cards"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    identifier: Mapped[str] = mapped_column(String(32), unique=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    # Art. 19: the card's financial functions work only once this account is activated.
    financial_account_active: Mapped[bool] = mapped_column(Boolean)
    issued: Mapped[dt.date] = mapped_column(Date)
    expires: Mapped[dt.date] = mapped_column(Date)
    status_changed: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ECode(Base):
    """A social security card e-code (Art. 2), stored as its hash."""

    __tablename__ = "ecodes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    expires: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Kiosk(Base):
    __tablename__ = "kiosks"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(128), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    last_heartbeat: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    health: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    # A resident pressed 呼叫工作人员 (call staff); cleared when a member of staff answers.
    assistance_requested: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    assistance_screen: Mapped[str] = mapped_column(String(32), default="")


class ResidentSession(Base):
    __tablename__ = "resident_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"))
    method: Mapped[str] = mapped_column(String(8))  # card or ecode
    opened: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    # "full", or "card_life" for a card that is not in service: the holder proved the card is
    # theirs (PIN on chip) and may act on its life (lift the loss, replace it), nothing else.
    scope: Mapped[str] = mapped_column(String(16), default="full", server_default="full")


class CatalogCategory(Base):
    __tablename__ = "catalog_categories"
    number: Mapped[int] = mapped_column(Integer, primary_key=True)  # the item of Art. 7
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))


class CatalogItem(Base):
    __tablename__ = "catalog_items"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[int] = mapped_column(ForeignKey("catalog_categories.number"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(256))
    where_zh: Mapped[str] = mapped_column(String(256))
    where_en: Mapped[str] = mapped_column(String(512))
    how_zh: Mapped[str] = mapped_column(String(256))
    how_en: Mapped[str] = mapped_column(String(512))
    needs_financial_account: Mapped[bool] = mapped_column(Boolean)
    # The department that runs this service and answers complaints about it (Art. 16).
    department: Mapped[str] = mapped_column(String(32), default="")


class CatalogVersion(Base):
    """A published catalog (Art. 15, Art. 7 last paragraph): frozen at publication, served to
    kiosks from its date on; the catalog tables are the operators' draft."""

    __tablename__ = "catalog_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    published: Mapped[dt.date] = mapped_column(Date, index=True)
    content: Mapped[dict[str, object]] = mapped_column(JSON)
    made: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))


class Notice(Base):
    """A short public notice shown at the kiosks from its first day to its last (Art. 15)."""

    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title_zh: Mapped[str] = mapped_column(String(64))
    title_en: Mapped[str] = mapped_column(String(128))
    body_zh: Mapped[str] = mapped_column(String(400))
    body_en: Mapped[str] = mapped_column(String(800))
    starts: Mapped[dt.date] = mapped_column(Date)
    ends: Mapped[dt.date] = mapped_column(Date)
    made: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)


class Contribution(Base):
    """One month's contribution to one of the five insurances (Art. 7 item 1)."""

    __tablename__ = "contributions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    insurance: Mapped[str] = mapped_column(String(16))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    base_fen: Mapped[int] = mapped_column(Integer)
    personal_fen: Mapped[int] = mapped_column(Integer)
    employer_fen: Mapped[int] = mapped_column(Integer)
    paid: Mapped[bool] = mapped_column(Boolean)
    employer: Mapped[str] = mapped_column(String(128))
    __table_args__ = (Index("ix_contributions_resident_month", "resident_id", "month"),)


class MedicalTransaction(Base):
    __tablename__ = "medical_transactions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(16))  # credit, outpatient, pharmacy, inpatient
    amount_fen: Mapped[int] = mapped_column(Integer)  # signed: credits positive
    balance_fen: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(128))
    __table_args__ = (Index("ix_medical_resident_at", "resident_id", "at"),)


class PensionPayment(Base):
    __tablename__ = "pension_payments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    month: Mapped[str] = mapped_column(String(7))
    amount_fen: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_pension_resident_month", "resident_id", "month"),)


class Subsidy(Base):
    """A subsidy paid to the card (Art. 7 item 4)."""

    __tablename__ = "subsidies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    paid_on: Mapped[dt.date] = mapped_column(Date)
    program_zh: Mapped[str] = mapped_column(String(128))
    program_en: Mapped[str] = mapped_column(String(256))
    department: Mapped[str] = mapped_column(String(128))
    amount_fen: Mapped[int] = mapped_column(Integer)


class CardUse(Base):
    """One use of the card: a bus ride, a library visit (Art. 7 items 3, 6, 7)."""

    __tablename__ = "card_uses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(16))  # bus, metro, library, museum, hospital
    place: Mapped[str] = mapped_column(String(128))
    amount_fen: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_card_uses_resident_at", "resident_id", "at"),)


class Certificate(Base):
    __tablename__ = "certificates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    issued: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[dt.date] = mapped_column(Date)
    # What the certificate states, frozen at issue so verification shows what was printed.
    content: Mapped[dict[str, object]] = mapped_column(JSON)


class CardRequest(Base):
    """A loss report, its lifting, a reissue or a replacement (Art. 2), with its progress."""

    __tablename__ = "card_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(20), unique=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    details: Mapped[dict[str, object]] = mapped_column(JSON)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    request_hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (UniqueConstraint("kiosk_id", "idempotency_key", name="uq_card_request_idem"),)


class Complaint(Base):
    """A complaint, report or suggestion (Art. 16); the department's reply is fed back."""

    __tablename__ = "complaints"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(20), unique=True)
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # complaint, report, suggestion
    category: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    replied: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    request_hash: Mapped[str] = mapped_column(String(64))
    # The catalog item it is about, if the resident named one; the department that must answer
    # it and by when (Art. 16); whose conduct it is about, who therefore may not answer it.
    item: Mapped[str] = mapped_column(String(64), default="")
    department: Mapped[str] = mapped_column(String(32), default="", index=True)
    due: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_reason: Mapped[str] = mapped_column(String(400), default="")
    about_department: Mapped[str] = mapped_column(String(32), default="")
    about_staff_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    replied_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    __table_args__ = (UniqueConstraint("kiosk_id", "idempotency_key", name="uq_complaint_idem"),)


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(
        String(16)
    )  # counter, supervisor, auditor, department, operator
    # A department account's department code (kiosk.server.departments); empty for the others.
    department: Mapped[str] = mapped_column(String(32), default="")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class StaffSession(Base):
    __tablename__ = "staff_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    opened: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntry(Base):
    """One staff look-up or action (Art. 13, 16, 18). Each entry's hash covers the one before it."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Indexed: a supervisor exports a period.
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    # Empty for a staff action that concerns no resident (a kiosk enrolled, a notice published).
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id"), index=True, nullable=True
    )
    purpose: Mapped[str] = mapped_column(String(32))
    fields: Mapped[str] = mapped_column(String(256))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The resident's consent the look-up was made under; empty in entries from before consents.
    consent_id: Mapped[str] = mapped_column(String(32), default="")


class Consent(Base):
    """A member of staff asks, at one counter, to see one purpose's fields; the resident, signed
    in at the same counter's customer window, answers (Art. 13). A granted consent lets that
    member of staff look that resident up for that purpose until it expires or the resident's
    session ends."""

    __tablename__ = "consents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    purpose: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # pending, granted, refused
    asked: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    answered: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    expires: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    # The resident session that answered: the consent ends when that session does.
    session_hash: Mapped[str] = mapped_column(String(64), default="")


class LossCode(Base):
    """A one-time code for reporting a card lost by ID number, without the card (Art. 2).

    Asked for an ID number the platform may not know: the row is kept either way (resident_id
    empty), so that an unknown number answers and counts against its limits like a known one.
    The code is stored only as a hash, salted with the request id it belongs to.
    """

    __tablename__ = "loss_codes"
    request_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ssn_hash: Mapped[str] = mapped_column(String(64), index=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class RateLimit(Base):
    """One fixed window of a rate limit (kiosk.server.limits): shared by every server process."""

    __tablename__ = "rate_limits"
    bucket: Mapped[str] = mapped_column(String(160), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    count: Mapped[int] = mapped_column(Integer)


class LoginGuard(Base):
    """Wrong passwords in a row for one user name, known to the platform or not, so that an
    unknown name answers and locks exactly like a known one (kiosk.server.lockout)."""

    __tablename__ = "login_guards"
    # A keyed hash of the user name as typed (lower case): the table names nobody.
    account_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DeliveryGrant(Base):
    """Leave, given while the resident's session was live, for the kiosk's outbox to deliver one
    submission (the one with this idempotency key) after the resident has gone."""

    __tablename__ = "delivery_grants"
    grant_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    # The scope of the session that gave it: a card_life session's grant files no complaint.
    scope: Mapped[str] = mapped_column(String(16))
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    used: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    __table_args__ = (
        UniqueConstraint("kiosk_id", "idempotency_key", name="uq_delivery_grant_idem"),
    )
