"""The one table of which card status allows which request (kiosk.domain.card.ALLOWED)."""

from __future__ import annotations

import pytest

from kiosk.domain.card import ALLOWED, CardAction, CardStatus, allows


def test_every_status_has_a_row() -> None:
    assert set(ALLOWED) == set(CardStatus)


@pytest.mark.parametrize(
    ("status", "action", "allowed"),
    [
        (CardStatus.NORMAL, CardAction.TEMPORARY_LOSS, True),
        (CardStatus.NORMAL, CardAction.LOSS_LIFTING, False),
        (CardStatus.TEMPORARILY_LOST, CardAction.LOSS_LIFTING, True),
        # A formal report stops the card for good: the way on is a new card.
        (CardStatus.LOST, CardAction.LOSS_LIFTING, False),
        (CardStatus.LOST, CardAction.REISSUE, True),
        # A temporary report turns formal through the reissue, not a second report.
        (CardStatus.TEMPORARILY_LOST, CardAction.FORMAL_LOSS, False),
        (CardStatus.EXPIRED, CardAction.REPLACEMENT, True),
        (CardStatus.EXPIRED, CardAction.PIN_CHANGE, False),
        (CardStatus.CANCELLED, CardAction.REISSUE, False),
    ],
)
def test_the_rules(status: CardStatus, action: CardAction, allowed: bool) -> None:
    assert allows(status, action) is allowed
    assert allows(status.value, action) is allowed  # the platform's rows hold plain strings


def test_an_unknown_status_allows_nothing() -> None:
    assert not any(allows("stolen", action) for action in CardAction)
