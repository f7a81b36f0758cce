"""The bundled CJK font: loaded at start, selected by name, and checked to cover every text.

Without it Chinese renders as empty boxes on a fresh machine; with the collection's default
face it renders in Japanese glyph forms. So the kiosk loads its own Simplified Chinese face and
refuses to start, with a clear message, if that face lacks a character it will show.
"""

from __future__ import annotations

import binascii
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtGui import QFontDatabase

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT_FILES = ("NotoSansCJKsc-Regular-GBK.otf", "NotoSansCJKsc-Bold-GBK.otf")
FAMILY = "Noto Sans CJK SC"


class FontProblem(Exception):
    pass


def font_files() -> list[Path]:
    return [FONT_DIR / name for name in FONT_FILES]


def load_fonts() -> str:
    """Adds the bundled faces to the application; returns the family to select."""
    families: set[str] = set()
    for path in font_files():
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
    # Imported here: a start whose fonts and catalogs passed before skips this check, and
    # making these two classes would cost its first frame some 2 ms.
    from PySide6.QtGui import QFont, QRawFont

    raw = QRawFont.fromFont(QFont(family))
    wanted = {c for text in texts for c in text if not c.isspace() and c.isprintable()}
    # By code point: PySide's QChar overload mis-converts many CJK characters.
    return {c for c in wanted if not raw.supportsCharacter(ord(c))}


def check_coverage(texts: Iterable[str], family: str = FAMILY) -> None:
    missing = missing_characters(texts, family)
    if missing:
        shown = "".join(sorted(missing))[:40]
        raise FontProblem(f"the font {family!r} cannot draw {len(missing)} characters: {shown}")


def check_coverage_once(
    texts: Callable[[], Iterable[str]],
    sources: Iterable[Path],
    stamp_dir: Path,
    family: str = FAMILY,
) -> None:
    """check_coverage, skipped when these same font files and catalogs have passed it before.

    A pass is remembered by the sources' sizes and modification times, so any edit of a font
    or a catalog checks again; a failure is never remembered. It spares each start the parsing
    of every catalog, some 10 ms before the first frame.
    """
    stamp = stamp_dir / f"covered-{_version_of(sources):08x}"
    if stamp.exists():
        return
    check_coverage(texts(), family)
    try:
        stamp_dir.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    except OSError:
        pass  # a read-only cache only costs the next start the check again


def _version_of(sources: Iterable[Path]) -> int:
    described = []
    for path in sorted(sources):
        try:
            stat = path.stat()
        except FileNotFoundError:
            described.append(f"{path}:missing")
        else:
            described.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return binascii.crc32("\n".join(described).encode())
