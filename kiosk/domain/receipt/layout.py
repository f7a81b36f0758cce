"""A receipt laid out in printer columns for 58 mm (32 columns) and 80 mm (48 columns) paper."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kiosk.domain.receipt.model import (
    SAMPLE_MARK,
    Align,
    Block,
    Columns,
    Feed,
    PaperWidth,
    QrCode,
    Receipt,
    Separator,
    Size,
    Text,
)

__all__ = [
    "Layout",
    "PrintFeed",
    "PrintItem",
    "PrintLine",
    "PrintQr",
    "char_columns",
    "layout",
    "lines_text",
    "printable",
    "summarise",
    "text_columns",
    "wrap",
]

# --- columns and wrapping ------------------------------------------------------------------

# Characters that must not start a line: they hang on the line before (Chinese line breaking).
_NO_LINE_START = frozenset("，。、；：！？）》」』】〕”’…·,.;:!?)]%")


def char_columns(char: str) -> int:
    """1 for ASCII, 2 for everything else: the printer's single- and double-byte fonts."""
    return 1 if ord(char) < 0x80 else 2


def text_columns(text: str) -> int:
    return sum(char_columns(c) for c in text)


def printable(text: str) -> str:
    """Drops control characters (a stray ESC in content must not become a printer command)."""
    return "".join(c for c in text if c == "\n" or (c >= " " and c != "\x7f"))


def wrap(text: str, columns: int) -> list[str]:
    """Breaks text into lines of at most `columns`, never splitting a short ASCII word and
    never starting a line with closing punctuation. "\\n" forces a break."""
    if columns < 2:
        raise ValueError("a line needs at least two columns")
    lines: list[str] = []
    for paragraph in printable(text).split("\n"):
        lines.extend(_wrap_paragraph(paragraph.rstrip(), columns))
    return lines


def _wrap_paragraph(paragraph: str, columns: int) -> list[str]:
    lines: list[str] = []
    line = ""
    used = 0
    for char in paragraph:
        width = char_columns(char)
        if used + width <= columns:
            line += char
            used += width
            continue
        if char == " ":
            lines.append(line.rstrip())
            line, used = "", 0
            continue
        carry = ""
        if char.isascii() and char.isalnum():
            # Move the word begun on this line down, if it fits on a line of its own.
            start = len(line)
            while start > 0 and line[start - 1].isascii() and line[start - 1].isalnum():
                start -= 1
            if 0 < start < len(line) and text_columns(line[start:]) + width <= columns:
                line, carry = line[:start], line[start:]
        elif char in _NO_LINE_START and len(line) > 1:
            line, carry = line[:-1], line[-1]
        lines.append(line.rstrip())
        line = carry + char
        used = text_columns(line)
    if line or not lines:
        lines.append(line.rstrip())
    return lines


def _aligned(text: str, columns: int, align: Align) -> str:
    room = columns - text_columns(text)
    if room <= 0 or align is Align.LEFT:
        return text
    if align is Align.CENTER:
        return " " * (room // 2) + text
    return " " * room + text


def _columns_lines(left: str, right: str, columns: int) -> list[str]:
    left, right = printable(left).replace("\n", " "), printable(right).replace("\n", " ")
    left_width, right_width = text_columns(left), text_columns(right)
    if left_width + 1 + right_width <= columns:
        return [left + " " * (columns - left_width - right_width) + right]
    indent = left_width + 1
    if indent <= columns // 2:
        # A long value wraps in the room right of its label, so the label stays alone on the left.
        values = wrap(right, columns - indent)
        return [left + " " + values[0]] + [" " * indent + v for v in values[1:]]
    return wrap(left, columns) + [_aligned(v, columns, Align.RIGHT) for v in wrap(right, columns)]


# --- layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintLine:
    """One printed line: the text already padded for its alignment, without trailing spaces."""

    text: str
    bold: bool = False
    size: Size = Size.NORMAL


@dataclass(frozen=True)
class PrintQr:
    payload: str
    module_dots: int


@dataclass(frozen=True)
class PrintFeed:
    lines: int


PrintItem = PrintLine | PrintQr | PrintFeed


@dataclass(frozen=True)
class Layout:
    """A receipt laid out for one paper width, in sections: the title, each block, the footer.
    A printer checks its status between sections, so paper running out is noticed mid-receipt.
    """

    width: PaperWidth
    sections: tuple[tuple[PrintItem, ...], ...]

    @property
    def items(self) -> tuple[PrintItem, ...]:
        return tuple(item for section in self.sections for item in section)


def layout(receipt: Receipt, width: PaperWidth) -> Layout:
    columns = width.columns
    sections: list[tuple[PrintItem, ...]] = []
    header: list[PrintItem] = []
    if receipt.issuer and receipt.issuer != receipt.title:
        header += _text_lines(Text(receipt.issuer, align=Align.CENTER), columns)
    header += _text_lines(_title_block(receipt.title, columns), columns)
    if receipt.sample:
        header += _text_lines(Text(SAMPLE_MARK, bold=True, align=Align.CENTER), columns)
    header.append(PrintFeed(1))
    sections.append(tuple(header))
    for block in receipt.blocks:
        sections.append(tuple(_block_items(block, columns)))
    footer: list[PrintItem] = []
    if receipt.footer:
        footer += _text_lines(Separator(), columns)
        for line in receipt.footer:
            footer += _text_lines(Text(line, align=Align.CENTER), columns)
    if receipt.sample:
        footer += _text_lines(Text(SAMPLE_MARK, align=Align.CENTER), columns)
    if footer:
        sections.append(tuple(footer))
    return Layout(width, tuple(s for s in sections if s))


def _title_block(title: str, columns: int) -> Text:
    # The title is as large as the paper allows: double size if it fits on one line, else tall.
    size = Size.DOUBLE if text_columns(title) * 2 <= columns else Size.TALL
    return Text(title, bold=True, size=size, align=Align.CENTER)


def _block_items(block: Block, columns: int) -> list[PrintItem]:
    if isinstance(block, QrCode):
        return [PrintQr(block.payload, block.module_dots)]
    if isinstance(block, Feed):
        return [PrintFeed(block.lines)]
    return _text_lines(block, columns)


def _text_lines(block: Text | Columns | Separator, columns: int) -> list[PrintItem]:
    if isinstance(block, Separator):
        return [PrintLine(("=" if block.heavy else "-") * columns)]
    if isinstance(block, Columns):
        return [
            PrintLine(t.rstrip(), block.bold)
            for t in _columns_lines(block.left, block.right, columns)
        ]
    room = columns // block.size.width_factor
    return [
        PrintLine(_aligned(line, room, block.align).rstrip(), block.bold, block.size)
        for line in wrap(block.text, room)
    ]


def summarise(items: Iterable[PrintItem]) -> dict[str, int]:
    """Counts by kind, for logs that must not carry a receipt's content."""
    counts = {"lines": 0, "qr": 0, "feeds": 0}
    for item in items:
        key = (
            "lines"
            if isinstance(item, PrintLine)
            else "qr"
            if isinstance(item, PrintQr)
            else "feeds"
        )
        counts[key] += 1
    return counts


def lines_text(items: Sequence[PrintItem]) -> list[str]:
    """The text of the printed lines: what tests and the spoken check compare with."""
    return [item.text for item in items if isinstance(item, PrintLine)]
