"""Typed errors a resident can cause or meet. Each maps to one message the kiosk shows and speaks.

The flows catch these, never a bare Exception from a device or the network, so that every
failure has words for the resident and none shows a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.domain.messages import N_
from kiosk.domain.reasons import reason_message

if TYPE_CHECKING:  # only for annotations: errors stay importable without the receipt model
    from kiosk.domain.receipt import PrintJob, PrintOutcome


class KioskError(Exception):
    """Base of every error with a resident-facing message id."""

    message_id = N_("error.generic")


# --- the card and its reader -------------------------------------------------------------


class CardError(KioskError):
    message_id = N_("error.card.misread")


class ReaderUnavailable(CardError):
    """No PC/SC service, or no reader matching the configured pattern."""

    message_id = N_("error.card.reader_unavailable")


class CardRemoved(CardError):
    message_id = N_("error.card.removed")


class NotSocialSecurityCard(CardError):
    """SELECT of the SSSE application failed (6A82): some other card is in the reader."""

    message_id = N_("error.card.not_ssc")


class CardMisread(CardError):
    """The card answered something that does not parse; trying again may help."""

    message_id = N_("error.card.misread")


class CardLocked(CardError):
    """9303: the application is permanently locked; only the service counter can help."""

    message_id = N_("error.card.locked")


class SecureAccessRequired(CardError):
    """6982 on EF06 without a secure access module configured (version 3.00 cards)."""

    message_id = N_("error.card.secure_access")


class WrongPin(CardError):
    message_id = N_("error.pin.wrong")

    def __init__(self, tries_left: int) -> None:
        super().__init__(f"wrong PIN, {tries_left} tries left")
        self.tries_left = tries_left


class PinBlocked(CardError):
    message_id = N_("error.pin.blocked")


# --- the platform ------------------------------------------------------------------------


class PlatformError(KioskError):
    message_id = N_("error.platform.generic")


class PlatformUnavailable(PlatformError):
    """Network down, timeout or 5xx: the resident's request was not refused, just not heard."""

    message_id = N_("error.platform.unavailable")
    # The platform's Retry-After, when it said how long to wait before asking again.
    retry_after_s: float | None = None


class PlatformRejected(PlatformError):
    """A 4xx with a reason code from the platform."""

    message_id = N_("error.platform.rejected")

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        # What the resident is told for this reason (kiosk.domain.reasons: one table).
        self.message_id = reason_message(code)


class PlatformAnswerInvalid(PlatformError):
    """The platform answered with something that does not match the contract."""

    message_id = N_("error.platform.invalid")


class CardNotInService(PlatformRejected):
    """The platform knows the card but its status forbids a session (lost, cancelled...)."""

    message_id = N_("error.card.not_in_service")

    def __init__(self, status: str) -> None:
        super().__init__("card_not_in_service", status)
        self.status = status


# --- the receipt printer -----------------------------------------------------------------
# Each carries the PrintOutcome when a job was under way, so that the caller keeps the job: to
# show it as a QR code on screen and to print it again once the printer is ready.


class PrinterError(KioskError):
    message_id = N_("error.printer.generic")

    def __init__(self, detail: str = "", outcome: PrintOutcome | None = None) -> None:
        super().__init__(detail)
        self.outcome = outcome

    @property
    def job(self) -> PrintJob | None:
        return None if self.outcome is None else self.outcome.job


class PaperOut(PrinterError):
    """The paper ran out before anything of the job was printed."""

    message_id = N_("error.printer.paper_out")


class PaperOutMidReceipt(PaperOut):
    """The paper ran out while the job printed: what came out is incomplete."""

    message_id = N_("error.printer.paper_out_mid")


class PrinterOffline(PrinterError):
    """The printer cannot be reached (no connection, unplugged) or reports itself offline."""

    message_id = N_("error.printer.offline")


class CoverOpen(PrinterError):
    message_id = N_("error.printer.cover_open")


class PrinterFault(PrinterError):
    """A cutter jam or an unrecoverable error the printer reports: staff must clear it."""

    message_id = N_("error.printer.fault")


class PrinterAddressInvalid(PrinterError):
    """A printer URI that names no printer the kiosk can drive (a configuration mistake)."""

    message_id = N_("error.printer.misconfigured")
