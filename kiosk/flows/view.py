"""What a screen says and offers, as message ids and actions: the shared form of every face.

A flow describes each of its screens as Content. The touch screen draws it (kiosk.ui), the voice
guide speaks it (Content.spoken), the audit measures it, and a counter console can show it, so
the faces cannot say different things. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, Self, TypedDict, TypeVar, Unpack

from kiosk.domain.messages import N_, Message, msg

if TYPE_CHECKING:
    from kiosk.accessibility.profile import Profile
    from kiosk.accessibility.theme import Theme
    from kiosk.flows.text_entry import TextEditor

T = TypeVar("T")

# The views are plain classes with slots, not dataclasses: the attract screen is one, so they
# are made on the way to every first frame, where a dataclass's generated methods cost some
# 0.5 ms each to compile. A view is never changed once made (a face may keep it); replace()
# makes a changed copy.


class Choice:
    __slots__ = ("action", "digit", "examples", "label")

    def __init__(
        self, digit: str, label: Message, examples: Message | None, action: Callable[[], None]
    ) -> None:
        self.digit, self.label, self.examples, self.action = digit, label, examples, action

    def __repr__(self) -> str:
        return f"Choice({self.digit!r}, {self.label!r})"


# A choice before it is numbered: its label, its examples or None, its action.
ChoiceEntry = tuple[Message, Message | None, Callable[[], None]]


def numbered_choices(entries: Sequence[ChoiceEntry]) -> list[Choice]:
    """Choices numbered from 1 in the order given (on every page), as the keypad reads them."""
    return [
        Choice(str(number), label, examples, action)
        for number, (label, examples, action) in enumerate(entries, start=1)
    ]


class Panel:
    """A block of information that is read, not pressed (a catalog item)."""

    __slots__ = ("lines", "title")

    def __init__(self, title: Message, lines: tuple[Message, ...]) -> None:
        self.title, self.lines = title, lines

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.title!r}, {self.lines!r})"


class ContentFields(TypedDict, total=False):
    """What every screen may have besides its heading and hint (Content's own arguments), for
    the screens that ask for an entry."""

    choices: Sequence[Choice]
    panels: Sequence[Panel]
    columns: int
    pager: Message | None
    pager_actions: Sequence[tuple[Message, Callable[[], None]]]
    illustration: str


class Content:
    """What one screen's body says and offers, as message ids: the screen shows them and the
    voice guide speaks them, so the two cannot say different things."""

    __slots__ = (
        "choices",
        "columns",
        "heading",
        "hint",
        "illustration",
        "pager",
        "pager_actions",
        "panels",
    )

    def __init__(
        self,
        heading: Message,
        hint: Message | None = None,
        choices: Sequence[Choice] = (),
        panels: Sequence[Panel] = (),
        columns: int = 3,
        # Shown under the choices: "page 1 of 3, press 0 for the next".
        pager: Message | None = None,
        pager_actions: Sequence[tuple[Message, Callable[[], None]]] = (),
        # An SVG under assets/icons shown left of the choices (the attract screen's card slot).
        illustration: str = "",
    ) -> None:
        self.heading, self.hint, self.choices, self.panels = heading, hint, choices, panels
        self.columns, self.illustration = columns, illustration
        self.pager, self.pager_actions = pager, pager_actions

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.heading!r}, choices={list(self.choices)!r})"

    def replace(self, **changes: object) -> Self:
        """This view with the fields named changed (the same kind of view)."""
        # Field by field, over the slots of its kind and Content's: importing the copy module
        # would cost the first frame some 0.5 ms.
        changed = object.__new__(type(self))
        for kind in type(self).__mro__[:-1]:
            for name in kind.__dict__.get("__slots__", ()):
                value = changes.pop(name) if name in changes else getattr(self, name)
                setattr(changed, name, value)
        if changes:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(changes)}")
        return changed

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

    def choice(self, digit: str) -> Choice | None:
        """The choice a keypad digit picks on this screen, if any."""
        return next((c for c in self.choices if c.digit == digit), None)

    def choose(self, digit: str) -> bool:
        """Does what the digit picks; False when it picks nothing here."""
        choice = self.choice(digit)
        if choice is None:
            return False
        choice.action()
        return True

    def digit_of(self, label_id: str) -> str | None:
        """The digit of the choice with this label, for one who knows what it says."""
        return next((c.digit for c in self.choices if c.label.id == label_id), None)

    def next_page(self) -> bool:
        """Keypad 0 on a list longer than a screen: the pager's last action turns the page on.
        False when there is no page to turn."""
        if not self.pager_actions:
            return False
        self.pager_actions[-1][1]()
        return True


class Pager:
    """One page of a long list at a time; keypad 0 (the face) and the pager buttons turn it."""

    def __init__(self, on_turn: Callable[[], None]) -> None:
        self.page = 0
        self._on_turn = on_turn
        self._pages = 1

    def reset(self) -> None:
        self.page = 0

    def slice(self, items: Sequence[T], per_page: int) -> Sequence[T]:
        self._pages = max(1, -(-len(items) // per_page))
        self.page %= self._pages
        return items[self.page * per_page : (self.page + 1) * per_page]

    def turn(self, delta: int) -> None:
        self.page = (self.page + delta) % self._pages
        self._on_turn()

    def apply(self, content: Content) -> Content:
        """The content with "page 1 of 3" and the page buttons, when there is more than one."""
        if self._pages <= 1:
            return content
        return content.replace(
            pager=msg("pager.position", page=self.page + 1, pages=self._pages),
            pager_actions=(
                (msg("pager.previous"), lambda: self.turn(-1)),
                (msg("pager.next"), lambda: self.turn(1)),
            ),
        )


class Face(Protocol):
    """What a face tells a session's views: the resident's profile and the theme it makes
    (how many choices fit, how large the print), its words, and the face's own switches that
    the first screen offers (the touch screen is one; a face without speech says so)."""

    @property
    def profile(self) -> Profile: ...

    @property
    def theme(self) -> Theme: ...

    @property
    def long_debounce_s(self) -> float: ...

    @property
    def voice_mode(self) -> bool | None:
        """Whether the face speaks every screen; None for a face that cannot speak."""

    def t(self, message: Message | str) -> str: ...

    def toggle_elderly(self) -> None: ...

    def toggle_language(self) -> None: ...

    def toggle_voice(self) -> None: ...

    def toggle_long_debounce(self) -> None: ...


# --- markers a face renders specially ---------------------------------------------------------


class QrPanel(Panel):
    """A document shown as a QR code on screen (the printer failed, or there is none). The
    touch screen draws `payload` as a QR code beside the lines; the lines say what it is and
    give the reference (a code or tracking number) in words, for voice and for those who cannot
    scan."""

    __slots__ = ("payload",)

    def __init__(self, title: Message, lines: tuple[Message, ...], payload: str = "") -> None:
        super().__init__(title, lines)
        self.payload = payload


class PinEntry(Content):
    """Asks for a PIN on the PIN pad. The face shows its PIN pad (digits as dots, "digit
    entered" in speech) and hands the digits to `submit` as ASCII bytes in a bytearray, which
    the task wipes after use. A PIN is never shown, spoken, kept or logged."""

    __slots__ = ("error", "max_digits", "min_digits", "submit")

    def __init__(
        self,
        heading: Message,
        hint: Message | None = None,
        *,
        submit: Callable[[bytearray], None] = lambda pin: None,
        min_digits: int = 6,
        max_digits: int = 6,
        # Why the last PIN was refused (the card's PIN, tries left): shown apart from the hint.
        error: Message | None = None,
        **content: Unpack[ContentFields],
    ) -> None:
        super().__init__(heading, hint, **content)
        self.submit, self.error = submit, error
        self.min_digits, self.max_digits = min_digits, max_digits


class DigitEntry(Content):
    """Asks for a number on the keypad (a phone number). The face shows its digit keypad with
    what was typed, and hands the digits to `submit` on Enter; Backspace deletes."""

    __slots__ = ("max_digits", "private", "submit")

    def __init__(
        self,
        heading: Message,
        hint: Message | None = None,
        *,
        max_digits: int = 11,
        # Personal data (a phone number): the face echoes it masked in speech on a loudspeaker.
        private: bool = True,
        submit: Callable[[str], None] = lambda text: None,
        **content: Unpack[ContentFields],
    ) -> None:
        super().__init__(heading, hint, **content)
        self.submit, self.max_digits, self.private = submit, max_digits, private


# The on-screen keyboard's layouts, as said and shown on the key that switches them.
LAYOUT_NAMES = {
    "pinyin": N_("text_entry.layout.pinyin"),
    "latin": N_("text_entry.layout.latin"),
    "digits": N_("text_entry.layout.digits"),
}


class TextEntry(Content):
    """Asks for text on the on-screen keyboard: pinyin for Chinese, Latin letters, digits
    (kiosk.flows.text_entry holds the state and does the typing; the face draws the keys and
    hands each press to `editor`). `said` is what the last press should say (the letter, the
    candidates with their numbers), for the voice guide to say instead of the whole screen.
    A private entry's text is read back only in a headset (requirement 5)."""

    __slots__ = (
        "alphabet",
        "candidate_page",
        "candidate_pages",
        "candidates",
        "composing",
        "editor",
        "layout",
        "layouts",
        "max_length",
        "private",
        "said",
        "text",
    )

    def __init__(
        self,
        heading: Message,
        hint: Message | None = None,
        *,
        editor: TextEditor | None = None,
        text: str = "",
        composing: str = "",
        candidates: tuple[str, ...] = (),
        candidate_page: int = 0,
        candidate_pages: int = 0,
        layout: str = "pinyin",
        layouts: tuple[str, ...] = ("pinyin", "latin"),
        # Keys the layout offers beyond the letters and digits (None: all of them).
        alphabet: str | None = None,
        max_length: int = 100,
        private: bool = True,
        said: tuple[Message, ...] = (),
        **content: Unpack[ContentFields],
    ) -> None:
        super().__init__(heading, hint, **content)
        self.editor, self.text, self.composing, self.said = editor, text, composing, said
        self.candidates = candidates
        self.candidate_page, self.candidate_pages = candidate_page, candidate_pages
        self.layout, self.layouts, self.alphabet = layout, layouts, alphabet
        self.max_length, self.private = max_length, private

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
