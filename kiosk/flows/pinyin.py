"""Pinyin without a screen: matching service names by pinyin or its initials, and the engine of
the on-screen keyboard's pinyin input (the widget is the UI's; this is the part that decides).

Candidates come most used first from a bundled dictionary, assets/pinyin/frequency.tsv: every
reading of every character the kiosk's font draws, and about 70,000 common phrases, each with a
usage count (scripts/make_pinyin_dictionary.py says where the counts come from and rebuilds
it). Nothing is fetched at run time. Matching service names by pinyin uses pypinyin, which
reads a name's characters in context.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DICTIONARY_FILE = Path(__file__).resolve().parent.parent / "assets" / "pinyin" / "frequency.tsv"
# ui.md: at most six choices on a screen, so candidates come six at a time (keys 1 to 6).
CANDIDATES_PER_PAGE = 6
_MAX_SYLLABLE = 6  # zhuang, shuang, chuang
# Phrases offered for one length of a typed sequence: more would bury the characters after them.
_PHRASES_PER_LENGTH = 36


def toneless(reading: str) -> str:
    """ "lǜ" -> "lv", "dì" -> "di": the letters a resident types for a reading."""
    decomposed = unicodedata.normalize("NFD", reading.lower()).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class _Dictionary:
    """Readings -> characters and phrases, most used first."""

    chars: dict[str, list[str]] = field(default_factory=dict)
    # (number of syllables, first syllable) -> [(phrase, syllables, count)], most used first.
    phrases: dict[tuple[int, str], list[tuple[str, tuple[str, ...], int]]] = field(
        default_factory=dict
    )
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    syllables: frozenset[str] = frozenset()
    # Every start of a syllable ("zh", "xia"): what a resident may have typed so far.
    starts: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def dictionary() -> _Dictionary:
    chars: dict[str, list[str]] = defaultdict(list)
    phrases: dict[tuple[int, str], list[tuple[str, tuple[str, ...], int]]] = defaultdict(list)
    counts: dict[tuple[str, str], int] = {}
    with DICTIONARY_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            text, spelled, number = line.rstrip("\n").split("\t")
            count = int(number)
            if len(text) == 1:
                chars[spelled].append(text)
                counts[(text, spelled)] = count
            else:
                key = tuple(spelled.split(" "))
                phrases[(len(key), key[0])].append((text, key, count))
    # The file is sorted by reading, then most used first; keep that order within each list.
    for found in phrases.values():
        found.sort(key=lambda entry: -entry[2])
    syllables = frozenset(chars)
    starts = frozenset(s[:size] for s in syllables for size in range(1, len(s) + 1))
    return _Dictionary(dict(chars), dict(phrases), counts, syllables, starts)


def warm_up() -> None:
    """Loads the dictionary (about 0.4 s) off the UI thread, before the first letter needs it."""
    dictionary()


def split_syllables(letters: str) -> list[str]:
    """ "ditie" -> ["di", "tie"]; "xian" -> ["xian"] (the longest syllable first); a part that
    is no whole syllable is the start of one, kept as typed: "dt" -> ["d", "t"] (initials),
    "dit" -> ["di", "t"] (the last syllable still being typed)."""
    data = dictionary()
    parts: list[str] = []
    rest = letters.lower()
    while rest:
        longest = min(_MAX_SYLLABLE, len(rest))
        size = next((n for n in range(longest, 0, -1) if rest[:n] in data.syllables), 0)
        if not size:
            size = next((n for n in range(longest, 0, -1) if rest[:n] in data.starts), 0)
        if not size:
            parts.append(rest)  # begins no syllable ("v" alone): nothing will match it
            break
        parts.append(rest[:size])
        rest = rest[size:]
    return parts


def _fits(part: str, syllable: str, last: bool) -> bool:
    """A typed part stands for a syllable when it is the syllable, or when it is an initial or
    the last part still being typed and the syllable begins with it."""
    if part == syllable:
        return True
    return (last or part not in dictionary().syllables) and syllable.startswith(part)


def _first_syllables(part: str, last: bool) -> list[str]:
    data = dictionary()
    if part in data.syllables and not last:
        return [part]
    return sorted(s for s in data.syllables if s.startswith(part))


@lru_cache(maxsize=64)
def candidates_for(letters: str) -> tuple[str, ...]:
    """What typed letters offer, most used first: phrases spelled by all of them, then by fewer
    leading syllables (longest first), then characters of the first syllable. Initials stand
    for whole syllables, so "dt" offers 地铁 as "ditie" does."""
    if not letters:
        return ()
    data = dictionary()
    parts = split_syllables(letters)
    found: list[str] = []
    for length in range(len(parts), 1, -1):
        wanted = parts[:length]
        last = length == len(parts)
        exact: list[tuple[int, str]] = []
        loose: list[tuple[int, str]] = []
        for first in _first_syllables(wanted[0], len(parts) == 1):
            for text, key, count in data.phrases.get((length, first), ()):
                fits = all(
                    _fits(part, syllable, last and index == length - 1)
                    for index, (part, syllable) in enumerate(zip(wanted, key, strict=True))
                )
                if fits:
                    (exact if list(key) == wanted else loose).append((count, text))
        exact.sort(key=lambda entry: -entry[0])
        loose.sort(key=lambda entry: -entry[0])
        chosen = [text for _, text in exact] + [text for _, text in loose]
        found += chosen[:_PHRASES_PER_LENGTH]
    head = parts[0]
    singles = data.chars.get(head, [])
    found += singles
    if head not in data.syllables or len(parts) == 1:
        # An initial or a syllable still being typed: the characters of every syllable it may
        # begin, most used first, after those of the syllable typed exactly.
        others = [
            (data.counts[(char, syllable)], char)
            for syllable in _first_syllables(head, True)
            if syllable != head
            for char in data.chars[syllable]
        ]
        others.sort(key=lambda entry: -entry[0])
        found += [char for _, char in others]
    return tuple(dict.fromkeys(found))


# --- searching names by pinyin ------------------------------------------------------------------


def readings_of(text: str) -> list[str]:
    """Each character's most common toneless reading; other characters stand as themselves."""
    # Imported here: pypinyin loads its dictionaries on import (0.3 s), and the kiosk's first
    # frame imports this module (the keyboard's page size) long before anyone searches.
    from pypinyin import Style, lazy_pinyin

    return [toneless(r) for r in lazy_pinyin(text, style=Style.NORMAL, errors="default")]


def _consumes(query: str, syllables: Sequence[str]) -> bool:
    """True when the query is, in order, a non-empty prefix of each of some leading syllables:
    "dt", "ditie", "dit" and "ditie" all match 地铁."""
    if not query:
        return True
    if not syllables:
        return False
    head = syllables[0]
    for size in range(min(len(head), len(query)), 0, -1):
        if head[:size] == query[:size] and _consumes(query[size:], syllables[1:]):
            return True
    return False


def _stem(word: str) -> str:
    """ "libraries" -> "library", "buses" -> "bus": enough for an English name and a query to
    meet whichever of the two is plural."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _words_match(query: str, text: str) -> bool:
    """Every word of the query begins a word of the text, plural or not ("library" finds
    "Public libraries")."""
    wanted = [_stem(w) for w in query.lower().split()]
    words = [_stem(w) for w in "".join(c if c.isalnum() else " " for c in text.lower()).split()]
    return bool(wanted) and all(any(w.startswith(q) for w in words) for q in wanted)


def pinyin_matches(query: str, text: str) -> bool:
    """Whether a typed query finds the text: as characters, as English words, or by pinyin or
    its initials, starting at any character of the text."""
    spaced = query
    query = query.strip().lower().replace(" ", "")
    if not query:
        return False
    if query in text.lower():
        return True
    if spaced.isascii() and text.isascii() and _words_match(spaced, text):
        return True
    if not query.isascii() or not query.isalpha():
        return False
    syllables = readings_of(text)
    return any(_consumes(query, syllables[start:]) for start in range(len(syllables)))


# --- the pinyin input engine ----------------------------------------------------------------


class PinyinInput:
    """What the on-screen keyboard's pinyin mode holds: the letters typed, the candidates they
    give, the page of candidates shown, and the text committed so far."""

    def __init__(self) -> None:
        self.letters = ""
        self.text = ""
        self.page = 0

    def type(self, letter: str) -> None:
        if len(letter) == 1 and letter.isascii() and letter.isalpha():
            self.letters += letter.lower()
            self.page = 0

    def backspace(self) -> None:
        if self.letters:
            self.letters = self.letters[:-1]
        else:
            self.text = self.text[:-1]
        self.page = 0

    def candidates(self) -> list[str]:
        return list(candidates_for(self.letters))

    @property
    def pages(self) -> int:
        return max(1, -(-len(candidates_for(self.letters)) // CANDIDATES_PER_PAGE))

    def shown(self) -> list[str]:
        every = candidates_for(self.letters)
        start = self.page * CANDIDATES_PER_PAGE
        return list(every[start : start + CANDIDATES_PER_PAGE])

    def next_page(self) -> None:
        self.page = (self.page + 1) % self.pages

    def previous_page(self) -> None:
        self.page = (self.page - 1) % self.pages

    def choose(self, number: int) -> str:
        """Commits the candidate under key `number` (1-6) and consumes the syllables it
        spelled; returns what was committed ("" for a key with no candidate)."""
        shown = self.shown()
        if not 1 <= number <= len(shown):
            return ""
        chosen = shown[number - 1]
        parts = split_syllables(self.letters)
        self.letters = "".join(parts[len(chosen) :])
        self.text += chosen
        self.page = 0
        return chosen
