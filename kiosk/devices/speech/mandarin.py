"""Chinese text made readable for espeak-ng's `cmn-latn-pinyin` voice.

espeak-ng 1.51 reads Chinese characters with wrong rules, but reads tone-numbered pinyin right
(shared/DESIGN.md, "Voice"). So: numbers become Chinese words first (pypinyin leaves digits
alone, and "120" must sound 一百二十), then characters become pinyin with tone numbers, with the
一/不 tone changes that espeak-ng does not make itself (it does make the third-tone change).
Latin words inside Chinese text (the "English" button) are split off to be read by an English
voice, and the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Callable

DIGITS = "零一二三四五六七八九"
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[\s\-]+[A-Za-z][A-Za-z'’]*)*")
# Characters around 一 that make it part of a number (十一, 一一), where it keeps its first tone.
_NUMERAL_CHARS = set(DIGITS + "十两第")
# Measure words after which a lone 2 is said 两 (两位, 两次), as people say it.
_LIANG_BEFORE = set("个位次类项张份种条件名本台天年周岁元块页步点")
# More digits than an amount has, or a leading zero: a number to read digit by digit
# (card, phone, tracking numbers).
_LONGEST_AMOUNT = 9

_DATE = re.compile(r"(?<!\d)(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?!\d)")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?=年)")
_RANGE = re.compile(r"(?<=\d)\s*[-~～–—]\s*(?=\d)")
_NUMBER = re.compile(
    r"(?P<time>(?<!\d)(?P<h>\d{1,2}):(?P<m>\d{2})(?!\d))"
    r"|(?P<pct>\d+(?:\.\d+)?)\s*[%％]"
    r"|(?P<yuan>[¥￥])\s*(?P<amount>\d+(?:\.\d+)?)"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
)

_PUNCTUATION = {
    "，": ", ",
    "、": ", ",
    "。": ". ",
    "；": "; ",
    "：": ": ",
    "！": "! ",
    "？": "? ",
    "（": ", ",
    "）": ", ",
    "(": ", ",
    ")": ", ",
    "…": ". ",
    "—": ", ",
    "·": " ",
    "/": ", ",
    "\n": ". ",
}
# What espeak-ng may see after conversion: pinyin, tone digits and pause punctuation.
_NOT_SPOKEN = re.compile(r"[^a-z0-9,.;:!? ]+")
_PAUSES = re.compile(r"\s*([,.;:!?][\s,.;:!?]*)")


def digits_one_by_one(digits: str) -> str:
    return "".join(DIGITS[int(d)] for d in digits)


def _group_below_10000(n: int) -> str:
    """0 < n < 10000, with the 零 that stands for skipped places (一千零五)."""
    words: list[str] = []
    zero_pending = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero_pending = bool(words)
            continue
        if zero_pending:
            words.append("零")
            zero_pending = False
        words.append(DIGITS[digit] + unit)
    return "".join(words)


def integer_to_chinese(n: int) -> str:
    """0 <= n < 10**16: 120 -> 一百二十, 10 -> 十, 1005 -> 一千零五, 100000 -> 十万."""
    if n < 0:
        return "负" + integer_to_chinese(-n)
    if n == 0:
        return "零"
    if n >= 10**16:
        return digits_one_by_one(str(n))
    groups = []
    for unit in ("", "万", "亿", "万亿"):
        groups.append((n % 10000, unit))
        n //= 10000
        if not n:
            break
    words: list[str] = []
    zero_pending = False
    for value, unit in reversed(groups):
        if value == 0:
            zero_pending = bool(words)
            continue
        # An empty group, or a group short of a thousand, after a higher one is read with 零
        # (一亿零五, 一万零五十).
        if words and (zero_pending or value < 1000):
            words.append("零")
        words.append(_group_below_10000(value) + unit)
        zero_pending = False
    text = "".join(words)
    # Numbers from ten to nineteen, and 十万 and the like, are said without a leading 一.
    return text[1:] if text.startswith("一十") else text


def _number_to_chinese(number: str) -> str:
    number = number.replace(",", "")
    whole, _, fraction = number.partition(".")
    if len(whole) > _LONGEST_AMOUNT or (len(whole) > 1 and whole.startswith("0") and not fraction):
        said = digits_one_by_one(whole)
    else:
        said = integer_to_chinese(int(whole))
    return said + ("点" + digits_one_by_one(fraction) if fraction else "")


def _time_to_chinese(hours: int, minutes: int) -> str:
    if minutes == 0:
        return integer_to_chinese(hours) + "点整"
    return (
        integer_to_chinese(hours)
        + "点"
        + ("零" if minutes < 10 else "")
        + integer_to_chinese(minutes)
        + "分"
    )


def _say_number(match: re.Match[str]) -> str:
    text = match.string
    if match.group("time"):
        hours, minutes = int(match.group("h")), int(match.group("m"))
        if hours <= 24 and minutes < 60:
            return _time_to_chinese(hours, minutes)
        return _number_to_chinese(match.group("h")) + "比" + _number_to_chinese(match.group("m"))
    if match.group("pct") is not None:
        return "百分之" + _number_to_chinese(match.group("pct"))
    if match.group("amount") is not None:
        return _number_to_chinese(match.group("amount")) + "元"
    number = match.group("num")
    # Catalogs put spaces around placeholders ("还可以再试 {tries} 次"): look past them.
    following = text[match.end() :].lstrip()[:1]
    ordinal = text[: match.start()].rstrip().endswith("第")
    if number == "2" and following and following in _LIANG_BEFORE and not ordinal:
        return "两"
    return _number_to_chinese(number)


def numbers_to_chinese(text: str) -> str:
    """Digits as they are said in Mandarin: amounts as numbers, long codes digit by digit,
    dates, times, percentages and ranges in words."""
    text = text.translate(_FULL_WIDTH_DIGITS)
    text = _DATE.sub(
        lambda m: (
            f"{digits_one_by_one(m.group(1))}年"
            f"{integer_to_chinese(int(m.group(2)))}月{integer_to_chinese(int(m.group(3)))}日"
        ),
        text,
    )
    text = _YEAR.sub(lambda m: digits_one_by_one(m.group(1)), text)
    text = _RANGE.sub("至", text)
    return _NUMBER.sub(_say_number, text)


def _tone(syllable: str) -> str:
    return syllable[-1] if syllable[-1:].isdigit() else "5"


def apply_yi_bu_sandhi(chars: str, syllables: list[str]) -> list[str]:
    """一 and 不 change tone before another syllable; espeak-ng does not do it for them.

    不 before a fourth tone is said bu2 (不是). 一 is yi2 before a fourth tone and yi4 before
    the others (一位, 一天), but keeps yi1 in numbers and ordinals (十一, 第一) and at the end.
    """
    result = list(syllables)
    for i, char in enumerate(chars):
        if i + 1 >= len(chars):
            break
        next_tone = _tone(syllables[i + 1])
        if char == "不" and syllables[i] == "bu4" and next_tone == "4":
            result[i] = "bu2"
        elif char == "一" and syllables[i] == "yi1":
            before = chars[i - 1] if i else ""
            after = chars[i + 1]
            if before in _NUMERAL_CHARS or after in _NUMERAL_CHARS:
                continue
            result[i] = "yi2" if next_tone in ("4", "5") else "yi4"
    return result


def _han_to_pinyin() -> Callable[[str], list[str]]:
    # pypinyin loads its dictionaries on import (a few hundred ms): only when Chinese is spoken.
    from pypinyin import Style, lazy_pinyin

    def convert(run: str) -> list[str]:
        return lazy_pinyin(
            run,
            style=Style.TONE3,
            neutral_tone_with_five=True,
            # ü as v (lv4, nv3): the spelling espeak-ng's pinyin voice reads as ü.
            v_to_u=False,
            # A character pypinyin does not know stays itself, and is dropped below.
            errors="default",
        )

    return convert


_converter: Callable[[str], list[str]] | None = None


def to_pinyin(text: str) -> str:
    """Chinese text as tone-numbered pinyin syllables for espeak-ng: 请插入社保卡 ->
    "qing3 cha1 ru4 she4 bao3 ka3". Punctuation becomes pauses; numbers are said in words."""
    global _converter
    if _converter is None:
        _converter = _han_to_pinyin()
    text = numbers_to_chinese(text)
    pieces: list[str] = []
    position = 0
    for match in _HAN_RUN.finditer(text):
        pieces.append(_outside_han(text[position : match.start()]))
        run = match.group()
        syllables = _converter(run)
        if len(syllables) == len(run):
            syllables = apply_yi_bu_sandhi(run, syllables)
        pieces.append(" ".join(s for s in syllables if s.isascii()))
        position = match.end()
    pieces.append(_outside_han(text[position:]))
    spoken = _NOT_SPOKEN.sub(" ", " ".join(pieces).lower())
    if not re.search(r"[a-z]", spoken):
        return ""
    # A run of marks ("，“" or "。）") is one pause, the last mark's, right after its syllable.
    spoken = _PAUSES.sub(lambda m: m.group(1).replace(" ", "")[-1] + " ", spoken)
    return re.sub(r"\s+", " ", spoken).strip(" ,.;:!?") + _closing_mark(spoken)


def _closing_mark(spoken: str) -> str:
    ending = spoken.rstrip()[-1:]
    return ending if ending in ".!?" else ""


def _outside_han(text: str) -> str:
    return "".join(_PUNCTUATION.get(char, char) for char in text)


def split_by_script(text: str, language: str) -> list[tuple[str, str]]:
    """(language, text) runs: Latin words in a Chinese text, or Chinese in an English one, are
    read by the voice of their own script. Digits and punctuation stay with the text's own
    language, so 密码为 6 位 stays one Chinese run."""
    chinese = language.startswith("zh")
    foreign = _LATIN_RUN if chinese else _HAN_RUN
    other = "en" if chinese else "zh_CN"
    runs: list[tuple[str, str]] = []
    position = 0
    for match in foreign.finditer(text):
        if match.start() > position:
            runs.append((language, text[position : match.start()]))
        runs.append((other, match.group()))
        position = match.end()
    if position < len(text):
        runs.append((language, text[position:]))
    merged: list[tuple[str, str]] = []
    for run_language, run_text in runs:
        if not _has_words(run_text) and merged:
            # A lone comma or space between two foreign words is not worth another voice.
            merged[-1] = (merged[-1][0], merged[-1][1] + run_text)
        elif merged and merged[-1][0] == run_language:
            merged[-1] = (run_language, merged[-1][1] + run_text)
        else:
            merged.append((run_language, run_text))
    return [(lang, part) for lang, part in merged if _has_words(part)]


def _has_words(text: str) -> bool:
    return any(char.isalnum() for char in text)
