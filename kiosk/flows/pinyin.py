"""Pinyin without a screen: matching service names by pinyin or its initials, and the engine of
the on-screen keyboard's pinyin input (the widget is the UI's; this is the part that decides).

Data comes from pypinyin's bundled dictionaries: every character's readings (pinyin_dict) and
about 47,000 phrases (phrases_dict). pypinyin carries no usage frequencies, so how common a
character is, is estimated by how many of those phrases use it in that reading: 的, 地, 不 come
before rare characters that share their syllable. Candidates are limited to characters GBK can
encode, which the kiosk's font covers (DESIGN.md, Fonts).
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# ui.md: at most six choices on a screen, so candidates come six at a time (keys 1 to 6).
CANDIDATES_PER_PAGE = 6
_MAX_SYLLABLE = 6  # zhuang, shuang, chuang


def toneless(reading: str) -> str:
    """ "lǜ" -> "lv", "dì" -> "di": the letters a resident types for a reading."""
    decomposed = unicodedata.normalize("NFD", reading.lower()).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _in_gbk(char: str) -> bool:
    try:
        char.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class _Dictionary:
    """Readings -> characters and phrases, most used first."""

    chars: dict[str, list[str]] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    syllables: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def dictionary() -> _Dictionary:
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    usage: Counter[tuple[str, str]] = Counter()
    phrases: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for phrase, readings in phrases_dict.items():
        if not all(_in_gbk(c) for c in phrase) or len(readings) != len(phrase):
            continue
        key = tuple(toneless(r[0]) for r in readings)
        phrases[key].append(phrase)
        for char, syllable in zip(phrase, key, strict=True):
            usage[(char, syllable)] += 1
    chars: dict[str, list[str]] = defaultdict(list)
    for code, listed in pinyin_dict.items():
        char = chr(code)
        if not _in_gbk(char):
            continue
        seen: set[str] = set()
        for reading in listed.split(","):
            syllable = toneless(reading)
            if syllable and syllable not in seen:
                seen.add(syllable)
                chars[syllable].append(char)
    for syllable, found in chars.items():
        found.sort(key=lambda c, s=syllable: (-usage[(c, s)], c))  # type: ignore[misc]

    def weight(phrase: str, key: tuple[str, ...]) -> int:
        return sum(usage[(c, s)] for c, s in zip(phrase, key, strict=True))

    for key, found in phrases.items():
        found.sort(key=lambda p, k=key: (-weight(p, k), p))  # type: ignore[misc]
    return _Dictionary(dict(chars), dict(phrases), frozenset(chars))


def split_syllables(letters: str) -> list[str]:
    """ "ditie" -> ["di", "tie"]; "xian" -> ["xian"] (the longest syllable first); a trailing
    part that is no whole syllable yet ("dit" -> ["di", "t"]) is kept as typed."""
    syllables = dictionary().syllables
    parts: list[str] = []
    rest = letters.lower()
    while rest:
        for size in range(min(_MAX_SYLLABLE, len(rest)), 0, -1):
            if rest[:size] in syllables:
                # Prefer a split that leaves a valid start for what follows ("xian" not "xi-an"
                # only when both work is ambiguous; the longest reading is the usual one).
                parts.append(rest[:size])
                rest = rest[size:]
                break
        else:
            parts.append(rest)
            break
    return parts


# --- searching names by pinyin ------------------------------------------------------------------


def readings_of(text: str) -> list[str]:
    """Each character's most common toneless reading; other characters stand as themselves."""
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


def pinyin_matches(query: str, text: str) -> bool:
    """Whether a typed query finds the text: as characters, or by pinyin or its initials,
    starting at any character of the text."""
    query = query.strip().lower().replace(" ", "")
    if not query:
        return False
    if query in text.lower():
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
        """Phrases spelled by all the letters first, then characters of the first syllable;
        most used first, no repeats."""
        if not self.letters:
            return []
        data = dictionary()
        parts = split_syllables(self.letters)
        found: list[str] = []
        if len(parts) > 1:
            found += data.phrases.get(tuple(parts), [])
            if parts[-1] not in data.syllables:
                # The last syllable is still being typed: phrases it could begin.
                head = tuple(parts[:-1])
                for key, phrases in data.phrases.items():
                    if key[:-1] == head and key[-1].startswith(parts[-1]):
                        found += phrases
        found += data.chars.get(parts[0], [])
        if not found and len(parts) == 1:
            # An initial alone ("d"): the most used characters of every syllable it begins.
            for syllable in sorted(s for s in data.syllables if s.startswith(parts[0])):
                found += data.chars[syllable][:3]
        return list(dict.fromkeys(found))

    def shown(self) -> list[str]:
        every = self.candidates()
        start = self.page * CANDIDATES_PER_PAGE
        return every[start : start + CANDIDATES_PER_PAGE]

    def next_page(self) -> None:
        count = len(self.candidates())
        pages = max(1, -(-count // CANDIDATES_PER_PAGE))
        self.page = (self.page + 1) % pages

    def choose(self, number: int) -> str:
        """Commits the candidate under key `number` (1-6) and consumes the syllables it
        spelled; returns what was committed ("" for a key with no candidate)."""
        shown = self.shown()
        if not 1 <= number <= len(shown):
            return ""
        chosen = shown[number - 1]
        parts = split_syllables(self.letters)
        used = len(chosen)
        self.letters = "".join(parts[used:])
        self.text += chosen
        self.page = 0
        return chosen
