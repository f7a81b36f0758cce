"""Service search by Chinese, pinyin and initials, with the Art. 19 lock, and the pinyin engine."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from helpers.rig import KioskRig

from kiosk.domain.catalog import Catalog, CatalogCategory, LocalText, ServiceItem
from kiosk.flows.pinyin import PinyinInput, pinyin_matches, split_syllables
from kiosk.flows.services import ServiceSearchTask, search
from kiosk.flows.view import TextEntry


def item(id_: str, zh: str, en: str, category: int, financial: bool = False) -> ServiceItem:
    text = LocalText("某处", "Somewhere")
    return ServiceItem(id_, category, LocalText(zh, en), text, text, financial)


CATALOG = Catalog(
    (
        CatalogCategory(
            6,
            LocalText("公共交通", "Public transport"),
            (item("metro", "乘坐地铁", "Metro", 6), item("bus", "乘坐公交车", "Buses", 6)),
        ),
        CatalogCategory(
            10,
            LocalText("便民金融服务", "Financial services"),
            (item("fund", "住房公积金提取", "Housing fund", 10, True),),
        ),
    ),
    dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("dt", ["metro"]),
        ("ditie", ["metro"]),
        ("地铁", ["metro"]),
        ("gjj", ["fund"]),
        ("gongjiao", ["bus", "metro"]),  # 公交车 by name, then 公共交通
        ("jiaotong", ["metro", "bus"]),  # by the Art. 7 category's name
        ("Housing", ["fund"]),
        ("xyz", []),
    ],
)
def test_search_by_chinese_pinyin_and_initials(query: str, found: list[str]) -> None:
    assert [i.id for i in search(CATALOG, query, "zh_CN")] == found


def test_matching_needs_syllables_in_order() -> None:
    assert pinyin_matches("dtie", "地铁") and not pinyin_matches("td", "地铁")
    assert not pinyin_matches("", "地铁")


def test_the_task_shows_quick_searches_then_results_with_the_financial_lock() -> None:
    rig = KioskRig()
    rig.session = dataclasses.replace(rig.session, financial_account_active=False)
    task = ServiceSearchTask(rig.context())
    rig.run()  # the fake catalog: one bus item
    entry = task.view()
    labels = [c.label.id for c in entry.choices]
    quick = [f"services.quick.{q}" for q in ("metro", "bus", "hospital")]
    assert labels == [*quick, "services.type"] and entry.pager is not None  # library: page 2
    assert entry.choose("2")  # 公交
    results = task.view()
    assert results.heading.params == {"query": "公交", "count": 1}
    assert results.panels[0].lines[-1].id == "services.usable_now"
    assert task.back() and task.view().heading.id == "services.heading" and not task.back()
    task._catalog = CATALOG  # the real catalog's financial item
    assert task.view().choose("4")  # type it
    typing = task.view()
    assert isinstance(typing, TextEntry) and typing.editor is not None
    assert typing.layout == "pinyin" and not typing.private
    for letter in "gjj":
        typing.editor.press(letter)
    typing.editor.switch_layout()  # the letters stay as typed: a search by initials
    assert task.view().text == "gjj"  # type: ignore[attr-defined]
    typing.editor.accept()
    assert task.view().panels[0].lines[-1].id == "category.locked"
    assert task.back() and task.view().text == "gjj"  # type: ignore[attr-defined]
    assert task.back() and task.view().heading.id == "services.heading"
    task.find("zzzz")
    assert task.view().hint is not None and task.view().hint.id == "services.none"


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("ditie", "地铁"),  # a phrase spelled by every letter comes first
        ("de", "的"),  # then the syllable's most used characters
        ("shi", "是"),
        ("dit", "地图"),  # the last syllable still being typed: 地图 is used more than 地铁
    ],
)
def test_pinyin_input_candidates(typed: str, first: str) -> None:
    engine = PinyinInput()
    for letter in typed:
        engine.type(letter)
    shown = engine.shown()
    assert shown[0] == first and len(shown) <= 6 and len(set(shown)) == len(shown)


def test_pinyin_input_commits_pages_and_deletes() -> None:
    assert split_syllables("ditie") == ["di", "tie"]
    engine = PinyinInput()
    for letter in "di1":  # a digit is not a letter
        engine.type(letter)
    assert engine.letters == "di"
    first_page = engine.shown()
    engine.next_page()
    assert engine.shown() and engine.shown()[0] not in first_page
    assert engine.choose(1) and engine.letters == "" and len(engine.text) == 1
    for letter in "tie":
        engine.type(letter)
    assert engine.choose(9) == ""  # no candidate under that key
    assert engine.choose(1) in engine.text
    engine.backspace()
    assert len(engine.text) == 1
