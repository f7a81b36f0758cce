"""The choice screen keeps its tiles, panels and pager buttons between screens (for speed, see
bench/transition.py); what a resident sees, hears and presses must still be the new screen's."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from kiosk.accessibility.profile import Profile
from kiosk.accessibility.theme import make_theme
from kiosk.audit import checks
from kiosk.audit.scenes import SCENES, build_stage
from kiosk.domain.messages import Message, msg
from kiosk.flows.view import Choice, Content, Panel, QrPanel
from kiosk.i18n import Translations
from kiosk.ui.fonts import load_fonts
from kiosk.ui.screens import ChoiceScreen


@pytest.fixture
def screen(qtbot, tmp_path: Path) -> tuple[ChoiceScreen, object]:
    body = ChoiceScreen()
    qtbot.addWidget(body)
    body.resize(1600, 900)
    body.show()
    qtbot.waitExposed(body)
    return body, Translations(tmp_path).get("zh_CN")


def published(text: str) -> Message:
    return msg("published", text=text)


def choices(pressed: list[str], *labels: str) -> list[Choice]:
    return [
        Choice(str(i), published(label), None, lambda label=label: pressed.append(label))
        for i, label in enumerate(labels, start=1)
    ]


def test_fewer_choices_reuse_tiles_and_hide_the_rest(screen, qtbot) -> None:
    body, tr = screen
    theme = make_theme("default", "default", elderly=False, dpi=96.0)
    pressed: list[str] = []
    body.show_content(
        Content(published("A"), choices=choices(pressed, *"ABCDEF"), columns=3), theme, tr.text
    )
    first = list(body.tiles)
    body.show_content(
        Content(published("B"), choices=choices(pressed, "甲", "乙"), columns=2), theme, tr.text
    )
    assert body.tiles == first[:2]
    assert [t.isVisible() for t in first] == [True, True, False, False, False, False]
    assert [t.accessibleName() for t in body.tiles] == ["1. 甲", "2. 乙"]
    assert body.tiles[1].label.text() == "乙"
    # A press goes to the choice now shown, never to the one the tile showed before.
    qtbot.mouseClick(body.tiles[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(first[4], Qt.MouseButton.LeftButton)  # hidden: nothing
    assert pressed == ["乙"]
    assert body.choose("2") and pressed == ["乙", "乙"]
    assert not body.choose("5")


def test_focus_moves_in_reading_order_over_reused_and_new_tiles(screen) -> None:
    body, tr = screen
    theme = make_theme("default", "default", elderly=False, dpi=96.0)
    body.show_content(
        Content(
            published("A"),
            choices=choices([], "A", "B"),
            pager=published("1/2"),
            pager_actions=(
                (published("上一页"), lambda: None),
                (published("下一页"), lambda: None),
            ),
        ),
        theme,
        tr.text,
    )
    # More tiles than ever before: made after the pager buttons, still before them in order.
    body.show_content(
        Content(published("B"), choices=choices([], *"ABCDE"), columns=1), theme, tr.text
    )
    order: list[QWidget] = []
    widget: QWidget | None = body.tiles[0]
    while widget is not None and widget not in order:
        if widget in body.tiles:
            order.append(widget)
        widget = widget.nextInFocusChain()
    assert order == body.tiles
    # No page to turn: no button beside the tiles, not even a spare one from before.
    assert {b for b in body.findChildren(QPushButton) if b.isVisible()} == set(body.tiles)


def test_panels_and_the_qr_code_follow_the_content(screen) -> None:
    body, tr = screen
    theme = make_theme("default", "default", elderly=False, dpi=96.0)
    code = QrPanel(published("凭证"), (published("第一行"),), payload="https://verify/X1")
    body.show_content(Content(published("A"), panels=(code,)), theme, tr.text)
    codes = [w for w in body.findChildren(QLabel) if w.objectName() == "qrCode"]
    assert len(codes) == 1 and codes[0].isVisible() and not codes[0].pixmap().isNull()
    plain = Panel(published("说明"), (published("甲"), published("乙")))
    body.show_content(Content(published("B"), panels=(plain, plain)), theme, tr.text)
    assert not codes[0].isVisible()
    shown = [w.text() for w in body.findChildren(QLabel) if w.isVisible() and w.text()]
    assert shown.count("说明") == 2 and "第一行" not in shown and "凭证" not in shown


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_reused_tile_grows_to_its_new_words(qtbot, tmp_path: Path, language: str) -> None:
    """Home, then the catalog: the same two columns in large print, longer words in the same
    tiles. Each row must be as tall as its new words need (the audit's clipping check)."""
    stage = build_stage(Translations(tmp_path), load_fonts(), 92.56)
    window = stage.window
    qtbot.addWidget(window)
    window.set_default_profile(Profile(language=language, elderly=True))
    window.show()
    for scene in ("home", "catalog", "home", "catalog"):
        SCENES[scene][1](stage)
        QApplication.processEvents()
        clipped = checks.no_clipping(window)
        assert clipped.passed, f"{scene}: {clipped.detail}"
    for tile in window.choice_screen.tiles:
        assert tile.height() >= tile.heightForWidth(tile.width())
