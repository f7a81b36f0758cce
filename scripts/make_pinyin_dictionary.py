"""Rebuild the pinyin keyboard's dictionary, kiosk/assets/pinyin/frequency.tsv.

Why a file of our own: pypinyin knows every character's readings and many phrases, but not how
often each is used, and candidates must come most used first (an elderly resident
should find 的, 是, 我 and 地铁 on the first page). The usage counts come from jieba's
dictionary (jieba 0.42.1, MIT licence), whose word counts were taken from a segmented corpus of
Chinese text. A character's count is the sum of the counts of the words it occurs in, credited
to the reading pypinyin gives it in that word, so 地 counts for "di" in 地铁 and for "de" where
it is the particle. Characters that no counted word uses keep count 0 and come last, so every
reading pypinyin knows is still offered. Only characters the kiosk's bundled font draws are
kept (a candidate shown as an empty box would be no candidate).

The file is committed; the kiosk never runs this and never downloads anything. To rebuild:
    pip download --no-deps jieba==0.42.1 && tar xzf jieba-0.42.1.tar.gz
    python scripts/make_pinyin_dictionary.py jieba-0.42.1/jieba/dict.txt
"""

from __future__ import annotations

import sys
import unicodedata
from collections import Counter
from pathlib import Path

from fontTools.ttLib import TTFont
from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "kiosk" / "assets" / "fonts" / "NotoSansCJKsc-Regular-GBK.otf"
OUT = ROOT / "kiosk" / "assets" / "pinyin" / "frequency.tsv"
# Phrases of two to four characters used at least this often: about 70,000 of them, the words a
# resident is likely to type; rarer ones are still typed a character at a time.
MIN_PHRASE_COUNT = 20
MAX_PHRASE_LENGTH = 4


def toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading.lower()).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def drawable() -> set[str]:
    """Han characters the bundled font has a glyph for, and GBK can encode."""
    cmap = TTFont(str(FONT), lazy=True).getBestCmap()
    found = set()
    for code in cmap:
        char = chr(code)
        if unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH"):
            try:
                char.encode("gbk")
            except UnicodeEncodeError:
                continue
            found.add(char)
    return found


def main() -> int:
    source = Path(sys.argv[1])
    chars_ok = drawable()
    char_count: Counter[tuple[str, str]] = Counter()
    phrases: list[tuple[str, str, int]] = []
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        word, count = parts[0], int(parts[1])
        if not all(c in chars_ok for c in word):
            continue
        readings = [toneless(r) for r in lazy_pinyin(word, style=Style.NORMAL)]
        if len(readings) != len(word) or not all(r.isalpha() and r.isascii() for r in readings):
            continue
        for char, reading in zip(word, readings, strict=True):
            char_count[(char, reading)] += count
        if 2 <= len(word) <= MAX_PHRASE_LENGTH and count >= MIN_PHRASE_COUNT:
            phrases.append((word, " ".join(readings), count))
    rows: list[tuple[str, str, int]] = []
    for code, listed in pinyin_dict.items():
        char = chr(code)
        if char not in chars_ok:
            continue
        for syllable in dict.fromkeys(toneless(r) for r in listed.split(",")):
            if syllable.isalpha() and syllable.isascii():
                rows.append((char, syllable, char_count[(char, syllable)]))
    rows += phrases
    rows.sort(key=lambda row: (row[1], -row[2], row[0]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            "# The pinyin keyboard's dictionary: text, toneless syllables, usage count.\n"
            "# Made by scripts/make_pinyin_dictionary.py from pypinyin's readings and jieba "
            "0.42.1's word counts (MIT); do not edit by hand.\n"
        )
        for text, syllables, count in rows:
            out.write(f"{text}\t{syllables}\t{count}\n")
    print(f"{OUT}: {len(rows) - len(phrases)} readings of characters, {len(phrases)} phrases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
