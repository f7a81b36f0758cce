"""The Qt style sheet, made from a theme: every size and colour comes from the theme's numbers,
so switching size or contrast mid-task restyles the window without rebuilding it."""

from __future__ import annotations

from kiosk.accessibility.theme import Theme


def style_sheet(theme: Theme, family: str) -> str:
    p = theme.palette
    ring = theme.focus_ring_px
    border = max(2, theme.mm(0.6))
    radius = theme.mm(2.5)
    pad = theme.mm(3)
    return f"""
QWidget {{
    font-family: "{family}";
    font-size: {theme.body_px}px;
    color: {p.text};
}}
#kioskRoot, #body, QStackedWidget {{ background: {p.page}; }}
#header {{ background: {p.header}; border-bottom: {border}px solid {p.header_text}; }}
#header QLabel {{ color: {p.header_text}; background: transparent; }}
#serviceTitle {{ font-size: {theme.title_px}px; font-weight: bold; }}
#footer {{ background: {p.page}; border-top: {border}px solid {p.tile_border}; }}
QLabel {{ background: transparent; }}
#heading {{ font-size: {theme.heading_px}px; font-weight: bold; }}
#hint, #muted, #timeLeft {{ color: {p.muted}; }}
/* Alignment in the style sheet keeps it with the other looks of each label. */
#timeLeft {{ qproperty-alignment: 'AlignRight | AlignVCenter'; }}
#illustration, #pinDisplay, QLabel#tileBadge {{ qproperty-alignment: AlignCenter; }}
#warning {{
    qproperty-alignment: AlignCenter;
    background: {p.warning}; color: {p.warning_text};
    font-weight: bold; padding: {pad}px; border-radius: {radius}px;
}}
#noticeText {{ font-size: {theme.heading_px}px; }}
QPushButton {{
    background: {p.tile};
    color: {p.text};
    border: {border}px solid {p.tile_border};
    border-radius: {radius}px;
    padding: {pad}px;
    min-height: {theme.target_px}px;
    min-width: {theme.target_px}px;
}}
#header QPushButton {{
    background: {p.header};
    color: {p.header_text};
    border: {border}px solid {p.header_text};
}}
#footer QPushButton {{ min-width: {theme.mm(40)}px; font-weight: bold; }}
QPushButton:focus {{
    border: {ring}px solid {p.focus};
    padding: {max(0, pad - ring + border)}px;
}}
#header QPushButton:focus {{
    border: {ring}px solid {p.header_focus};
    padding: {max(0, pad - ring + border)}px;
}}
QPushButton:pressed {{ background: {p.page}; }}
QLabel#tileLabel {{ color: {p.text}; font-size: {theme.tile_label_px}px; font-weight: bold; }}
QLabel#tileBadge {{
    background: {p.badge}; color: {p.badge_text};
    font-size: {theme.tile_label_px}px; font-weight: bold;
    border-radius: {theme.badge_px // 2}px;
}}
QFrame#panel {{
    background: {p.tile};
    border: {border}px solid {p.tile_border};
    border-radius: {radius}px;
}}
#pinDisplay {{
    font-size: {theme.heading_px}px;
    border: {border}px solid {p.tile_border};
    border-radius: {radius}px;
    background: {p.tile};
    padding: {pad}px;
}}
#keypadKey {{ font-size: {theme.heading_px}px; font-weight: bold; }}
#error {{ font-weight: bold; }}
/* The audio-only mode's cover (requirement 6): the screen dark, whatever the theme. */
#blankScreen {{ background: #000000; border: none; }}
"""
