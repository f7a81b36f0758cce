"""Message ids: one id names a text on screen and the speech that says it.

Ids are symbolic ("attract.insert_card"); the zh_CN catalog is their source of truth and the en
catalog translates them (kiosk/translations/). Code marks an id with N_() so that the extractor
finds it; formatting happens only where the language is known (kiosk.i18n).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def N_(message_id: str) -> str:  # noqa: N802 - the conventional gettext marker
    """Marks a message id for extraction; returns it unchanged."""
    return message_id


@dataclass(frozen=True)
class Message:
    """A message id with the values its text needs ({name}, {tries}...).

    `private` names the parameters that hold personal data: the voice guide leaves the whole
    message out on a loudspeaker when any is present (accessibility requirement 5).
    """

    id: str
    params: dict[str, Any] = field(default_factory=dict)
    private: frozenset[str] = frozenset()

    @property
    def has_personal_data(self) -> bool:
        return bool(self.private & self.params.keys())


def msg(message_id: str, /, *, private: tuple[str, ...] = (), **params: Any) -> Message:
    return Message(message_id, params, frozenset(private))
