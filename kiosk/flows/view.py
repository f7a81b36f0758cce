"""What a screen says and offers, as message ids and actions: the shared form of every face.

A flow describes each of its screens as Content. The touch screen draws it (kiosk.ui), the voice
guide speaks it (Content.spoken), the audit measures it, and a counter console can show it, so
the faces cannot say different things. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.domain.messages import N_, Message, msg

if TYPE_CHECKING:
    from kiosk.flows.text_entry import TextEditor


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

    def choose(self, digit: str) -> None:
        """Takes the choice shown with this digit, as its key on the keypad does."""
        for choice in self.choices:
            if choice.digit == digit:
                choice.action()
                return
        raise LookupError(f"no choice {digit} on {self.heading.id}")


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


# The on-screen keyboard's layouts, as said and shown on the key that switches them.
LAYOUT_NAMES = {
    "pinyin": N_("text_entry.layout.pinyin"),
    "latin": N_("text_entry.layout.latin"),
    "digits": N_("text_entry.layout.digits"),
}


@dataclass(frozen=True)
class TextEntry(Content):
    """Asks for text on the on-screen keyboard: pinyin for Chinese, Latin letters, digits
    (kiosk.flows.text_entry holds the state and does the typing; the face draws the keys and
    hands each press to `editor`). `said` is what the last press should say (the letter, the
    candidates with their numbers), for the voice guide to say instead of the whole screen.
    A private entry's text is read back only in a headset (requirement 5)."""

    editor: TextEditor | None = None
    text: str = ""
    composing: str = ""
    candidates: tuple[str, ...] = ()
    candidate_page: int = 0
    candidate_pages: int = 0
    layout: str = "pinyin"
    layouts: tuple[str, ...] = ("pinyin", "latin")
    # Keys the layout offers beyond the letters and digits (None: all of them).
    alphabet: str | None = None
    max_length: int = 100
    private: bool = True
    said: tuple[Message, ...] = ()

    def spoken(self) -> list[Message]:
        said = [self.heading]
        if self.hint is not None:
            said.append(self.hint)
        said.append(msg(LAYOUT_NAMES.get(self.layout, "text_entry.layout.pinyin")))
        said.append(msg("text_entry.keypad"))
        if self.text:
            said.append(msg("text_entry.count", count=len(self.text)))
            private = ("text",) if self.private else ()
            said.append(msg("text_entry.text", text=self.text, private=private))
        else:
            said.append(msg("text_entry.empty"))
        if self.composing:
            said.append(msg("text_entry.composing", letters=" ".join(self.composing)))
        for number, candidate in enumerate(self.candidates, start=1):
            said.append(msg("text_entry.candidate", digit=number, text=candidate))
        if self.candidate_pages > 1:
            said.append(
                msg("text_entry.page", page=self.candidate_page + 1, pages=self.candidate_pages)
            )
        return said
