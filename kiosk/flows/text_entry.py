"""Typing without a physical keyboard: the state and rules of the on-screen keyboard,
so that touch, the 12-key keypad and the voice guide all type the same way. No Qt here; the
face (kiosk.ui.keyboard) draws the keys of TextEntry and hands each press to TextEditor.

Layouts: pinyin for Chinese (letters compose, candidates from kiosk.flows.pinyin, most used
first), Latin letters for English and codes, digits. On the keypad, digits 1-6 choose a shown
candidate and 0 turns the candidates' page; with no candidates shown a digit types itself. The
arrows move over the on-screen keys and Enter presses the focused one, so every key is
reachable with the keypad alone.

What each press should say is kept in `said` (the letter, the candidates with their numbers,
what was chosen or deleted): a resident who cannot see hears the result of every press. Those
are the keyboard's own words, like a phone's key echo; the text as a whole is read back only in
a headset when the entry is private (requirement 5).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from kiosk.domain.messages import Message, msg
from kiosk.flows.pinyin import CANDIDATES_PER_PAGE, PinyinInput, warm_up
from kiosk.flows.view import LAYOUT_NAMES, TextEntry

if TYPE_CHECKING:
    from kiosk.flows.ports import TaskRunner

PINYIN, LATIN, DIGITS = "pinyin", "latin", "digits"
LAYOUTS = (PINYIN, LATIN, DIGITS)
LETTERS = "abcdefghijklmnopqrstuvwxyz"
NUMERALS = "1234567890"
# Punctuation offered as keys: what a complaint needs to be read, nothing more.
PUNCTUATION = {PINYIN: "，。？", LATIN: ",.?", DIGITS: ""}


class TextEditor:
    """One text being typed. Every operation records what it should say and calls `changed`,
    so the face redraws from TextEntry (`revision` tells the task's screen key it changed)."""

    def __init__(
        self,
        *,
        changed: Callable[[], None],
        submit: Callable[[str], None],
        layouts: Sequence[str] = (PINYIN, LATIN),
        max_length: int = 100,
        min_length: int = 1,
        alphabet: str | None = None,
        upper: bool = False,
        private: bool = True,
        text: str = "",
    ) -> None:
        if not layouts or any(layout not in LAYOUTS for layout in layouts):
            raise ValueError(f"layouts must be some of {LAYOUTS}")
        self._changed = changed
        self._submit = submit
        self.layouts = tuple(layouts)
        self.layout = self.layouts[0]
        self.max_length = max_length
        self.min_length = min_length
        # Codes (a tracking number) allow only their own characters; None allows any.
        self.alphabet = alphabet
        self.upper = upper
        self.private = private
        self._pinyin = PinyinInput()
        self._pinyin.text = text[:max_length]
        self.said: tuple[Message, ...] = ()
        self.revision = 0

    # --- state ------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self._pinyin.text

    @property
    def composing(self) -> str:
        return self._pinyin.letters

    @property
    def candidates(self) -> tuple[str, ...]:
        return tuple(self._pinyin.shown()) if self.composing else ()

    @property
    def candidate_page(self) -> int:
        return self._pinyin.page

    @property
    def candidate_pages(self) -> int:
        return self._pinyin.pages if self.composing else 0

    def character_keys(self) -> tuple[str, ...]:
        """The character keys of the current layout, in the order they are drawn."""
        if self.layout == DIGITS:
            chars = NUMERALS
        elif self.layout == PINYIN:
            chars = LETTERS
        else:
            chars = LETTERS + NUMERALS
        if self.upper:
            chars = chars.upper()
        chars += PUNCTUATION[self.layout]
        if self.alphabet is not None:
            chars = "".join(c for c in chars if c in self.alphabet)
        return tuple(chars)

    def view(self, heading: Message, hint: Message | None = None, **extra: object) -> TextEntry:
        return TextEntry(
            heading,
            hint,
            editor=self,
            text=self.text,
            composing=self.composing,
            candidates=self.candidates,
            candidate_page=self.candidate_page,
            candidate_pages=self.candidate_pages,
            layout=self.layout,
            layouts=self.layouts,
            alphabet=self.alphabet,
            max_length=self.max_length,
            private=self.private,
            said=self.said,
            **extra,  # type: ignore[arg-type]
        )

    # --- presses ----------------------------------------------------------------------------

    def press(self, key: str) -> None:
        """A character key of the layout: a letter composes pinyin or is typed, anything else
        is typed as it is."""
        if len(key) != 1:
            return
        if self.layout == PINYIN and key.isascii() and key.isalpha():
            if len(self.text) >= self.max_length:
                self._done(msg("text_entry.said.full", count=self.max_length))
                return
            self._pinyin.type(key)
            self._done(msg("text_entry.said.key", key=key.lower()), *self._candidates_said())
            return
        if self.composing and key in PUNCTUATION[PINYIN]:
            self._choose(1)  # punctuation ends the syllables typed, as on any pinyin keyboard
        self._type(key.upper() if self.upper else key)

    def press_digit(self, digit: str) -> None:
        """A digit on the keypad or the screen: chooses a candidate while there are some,
        0 turns their page; otherwise the digit is typed."""
        if self.composing and digit.isdigit():
            if digit == "0":
                self.next_page()
            elif int(digit) <= CANDIDATES_PER_PAGE:
                self.choose(int(digit))
            else:
                self._done(msg("text_entry.said.no_candidate", digit=digit))
            return
        self._type(digit)

    def choose(self, number: int) -> None:
        self._choose(number)
        self._changed_now()

    def next_page(self) -> None:
        self._turn(+1)

    def previous_page(self) -> None:
        self._turn(-1)

    def backspace(self) -> None:
        if self.composing:
            self._pinyin.backspace()
            said = [msg("text_entry.said.deleted_letter")]
            said += self._candidates_said() if self.composing else [self._count_said()]
            self._done(*said)
        elif self.text:
            self._pinyin.backspace()
            self._done(msg("text_entry.said.deleted"), self._count_said())
        else:
            self._done(msg("text_entry.said.nothing"))

    def space(self) -> None:
        if self.composing:
            self.choose(1)  # the space bar takes the first candidate, as on any pinyin keyboard
            return
        self._type(" ")

    def switch_layout(self) -> None:
        """The next layout; letters still composing are kept as typed."""
        if len(self.layouts) < 2:
            return
        letters = self.composing
        self._pinyin.letters, self._pinyin.page = "", 0
        if letters:
            room = self.max_length - len(self.text)
            self._pinyin.text += letters[:room]
        index = self.layouts.index(self.layout)
        self.layout = self.layouts[(index + 1) % len(self.layouts)]
        self._done(msg(LAYOUT_NAMES[self.layout]))

    def accept(self) -> None:
        """完成: letters still composing take their first candidate first, so nothing typed is
        lost; the text goes to the task when it is long enough."""
        if self.composing:
            self.choose(1)
            return
        text = self.text.strip()
        if len(text) < self.min_length:
            self._done(msg("text_entry.said.too_short", count=self.min_length))
            return
        self.said = ()
        self._submit(text)

    def clear(self) -> None:
        self._pinyin.letters, self._pinyin.text, self._pinyin.page = "", "", 0
        self._done(msg("text_entry.said.cleared"))

    # --- inside -----------------------------------------------------------------------------

    def _type(self, char: str) -> None:
        if self.alphabet is not None and char not in self.alphabet:
            self._done(msg("text_entry.said.not_allowed", key=char))
            return
        if len(self.text) >= self.max_length:
            self._done(msg("text_entry.said.full", count=self.max_length))
            return
        self._pinyin.text += char
        key = msg("text_entry.said.space") if char == " " else msg("text_entry.said.key", key=char)
        self._done(key, self._count_said())

    def _choose(self, number: int) -> None:
        room = self.max_length - len(self.text)
        shown = self._pinyin.shown()
        if 1 <= number <= len(shown) and len(shown[number - 1]) > room:
            self._set_said(msg("text_entry.said.full", count=self.max_length))
            return
        chosen = self._pinyin.choose(number)
        if not chosen:
            self._set_said(msg("text_entry.said.no_candidate", digit=str(number)))
            return
        said = [msg("text_entry.said.chosen", text=chosen)]
        said += self._candidates_said() if self.composing else [self._count_said()]
        self._set_said(*said)

    def _turn(self, step: int) -> None:
        if self.candidate_pages <= 1:
            self._done(msg("text_entry.said.one_page"))
            return
        if step > 0:
            self._pinyin.next_page()
        else:
            self._pinyin.previous_page()
        self._done(
            msg("text_entry.page", page=self.candidate_page + 1, pages=self.candidate_pages),
            *self._candidates_said(),
        )

    def _candidates_said(self) -> list[Message]:
        shown = self.candidates
        if not shown:
            return [msg("text_entry.said.no_candidates")]
        return [
            msg("text_entry.candidate", digit=number, text=candidate)
            for number, candidate in enumerate(shown, start=1)
        ]

    def _count_said(self) -> Message:
        return msg("text_entry.count", count=len(self.text))

    def _set_said(self, *said: Message) -> None:
        self.said = said
        self.revision += 1

    def _done(self, *said: Message) -> None:
        self._set_said(*said)
        self._changed_now()

    def _changed_now(self) -> None:
        self._changed()


def warm_up_pinyin(runner: TaskRunner) -> None:
    """Loads the pinyin dictionary off the flow's thread while the keyboard first shows, so the
    first letter does not wait for it."""
    runner.run(warm_up, _ignore, _ignore)


def _ignore(_result: object) -> None:
    """The dictionary's warm-up answers nothing; a failure shows at the first letter instead."""
