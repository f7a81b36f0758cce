"""The kiosk's client of the platform API (docs/platform.md, kiosk/server/openapi.json).

Every call has a timeout; only calls that are safe to repeat are retried, with backoff; TLS is
verified, and plain HTTP is refused unless the platform is on this machine's loopback. Every
answer is checked against the contract before it becomes a domain value, and every failure
surfaces as one of kiosk.domain.errors: PlatformUnavailable (not heard: try again later),
PlatformRejected and its kinds (heard and refused, with a reason code), PlatformAnswerInvalid
(the answer broke the contract). Nothing else escapes.

Importing this module costs little: `requests` is loaded when the first client is made, and
nothing here touches Qt, FastAPI, SQLAlchemy or pydantic.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import random
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.api_contract import (
    API_PREFIX,
    GRANT_HEADER,
    IDEMPOTENCY_HEADER,
    KIOSK_ID_HEADER,
    KIOSK_KEY_HEADER,
    SESSION_HEADER,
    STAFF_HEADER,
    SUBMISSION_PATHS,
    Reason,
)
from kiosk.backend import parse as r
from kiosk.backend.catalog_cache import CatalogCache, parse_catalog
from kiosk.backend.wire import Obj
from kiosk.domain.card import CardStatus
from kiosk.domain.card_requests import (
    CardRequest,
    CardView,
    DemoLossCode,
    LossCodeSent,
    LossReported,
)
from kiosk.domain.catalog import Catalog
from kiosk.domain.complaints import ComplaintView
from kiosk.domain.errors import (
    CardNotInService,
    PlatformAnswerInvalid,
    PlatformRejected,
    PlatformUnavailable,
)
from kiosk.domain.privacy import mask_references_in
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

if TYPE_CHECKING:
    import requests

log = logging.getLogger("kiosk.backend")

# Answers larger than this are refused: nothing in the contract comes near it.
MAX_ANSWER_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CatalogSnapshot:
    """The catalog and how old it is: fresh from the platform, or the offline copy."""

    catalog: Catalog
    fetched_at: dt.datetime
    from_cache: bool

    def age_s(self, now: dt.datetime | None = None) -> float:
        now = now or dt.datetime.now(dt.UTC)
        return max(0.0, (now - self.fetched_at).total_seconds())


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: Obj | None
    headers: Mapping[str, str]


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class PlatformClient:
    """One kiosk's connection to the platform. Safe to use from several threads."""

    def __init__(
        self,
        base_url: str,
        kiosk_id: str,
        kiosk_key: str,
        *,
        timeout_s: float = 5.0,
        retries: int = 2,
        backoff_s: float = 0.25,
        max_retry_after_s: float = 5.0,
        cache_dir: str | Path | None = None,
        ca_bundle: str | None = None,
        client_cert: tuple[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the platform URL must be http(s)://host[:port]")
        if parts.scheme == "http" and not _loopback(parts.hostname):
            raise ValueError("plain http is allowed only to this machine's loopback; use https")
        if not kiosk_id or not kiosk_key:
            raise ValueError("the kiosk id and key are required")
        if timeout_s <= 0 or retries < 0 or backoff_s < 0:
            raise ValueError("timeout_s must be positive; retries and backoff_s not negative")
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self._kiosk_key = kiosk_key
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_retry_after_s = max_retry_after_s
        self._verify: bool | str = ca_bundle or True
        self._cert = client_cert
        self._sleep = sleep
        self._local = threading.local()
        self._catalog_cache = CatalogCache.for_platform(self.base_url, cache_dir)
        import requests  # here, not at the top: the kiosk's start-up should not wait for it

        self._requests = requests

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

    def _open_session(self, body: dict[str, Any]) -> ResidentSession:
        # Not retried: a second POST after a lost answer would open a second session.
        answer = self._call("POST", "/sessions", json_body=body, expect=(201,), retry=False)
        data = self._body(answer)
        return ResidentSession(
            token=data.text("token", max_len=512),
            name=data.text("name", max_len=200),
            card_status=data.choice("card_status", CardStatus),
            financial_account_active=data.flag("financial_account_active"),
            expires_in_s=data.number("expires_in_s", low=0),
        )

    def close_session(self, token: str) -> None:
        """End the session; safe to call twice, and retried because of that."""
        self._call("DELETE", "/sessions/current", token=token, expect=(204,), retry=True)

    # --- catalog ----------------------------------------------------------------------------

    def catalog(self) -> Catalog:
        """The published catalog; the offline copy when the platform cannot be reached."""
        return self.catalog_snapshot().catalog

    def catalog_snapshot(self) -> CatalogSnapshot:
        try:
            answer = self._call("GET", "/catalog", expect=(200,), retry=True)
            data = self._body(answer)
            catalog = parse_catalog(data)
        except (PlatformUnavailable, PlatformAnswerInvalid) as failure:
            cached = self._catalog_cache.load()
            if cached is None:
                raise
            log.warning("catalog from the offline copy: %s", type(failure).__name__)
            return CatalogSnapshot(cached[0], cached[1], from_cache=True)
        fetched = dt.datetime.now(dt.UTC)
        self._catalog_cache.store(data.raw, fetched)
        return CatalogSnapshot(catalog, fetched, from_cache=False)

    # --- records (bound to the session's resident) -----------------------------------------

    def contributions(
        self,
        token: str,
        *,
        insurance: str | None = None,
        since: str | None = None,
        limit: int = 600,
    ) -> Contributions:
        params: dict[str, str | int] = {"limit": limit}
        if insurance is not None:
            params["insurance"] = insurance
        if since is not None:
            params["since"] = since
        return r.parse_contributions(self._get("/records/contributions", token, params))

    def medical_account(self, token: str, *, limit: int = 100) -> MedicalAccount:
        return r.parse_medical(self._get("/records/medical", token, {"limit": limit}))

    def pension_payments(self, token: str, *, limit: int = 120) -> tuple[PensionPayment, ...]:
        return r.parse_pension(self._get("/records/pension", token, {"limit": limit}))

    def subsidies(self, token: str, *, limit: int = 100) -> tuple[SubsidyPayment, ...]:
        return r.parse_subsidies(self._get("/records/subsidies", token, {"limit": limit}))

    def card_uses(
        self, token: str, *, kind: str | None = None, limit: int = 100
    ) -> tuple[CardUse, ...]:
        params: dict[str, str | int] = {"limit": limit}
        if kind is not None:
            params["kind"] = kind
        return r.parse_card_uses(self._get("/records/card-use", token, params))

    # --- certificates -----------------------------------------------------------------------

    def issue_certificate(
        self,
        token: str,
        kind: str = "insured_status",
        *,
        insurances: tuple[str, ...] | None = None,
        period: tuple[str, str] | None = None,
    ) -> Certificate:
        """insurances: which it states (all when None); period: ("2025-01", "2025-12")."""
        body: dict[str, object] = {"kind": kind}
        if insurances is not None:
            body["insurances"] = list(insurances)
        if period is not None:
            body["first_month"], body["last_month"] = period
        # Not retried: each POST issues a new code; a lost answer means ask the resident again.
        answer = self._call(
            "POST",
            "/certificates",
            json_body=body,
            token=token,
            expect=(201,),
            retry=False,
        )
        return r.parse_certificate(self._body(answer))

    def verify_certificate(self, code: str) -> CertificateCheck:
        answer = self._call(
            "GET", f"/certificates/{_segment(code)}", expect=(200,), retry=True, auth=False
        )
        return r.parse_certificate_check(self._body(answer))

    # --- the card's life --------------------------------------------------------------------

    def card(self, token: str) -> CardView:
        return r.parse_card(self._get("/card", token))

    def card_request(self, tracking_number: str) -> CardRequest:
        answer = self._call(
            "GET",
            f"/card/requests/{_segment(tracking_number)}",
            expect=(200,),
            retry=True,
            auth=False,  # public: the slip's QR code leads a phone here
        )
        return r.parse_card_request(self._body(answer))

    # --- a loss report without the card: ID number and a code to the phone (Art. 2) --------

    def request_loss_code(self, id_number: str) -> LossCodeSent:
        # Not retried: each request texts a new code and counts against the ID's limit.
        answer = self._call(
            "POST",
            "/card/loss-report/code",
            json_body={"id_number": id_number},
            expect=(202,),
            retry=False,
        )
        return r.parse_loss_code_sent(self._body(answer))

    def report_loss_by_code(
        self, request_id: str, code: str, *, idempotency_key: str
    ) -> LossReported:
        """Files the temporary loss report; safe to repeat with the same key."""
        answer = self._call(
            "POST",
            "/card/loss-report/by-code",
            json_body={"request_id": request_id, "code": code},
            idempotency_key=idempotency_key,
            expect=(200, 201),
            retry=True,
        )
        return r.parse_loss_reported(self._body(answer))

    def demo_loss_code(self) -> DemoLossCode | None:
        """The last code the demo platform "texted" (the demo's dev panel); None if none yet
        or if this platform is not the demo's, which has no such route."""
        try:
            answer = self._call("GET", "/demo/loss-code", expect=(200,), retry=False)
        except PlatformRejected:
            return None
        return r.parse_demo_loss_code(self._body(answer))

    # --- complaints -------------------------------------------------------------------------

    def complaints(self, token: str) -> tuple[ComplaintView, ...]:
        data = self._get("/complaints", token)
        return tuple(r.parse_complaint(x) for x in data.items("complaints"))

    def complaint(self, tracking_number: str, token: str | None = None) -> ComplaintView:
        """By its tracking number: whole in the filer's own session (token), else only that it
        exists and its stage (subject and reply None)."""
        answer = self._call(
            "GET",
            f"/complaints/{_segment(tracking_number)}",
            token=token,
            expect=(200,),
            retry=True,
        )
        return r.parse_complaint(self._body(answer))

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
        answer = self._call(
            "POST",
            path,
            json_body=dict(body),
            token=None if grant else token,
            idempotency_key=idempotency_key,
            grant=grant,
            expect=(200, 201),
            retry=retry,
        )
        data = self._body(answer)
        if kind == "complaint":
            return r.parse_complaint(data)
        return r.parse_card_request(data)

    def delivery_grants(self, token: str, keys: Sequence[str]) -> dict[str, str]:
        """Leave, asked while the session is live, to file the submissions with these keys
        after it has ended: idempotency key -> grant. Personal data: never logged."""
        answer = self._call(
            "POST",
            "/sessions/current/delivery-grants",
            json_body={"idempotency_keys": list(keys)},
            token=token,
            expect=(201,),
            retry=True,
        )
        grants = {}
        for item in self._body(answer).items("grants"):
            grants[item.text("idempotency_key", max_len=64)] = item.text("grant", max_len=128)
        if set(grants) != set(keys):
            raise PlatformAnswerInvalid("the grants do not match the keys asked for")
        return grants

    # --- kiosks -----------------------------------------------------------------------------

    def heartbeat(
        self,
        *,
        software_version: str,
        uptime_s: int,
        devices: Mapping[str, str],
        paper: str = "unknown",
        outbox_pending: int = 0,
    ) -> int:
        """Report device health; returns the seconds until the platform wants the next one."""
        body = {
            "software_version": software_version,
            "uptime_s": uptime_s,
            "devices": dict(devices),
            "paper": paper,
            "outbox_pending": outbox_pending,
        }
        answer = self._call("POST", "/kiosks/heartbeat", json_body=body, expect=(200,), retry=True)
        return self._body(answer).number("next_heartbeat_s", low=1, high=86400)

    def request_assistance(self, screen: str) -> dt.datetime:
        """呼叫工作人员: tells the staff side that a resident at this kiosk needs help."""
        answer = self._call(
            "POST", "/kiosks/assistance", json_body={"screen": screen}, expect=(200,), retry=True
        )
        return self._body(answer).moment("requested_at")

    # --- staff (the counter console; Art. 13, 18) -------------------------------------------

    def staff_login(self, username: str, password: str) -> StaffSession:
        answer = self._call(
            "POST",
            "/staff/sessions",
            json_body={"username": username, "password": password},
            expect=(201,),
            retry=False,
        )
        return r.parse_staff_session(self._body(answer))

    def staff_logout(self, staff_token: str) -> None:
        self._call(
            "DELETE", "/staff/sessions/current", staff_token=staff_token, expect=(204,), retry=True
        )

    def ask_consent(self, staff_token: str, purpose: str) -> ConsentView:
        """Asks the resident at this counter to let this member of staff see one purpose's
        fields; the customer window shows the request and the resident answers (Art. 13)."""
        # Not retried: a second POST would put a second question to the resident.
        answer = self._call(
            "POST",
            "/staff/consents",
            json_body={"purpose": purpose},
            staff_token=staff_token,
            expect=(201,),
            retry=False,
        )
        return r.parse_consent(self._body(answer))

    def consent_state(self, staff_token: str, consent_id: str) -> ConsentView:
        answer = self._call(
            "GET",
            f"/staff/consents/{_segment(consent_id)}",
            staff_token=staff_token,
            expect=(200,),
            retry=True,
        )
        return r.parse_consent(self._body(answer))

    def consent_request(self, token: str, consent_id: str) -> ConsentView:
        """The resident's side: the request as the platform holds it, to show and read out."""
        return r.parse_consent(self._get(f"/consents/{_segment(consent_id)}", token))

    def answer_consent(self, token: str, consent_id: str, *, granted: bool) -> ConsentView:
        # Not retried: the platform takes one answer per request (a second is consent_answered).
        answer = self._call(
            "POST",
            f"/consents/{_segment(consent_id)}/answer",
            json_body={"granted": granted},
            token=token,
            expect=(200,),
            retry=False,
        )
        return r.parse_consent(self._body(answer))

    def staff_lookup(self, staff_token: str, consent_id: str) -> LookupResult:
        """The look-up the resident consented to; its purpose is the consent's."""
        # Not retried: each look-up is one audit entry, and the log should say what happened.
        answer = self._call(
            "POST",
            "/staff/lookups",
            json_body={"consent_id": consent_id},
            staff_token=staff_token,
            expect=(200,),
            retry=False,
        )
        return r.parse_lookup(self._body(answer))

    def check_pin_reset(
        self, staff_token: str, card_identifier: str, card_number: str, id_number: str
    ) -> PinResetTicket:
        """Staff typed the identity card's number: the platform checks it is the card holder's
        and logs the check (Art. 18); a new PIN may then go on the chip."""
        # Not retried: each check is one audit entry.
        answer = self._call(
            "POST",
            "/staff/pin-resets",
            json_body={
                "card_identifier": card_identifier,
                "card_number": card_number,
                "id_number": id_number,
            },
            staff_token=staff_token,
            expect=(201,),
            retry=False,
        )
        return r.parse_pin_reset(self._body(answer))

    def pin_reset_outcome(self, staff_token: str, reset_id: str, *, written: bool) -> None:
        """Whether the chip took the new PIN, for the audit log."""
        self._call(
            "POST",
            f"/staff/pin-resets/{_segment(reset_id)}",
            json_body={"written": written},
            staff_token=staff_token,
            expect=(204,),
            retry=False,
        )

    def audit_log(self, staff_token: str, *, limit: int = 100) -> AuditLog:
        answer = self._call(
            "GET",
            "/staff/audit",
            params={"limit": limit},
            staff_token=staff_token,
            expect=(200,),
            retry=True,
        )
        return r.parse_audit(self._body(answer))

    def reply_to_complaint(
        self, staff_token: str, tracking_number: str, reply: str, *, close: bool = False
    ) -> ComplaintView:
        answer = self._call(
            "POST",
            f"/staff/complaints/{_segment(tracking_number)}/reply",
            json_body={"reply": reply, "close": close},
            staff_token=staff_token,
            expect=(200,),
            retry=True,
        )
        return r.parse_complaint(self._body(answer))

    # --- health -----------------------------------------------------------------------------

    def health(self) -> bool:
        """True when the platform answers its health check; never raises."""
        try:
            answer = self._call("GET", "/health", expect=(200,), retry=False, auth=False)
            return self._body(answer).text("status") == "ok"
        except (PlatformUnavailable, PlatformRejected, PlatformAnswerInvalid):
            return False

    # --- the machinery ----------------------------------------------------------------------

    def _get(self, path: str, token: str, params: Mapping[str, str | int] | None = None) -> Obj:
        answer = self._call("GET", path, params=params, token=token, expect=(200,), retry=True)
        return self._body(answer)

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._requests.Session()
            session.verify = self._verify
            if self._cert is not None:
                session.cert = self._cert
            session.trust_env = False  # a proxy from the environment would see the kiosk key
            self._local.session = session
        return session

    def _body(self, answer: _Answer) -> Obj:
        if answer.body is None:
            raise PlatformAnswerInvalid("the platform answered with no body")
        return answer.body

    def _call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str | int] | None = None,
        token: str | None = None,
        staff_token: str | None = None,
        idempotency_key: str | None = None,
        grant: str | None = None,
        expect: tuple[int, ...] = (200,),
        retry: bool,
        auth: bool = True,
    ) -> _Answer:
        headers = {"Accept": "application/json"}
        if auth:
            headers[KIOSK_ID_HEADER] = self.kiosk_id
            headers[KIOSK_KEY_HEADER] = self._kiosk_key
        if token is not None:
            headers[SESSION_HEADER] = token
        if staff_token is not None:
            headers[STAFF_HEADER] = staff_token
        if idempotency_key is not None:
            headers[IDEMPOTENCY_HEADER] = idempotency_key
        if grant is not None:
            headers[GRANT_HEADER] = grant
        url = f"{self.base_url}{API_PREFIX}{path}"
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(attempts):
            try:
                return self._once(method, url, path, headers, json_body, params, expect)
            except PlatformUnavailable as failure:
                if attempt + 1 >= attempts:
                    raise
                wait = getattr(failure, "retry_after_s", None)
                if wait is None:
                    wait = self.backoff_s * (2**attempt) * (0.5 + random.random())
                elif wait > self.max_retry_after_s:
                    raise  # the platform asks for longer than a resident should wait
                self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self,
        method: str,
        url: str,
        path: str,
        headers: Mapping[str, str],
        json_body: Any,
        params: Mapping[str, str | int] | None,
        expect: tuple[int, ...],
    ) -> _Answer:
        requests = self._requests
        started = time.perf_counter()
        try:
            response = self._session().request(
                method,
                url,
                headers=dict(headers),
                json=json_body,
                params=params,
                timeout=(self.timeout_s, self.timeout_s),
                allow_redirects=False,  # a redirect could carry the kiosk key elsewhere
                stream=True,
            )
            try:
                content = self._read_limited(response)
            finally:
                response.close()
        except requests.exceptions.SSLError as exc:
            raise PlatformUnavailable(f"TLS failed: {type(exc).__name__}") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            raise PlatformUnavailable(f"{method} {path}: {type(exc).__name__}") from None
        except requests.exceptions.RequestException as exc:
            # A body cut off mid-way (ChunkedEncodingError...): the answer was not heard whole.
            raise PlatformUnavailable(f"{method} {path}: {type(exc).__name__}") from None
        status = response.status_code
        log.debug(
            "%s %s -> %d in %.0f ms",
            method,
            mask_references_in(path),
            status,
            (time.perf_counter() - started) * 1000,
        )
        if status >= 500:
            failure = PlatformUnavailable(f"{method} {path}: the platform answered {status}")
            retry_after = _retry_after(response.headers.get("Retry-After"))
            if retry_after is not None:
                failure.retry_after_s = retry_after  # type: ignore[attr-defined]
            raise failure
        if 400 <= status < 500:
            raise _rejection(status, _parse_json(response.headers, content, required=True))
        if status not in expect:
            raise PlatformAnswerInvalid(f"{method} {path}: unexpected status {status}")
        body = _parse_json(response.headers, content, required=status != 204)
        return _Answer(status, body, response.headers)

    def _read_limited(self, response: requests.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise PlatformAnswerInvalid("the platform's answer is too large")
            chunks.append(chunk)
        return b"".join(chunks)


def _segment(value: str) -> str:
    """A value as one path segment: nothing in it may step to another route."""
    return urllib.parse.quote(value, safe="")


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None  # the HTTP-date form: treat as "later", without a number to wait for
    return seconds if 0 <= seconds < 86400 else None


def _parse_json(headers: Mapping[str, str], content: bytes, *, required: bool) -> Obj | None:
    if not content and not required:
        return None
    media = headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise PlatformAnswerInvalid(f"the platform answered {media or 'no content type'}, not JSON")
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PlatformAnswerInvalid("the platform's answer is not valid JSON") from None
    return Obj(data)


def _rejection(status: int, body: Obj | None) -> PlatformRejected:
    if body is None:  # pragma: no cover - _parse_json requires one
        raise PlatformAnswerInvalid(f"a {status} answer without a body")
    code = body.text("code", max_len=100)
    detail = body.text("detail", empty=True, max_len=2000)
    if code == Reason.CARD_NOT_IN_SERVICE:
        return CardNotInService(body.text("card_status", max_len=50))
    return PlatformRejected(code, detail)
