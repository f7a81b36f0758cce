"""Chinese text made readable for espeak-ng's pinyin voice: numbers said as Mandarin speakers say
them, characters as tone-numbered pinyin, the tone changes espeak-ng leaves out, and Latin words
handed to an English voice."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices.speech.mandarin import (
    apply_yi_bu_sandhi,
    integer_to_chinese,
    numbers_to_chinese,
    split_by_script,
    to_pinyin,
)

# Readings any Mandarin primer gives; each exercises a rule (十 without 一, 零 for skipped
# places, 万/亿 groups).
READINGS = {
    0: "零",
    7: "七",
    10: "十",
    15: "十五",
    20: "二十",
    101: "一百零一",
    110: "一百一十",
    120: "一百二十",
    1005: "一千零五",
    1010: "一千零一十",
    10000: "一万",
    10001: "一万零一",
    12000: "一万二千",
    100000: "十万",
    110000: "十一万",
    100100: "十万零一百",
    10010000: "一千零一万",
    100000000: "一亿",
    100000005: "一亿零五",
    100010000: "一亿零一万",
}


@pytest.mark.parametrize(("number", "said"), READINGS.items())
def test_integers_are_read_in_chinese(number: int, said: str) -> None:
    assert integer_to_chinese(number) == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("还可以再试 2 次", "还可以再试 两 次"),  # 2 before a measure word is 两
        ("第 2 页", "第 二 页"),  # but an ordinal is 第二
        ("2月", "二月"),  # and a month is 二月
        ("共 12 类", "共 十二 类"),
        ("余额 1,234.50 元", "余额 一千二百三十四点五零 元"),
        ("¥12.5", "十二点五元"),
        ("50%", "百分之五十"),
        ("2026-11-27", "二零二六年十一月二十七日"),  # years digit by digit
        ("2026年", "二零二六年"),
        ("9:00～17:30", "九点整至十七点三十分"),
        ("8:05", "八点零五分"),
        ("验证码 048213", "验证码 零四八二一三"),  # a leading zero: a code, not an amount
        (
            "卡号 4101001990010112",
            "卡号 四一零一零零一九九零零一零一一二",
        ),  # too long to be an amount
        ("１２０", "一百二十"),  # full-width digits
    ],
)
def test_numbers_in_text_are_said_as_people_say_them(text: str, said: str) -> None:
    assert numbers_to_chinese(text) == said


@pytest.mark.parametrize(
    ("text", "pinyin"),
    [
        ("请插入社保卡", "qing3 cha1 ru4 she4 bao3 ka3"),
        # The four tones and the neutral tone (5), which pypinyin leaves unmarked by default.
        ("妈麻马骂", "ma1 ma2 ma3 ma4"),
        ("什么", "shen2 me5"),
        # ü is written v, the spelling espeak-ng's pinyin voice reads as ü.
        ("绿女", "lv4 nv3"),
        # Words whose characters have several readings take the one the word needs.
        ("银行", "yin2 hang2"),
        ("重新", "chong2 xin1"),
        # Digits are numbers first: pypinyin alone would leave "120".
        ("120元", "yi4 bai3 er4 shi2 yuan2"),
        ("已输入 3 位", "yi3 shu1 ru4 san1 wei4"),
    ],
)
def test_chinese_becomes_tone_numbered_pinyin(text: str, pinyin: str) -> None:
    assert to_pinyin(text) == pinyin


@pytest.mark.parametrize(
    ("text", "pinyin"),
    [
        ("一位", "yi2 wei4"),  # 一 before a fourth tone rises
        ("一天", "yi4 tian1"),  # and falls before the others
        ("十一位", "shi2 yi1 wei4"),  # but not inside a number
        ("第一次", "di4 yi1 ci4"),  # nor in an ordinal
        ("统一", "tong3 yi1"),  # nor at the end
        ("不是", "bu2 shi4"),  # 不 before a fourth tone rises
        ("不好", "bu4 hao3"),
    ],
)
def test_yi_and_bu_change_tone_as_spoken(text: str, pinyin: str) -> None:
    assert to_pinyin(text) == pinyin


def test_sandhi_only_touches_yi_and_bu() -> None:
    assert apply_yi_bu_sandhi("好好", ["hao3", "hao3"]) == ["hao3", "hao3"]


def test_punctuation_becomes_pauses_and_quotes_vanish() -> None:
    assert to_pinyin("密码为 6 位数字，输入完成后按“确认”。") == (
        "mi4 ma3 wei4 liu4 wei4 shu4 zi4, shu1 ru4 wan2 cheng2 hou4 an4 que4 ren4."
    )


def test_nothing_but_punctuation_says_nothing() -> None:
    assert to_pinyin("，。！") == ""


@given(
    st.text(
        alphabet=st.sampled_from("请插入社保卡一不二零，。：！？（）“”% 0123456789.-~/"),
        max_size=40,
    )
)
def test_pinyin_holds_only_what_the_voice_can_read(text: str) -> None:
    spoken = to_pinyin(text)
    assert re.fullmatch(r"[a-z0-9,.;:!? ]*", spoken)
    # Every digit left is a tone number closing a syllable, never a number to read.
    assert re.search(r"(^|[^a-z0-9])\d", spoken) is None
    assert all(re.fullmatch(r"[a-z]+[1-5][,.;:!?]?|[,.;:!?]", w) for w in spoken.split())


def test_latin_words_in_chinese_go_to_the_english_voice() -> None:
    assert split_by_script("按 English 切换语言", "zh_CN") == [
        ("zh_CN", "按 "),
        ("en", "English"),
        ("zh_CN", " 切换语言"),
    ]


def test_chinese_words_in_english_go_to_the_mandarin_voice() -> None:
    assert split_by_script("Switch to 中文, please", "en") == [
        ("en", "Switch to "),
        ("zh_CN", "中文"),
        ("en", ", please"),
    ]


def test_digits_stay_with_the_text_they_are_in() -> None:
    assert split_by_script("密码为 6 位", "zh_CN") == [("zh_CN", "密码为 6 位")]
    assert split_by_script("You can try 2 more times", "en") == [("en", "You can try 2 more times")]
