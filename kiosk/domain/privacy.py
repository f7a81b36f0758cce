"""Masking of personal data for the screen (Art. 12, 13): shown whole only when asked for."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """王秀英 -> 王**: the surname stays so the resident knows the greeting is for them."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name


def mask_number(number: str, keep_start: int = 4, keep_end: int = 4) -> str:
    """4101**********1234: the first and last four stay, the rest is hidden."""
    number = number.strip()
    if len(number) <= keep_start + keep_end:
        return "*" * len(number)
    return number[:keep_start] + "*" * (len(number) - keep_start - keep_end) + number[-keep_end:]


def mask_reference(reference: str) -> str:
    """C-CK7E-2M4Q -> ********2M4Q: a tracking number or verification code opens what it
    names to whoever holds it, so logs keep only its last four characters, enough to match a
    resident's slip when they call."""
    return mask_number(reference, keep_start=0, keep_end=4)


def mask_references_in(path: str) -> str:
    """A request path with each reference in it masked (/v1/complaints/********2M4Q)."""
    import re

    # A reference has a digit in it; route words (complaints, loss-report) have none.
    reference = r"\b(?=[A-Za-z-]*[0-9])[A-Za-z0-9-]{8,}"
    return re.sub(reference, lambda found: mask_reference(found.group()), path)


# How long the platform keeps what a visit leaves behind, as the privacy notice tells the resident
# (Art. 13). The platform's deletion of old records must keep to these: they are one promise.
SESSION_RECORD_DAYS = 30  # the record of a closed session: which kiosk, when, which card
COMPLAINT_CONTACT_DAYS = 180  # a complaint's phone number, counted from the answer
