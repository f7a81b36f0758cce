"""The HTTP underneath the platform client: where the platform is, and one call to it.

Every call has a timeout; only calls that are safe to repeat are retried, with backoff; TLS is
verified, and plain HTTP is refused unless the platform is on this machine's loopback. Every
failure surfaces as one of kiosk.domain.errors: PlatformUnavailable (not heard: try again later),
PlatformRejected and its kinds (heard and refused, with a reason code), PlatformAnswerInvalid
(the answer broke the contract).

Where the platform is may be known only later: the embedded reference server takes seconds to
start, and the kiosk's first frame does not wait for it. Until reach() says where, a call waits
on its worker thread, and a platform never reached is PlatformUnavailable, the same words as a
network outage. `requests` is loaded by the first call, not by importing this.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict, Unpack

from kiosk.api_contract import (
    API_PREFIX,
    GRANT_HEADER,
    IDEMPOTENCY_HEADER,
    KIOSK_ID_HEADER,
    KIOSK_KEY_HEADER,
    SESSION_HEADER,
    STAFF_HEADER,
    Reason,
)
from kiosk.backend.wire import Obj
from kiosk.domain.errors import (
    CardNotInService,
    PlatformAnswerInvalid,
    PlatformRejected,
    PlatformUnavailable,
)
from kiosk.domain.privacy import mask_references_in

if TYPE_CHECKING:
    import requests

log = logging.getLogger("kiosk.backend")

# Answers larger than this are refused: nothing in the contract comes near it.
MAX_ANSWER_BYTES = 8 * 1024 * 1024


# A plain class and a named tuple, not dataclasses: this module is loaded on the way to the
# kiosk's first frame, where a dataclass's generated methods are compiled.
class Endpoint:
    """Where the platform is, and who this kiosk is to it."""

    __slots__ = ("base_url", "kiosk_id", "kiosk_key")

    def __init__(self, base_url: str, kiosk_id: str, kiosk_key: str) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the platform URL must be http(s)://host[:port]")
        if parts.scheme == "http" and not _loopback(parts.hostname):
            raise ValueError("plain http is allowed only to this machine's loopback; use https")
        if not kiosk_id or not kiosk_key:
            raise ValueError("the kiosk id and key are required")
        self.base_url, self.kiosk_id, self.kiosk_key = base_url.rstrip("/"), kiosk_id, kiosk_key

    def __repr__(self) -> str:  # the key stays out of any log
        return f"Endpoint(base_url={self.base_url!r}, kiosk_id={self.kiosk_id!r})"


class Credentials(TypedDict, total=False):
    """Whom a call speaks for besides the kiosk, each in a header of its own."""

    token: str | None  # a resident's session
    staff_token: str | None  # a member of staff's, at a counter
    idempotency_key: str | None  # a submission, filed once however often it is sent
    grant: str | None  # leave to file a submission after its session has ended


class Answer(NamedTuple):
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


class Transport:
    """Calls to one platform. Safe to use from several threads."""

    def __init__(
        self,
        *,
        timeout_s: float = 5.0,
        retries: int = 2,
        backoff_s: float = 0.25,
        max_retry_after_s: float = 5.0,
        ca_bundle: str | None = None,
        client_cert: tuple[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        wait_s: float = 30.0,
    ) -> None:
        if timeout_s <= 0 or retries < 0 or backoff_s < 0:
            raise ValueError("timeout_s must be positive; retries and backoff_s not negative")
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_retry_after_s = max_retry_after_s
        self._verify: bool | str = ca_bundle or True
        self._cert = client_cert
        self._sleep = sleep
        self._wait_s = wait_s
        self._local = threading.local()
        self._endpoint: Endpoint | None = None
        self._settled = threading.Event()

    # --- where the platform is --------------------------------------------------------------

    def reach(self, endpoint: Endpoint) -> None:
        self._endpoint = endpoint
        self._settled.set()

    def unreachable(self) -> None:
        """The platform will not be reached: calls waiting, and every later one, fail now."""
        self._settled.set()

    @property
    def known(self) -> Endpoint | None:
        """Where the platform is, if known yet; never waits (the screen's thread reads it)."""
        return self._endpoint

    def endpoint(self) -> Endpoint:
        if not self._settled.wait(self._wait_s) or self._endpoint is None:
            raise PlatformUnavailable()
        return self._endpoint

    # --- one call ---------------------------------------------------------------------------

    def get(
        self,
        path: str,
        params: Mapping[str, str | int] | None = None,
        *,
        auth: bool = True,
        **who: Unpack[Credentials],
    ) -> Obj:
        """A read, retried (repeating it changes nothing); its answer's body."""
        return self.body(self.call("GET", path, params=params, retry=True, auth=auth, **who))

    def post(
        self,
        path: str,
        body: object,
        *,
        expect: tuple[int, ...] = (200,),
        retry: bool,
        **who: Unpack[Credentials],
    ) -> Obj:
        """A POST that is answered with a body; that body."""
        return self.body(self.call("POST", path, json_body=body, expect=expect, retry=retry, **who))

    def _session(self) -> requests.Session:
        import requests  # here, not at the top: the kiosk's start-up should not wait for it

        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.verify = self._verify
            if self._cert is not None:
                session.cert = self._cert
            session.trust_env = False  # a proxy from the environment would see the kiosk key
            self._local.session = session
        return session

    def body(self, answer: Answer) -> Obj:
        if answer.body is None:
            raise PlatformAnswerInvalid("the platform answered with no body")
        return answer.body

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str | int] | None = None,
        expect: tuple[int, ...] = (200,),
        retry: bool,
        auth: bool = True,
        **who: Unpack[Credentials],
    ) -> Answer:
        where = self.endpoint()
        headers = {"Accept": "application/json"}
        if auth:
            headers[KIOSK_ID_HEADER] = where.kiosk_id
            headers[KIOSK_KEY_HEADER] = where.kiosk_key
        for header, value in (
            (SESSION_HEADER, who.get("token")),
            (STAFF_HEADER, who.get("staff_token")),
            (IDEMPOTENCY_HEADER, who.get("idempotency_key")),
            (GRANT_HEADER, who.get("grant")),
        ):
            if value is not None:
                headers[header] = value
        url = f"{where.base_url}{API_PREFIX}{path}"
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(attempts):
            try:
                return self._once(method, url, path, headers, json_body, params, expect)
            except PlatformUnavailable as failure:
                if attempt + 1 >= attempts:
                    raise
                wait = failure.retry_after_s
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
    ) -> Answer:
        import requests

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
            failure.retry_after_s = _retry_after(response.headers.get("Retry-After"))
            raise failure
        if 400 <= status < 500:
            raise _rejection(status, _parse_json(response.headers, content, required=True))
        if status not in expect:
            raise PlatformAnswerInvalid(f"{method} {path}: unexpected status {status}")
        body = _parse_json(response.headers, content, required=status != 204)
        return Answer(status, body, response.headers)

    def _read_limited(self, response: requests.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise PlatformAnswerInvalid("the platform's answer is too large")
            chunks.append(chunk)
        return b"".join(chunks)


def segment(value: str) -> str:
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
    # Imported here: the client is made on the way to the kiosk's first frame, an answer after.
    import json

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
