"""Themes made from a colour mode and a size mode, with sizes in millimetres (requirement 10).

Qt-free: the theme is numbers and colours, turned into a Qt style sheet by kiosk.ui. Text sizes
are given as the capital height the accessibility reference asks for and converted through the
screen's physical density, so a 32-inch and a 21-inch kiosk show letters of the same height.
"""

from __future__ import annotations

from typing import NamedTuple

MM_PER_INCH = 25.4
# Noto Sans CJK's capital height is 733/1000 of its em (OS/2 sCapHeight).
CAP_HEIGHT_PER_EM = 0.733
# A 23.8-inch 1920x1080 panel, the most common kiosk screen, when the screen cannot say.
FALLBACK_DPI = 92.56

# Requirement 10: capital height at least 4.8 mm, 6.4 mm in the elderly mode, 8.5 mm largest.
CAP_HEIGHT_MM = {"default": 4.8, "elderly": 6.4, "largest": 8.5}
# Requirement 14: touch targets at least 12.7 mm, at least 2.54 mm apart.
MIN_TARGET_MM = 12.7
MIN_GAP_MM = 2.54
# Requirement 13: a focus ring at least 3 px thick.
FOCUS_RING_MIN_PX = 3
# Requirement 20: the elderly mode offers at most this many choices (the sketch shows four).
ELDERLY_MAX_CHOICES = 4
MAX_CHOICES = 6


# How much larger than body text headings and choice labels are, by size mode. The body text is
# what requirement 10 sets; at the larger sizes headings grow less, or a screen of large print
# would no longer fit a 1080-line kiosk screen.
_EMPHASIS = {"default": (1.7, 1.5), "elderly": (1.45, 1.3), "largest": (1.25, 1.15)}


# Named tuples rather than frozen dataclasses: as immutable, and made before every first frame
# for a tenth of the CPU (kiosk.config says the same of its sections).
class Palette(NamedTuple):
    page: str
    text: str
    muted: str  # secondary lines; still body text, so still at least 7:1
    header: str
    header_text: str
    tile: str
    tile_border: str
    badge: str
    badge_text: str
    focus: str
    header_focus: str  # the ring on the header's buttons, which sit on the header colour
    warning: str  # the inactivity warning band
    warning_text: str


def _two_colours(ink: str, paper: str, focus: str) -> Palette:
    """A high-contrast theme: text, borders and badges in one colour on the other, nothing in
    between (the warning band and badges reversed), and a focus ring in a third colour."""
    return Palette(
        page=paper,
        text=ink,
        muted=ink,
        header=paper,
        header_text=ink,
        tile=paper,
        tile_border=ink,
        badge=ink,
        badge_text=paper,
        focus=focus,
        header_focus=focus,
        warning=ink,
        warning_text=paper,
    )


PALETTES: dict[str, Palette] = {
    "default": Palette(
        page="#FFFFFF",
        text="#0F1B2D",
        muted="#2C3A52",
        header="#0B3D7A",
        header_text="#FFFFFF",
        tile="#EEF3FA",
        tile_border="#0B3D7A",
        badge="#0B3D7A",
        badge_text="#FFFFFF",
        focus="#B93800",
        header_focus="#FFC233",
        warning="#FFF1C2",
        warning_text="#1A1300",
    ),
    "black-on-white": _two_colours(ink="#000000", paper="#FFFFFF", focus="#0033CC"),
    "white-on-black": _two_colours(ink="#FFFFFF", paper="#000000", focus="#FFD500"),
    "yellow-on-black": _two_colours(ink="#FFFF00", paper="#000000", focus="#FFFFFF"),
}


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #RRGGBB colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class Theme(NamedTuple):
    """Pixel sizes and colours for one screen, one colour mode and one size mode."""

    colour_mode: str
    size_mode: str
    elderly: bool
    px_per_mm: float
    palette: Palette

    def mm(self, millimetres: float) -> int:
        return max(1, round(millimetres * self.px_per_mm))

    def font_px_for_cap(self, cap_mm: float) -> int:
        # Round up: rounding down would put the capital height under the required minimum.
        return int(-(-(cap_mm / CAP_HEIGHT_PER_EM) * self.px_per_mm // 1))

    @property
    def cap_height_mm(self) -> float:
        return CAP_HEIGHT_MM[self.size_mode]

    @property
    def body_px(self) -> int:
        return self.font_px_for_cap(self.cap_height_mm)

    @property
    def small_px(self) -> int:
        # Secondary lines stay at the required minimum: the minimum is for all text.
        return self.body_px

    @property
    def heading_px(self) -> int:
        return self.font_px_for_cap(self.cap_height_mm * _EMPHASIS[self.size_mode][0])

    @property
    def title_px(self) -> int:
        return self.font_px_for_cap(self.cap_height_mm * _EMPHASIS[self.size_mode][1])

    @property
    def tile_label_px(self) -> int:
        return self.font_px_for_cap(self.cap_height_mm * _EMPHASIS[self.size_mode][1])

    @property
    def badge_px(self) -> int:
        """The side of a choice's digit badge: room for its digit at the label's size."""
        return max(self.mm(15), round(self.tile_label_px * 1.35))

    @property
    def focus_ring_px(self) -> int:
        return max(FOCUS_RING_MIN_PX, self.mm(1.2))

    @property
    def target_px(self) -> int:
        return self.mm(MIN_TARGET_MM)

    @property
    def gap_px(self) -> int:
        return max(self.mm(MIN_GAP_MM), self.mm(6))

    @property
    def large_print(self) -> bool:
        """Elderly mode or the largest size: fewer, wider choices, so long labels still fit."""
        return self.elderly or self.size_mode == "largest"

    @property
    def max_choices(self) -> int:
        return ELDERLY_MAX_CHOICES if self.large_print else MAX_CHOICES

    @property
    def choice_columns(self) -> int:
        return 2 if self.large_print else 3


def make_theme(
    colour_mode: str, size_mode: str, *, elderly: bool, dpi: float, scale: float = 1.0
) -> Theme:
    """The theme for a screen of `dpi` physical density shown at `scale` of its real size.

    `scale` < 1 shrinks a kiosk layout onto a smaller desktop (development only): millimetres are
    then no longer true, which is why a deployed kiosk runs full screen at scale 1.
    """
    if colour_mode not in PALETTES:
        raise ValueError(f"unknown colour mode {colour_mode!r}")
    if size_mode not in CAP_HEIGHT_MM:
        raise ValueError(f"unknown size mode {size_mode!r}")
    if elderly and CAP_HEIGHT_MM[size_mode] < CAP_HEIGHT_MM["elderly"]:
        size_mode = "elderly"
    return Theme(
        colour_mode=colour_mode,
        size_mode=size_mode,
        elderly=elderly,
        px_per_mm=dpi / MM_PER_INCH * scale,
        palette=PALETTES[colour_mode],
    )
