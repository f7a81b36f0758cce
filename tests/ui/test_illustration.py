"""The attract screen's drawing is read from the cache on a later start: the same pixels Qt's
SVG renderer draws, drawn anew for another theme or size, and still drawn where there is no
cache to keep it in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage, QPixmap

from kiosk.accessibility.theme import PALETTES
from kiosk.ui.illustration import draw, illustration, themed_svg

NAME = "insert-card.svg"


def _image(pixmap: QPixmap) -> QImage:
    return pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)


def test_a_cached_drawing_is_the_pixels_the_renderer_draws(qapp, tmp_path: Path) -> None:
    palette = PALETTES["default"]
    drawn = draw(themed_svg(NAME, palette), palette.page, 131)
    first = illustration(NAME, palette, 131, tmp_path)
    kept = list(tmp_path.glob("*.png"))
    assert len(kept) == 1
    again = illustration(NAME, palette, 131, tmp_path)
    assert _image(first) == _image(drawn)
    assert _image(again) == _image(drawn)
    assert list(tmp_path.glob("*.png")) == kept


def test_another_theme_or_size_is_drawn_anew(qapp, tmp_path: Path) -> None:
    default, dark = PALETTES["default"], PALETTES["yellow-on-black"]
    on_default = illustration(NAME, default, 120, tmp_path)
    on_dark = illustration(NAME, dark, 120, tmp_path)
    larger = illustration(NAME, default, 160, tmp_path)
    assert len(list(tmp_path.glob("*.png"))) == 3
    assert _image(on_dark) == _image(draw(themed_svg(NAME, dark), dark.page, 120))
    assert _image(on_dark) != _image(on_default)
    assert (larger.width(), larger.height()) == (160, 160)
    # The drawing's colours come from the theme, so its contrast is the theme's.
    assert on_dark.toImage().pixelColor(0, 0).name().upper() == dark.page


def test_without_a_cache_the_drawing_is_still_shown(qapp, tmp_path: Path) -> None:
    palette = PALETTES["default"]
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    shown = illustration(NAME, palette, 100, blocked)
    assert _image(shown) == _image(draw(themed_svg(NAME, palette), palette.page, 100))
    assert _image(illustration(NAME, palette, 100, None)) == _image(shown)
