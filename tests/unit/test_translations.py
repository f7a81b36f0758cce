"""Every message id the code uses has a translation in both catalogs, with the same placeholders.

zh_CN is the source of truth; en translates it. A message missing in either fails here, before
a resident could meet a bare id on screen or hear one spoken.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kiosk.domain.messages import msg
from kiosk.i18n import LANGUAGES, Translations, po_path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kiosk"
KEYWORDS = {"N_": None, "msg": None, "t": None, "text": None, "text_with": None}
# What a message id looks like: lower-case words joined by dots, a known first word.
ID_PATTERN = re.compile(
    r"^(header|attract|reading|pin|verifying|home|catalog|pager|category|notice|take_card|"
    r"footer|error|dev|list|prompt|voice|card_status|records|certificate|complaints|"
    r"card_life|services|slip|submit|task|text_entry)\.[a-z_.]+$|^published$"
)


def catalog(language: str):
    with po_path(language).open("rb") as fp:
        return read_po(fp, locale=language)


def ids_in_code() -> set[str]:
    """Ids marked for the extractor, and any literal shaped like an id anywhere in the code."""
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(PACKAGE), keywords=KEYWORDS, method_map=[("**.py", "python")]
        )
        if isinstance(message, str)
    }
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and ID_PATTERN.match(node.value):
                found.add(node.value)
    return {m for m in found if ID_PATTERN.match(m)}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_code_uses_message_ids() -> None:
    ids = ids_in_code()
    assert "attract.heading" in ids and "error.card.removed" in ids
    assert len(ids) > 50


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_id_in_the_code_is_translated(language: str) -> None:
    messages = {m.id: m for m in catalog(language) if m.id}
    missing = sorted(i for i in ids_in_code() if i not in messages or not messages[i].string)
    assert missing == [], f"{language} lacks: {missing}"
    fuzzy = sorted(m.id for m in messages.values() if m.fuzzy)
    assert fuzzy == [], f"{language} has fuzzy entries: {fuzzy}"


def test_both_catalogs_hold_the_same_ids_and_placeholders() -> None:
    zh = {m.id: m.string for m in catalog("zh_CN") if m.id}
    en = {m.id: m.string for m in catalog("en") if m.id}
    assert sorted(zh) == sorted(en)
    for message_id, text in zh.items():
        assert placeholders(text) == placeholders(en[message_id]), message_id


def test_the_english_catalog_is_english_and_the_chinese_chinese() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    zh = {m.id: m.string for m in catalog("zh_CN") if m.id}
    en = {m.id: m.string for m in catalog("en") if m.id}
    # The language switch is the one place each catalog names the other language.
    allowed = {
        "header.switch_language",
        "attract.choice.language",
        "attract.choice.language.examples",
    }
    assert [i for i, t in en.items() if cjk.search(t) and i not in allowed] == []
    assert [
        i
        for i, t in zh.items()
        if not cjk.search(t) and i not in allowed | {"list.separator", "published"}
    ] == []


def test_compiled_catalogs_translate_and_format(tmp_path: Path) -> None:
    translations = Translations(tmp_path)
    zh, en = translations.get("zh_CN"), translations.get("en")
    assert zh.text("attract.heading") == "请插入社保卡"
    assert en.text(msg("pin.error.wrong", tries=2)) == "Wrong PIN. You can try 2 more times"
    cached = sorted(tmp_path.glob("kiosk-zh_CN-*.texts"))
    assert cached, "the compiled catalog is cached"
    # A second load comes from the cache and gives the same text.
    assert Translations(tmp_path).get("zh_CN").text("attract.heading") == "请插入社保卡"
    # A cache file cut short (a start stopped mid-write, a full disk) is compiled anew, not
    # read as a catalog missing its last texts.
    whole = cached[0].read_bytes()
    for cut in (whole.index(b"\0", len(whole) // 2), whole.rindex(b"\0")):
        cached[0].write_bytes(whole[:cut])
        again = Translations(tmp_path)
        assert again.all_texts() == translations.all_texts()
        assert cached[0].read_bytes() == whole
