"""The bundled font: Simplified Chinese forms, GBK coverage (names on cards are GBK), and the
start-up check that refuses to show a resident empty boxes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase, QRawFont

from kiosk.domain.card import gbk_characters
from kiosk.i18n import Translations
from kiosk.ui.fonts import (
    FAMILY,
    FONT_DIR,
    FONT_FILES,
    FontProblem,
    check_coverage,
    check_coverage_once,
    load_fonts,
)

# GBK characters that Noto Sans CJK SC itself lacks. The list is short and checked, so a font
# change that loses coverage fails here.
KNOWN_GBK_GAPS = {"\u2252"}  # ≒, a rare mathematical sign


@pytest.mark.parametrize("name", FONT_FILES)
def test_each_face_covers_gbk(qapp, name: str) -> None:
    raw = QRawFont(str(FONT_DIR / name), 24)
    assert raw.isValid()
    assert raw.familyName() == FAMILY
    chars = gbk_characters()
    assert len(chars) > 21_000
    missing = {c for c in chars if not raw.supportsCharacter(ord(c))}
    assert missing == KNOWN_GBK_GAPS


def test_the_family_loads_with_a_regular_and_a_bold_face(qapp) -> None:
    assert load_fonts() == FAMILY
    styles = set(QFontDatabase.styles(FAMILY))
    assert {"Regular", "Bold"} <= styles


def test_every_catalog_text_and_demo_name_is_covered(qapp, tmp_path) -> None:
    load_fonts()
    texts = Translations(tmp_path).all_texts()
    # Names on cards include rare characters and the middle dot of Uyghur names.
    texts += ["王秀英", "李明", "买买提·艾力", "欧阳娜娜", "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"]
    check_coverage(texts)


def test_a_character_the_font_lacks_stops_the_start(qapp) -> None:
    load_fonts()
    with pytest.raises(FontProblem, match="cannot draw 1 characters"):
        check_coverage(["请插入社保卡 \U0001f600"])


def test_a_passed_check_is_remembered_until_a_source_changes(qapp, tmp_path) -> None:
    load_fonts()
    catalog = tmp_path / "kiosk.po"
    catalog.write_text("请插入社保卡", encoding="utf-8")
    asked: list[str] = []

    def texts() -> list[str]:
        asked.append("texts")
        return [catalog.read_text(encoding="utf-8")]

    check_coverage_once(texts, [catalog], tmp_path / "stamps")
    check_coverage_once(texts, [catalog], tmp_path / "stamps")
    assert asked == ["texts"], "the second start should trust the first one's pass"

    # An edited catalog is checked again, and a character the font lacks still stops the start.
    catalog.write_text("请插入社保卡 \U0001f600", encoding="utf-8")
    with pytest.raises(FontProblem, match="cannot draw 1 characters"):
        check_coverage_once(texts, [catalog], tmp_path / "stamps")
    with pytest.raises(FontProblem):
        check_coverage_once(texts, [catalog], tmp_path / "stamps")
    assert asked == ["texts", "texts", "texts"], "a failure must never be remembered"
