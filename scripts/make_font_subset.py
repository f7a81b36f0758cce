"""Rebuild the kiosk's bundled CJK font: Noto Sans CJK SC cut down to GBK.

Why a subset: names on cards are GBK (shared/reference/ssc-card.md), so GBK coverage is the
floor, while the whole SC face is 16 MB per weight. Why SC selected explicitly: the
collection's first face is JP, whose glyph forms differ from the Simplified Chinese ones.

Usage (from the kiosk's own environment, with fonttools added, and Debian's fonts-noto-cjk; the
result is committed, so the kiosk itself never runs this):
    python scripts/make_font_subset.py /usr/share/fonts/opentype/noto kiosk/assets/fonts
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

from kiosk.domain.card import gbk_characters

SC_FACE_NAME = "Noto Sans CJK SC"
# Symbols the kiosk's own labels use beyond GBK (arrows, the home sign, check marks).
EXTRA = "←→↑↓⌂✓✗★☎♪·•…‘’“”"


def wanted_characters() -> set[str]:
    """The names a card can hold, and the kiosk's own symbols."""
    return gbk_characters() | set(EXTRA)


def make_subset(collection_path: Path, out_path: Path, chars: set[str]) -> None:
    collection = TTCollection(str(collection_path))
    face = next(f for f in collection.fonts if f["name"].getDebugName(1) == SC_FACE_NAME)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(face)
    face.save(str(out_path))


def main() -> int:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    chars = wanted_characters()
    for weight in ("Regular", "Bold"):
        out = target / f"NotoSansCJKsc-{weight}-GBK.otf"
        make_subset(source / f"NotoSansCJK-{weight}.ttc", out, chars)
        print(f"{out}: {out.stat().st_size / 1e6:.1f} MB, {len(chars)} characters asked for")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
