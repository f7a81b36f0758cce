"""What a screen says, read off its Content (no Qt): for a test to search or compare."""

from __future__ import annotations

from kiosk.flows.view import Content
from kiosk.i18n import Translations


def ids(content: Content) -> list[str]:
    """Every message id on the screen, in the order the voice guide says them."""
    return [m.id for m in content.spoken()]


def texts(content: Content) -> list[str]:
    """Every message id on the screen and each parameter's value, to search."""
    found = []
    for message in content.spoken():
        found.append(message.id)
        found.extend(str(value) for value in message.params.values())
    return found


def wording(content: Content, language: str = "zh_CN") -> list[str]:
    """The screen as the voice guide says it, in words."""
    words = Translations().get(language)
    return [words.text(message) for message in content.spoken()]
