"""Typing on the on-screen keyboard without Qt: pinyin sequences give their candidates most used
first from the bundled dictionary, initials find phrases, the Latin and digit layouts, codes
limited to their alphabet, keypad-only entry, and what each press says."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.flows.pinyin import (
    DICTIONARY_FILE,
    PinyinInput,
    candidates_for,
    dictionary,
    pinyin_matches,
    split_syllables,
)
from kiosk.flows.text_entry import DIGITS, LATIN, PINYIN, TextEditor
from kiosk.flows.view import TextEntry


class Typist:
    """A TextEditor with what it submitted and how often it asked for a redraw."""

    def __init__(self, **options: object) -> None:
        self.submitted: list[str] = []
        self.redraws = 0

        def changed() -> None:
            self.redraws += 1

        self.editor = TextEditor(changed=changed, submit=self.submitted.append, **options)  # type: ignore[arg-type]

    def type(self, keys: str) -> None:
        for key in keys:
            self.editor.press(key)

    def said(self) -> list[str]:
        return [m.id for m in self.editor.said]


def counts(syllable: str) -> list[int]:
    """The usage count of each character offered first for a syllable typed whole."""
    data = dictionary()
    offered = candidates_for(syllable)[:20]
    assert list(offered) == data.chars[syllable][:20]
    return [data.counts[(c, syllable)] for c in offered]


# --- the dictionary and the pinyin engine --------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("de", ["的", "得", "德"]),
        ("shi", ["是", "时", "市", "事"]),
        ("wo", ["我"]),
        ("women", ["我们"]),
        ("ditie", ["地铁"]),
        ("zhengzhou", ["郑州"]),
        ("gongjiao", ["公交"]),
        ("paidui", ["排队"]),
        ("chuangkou", ["窗口"]),
        ("taidu", ["态度"]),
        ("gongzuorenyuan", ["工作人员"]),
    ],
)
def test_pinyin_sequences_give_the_most_used_first(typed: str, first: list[str]) -> None:
    assert list(candidates_for(typed)[: len(first)]) == first


@pytest.mark.parametrize(
    ("initials", "wanted"),
    [
        ("dt", "地铁"),
        ("gzry", "工作人员"),
        ("yy", "医院"),
        ("gongj", "公交"),
        ("gjiao", "公交"),
        ("zhengz", "郑州"),
        ("chk", "窗口"),
    ],
)
def test_initials_stand_for_whole_syllables(initials: str, wanted: str) -> None:
    found = candidates_for(initials)
    assert wanted in found
    # Every phrase offered for "dt" has syllables starting d and t, in that order.
    data = dictionary()
    for phrase in found[:30]:
        if len(phrase) == len(initials):
            syllables = next(
                key
                for entries in data.phrases.values()
                for text, key, _ in entries
                if text == phrase and all(s[0] == i for s, i in zip(key, initials, strict=True))
            )
            assert len(syllables) == len(initials)


def test_characters_of_a_syllable_come_in_falling_usage() -> None:
    for syllable in ("di", "shi", "yi", "zhong", "lv"):
        numbers = counts(syllable)
        assert numbers == sorted(numbers, reverse=True) and numbers[0] > 1000


def test_a_phrase_spelled_in_full_comes_before_one_that_only_begins_so() -> None:
    found = candidates_for("xian")
    assert found[0] == "现"  # the syllable xian, not xi + an (西安)
    assert split_syllables("xian") == ["xian"]
    assert split_syllables("dtie") == ["d", "tie"]
    assert split_syllables("zhongg") == ["zhong", "g"]


def test_the_bundled_dictionary_is_drawable_and_made_by_the_script() -> None:
    assert DICTIONARY_FILE.parent == Path(__file__).resolve().parents[2] / "kiosk/assets/pinyin"
    head = DICTIONARY_FILE.read_text(encoding="utf-8").splitlines()[:2]
    assert "scripts/make_pinyin_dictionary.py" in head[1]
    data = dictionary()
    chars = {c for found in data.chars.values() for c in found}
    assert len(chars) > 20_000 and len(data.syllables) > 400
    for char in chars:
        char.encode("gbk")  # the bundled font covers GBK (tests/ui/test_bundled_font.py)
    phrases = [t for entries in data.phrases.values() for t, _, _ in entries]
    assert len(phrases) > 50_000
    assert all(c in chars for phrase in phrases[:5000] for c in phrase)


def test_search_by_pinyin_and_initials_still_matches_names() -> None:
    assert pinyin_matches("dt", "地铁") and pinyin_matches("ditie", "乘坐地铁")
    assert pinyin_matches("tsg", "图书馆") and not pinyin_matches("tg", "图书馆")
    # English words match whichever side is plural, from the start of a word.
    assert pinyin_matches("library", "Public libraries") and pinyin_matches("bus", "City buses")
    assert not pinyin_matches("brary", "Public libraries")


def test_the_engine_pages_back_and_forth() -> None:
    engine = PinyinInput()
    for letter in "shi":
        engine.type(letter)
    first = engine.shown()
    engine.next_page()
    assert engine.page == 1 and engine.shown() != first
    engine.previous_page()
    assert engine.shown() == first
    engine.previous_page()  # wraps to the last page
    assert engine.page == engine.pages - 1


# --- the editor ---------------------------------------------------------------------------


def test_pinyin_is_composed_chosen_and_said() -> None:
    typist = Typist()
    typist.type("ditie")
    entry = typist.editor.view(_heading())
    assert entry.composing == "ditie" and entry.candidates[0] == "地铁"
    assert typist.said()[0] == "text_entry.said.key"
    assert typist.editor.said[0].params == {"key": "e"}
    spoken_candidates = [m for m in typist.editor.said if m.id == "text_entry.candidate"]
    assert spoken_candidates[0].params == {"digit": 1, "text": "地铁"}
    assert len(spoken_candidates) == len(entry.candidates) <= 6
    typist.editor.press_digit("1")
    assert typist.editor.text == "地铁" and typist.editor.composing == ""
    assert typist.said() == ["text_entry.said.chosen", "text_entry.count"]
    typist.type("zhan")
    typist.editor.space()  # the space bar takes the first candidate
    assert typist.editor.text == "地铁" + candidates_for("zhan")[0]
    typist.type("kou")
    typist.editor.press("，")  # punctuation takes the first candidate too
    assert typist.editor.text.endswith(candidates_for("kou")[0] + "，")
    assert typist.redraws > 10


def test_choosing_a_shorter_candidate_leaves_the_rest_composing() -> None:
    typist = Typist()
    typist.type("dit")
    every = candidates_for("dit")
    assert len(every[0]) == 2  # phrases of di + t... first
    index = next(i for i, c in enumerate(every) if len(c) == 1)
    for _ in range(index // 6):
        typist.editor.press_digit("0")
    typist.editor.press_digit(str(index % 6 + 1))
    assert typist.editor.text == every[index] and typist.editor.composing == "t"


def test_keypad_digits_choose_page_and_type() -> None:
    typist = Typist()
    typist.type("shi")
    first = typist.editor.candidates
    typist.editor.press_digit("0")
    assert typist.editor.candidate_page == 1 and typist.editor.candidates != first
    assert typist.said()[0] == "text_entry.page"
    typist.editor.press_digit("9")  # only six candidates on a page
    assert typist.said() == ["text_entry.said.no_candidate"] and typist.editor.text == ""
    typist.editor.press_digit("2")
    assert typist.editor.text == typist.editor.text[:1] and len(typist.editor.text) == 1
    typist.editor.press_digit("3")  # nothing composing: the digit is typed
    assert typist.editor.text.endswith("3")


def test_backspace_takes_letters_then_characters() -> None:
    typist = Typist()
    typist.editor.backspace()
    assert typist.said() == ["text_entry.said.nothing"]
    typist.type("wo")
    typist.editor.press_digit("1")
    typist.type("m")
    typist.editor.backspace()
    assert typist.editor.composing == "" and typist.said() == [
        "text_entry.said.deleted_letter",
        "text_entry.count",
    ]
    typist.editor.backspace()
    assert typist.editor.text == "" and typist.said()[0] == "text_entry.said.deleted"


def test_latin_layout_types_letters_digits_and_spaces() -> None:
    typist = Typist(layouts=(LATIN, PINYIN))
    assert typist.editor.layout == LATIN
    assert "a" in typist.editor.character_keys() and "1" in typist.editor.character_keys()
    typist.type("Bus")
    typist.editor.space()
    typist.editor.press_digit("2")  # no candidates in Latin: a digit is typed
    assert typist.editor.text == "Bus 2"
    assert typist.editor.said[0].params == {"key": "2"}
    typist.editor.switch_layout()
    assert typist.editor.layout == PINYIN and typist.said() == ["text_entry.layout.pinyin"]
    typist.editor.accept()
    assert typist.submitted == ["Bus 2"]


def test_switching_layout_keeps_letters_composing_as_typed() -> None:
    typist = Typist()
    typist.type("gjj")
    typist.editor.switch_layout()
    assert typist.editor.text == "gjj" and typist.editor.composing == ""


def test_a_code_takes_only_its_alphabet_in_capitals_and_its_length() -> None:
    typist = Typist(
        layouts=(LATIN,),
        alphabet="0123456789ABCDEFGHJKMNPQRSTVWXYZ",
        upper=True,
        max_length=4,
        min_length=4,
    )
    keys = typist.editor.character_keys()
    assert "A" in keys and "I" not in keys and "O" not in keys and "a" not in keys
    typist.type("k7")
    typist.editor.press("o")
    assert typist.said() == ["text_entry.said.not_allowed"]
    typist.editor.accept()
    assert typist.submitted == [] and typist.said() == ["text_entry.said.too_short"]
    typist.editor.press_digit("3")
    typist.editor.press("q")
    typist.editor.press("x")
    assert typist.editor.text == "K73Q" and typist.said()[0] == "text_entry.said.full"
    typist.editor.accept()
    assert typist.submitted == ["K73Q"]


def test_digits_layout_and_the_length_limit() -> None:
    typist = Typist(layouts=(DIGITS,), max_length=3)
    assert typist.editor.character_keys() == tuple("1234567890")
    for digit in "1234":
        typist.editor.press_digit(digit)
    assert typist.editor.text == "123"
    typist.editor.switch_layout()  # one layout: nothing to switch to
    assert typist.editor.layout == DIGITS


def test_accept_takes_the_first_candidate_before_submitting() -> None:
    typist = Typist()
    typist.type("paidui")
    typist.editor.accept()
    assert typist.submitted == [] and typist.editor.text == "排队"
    typist.editor.accept()
    assert typist.submitted == ["排队"]


def test_a_private_entry_reads_its_text_back_only_as_personal_data() -> None:
    typist = Typist(private=True)
    typist.type("wo")
    typist.editor.press_digit("1")
    spoken = typist.editor.view(_heading()).spoken()
    text = next(m for m in spoken if m.id == "text_entry.text")
    assert text.has_personal_data and text.params["text"] == "我"
    count = next(m for m in spoken if m.id == "text_entry.count")
    assert not count.has_personal_data
    public = Typist(private=False)
    public.type("a")
    public.editor.switch_layout()
    said = public.editor.view(_heading()).spoken()
    assert not next(m for m in said if m.id == "text_entry.text").has_personal_data


def test_the_view_carries_the_state_the_face_draws() -> None:
    typist = Typist(max_length=50)
    typist.type("yiyuan")
    entry = typist.editor.view(_heading(), None)
    assert isinstance(entry, TextEntry) and entry.editor is typist.editor
    assert entry.layout == PINYIN and entry.layouts == (PINYIN, LATIN)
    assert entry.max_length == 50 and entry.candidate_pages > 1
    assert "医院" in entry.candidates
    ids = [m.id for m in entry.spoken()]
    assert ids[:3] == ["services.heading", "text_entry.layout.pinyin", "text_entry.keypad"]
    assert "text_entry.composing" in ids and ids.count("text_entry.candidate") == 6


def _heading():
    from kiosk.domain.messages import msg

    return msg("services.heading")
