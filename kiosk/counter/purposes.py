"""What a member of staff may look a resident up for, and the words for each field it shows.

The platform decides what each purpose shows (kiosk.server.routes.staff.PURPOSE_FIELDS) and says
so with each consent request; these are only the words. Order: the order the console offers.
"""

from __future__ import annotations

from kiosk.domain.messages import N_
from kiosk.domain.staff import LOOKUP_PURPOSES

PURPOSES: tuple[str, ...] = LOOKUP_PURPOSES
PURPOSE_NAMES: dict[str, str] = {
    "card_service": N_("counter.purpose.card_service"),
    "card_reissue": N_("counter.purpose.card_reissue"),
    "contribution_inquiry": N_("counter.purpose.contribution_inquiry"),
    "medical_inquiry": N_("counter.purpose.medical_inquiry"),
    "certificate_service": N_("counter.purpose.certificate_service"),
    "complaint_handling": N_("counter.purpose.complaint_handling"),
}
# What the staff member will see, said on the purpose's button before anyone is asked.
PURPOSE_SHOWS: dict[str, str] = {
    "card_service": N_("counter.purpose.card_service.shows"),
    "card_reissue": N_("counter.purpose.card_reissue.shows"),
    "contribution_inquiry": N_("counter.purpose.contribution_inquiry.shows"),
    "medical_inquiry": N_("counter.purpose.medical_inquiry.shows"),
    "certificate_service": N_("counter.purpose.certificate_service.shows"),
    "complaint_handling": N_("counter.purpose.complaint_handling.shows"),
}
FIELD_NAMES: dict[str, str] = {
    "name": N_("counter.field.name"),
    "id_number": N_("counter.field.id_number"),
    "id_number_masked": N_("counter.field.id_number_masked"),
    "card": N_("counter.field.card"),
    "contributions": N_("counter.field.contributions"),
    "medical_balance": N_("counter.field.medical_balance"),
    "certificates": N_("counter.field.certificates"),
    "complaints": N_("counter.field.complaints"),
}
UNKNOWN_FIELD = N_("counter.field.other")


def field_name(field: str) -> str:
    """A field the platform names but this kiosk does not know is still said, never hidden."""
    return FIELD_NAMES.get(field, UNKNOWN_FIELD)
