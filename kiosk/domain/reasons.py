"""What the resident is told for each reason the platform gives and each error the card reader
meets: one table, so no refusal reaches a resident as a bare code or a wrong message.

The platform names every refusal with a reason code (kiosk.api_contract.Reason); the kiosk
shows and speaks the message id beside it here, in the resident's language. A task that knows
better words for a reason in its own context (the loss report's "that is not the code we sent")
may still say those; this table is what every other screen says. The card reader's errors carry
their message ids on their classes (kiosk.domain.errors); card_error_messages() lists them, so a
test can check that every one is translated and spoken in both languages.

The domain imports nothing of the client, so the codes are written here as the contract spells
them; a test fails when the contract gains a reason this table lacks.
"""

from __future__ import annotations

from kiosk.domain.messages import N_

# The generic refusal: the request was refused for a reason the resident cannot act on.
REFUSED = N_("error.platform.rejected")

REASON_MESSAGES: dict[str, str] = {
    # The kiosk asked something malformed or unknown: not the resident's doing.
    "invalid_request": REFUSED,
    "not_found": REFUSED,
    "method_not_allowed": REFUSED,
    "payload_too_large": REFUSED,
    "idempotency_conflict": REFUSED,
    # The kiosk itself is refused: another kiosk or the counter can help.
    "kiosk_unauthenticated": N_("error.platform.kiosk_refused"),
    "kiosk_disabled": N_("error.platform.kiosk_refused"),
    # The resident's session is over (idle too long, closed elsewhere).
    "session_required": N_("error.platform.session_ended"),
    "session_expired": N_("error.platform.session_ended"),
    "pin_not_verified": N_("error.platform.pin_not_verified"),
    "card_unknown": N_("notice.card_unknown"),
    "card_not_in_service": N_("error.card.not_in_service"),
    "ecode_invalid": N_("notice.ecode_invalid"),
    # Art. 19: financial functions only once the card's financial account is activated.
    "financial_account_inactive": N_("error.platform.financial_inactive"),
    "certificate_unknown": N_("error.platform.certificate_unknown"),
    "request_not_allowed": N_("lost_card.error.not_allowed"),
    "tracking_unknown": N_("complaints.lookup.unknown"),
    # The counter's staff console (a staff member reads these, in the console's language).
    "staff_unauthenticated": N_("counter.login.wrong"),
    "staff_forbidden": N_("counter.login.forbidden"),
    "staff_locked": N_("counter.login.locked"),
    "resident_unknown": N_("error.platform.resident_unknown"),
    "consent_unknown": N_("counter.consent_ended.heading"),
    "consent_not_granted": N_("counter.consent_ended.heading"),
    "consent_answered": N_("counter.consent_ended.heading"),
    # A blocked PIN reset at the counter: the ID card staff checked is not the holder's.
    "identity_mismatch": N_("counter.pin_reset.mismatch"),
    "pin_reset_unknown": N_("counter.pin_reset.ended"),
    # A loss report by ID number and a code sent to the phone on record (Art. 2).
    "loss_code_wrong": N_("lost_card.error.code_wrong"),
    "loss_code_expired": N_("lost_card.code.expired"),
    # Over a rate limit (certificate checks, look-ups by number, e-code sign-ins, codes...).
    "too_many_requests": N_("error.platform.too_many"),
    # A 500 from the platform: not heard, as when it cannot be reached.
    "internal_error": N_("error.platform.unavailable"),
}


def reason_message(code: str) -> str:
    """The message id for a platform reason; the generic refusal for a code not (yet) known."""
    return REASON_MESSAGES.get(code, REFUSED)


def card_error_messages() -> dict[str, str]:
    """Every error of the card and its reader, by class name, with the message id it shows."""
    from kiosk.domain.errors import CardError

    found: dict[str, str] = {}
    pending: list[type[CardError]] = [CardError]
    while pending:
        kind = pending.pop()
        found[kind.__name__] = kind.message_id
        pending += kind.__subclasses__()
    return found
