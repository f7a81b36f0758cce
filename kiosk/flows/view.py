"""What a screen says and offers, as message ids and actions: the shared form of every face.

A flow describes each of its screens as Content. The touch screen draws it (kiosk.ui), the voice
guide speaks it (Content.spoken), the audit measures it, and a counter console can show it, so
the faces cannot say different things. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kiosk.domain.messages import Message, msg


@dataclass(frozen=True)
class Choice:
    digit: str
    label: Message
    examples: Message | None
    action: Callable[[], None]


@dataclass(frozen=True)
class Panel:
    """A block of information that is read, not pressed (a catalog item)."""

    title: Message
    lines: tuple[Message, ...]


@dataclass(frozen=True)
class Content:
    """What one screen's body says and offers, as message ids: the screen shows them and the
    voice guide speaks them, so the two cannot say different things."""

    heading: Message
    hint: Message | None = None
    choices: Sequence[Choice] = ()
    panels: Sequence[Panel] = ()
    columns: int = 3
    # Shown under the choices: "page 1 of 3, press 0 for the next".
    pager: Message | None = None
    pager_actions: Sequence[tuple[Message, Callable[[], None]]] = field(default_factory=tuple)
    # An SVG under assets/icons shown left of the choices (the attract screen's card slot).
    illustration: str = ""

    def spoken(self) -> list[Message]:
        """The screen in reading order, as the voice guide says it (requirement 1)."""
        said = [self.heading]
        if self.hint is not None:
            said.append(self.hint)
        for panel in self.panels:
            said += [panel.title, *panel.lines]
        for choice in self.choices:
            said.append(msg("prompt.press_digit", digit=choice.digit))
            said.append(choice.label)
            if choice.examples is not None:
                said.append(choice.examples)
        if self.pager is not None:
            said.append(self.pager)
        return said
