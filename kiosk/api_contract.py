"""What the kiosk and the platform agree on beyond the OpenAPI document's shapes.

Reason codes (every 4xx carries one), the header names, and the tracking number that both
sides derive from an idempotency key, so a resident can be told the number of a complaint
even while it waits offline in the outbox. Plain constants: importing this costs nothing, and
both the kiosk's client and the reference server use it, neither through the other.
"""

from __future__ import annotations

API_PREFIX = "/v1"
KIOSK_ID_HEADER = "X-Kiosk-Id"
KIOSK_KEY_HEADER = "X-Kiosk-Key"
SESSION_HEADER = "X-Session-Token"
STAFF_HEADER = "X-Staff-Token"
IDEMPOTENCY_HEADER = "Idempotency-Key"
# The outbox's leave to deliver one submission after the resident's session has ended.
GRANT_HEADER = "X-Delivery-Grant"

# What a resident can submit, and where each goes (under API_PREFIX). All are made exactly once.
SUBMISSION_PATHS: dict[str, str] = {
    "complaint": "/complaints",
    "loss_report": "/card/loss-report",
    "loss_lifting": "/card/loss-lifting",
    "reissue": "/card/reissue",
    "replacement": "/card/replacement",
}


class Reason:
    """Machine-readable reason codes of 4xx answers. The detail beside them is for people."""

    INVALID_REQUEST = "invalid_request"  # 422: the body, path or query failed validation
    NOT_FOUND = "not_found"  # 404: no such route
    METHOD_NOT_ALLOWED = "method_not_allowed"  # 405
    PAYLOAD_TOO_LARGE = "payload_too_large"  # 413
    KIOSK_UNAUTHENTICATED = "kiosk_unauthenticated"  # 401: kiosk id/key missing or wrong
    KIOSK_DISABLED = "kiosk_disabled"  # 403: the operator switched the kiosk off
    SESSION_REQUIRED = "session_required"  # 401: no resident session token
    SESSION_EXPIRED = "session_expired"  # 401: unknown, closed or idle too long
    PIN_NOT_VERIFIED = "pin_not_verified"  # 422: the card path needs a PIN proven on chip
    CARD_UNKNOWN = "card_unknown"  # 404: no card with this identifier and number
    CARD_NOT_IN_SERVICE = "card_not_in_service"  # 403: lost, temporarily lost, cancelled...
    ECODE_INVALID = "ecode_invalid"  # 404: unknown or expired e-code
    FINANCIAL_ACCOUNT_INACTIVE = "financial_account_inactive"  # 403: Art. 19
    CERTIFICATE_UNKNOWN = "certificate_unknown"  # 404
    REQUEST_NOT_ALLOWED = "request_not_allowed"  # 409: e.g. lifting a loss that was not reported
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"  # 409: same key, different request
    TRACKING_UNKNOWN = "tracking_unknown"  # 404: no complaint or request with this number
    STAFF_UNAUTHENTICATED = "staff_unauthenticated"  # 401: bad login or staff token
    STAFF_FORBIDDEN = "staff_forbidden"  # 403: the role may not do this
    RESIDENT_UNKNOWN = "resident_unknown"  # 404: staff look-up found nobody
    STAFF_LOCKED = "staff_locked"  # 403: too many wrong passwords; locked_until says how long
    CONSENT_UNKNOWN = "consent_unknown"  # 404: no consent request with this id at this counter
    CONSENT_NOT_GRANTED = "consent_not_granted"  # 403: pending, refused, expired or session ended
    CONSENT_ANSWERED = "consent_answered"  # 409: the resident has already answered this request
    # A loss report by ID number and a code sent to the phone on record (Art. 2).
    LOSS_CODE_WRONG = "loss_code_wrong"  # 403: not the code sent; try again
    LOSS_CODE_EXPIRED = "loss_code_expired"  # 403: expired, used or tried too often: ask anew
    TOO_MANY_REQUESTS = "too_many_requests"  # 429: over a rate limit; Retry-After says when
    # A blocked PIN reset at a counter: the identity card staff checked is not the card holder's.
    IDENTITY_MISMATCH = "identity_mismatch"  # 403
    PIN_RESET_UNKNOWN = "pin_reset_unknown"  # 404: no open PIN reset with this id at this counter


# Crockford's base32 without I, L, O, U: read aloud or typed from a receipt without mistakes.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def tracking_number(prefix: str, kiosk_id: str, idempotency_key: str) -> str:
    """C-7K3Q-9XW2-M4PD: the same on the kiosk and the platform for one submission."""
    # Imported here: the kiosk's client loads this module on the way to its first frame, and
    # hashlib brings OpenSSL (some 2 ms) that only a submission needs.
    import hashlib

    digest = hashlib.sha256(f"{kiosk_id}\n{idempotency_key}".encode()).digest()
    value = int.from_bytes(digest[:8], "big") >> 4  # 60 bits: twelve characters
    chars = []
    for _ in range(12):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    text = "".join(reversed(chars))
    return f"{prefix}-{text[0:4]}-{text[4:8]}-{text[8:12]}"
