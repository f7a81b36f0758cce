"""Measurements of one rendered screen against shared/reference/accessibility.md.

Each check returns one result with the worst value it found and the widget it found it in, so a
tester sees at once what to fix. Sizes are measured in millimetres through the theme's pixels
per millimetre; contrast is measured on the rendered pixels, not taken from the theme.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible, QFontMetricsF, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kiosk.accessibility.theme import CAP_HEIGHT_MM, MIN_GAP_MM, MIN_TARGET_MM, contrast_ratio
from kiosk.domain.messages import Message
from kiosk.i18n import Translations
from kiosk.ui.window import KioskWindow

HIGH_CONTRAST_THEMES = {"black-on-white", "white-on-black", "yellow-on-black"}


@dataclass(frozen=True)
class Check:
    check: str
    passed: bool
    measured: float | str
    required: float | str
    detail: str = ""


W = TypeVar("W", bound=QWidget)


def _visible(window: KioskWindow, kind: type[W]) -> list[W]:
    return [w for w in window.findChildren(kind) if w.isVisible() and w.width() > 0]


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    return f"{type(widget).__name__} {widget.objectName() or ''} {text[:24]!r}".strip()


def _rect_in_window(window: KioskWindow, widget: QWidget) -> QRect:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return QRect(top_left, widget.size())


def accessible_names(window: KioskWindow) -> Check:
    """Requirement 22: every interactive widget has a name and the role of a button."""
    missing = []
    for button in _visible(window, QAbstractButton):
        interface = QAccessible.queryAccessibleInterface(button)
        role_ok = interface is not None and interface.role() == QAccessible.Role.Button
        if not button.accessibleName().strip() or not role_ok:
            missing.append(_name(button))
    return Check("accessible_name", not missing, len(missing), 0, "; ".join(missing[:5]))


def target_sizes(window: KioskWindow) -> Check:
    """Requirement 14: every touch target at least 12.7 mm on each side."""
    per_mm = window.theme.px_per_mm
    worst, where = float("inf"), ""
    for button in _visible(window, QAbstractButton):
        side = min(button.width(), button.height()) / per_mm
        if side < worst:
            worst, where = side, _name(button)
    if worst == float("inf"):
        return Check("target_size_mm", True, "no targets", MIN_TARGET_MM)
    return Check(
        "target_size_mm", worst >= MIN_TARGET_MM - 0.05, round(worst, 2), MIN_TARGET_MM, where
    )


def target_spacing(window: KioskWindow) -> Check:
    """Requirement 14: at least 2.54 mm between targets."""
    per_mm = window.theme.px_per_mm
    rects = [(_rect_in_window(window, b), _name(b)) for b in _visible(window, QAbstractButton)]
    worst, where = float("inf"), ""
    for i, (a, name_a) in enumerate(rects):
        for b, name_b in rects[i + 1 :]:
            dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1, 0)
            dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1, 0)
            gap = max(dx, dy) / per_mm
            if gap < worst:
                worst, where = gap, f"{name_a} / {name_b}"
    if worst == float("inf"):
        return Check("target_spacing_mm", True, "fewer than two targets", MIN_GAP_MM)
    return Check(
        "target_spacing_mm", worst >= MIN_GAP_MM - 0.05, round(worst, 2), MIN_GAP_MM, where
    )


def _text_widgets(window: KioskWindow) -> list[QWidget]:
    widgets: list[QWidget] = []
    for widget in _visible(window, QLabel) + _visible(window, QAbstractButton):
        if isinstance(widget, QLabel | QAbstractButton) and widget.text().strip():
            widgets.append(widget)
    return widgets


def capital_height(window: KioskWindow, size: str) -> Check:
    """Requirement 10: capital height at least 4.8 / 6.4 / 8.5 mm, from the font's metrics."""
    required = CAP_HEIGHT_MM[size]
    per_mm = window.theme.px_per_mm
    worst, where = float("inf"), ""
    for widget in _text_widgets(window):
        cap_mm = QFontMetricsF(widget.font()).capHeight() / per_mm
        if cap_mm < worst:
            worst, where = cap_mm, _name(widget)
    return Check("cap_height_mm", worst >= required - 0.05, round(worst, 2), required, where)


# The contrast of a region's pixels, by a digest of them. The same label drawn the same way
# comes back in many scenes (the header and footer, one screen reached by several routes): a
# whole audit measured 40320 regions, of which 11616 differed, and counting their colours was a
# quarter of the audit's time. Equal pixels give an equal count, so the result is the same.
_CONTRAST_OF_PIXELS: dict[bytes, float] = {}


def _region_contrast(image: QImage, rect: QRect) -> float:
    part = image.copy(rect).convertToFormat(QImage.Format.Format_RGB32)
    pixels = memoryview(part.constBits())
    key = hashlib.blake2b(pixels, digest_size=16, person=b"%dx%d" % (rect.width(), rect.height()))
    digest = key.digest()
    ratio = _CONTRAST_OF_PIXELS.get(digest)
    if ratio is None:
        # Every third pixel keeps the colours' shares (glyph strokes are wider than 3 px at
        # these sizes) at a third of the counting.
        ratio = rendered_contrast(Counter(pixels.cast("I")[::3]))
        _CONTRAST_OF_PIXELS[digest] = ratio
    return ratio


def _hex(rgb: int) -> str:
    return f"#{rgb & 0xFFFFFF:06X}"


def rendered_contrast(rgb_counts: Counter[int]) -> float:
    """Text against its background as drawn: the most common colour is the background, the
    text is the drawn colour that stands out most from it (anti-aliased edges in between)."""
    total = sum(rgb_counts.values())
    background = _hex(rgb_counts.most_common(1)[0][0])
    # Ignore specks: a colour must cover 0.3 % of the area to count as the text's, but a short
    # word in a wide label covers less than that, so a score of samples is always enough.
    enough = max(3, min(total * 0.003, 20))
    candidates = [_hex(c) for c, n in rgb_counts.items() if n >= enough]
    return max((contrast_ratio(background, c) for c in candidates), default=1.0)


def text_contrast(window: KioskWindow, image: QImage, colour: str) -> Check:
    """Requirement 11: body text at least 7:1, and 10:1 in the high-contrast themes."""
    required = 10.0 if colour in HIGH_CONTRAST_THEMES else 7.0
    worst, where = float("inf"), ""
    for widget in _text_widgets(window):
        rect = _rect_in_window(window, widget).intersected(image.rect())
        if rect.isEmpty():
            continue
        ratio = _region_contrast(image, rect)
        if ratio < worst:
            worst, where = ratio, _name(widget)
    if worst == float("inf"):
        return Check("text_contrast", False, "no text", required)
    return Check("text_contrast", worst >= required, round(worst, 2), required, where)


def focus_ring(window: KioskWindow) -> Check:
    """Requirement 13: the focused control has a ring at least 3 px thick with 3:1 contrast."""
    focused = QApplication.focusWidget()
    if not isinstance(focused, QAbstractButton) or not focused.isVisible():
        buttons = _visible(window, QAbstractButton)
        if not buttons:
            return Check("focus_ring", True, "nothing to focus", "3 px, 3:1")
        focused = buttons[0]
        focused.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
    rect = _rect_in_window(window, focused)
    palette = window.theme.palette
    ring = palette.header_focus if focused.parentWidget() is window.header else palette.focus
    # Walk in from the left edge along the middle row, counting pixels of the ring's colour:
    # only that row is drawn again, from two pixels left of the control (a whole window's
    # grab for one row was a tenth of the audit).
    y = rect.center().y()
    left = max(0, rect.left() - 2)
    image = window.grab(QRect(left, y, rect.left() + 12 - left, 1)).toImage()
    thickness = 0
    for x in range(rect.left(), rect.left() + 12):
        if _hex(image.pixel(x - left, 0)) == ring.upper():
            thickness += 1
        elif thickness:
            break
    outside = _hex(image.pixel(0, 0))
    ratio = contrast_ratio(ring, outside)
    passed = thickness >= 3 and ratio >= 3.0
    return Check(
        "focus_ring", passed, f"{thickness} px, {ratio:.1f}:1", "3 px, 3:1", _name(focused)
    )


def keypad_reachable(window: KioskWindow) -> Check:
    """Requirement 7 and 9: every actionable element is in the focus chain the keys move along."""
    buttons = [b for b in _visible(window, QAbstractButton) if b.isEnabled()]
    chain: list[QWidget] = []
    widget: QWidget | None = window.nextInFocusChain()
    while widget is not None and widget is not window and widget not in chain:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    unreachable = [
        _name(b)
        for b in buttons
        if b not in chain or not (b.focusPolicy() & Qt.FocusPolicy.TabFocus)
    ]
    return Check(
        "keypad_reachable", not unreachable, len(unreachable), 0, "; ".join(unreachable[:5])
    )


def focus_order(window: KioskWindow) -> Check:
    """Requirement 9: the keys move through the choices in reading order."""
    tiles = [t for t in window.choice_screen.tiles if t.isVisible()]
    if window.stack.currentWidget() is not window.choice_screen or len(tiles) < 2:
        return Check("focus_order", True, "fewer than two choices", "reading order")
    order: list[QWidget] = []
    widget: QWidget | None = tiles[0]
    # Round the whole chain once: hidden widgets (a spare panel) may sit between two tiles, and
    # the keys pass over them.
    for _ in range(5000):
        if widget is None:
            break
        if widget in tiles and widget not in order:
            order.append(widget)
        widget = widget.nextInFocusChain()
        if widget is tiles[0]:
            break
    reading = sorted(tiles, key=lambda t: (t.mapTo(window, t.rect().topLeft()).y(), t.x()))
    passed = order == reading
    return Check(
        "focus_order", passed, "reading order" if passed else "out of order", "reading order"
    )


def no_clipping(window: KioskWindow) -> Check:
    """Text that does not fit its box is cut off; Chinese at elderly sizes is where it breaks."""
    clipped = []
    for label in _visible(window, QLabel):
        text = label.text()
        if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
            continue
        inner = label.contentsRect()
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 1:
                clipped.append(f"{_name(label)} needs {needed} px, has {label.height()}")
        else:
            width = label.fontMetrics().horizontalAdvance(text)
            if width > inner.width() + 1:
                clipped.append(f"{_name(label)} needs {width} px, has {inner.width()}")
    for button in _visible(window, QAbstractButton):
        if button.text():
            needed = button.fontMetrics().horizontalAdvance(button.text())
            if needed > button.contentsRect().width():
                clipped.append(f"{_name(button)} needs {needed} px")
    return Check("no_clipping", not clipped, len(clipped), 0, "; ".join(clipped[:4]))


def fits_screen(window: KioskWindow, width: int, height: int) -> Check:
    """Everything on the kiosk's screen: a layout taller than the screen hides its bottom."""
    layout = window.layout()
    needed = layout.totalMinimumSize() if layout is not None else window.minimumSizeHint()
    passed = needed.height() <= height and needed.width() <= width
    return Check("fits_screen", passed, f"{needed.width()}x{needed.height()}", f"{width}x{height}")


def choice_count(window: KioskWindow) -> Check:
    """Requirement 20 and ui.md: at most six choices, at most four in the elderly mode."""
    count = len([t for t in window.choice_screen.tiles if t.isVisible()])
    limit = window.theme.max_choices
    return Check("choice_count", count <= limit, count, limit)


def spoken_prompt(window: KioskWindow, translations: Translations) -> Check:
    """Requirement 1: the screen can be spoken, in both languages, from the same message ids."""
    messages: Iterable[Message] = window.content.spoken()
    messages = list(messages)
    missing = [
        f"{m.id} ({language})"
        for m in messages
        for language in ("zh_CN", "en")
        if m.id != "published" and not translations.get(language).has(m.id)
    ]
    passed = bool(messages) and not missing
    measured = f"{len(messages)} prompts" if not missing else f"{len(missing)} untranslated"
    return Check(
        "spoken_prompt",
        passed,
        measured,
        "a translated prompt in zh_CN and en",
        "; ".join(missing[:5]),
    )
