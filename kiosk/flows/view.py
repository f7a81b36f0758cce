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


# --- markers a face renders specially ---------------------------------------------------------


@dataclass(frozen=True)
class QrPanel(Panel):
    """A document shown as a QR code on screen (the printer failed, or there is none). The
    touch screen draws `payload` as a QR code beside the lines; the lines say what it is and
    give the reference (a code or tracking number) in words, for voice and for those who cannot
    scan."""

    payload: str = ""


@dataclass(frozen=True)
class PinEntry(Content):
    """Asks for a PIN on the PIN pad. The face shows its PIN pad (digits as dots, "digit
    entered" in speech) and hands the digits to `submit` as ASCII bytes in a bytearray, which
    the task wipes after use. A PIN is never shown, spoken, kept or logged."""

    submit: Callable[[bytearray], None] = field(default=lambda pin: None)
    min_digits: int = 6
    max_digits: int = 6


@dataclass(frozen=True)
class DigitEntry(Content):
    """Asks for a number on the keypad (a phone number). The face shows its digit keypad with
    what was typed, and hands the digits to `submit` on Enter; Backspace deletes."""

    submit: Callable[[str], None] = field(default=lambda text: None)
    max_digits: int = 11
    # Personal data (a phone number): the face echoes it masked in speech on a loudspeaker.
    private: bool = True
