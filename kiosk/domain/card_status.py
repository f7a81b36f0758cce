"""The card's status as the platform decides it, and which requests each status allows.

Apart from the card's records (kiosk.domain.card) so that the session, which reads the status
before its first frame, does not make those records' classes on the way to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class CardStatus(StrEnum):
    """The card's status as the platform decides it (Art. 2: loss report, lifting, cancellation)."""

    NORMAL = "normal"
    TEMPORARILY_LOST = "temporarily_lost"
    LOST = "lost"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class CardAction(StrEnum):
    """What a resident may ask about the card's life (Art. 2, para. 3: 挂失、解挂、补领、换领)."""

    TEMPORARY_LOSS = "temporary_loss"
    FORMAL_LOSS = "formal_loss"
    LOSS_LIFTING = "loss_lifting"
    REISSUE = "reissue"
    REPLACEMENT = "replacement"
    PIN_CHANGE = "pin_change"


# Which status allows which request: the one table the kiosk's menus and offers and the platform's
# checks all read, so that the kiosk never offers what the platform would refuse. Art. 2 leaves
# the rules to the national and provincial ones; what the kiosk tells the resident decides the
# rest: a formal report stops the card for good (原卡作废，需补领), so only a temporary one is
# lifted, and a temporary report becomes formal by asking for the new card (the reissue), not by
# a second report. An expired card can only be exchanged; a cancelled one allows nothing.
ALLOWED: Mapping[CardStatus, frozenset[CardAction]] = {
    CardStatus.NORMAL: frozenset(
        {
            CardAction.TEMPORARY_LOSS,
            CardAction.FORMAL_LOSS,
            CardAction.REPLACEMENT,
            CardAction.PIN_CHANGE,
        }
    ),
    CardStatus.TEMPORARILY_LOST: frozenset({CardAction.LOSS_LIFTING, CardAction.REISSUE}),
    CardStatus.LOST: frozenset({CardAction.REISSUE}),
    CardStatus.CANCELLED: frozenset(),
    CardStatus.EXPIRED: frozenset({CardAction.REPLACEMENT}),
}


def allows(status: CardStatus | str, action: CardAction) -> bool:
    """Whether a card in this status may have this request; an unknown status allows nothing."""
    try:
        return action in ALLOWED[CardStatus(status)]
    except ValueError:
        return False
