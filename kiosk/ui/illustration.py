"""The body's illustrations: SVG drawings from assets/icons in the theme's colours.

The attract screen shows one on every start. Drawing it needs Qt's SVG module and its painter,
some 3 ms of CPU before the first frame, for pixels that are the same from one start to the
next; so a drawing is kept in the cache folder, as a PNG named by what it was drawn from, and
read back from there. A drawing the cache cannot hold is simply drawn each time.
"""

from __future__ import annotations

import binascii
import os
from pathlib import Path

from PySide6.QtGui import QPixmap

from kiosk.accessibility.theme import Palette

ICON_DIR = Path(__file__).resolve().parent.parent / "assets" / "icons"


def themed_svg(name: str, palette: Palette) -> str:
    """The drawing's SVG with the theme's colours in its slots, so it keeps their contrast."""
    svg = (ICON_DIR / name).read_text(encoding="utf-8")
    for slot, colour in (
        ("{page}", palette.page),
        ("{tile}", palette.tile),
        ("{line}", palette.tile_border),
        ("{accent}", palette.focus),
    ):
        svg = svg.replace(slot, colour)
    return svg


def illustration(name: str, palette: Palette, side: int, cache_dir: Path | None) -> QPixmap:
    """The drawing `name`, `side` pixels square: from the cache when it was drawn before."""
    svg = themed_svg(name, palette)
    if cache_dir is None:
        return draw(svg, palette.page, side)
    # Named by the drawing's own text (its colours included) and size: an edited drawing or
    # another theme is drawn anew, never read stale.
    digest = binascii.crc32(svg.encode("utf-8"))
    cached = cache_dir / f"{Path(name).stem}-{side}-{digest:08x}.png"
    if cached.is_file():
        pixmap = QPixmap(str(cached))
        if not pixmap.isNull():
            return pixmap
    pixmap = draw(svg, palette.page, side)
    _keep(pixmap, cached)
    return pixmap


def draw(svg: str, background: str, side: int) -> QPixmap:
    """Renders the SVG text on the background colour."""
    # Imported here: a start that finds its drawing in the cache needs none of these.
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor(background))
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap


def _keep(pixmap: QPixmap, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        # Written aside and renamed: a kiosk stopped mid-write leaves no half a drawing.
        if pixmap.save(str(partial), "PNG"):
            partial.replace(path)
        else:
            partial.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache only costs the next start the drawing again
