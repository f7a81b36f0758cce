"""The kiosk's client of the platform API (docs/platform.md, kiosk/server/openapi.json).

Every answer is checked against the contract before it becomes a domain value, and every failure
surfaces as one of kiosk.domain.errors (kiosk.backend.transport says which); nothing else
escapes. The client may be made before it knows where the platform is (reached_later): the
kiosk's flows hold it from the first frame, and its calls wait, on the worker threads that make
them, for reach().

Importing this module costs little, because a kiosk makes its client on the way to its first
frame: `requests` is loaded by the first call, and the answers' parsers with the catalog's
offline copy by reach(); nothing here touches Qt, FastAPI, SQLAlchemy or pydantic.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypedDict, Unpack

from kiosk.api_contract import SUBMISSION_PATHS
from kiosk.backend.transport import Endpoint, Transport, segment
from kiosk.domain.errors import PlatformAnswerInvalid, PlatformRejected, PlatformUnavailable

if TYPE_CHECKING:
    from kiosk.backend.catalog_cache import CatalogCache
    from kiosk.domain.calls import CertificateOptions, ContributionsQuery, Heartbeat
    from kiosk.domain.card_requests import (
        CardRequest,
        CardView,
        DemoLossCode,
        LossCodeSent,
        LossReported,
    )
    from kiosk.domain.catalog import Catalog
    from kiosk.domain.complaints import ComplaintView
    from kiosk.domain.records import (
        CardUse,
        Certificate,
        CertificateCheck,
        Contributions,
        MedicalAccount,
        PensionPayment,
        SubsidyPayment,
    )
    from kiosk.domain.session import ResidentSession
    from kiosk.domain.staff import AuditLog, ConsentView, LookupResult, PinResetTicket, StaffSession

log = logging.getLogger("kiosk.backend")


class ClientOptions(TypedDict, total=False):
    """How the client calls (kiosk.backend.transport.Transport has the defaults)."""

    timeout_s: float
    retries: int
    backoff_s: float
    max_retry_after_s: float
    ca_bundle: str | None
    client_cert: tuple[str, str] | None
    sleep: Callable[[float], None]
    # How long a call waits for a platform not reached yet before it is PlatformUnavailable.
    wait_s: float


class CatalogSnapshot(NamedTuple):
    """The catalog and how old it is: fresh from the platform, or the offline copy."""

    catalog: Catalog
    fetched_at: dt.datetime
    from_cache: bool

    def age_s(self, now: dt.datetime | None = None) -> float:
        now = now or dt.datetime.now(dt.UTC)
        return max(0.0, (now - self.fetched_at).total_seconds())


class PlatformClient:
    """One kiosk's connection to the platform. Safe to use from several threads."""

    def __init__(
        self,
        base_url: str,
        kiosk_id: str,
        kiosk_key: str,
        *,
        cache_dir: str | Path | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._setup(cache_dir, options)
        self.reach(Endpoint(base_url, kiosk_id, kiosk_key))

    @classmethod
    def reached_later(
        cls, *, cache_dir: str | Path | None = None, **options: Unpack[ClientOptions]
    ) -> PlatformClient:
        """A client whose calls wait until reach() (or unreachable()) says where the platform is."""
        client = object.__new__(cls)
        client._setup(cache_dir, options)
        return client

    def _setup(self, cache_dir: str | Path | None, options: ClientOptions) -> None:
        self._http = Transport(**options)
        self._cache_dir = cache_dir
        self._catalog_cache: CatalogCache | None = None

    def reach(self, endpoint: Endpoint) -> None:
        # The parsers bring every record type of the domain, some 20 ms of imports that a
        # kiosk's first frame does without: they are loaded here, once the platform is known,
        # and no call has an answer to read before that.
        from kiosk.backend import catalog_cache, parse

        self._answers = parse
        self._parse_catalog = catalog_cache.parse_catalog
        self._catalog_cache = catalog_cache.CatalogCache.for_platform(
            endpoint.base_url, self._cache_dir
        )
        self._http.reach(endpoint)

    def unreachable(self) -> None:
        """The platform will not be reached (it did not start): every call fails now."""
        self._http.unreachable()

    # Read on the screen's thread when a slip is made: never wait for the platform there.
    @property
    def base_url(self) -> str:
        known = self._http.known
        return known.base_url if known is not None else ""

    @property
    def kiosk_id(self) -> str:
        known = self._http.known
        return known.kiosk_id if known is not None else ""

    def __repr__(self) -> str:  # the key stays out of any log
        return f"PlatformClient({self.base_url!r}, kiosk_id={self.kiosk_id!r})"

    # --- sessions ---------------------------------------------------------------------------

    def open_session_by_card(
        self, card_identifier: str, card_number: str, *, scope: str = "full"
    ) -> ResidentSession:
        """Call only after the chip accepted the resident's PIN: the call says it did.

        scope "card_life" also opens for a card that is lost or expired, a session that acts on
        the card's life only (lifting the loss, a replacement): the platform changes a card's
        state only within a resident's session, never on the kiosk's word alone."""
        body = {
            "method": "card",
            "card_identifier": card_identifier,
            "card_number": card_number,
            "pin_verified_on_chip": True,
        }
        if scope != "full":
            body["scope"] = scope
        return self._open_session(body)

    def open_session_by_ecode(self, code: str) -> ResidentSession:
        return self._open_session({"method": "ecode", "ecode": code})

    def _open_session(self, body: dict[str, object]) -> ResidentSession:
        # Not retried: a second POST after a lost answer would open a second session.
        return self._answers.parse_session(
            self._http.post("/sessions", body, expect=(201,), retry=False)
        )

    def close_session(self, token: str) -> None:
        """End the session; safe to call twice, and retried because of that."""
        self._http.call("DELETE", "/sessions/current", token=token, expect=(204,), retry=True)

    # --- catalog ----------------------------------------------------------------------------

    def catalog(self) -> Catalog:
        """The published catalog; the offline copy when the platform cannot be reached."""
        return self.catalog_snapshot().catalog

    def catalog_snapshot(self) -> CatalogSnapshot:
        try:
            data = self._http.get("/catalog")
            catalog = self._parse_catalog(data)
        except (PlatformUnavailable, PlatformAnswerInvalid) as failure:
            cached = self._catalog_cache.load() if self._catalog_cache is not None else None
            if cached is None:
                raise
            log.warning("catalog from the offline copy: %s", type(failure).__name__)
            return CatalogSnapshot(cached[0], cached[1], from_cache=True)
        fetched = dt.datetime.now(dt.UTC)
        if self._catalog_cache is not None:
            self._catalog_cache.store(data.raw, fetched)
        return CatalogSnapshot(catalog, fetched, from_cache=False)

    # --- records (bound to the session's resident) -----------------------------------------

    def contributions(self, token: str, **query: Unpack[ContributionsQuery]) -> Contributions:
        params: dict[str, str | int] = {"limit": query.get("limit", 600)}
        insurance, since = query.get("insurance"), query.get("since")
        if insurance is not None:
            params["insurance"] = insurance
        if since is not None:
            params["since"] = since
        return self._answers.parse_contributions(
            self._http.get("/records/contributions", params, token=token)
        )

    def medical_account(self, token: str, *, limit: int = 100) -> MedicalAccount:
        return self._answers.parse_medical(
            self._http.get("/records/medical", {"limit": limit}, token=token)
        )

    def pension_payments(self, token: str, *, limit: int = 120) -> tuple[PensionPayment, ...]:
        return self._answers.parse_pension(
            self._http.get("/records/pension", {"limit": limit}, token=token)
        )

    def subsidies(self, token: str, *, limit: int = 100) -> tuple[SubsidyPayment, ...]:
        return self._answers.parse_subsidies(
            self._http.get("/records/subsidies", {"limit": limit}, token=token)
        )

    def card_uses(
        self, token: str, *, kind: str | None = None, limit: int = 100
    ) -> tuple[CardUse, ...]:
        params: dict[str, str | int] = {"limit": limit}
        if kind is not None:
            params["kind"] = kind
        return self._answers.parse_card_uses(
            self._http.get("/records/card-use", params, token=token)
        )

    # --- certificates -----------------------------------------------------------------------

    def issue_certificate(
        self, token: str, kind: str = "insured_status", **options: Unpack[CertificateOptions]
    ) -> Certificate:
        body: dict[str, object] = {"kind": kind}
        insurances, period = options.get("insurances"), options.get("period")
        if insurances is not None:
            body["insurances"] = list(insurances)
        if period is not None:
            body["first_month"], body["last_month"] = period
        # Not retried: each POST issues a new code; a lost answer means ask the resident again.
        data = self._http.post("/certificates", body, token=token, expect=(201,), retry=False)
        return self._answers.parse_certificate(data)

    def verify_certificate(self, code: str) -> CertificateCheck:
        data = self._http.get(f"/certificates/{segment(code)}", auth=False)
        return self._answers.parse_certificate_check(data)

    # --- the card's life --------------------------------------------------------------------

    def card(self, token: str) -> CardView:
        return self._answers.parse_card(self._http.get("/card", token=token))

    def card_request(self, tracking_number: str) -> CardRequest:
        # Public: the slip's QR code leads a phone here.
        data = self._http.get(f"/card/requests/{segment(tracking_number)}", auth=False)
        return self._answers.parse_card_request(data)

    # --- a loss report without the card: ID number and a code to the phone (Art. 2) --------

    def request_loss_code(self, id_number: str) -> LossCodeSent:
        # Not retried: each request texts a new code and counts against the ID's limit.
        body = {"id_number": id_number}
        data = self._http.post("/card/loss-report/code", body, expect=(202,), retry=False)
        return self._answers.parse_loss_code_sent(data)

    def report_loss_by_code(
        self, request_id: str, code: str, *, idempotency_key: str
    ) -> LossReported:
        """Files the temporary loss report; safe to repeat with the same key."""
        data = self._http.post(
            "/card/loss-report/by-code",
            {"request_id": request_id, "code": code},
            idempotency_key=idempotency_key,
            expect=(200, 201),
            retry=True,
        )
        return self._answers.parse_loss_reported(data)

    def demo_loss_code(self) -> DemoLossCode | None:
        """The last code the demo platform "texted" (the demo's dev panel); None if none yet
        or if this platform is not the demo's, which has no such route."""
        try:
            answer = self._http.call("GET", "/demo/loss-code", expect=(200,), retry=False)
        except PlatformRejected:
            return None
        return self._answers.parse_demo_loss_code(self._http.body(answer))

    # --- complaints -------------------------------------------------------------------------

    def complaints(self, token: str) -> tuple[ComplaintView, ...]:
        data = self._http.get("/complaints", token=token)
        return tuple(self._answers.parse_complaint(x) for x in data.items("complaints"))

    def complaint(self, tracking_number: str, token: str | None = None) -> ComplaintView:
        """By its tracking number: whole in the filer's own session (token), else only that it
        exists and its stage (subject and reply None)."""
        data = self._http.get(f"/complaints/{segment(tracking_number)}", token=token)
        return self._answers.parse_complaint(data)

    # --- submissions: use kiosk.backend.outbox.Outbox, which calls this ---------------------

    def submit(
        self,
        kind: str,
        body: Mapping[str, object],
        *,
        idempotency_key: str,
        token: str | None = None,
        grant: str | None = None,
        retry: bool = True,
    ) -> CardRequest | ComplaintView:
        """Send one submission. Safe to repeat with the same key: the platform files it once.

        With a grant (delivery_grants), it is filed even after the session has ended."""
        path = SUBMISSION_PATHS.get(kind)
        if path is None:
            raise ValueError(f"unknown submission kind {kind!r}")
        data = self._http.post(
            path,
            dict(body),
            token=None if grant else token,
            idempotency_key=idempotency_key,
            grant=grant,
            expect=(200, 201),
            retry=retry,
        )
        if kind == "complaint":
            return self._answers.parse_complaint(data)
        return self._answers.parse_card_request(data)

    def delivery_grants(self, token: str, keys: Sequence[str]) -> dict[str, str]:
        """Leave, asked while the session is live, to file the submissions with these keys
        after it has ended: idempotency key -> grant. Personal data: never logged."""
        body = {"idempotency_keys": list(keys)}
        data = self._http.post(
            "/sessions/current/delivery-grants", body, token=token, expect=(201,), retry=True
        )
        grants = {}
        for item in data.items("grants"):
            grants[item.text("idempotency_key", max_len=64)] = item.text("grant", max_len=128)
        if set(grants) != set(keys):
            raise PlatformAnswerInvalid("the grants do not match the keys asked for")
        return grants

    # --- kiosks -----------------------------------------------------------------------------

    def heartbeat(self, **report: Unpack[Heartbeat]) -> int:
        body = {
            "software_version": report["software_version"],
            "uptime_s": report["uptime_s"],
            "devices": dict(report["devices"]),
            "paper": report.get("paper", "unknown"),
            "outbox_pending": report.get("outbox_pending", 0),
        }
        data = self._http.post("/kiosks/heartbeat", body, retry=True)
        return data.number("next_heartbeat_s", low=1, high=86400)

    def request_assistance(self, screen: str) -> dt.datetime:
        """呼叫工作人员: tells the staff side that a resident at this kiosk needs help."""
        data = self._http.post("/kiosks/assistance", {"screen": screen}, retry=True)
        return data.moment("requested_at")

    # --- staff (the counter console; Art. 13, 18) -------------------------------------------

    def staff_login(self, username: str, password: str) -> StaffSession:
        body = {"username": username, "password": password}
        data = self._http.post("/staff/sessions", body, expect=(201,), retry=False)
        return self._answers.parse_staff_session(data)

    def staff_logout(self, staff_token: str) -> None:
        self._http.call(
            "DELETE", "/staff/sessions/current", staff_token=staff_token, expect=(204,), retry=True
        )

    def ask_consent(self, staff_token: str, purpose: str) -> ConsentView:
        """Asks the resident at this counter to let this member of staff see one purpose's
        fields; the customer window shows the request and the resident answers (Art. 13)."""
        # Not retried: a second POST would put a second question to the resident.
        body = {"purpose": purpose}
        data = self._http.post(
            "/staff/consents", body, staff_token=staff_token, expect=(201,), retry=False
        )
        return self._answers.parse_consent(data)

    def consent_state(self, staff_token: str, consent_id: str) -> ConsentView:
        data = self._http.get(f"/staff/consents/{segment(consent_id)}", staff_token=staff_token)
        return self._answers.parse_consent(data)

    def consent_request(self, token: str, consent_id: str) -> ConsentView:
        """The resident's side: the request as the platform holds it, to show and read out."""
        return self._answers.parse_consent(
            self._http.get(f"/consents/{segment(consent_id)}", token=token)
        )

    def answer_consent(self, token: str, consent_id: str, *, granted: bool) -> ConsentView:
        # Not retried: the platform takes one answer per request (a second is consent_answered).
        path = f"/consents/{segment(consent_id)}/answer"
        data = self._http.post(path, {"granted": granted}, token=token, retry=False)
        return self._answers.parse_consent(data)

    def staff_lookup(self, staff_token: str, consent_id: str) -> LookupResult:
        """The look-up the resident consented to; its purpose is the consent's."""
        # Not retried: each look-up is one audit entry, and the log should say what happened.
        body = {"consent_id": consent_id}
        data = self._http.post("/staff/lookups", body, staff_token=staff_token, retry=False)
        return self._answers.parse_lookup(data)

    def check_pin_reset(
        self, staff_token: str, card_identifier: str, card_number: str, id_number: str
    ) -> PinResetTicket:
        """Staff typed the identity card's number: the platform checks it is the card holder's
        and logs the check (Art. 18); a new PIN may then go on the chip."""
        # Not retried: each check is one audit entry.
        body = {
            "card_identifier": card_identifier,
            "card_number": card_number,
            "id_number": id_number,
        }
        data = self._http.post(
            "/staff/pin-resets", body, staff_token=staff_token, expect=(201,), retry=False
        )
        return self._answers.parse_pin_reset(data)

    def pin_reset_outcome(self, staff_token: str, reset_id: str, *, written: bool) -> None:
        """Whether the chip took the new PIN, for the audit log."""
        self._http.call(
            "POST",
            f"/staff/pin-resets/{segment(reset_id)}",
            json_body={"written": written},
            staff_token=staff_token,
            expect=(204,),
            retry=False,
        )

    def audit_log(self, staff_token: str, *, limit: int = 100) -> AuditLog:
        data = self._http.get("/staff/audit", {"limit": limit}, staff_token=staff_token)
        return self._answers.parse_audit(data)

    def reply_to_complaint(
        self, staff_token: str, tracking_number: str, reply: str, *, close: bool = False
    ) -> ComplaintView:
        path = f"/staff/complaints/{segment(tracking_number)}/reply"
        body = {"reply": reply, "close": close}
        data = self._http.post(path, body, staff_token=staff_token, retry=True)
        return self._answers.parse_complaint(data)

    # --- health -----------------------------------------------------------------------------

    def health(self) -> bool:
        """True when the platform answers its health check; never raises."""
        try:
            answer = self._http.call("GET", "/health", expect=(200,), retry=False, auth=False)
            return self._http.body(answer).text("status") == "ok"
        except (PlatformUnavailable, PlatformRejected, PlatformAnswerInvalid):
            return False
