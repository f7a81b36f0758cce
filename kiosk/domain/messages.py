"""Message ids: one id names a text on screen and the speech that says it.

Ids are symbolic ("attract.insert_card"); the zh_CN catalog is their source of truth and the en
catalog translates them (kiosk/translations/). Code marks an id with N_() so that the extractor
finds it; formatting happens only where the language is known (kiosk.i18n).
"""

from __future__ import annotations

from typing import Any


def N_(message_id: str) -> str:  # noqa: N802 - the conventional gettext marker
    """Marks a message id for extraction; returns it unchanged."""
    return message_id


class Message:
    """A message id with the values its text needs ({name}, {tries}...).

    `private` names the parameters that hold personal data: the voice guide leaves the whole
    message out on a loudspeaker when any is present (accessibility requirement 5).

    Not changed once made. A plain class, not a dataclass: every screen is made of messages,
    the first frame's too, and a dataclass's generated methods are compiled on the way to it.
    """

    __slots__ = ("id", "params", "private")

    def __init__(
        self, id: str, params: dict[str, Any] | None = None, private: frozenset[str] = frozenset()
    ) -> None:
        self.id, self.params, self.private = id, {} if params is None else params, private

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.id, self.params, self.private) == (other.id, other.params, other.private)

    # Its values are a dict: as with the frozen dataclass it was, a message is not hashable.
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Message(id={self.id!r}, params={self.params!r}, private={self.private!r})"

    @property
    def has_personal_data(self) -> bool:
        return bool(self.private & self.params.keys())


def msg(message_id: str, /, *, private: tuple[str, ...] = (), **params: Any) -> Message:
    return Message(message_id, params, frozenset(private))
