"""The bundled CJK font: loaded at start, selected by name, and checked to cover every text.

Without it Chinese renders as empty boxes on a fresh machine; with the collection's default
face it renders in Japanese glyph forms. So the kiosk loads its own Simplified Chinese face and
refuses to start, with a clear message, if that face lacks a character it will show.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QRawFont

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT_FILES = ("NotoSansCJKsc-Regular-GBK.otf", "NotoSansCJKsc-Bold-GBK.otf")
FAMILY = "Noto Sans CJK SC"


class FontProblem(Exception):
    pass


def load_fonts() -> str:
    """Adds the bundled faces to the application; returns the family to select."""
    families: set[str] = set()
    for name in FONT_FILES:
        path = FONT_DIR / name
        if not path.exists():
            raise FontProblem(f"the font file {path} is missing; reinstall the kiosk")
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise FontProblem(f"the font file {path} could not be loaded")
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    if FAMILY not in families:
        raise FontProblem(f"the bundled font names {sorted(families)}, not {FAMILY!r}")
    return FAMILY


def missing_characters(texts: Iterable[str], family: str = FAMILY) -> set[str]:
    """The characters of `texts` the family's regular face cannot draw."""
    raw = QRawFont.fromFont(QFont(family))
    wanted = {c for text in texts for c in text if not c.isspace() and c.isprintable()}
    # By code point: PySide's QChar overload mis-converts many CJK characters.
    return {c for c in wanted if not raw.supportsCharacter(ord(c))}


def check_coverage(texts: Iterable[str], family: str = FAMILY) -> None:
    missing = missing_characters(texts, family)
    if missing:
        shown = "".join(sorted(missing))[:40]
        raise FontProblem(f"the font {family!r} cannot draw {len(missing)} characters: {shown}")
