"""Themes against the numbers of shared/reference/accessibility.md (requirements 10, 11, 13, 14)."""

from __future__ import annotations

import pytest

from kiosk.accessibility.theme import (
    CAP_HEIGHT_PER_EM,
    PALETTES,
    contrast_ratio,
    make_theme,
    relative_luminance,
)

HIGH_CONTRAST = ("black-on-white", "white-on-black", "yellow-on-black")


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("#808080") == pytest.approx(0.2158605, rel=1e-4)


@pytest.mark.parametrize("mode", sorted(PALETTES))
def test_body_text_contrast(mode: str) -> None:
    p = PALETTES[mode]
    needed = 10.0 if mode in HIGH_CONTRAST else 7.0
    for fg, bg in [
        (p.text, p.page),
        (p.muted, p.page),
        (p.text, p.tile),
        (p.muted, p.tile),
        (p.header_text, p.header),
        (p.badge_text, p.badge),
        (p.warning_text, p.warning),
    ]:
        assert contrast_ratio(fg, bg) >= needed, (mode, fg, bg)


@pytest.mark.parametrize("mode", sorted(PALETTES))
def test_focus_ring_and_borders_stand_out(mode: str) -> None:
    p = PALETTES[mode]
    for surface in (p.page, p.tile):
        assert contrast_ratio(p.focus, surface) >= 3.0, (mode, surface)
    assert contrast_ratio(p.header_focus, p.header) >= 3.0
    assert contrast_ratio(p.tile_border, p.page) >= 3.0


@pytest.mark.parametrize(("size", "cap_mm"), [("default", 4.8), ("elderly", 6.4), ("largest", 8.5)])
@pytest.mark.parametrize("dpi", [72.0, 92.56, 160.0])
def test_text_is_at_least_the_required_capital_height(size: str, cap_mm: float, dpi: float) -> None:
    theme = make_theme("default", size, elderly=False, dpi=dpi)
    measured_mm = theme.body_px * CAP_HEIGHT_PER_EM / theme.px_per_mm
    assert measured_mm >= cap_mm
    assert theme.heading_px > theme.body_px


def test_elderly_mode_raises_the_size_and_lowers_the_choices() -> None:
    plain = make_theme("default", "default", elderly=False, dpi=96)
    elderly = make_theme("default", "default", elderly=True, dpi=96)
    assert elderly.size_mode == "elderly" and elderly.body_px > plain.body_px
    assert (plain.max_choices, elderly.max_choices) == (6, 4)
    largest = make_theme("default", "largest", elderly=True, dpi=96)
    assert largest.size_mode == "largest"


def test_targets_and_focus_ring_meet_their_minimums() -> None:
    theme = make_theme("default", "default", elderly=False, dpi=96)
    assert theme.target_px / theme.px_per_mm >= 12.7 - 0.2
    assert theme.gap_px / theme.px_per_mm >= 2.54
    assert theme.focus_ring_px >= 3


def test_unknown_modes_are_refused() -> None:
    with pytest.raises(ValueError):
        make_theme("pink", "default", elderly=False, dpi=96)
    with pytest.raises(ValueError):
        make_theme("default", "huge", elderly=False, dpi=96)
