"""Printer text as dots: the glyphs a thermal head would print, drawn with the kiosk's CJK font.

Used twice: to print text as an image on printers without a GB18030 text mode, and by the
simulated printer to draw what it received. Both draw the printer's own grid: a column is 12
dots by 24, a two-byte character two columns, and double sizes are the same glyph with its dots
doubled, as a printer does it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from kiosk.domain.receipt import CELL_DOTS, PrintLine, Size, char_columns

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT_FILES = {False: "NotoSansCJKsc-Regular-GBK.otf", True: "NotoSansCJKsc-Bold-GBK.otf"}

CELL_HEIGHT = 24
# ESC 2's default line spacing on a 203 dpi head is about 30 dots: 24 for the glyph, 6 between.
LINE_GAP = 6
WHITE = 255
BLACK = 0


@lru_cache(maxsize=4)
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / FONT_FILES[bold]
    try:
        return ImageFont.truetype(str(path), size)
    except OSError as error:
        raise RuntimeError(f"the kiosk's CJK font is missing or unreadable: {path}") from error


# Where the baseline sits in a 24-dot cell. An ideograph fills 0.88 em above the baseline and
# 0.12 below; ASCII is drawn a little smaller so that descenders (g, j, y) stay in the cell.
_WIDE = (CELL_HEIGHT, 21)  # font size, baseline
_NARROW = (22, 19)
_NARROW_DRAW_WIDTH = 16


@lru_cache(maxsize=8192)
def glyph(char: str, bold: bool) -> Image.Image:
    """One character in its cell: 12x24 for ASCII, 24x24 otherwise, black on white ("L")."""
    wide = char_columns(char) == 2
    size, baseline = _WIDE if wide else _NARROW
    # ASCII is drawn in a wider cell and squeezed, like a printer's narrow 12x24 font, rather
    # than clipped: Latin capitals are wider than half an em.
    draw_width = CELL_HEIGHT if wide else _NARROW_DRAW_WIDTH
    cell = Image.new("L", (draw_width, CELL_HEIGHT), WHITE)
    ImageDraw.Draw(cell).text(
        (draw_width / 2, baseline), char, font=_font(bold, size), fill=BLACK, anchor="ms"
    )
    if wide:
        return cell
    return cell.resize((CELL_DOTS, CELL_HEIGHT), Image.Resampling.LANCZOS)


def draw_text(
    canvas: Image.Image,
    x: int,
    y: int,
    text: str,
    *,
    bold: bool,
    width_factor: int,
    height_factor: int,
) -> int:
    """Draws text with its top-left at (x, y) and returns the x after it."""
    for char in text:
        cell = glyph(char, bold)
        if width_factor != 1 or height_factor != 1:
            cell = cell.resize(
                (cell.width * width_factor, cell.height * height_factor), Image.Resampling.NEAREST
            )
        canvas.paste(cell, (x, y))
        x += cell.width
    return x


def line_height(size: Size) -> int:
    return CELL_HEIGHT * size.height_factor + LINE_GAP


def render_lines(lines: Sequence[PrintLine], dots: int) -> Image.Image:
    """Laid-out lines as one 1-bit image the width of the paper (alignment is in the spaces)."""
    height = sum(line_height(line.size) for line in lines)
    canvas = Image.new("L", (dots, max(height, 1)), WHITE)
    y = 0
    for line in lines:
        draw_text(
            canvas,
            0,
            y,
            line.text,
            bold=line.bold,
            width_factor=line.size.width_factor,
            height_factor=line.size.height_factor,
        )
        y += line_height(line.size)
    return to_bitmap(canvas)


def to_bitmap(canvas: Image.Image) -> Image.Image:
    """Grey to the two tones a thermal head has."""
    return canvas.point(lambda value: WHITE if value >= 128 else BLACK).convert("1")
