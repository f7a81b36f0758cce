"""The card's status in words: the platform decides it (Art. 2), the kiosk says it."""

from __future__ import annotations

from kiosk.domain.card import CardStatus
from kiosk.domain.messages import N_

STATUS_TEXT = {
    CardStatus.NORMAL: N_("card_status.status.normal"),
    CardStatus.TEMPORARILY_LOST: N_("card_status.status.temporarily_lost"),
    CardStatus.LOST: N_("card_status.status.lost"),
    CardStatus.CANCELLED: N_("card_status.status.cancelled"),
    CardStatus.EXPIRED: N_("card_status.status.expired"),
}
