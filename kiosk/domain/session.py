"""A resident's session with the platform, opened by card + PIN or by e-code (Art. 2)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.card import CardStatus


@dataclass(frozen=True)
class ResidentSession:
    """What the platform returns when a session opens. Personal data: never logged."""

    token: str
    name: str
    card_status: CardStatus
    financial_account_active: bool  # Art. 19
    expires_in_s: int

    def __repr__(self) -> str:
        return f"ResidentSession(status={self.card_status.value})"
