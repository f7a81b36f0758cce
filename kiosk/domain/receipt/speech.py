"""A receipt in words, read aloud before it prints (voice mode, Art. 10)."""

from __future__ import annotations

from kiosk.domain.receipt.layout import printable
from kiosk.domain.receipt.model import SAMPLE_SPOKEN, Columns, QrCode, Receipt, Text

__all__ = [
    "PRIVATE_SPOKEN",
    "spell",
    "spoken_lines",
]

# --- speech --------------------------------------------------------------------------------

PRIVATE_SPOKEN = "（个人信息，不朗读）"


def spoken_lines(receipt: Receipt, *, include_private: bool = False) -> list[str]:
    """The receipt as plain sentences to read aloud before it prints (voice mode, Art. 10).

    Layout is dropped (separators, padding, line breaks inside a paragraph); codes are spelled
    out where the receipt says how. Personal data is left out unless `include_private` (a
    handset rather than a loudspeaker): its label is read with a note that it is not.
    """
    lines: list[str] = []
    if receipt.issuer and receipt.issuer != receipt.title:
        lines.append(receipt.issuer)
    lines.append(receipt.title)
    if receipt.sample:
        lines.append(SAMPLE_SPOKEN)
    for block in receipt.blocks:
        if isinstance(block, Text):
            if block.private and not include_private:
                continue
            lines.append(_one_line(block.text))
        elif isinstance(block, Columns):
            label = _one_line(block.left).rstrip("：:")
            if block.private and not include_private:
                lines.append(f"{label}{PRIVATE_SPOKEN}")
            else:
                value = block.spoken if block.spoken is not None else _one_line(block.right)
                lines.append(f"{label}：{value}")
        elif isinstance(block, QrCode) and block.spoken:
            lines.append(block.spoken)
    lines.extend(_one_line(line) for line in receipt.footer)
    return [line for line in lines if line]


def _one_line(text: str) -> str:
    return "".join(part.strip() for part in printable(text).split("\n"))


def spell(code: str) -> str:
    """7K3M-Q9XT -> "7 K 3 M，Q 9 X T": a code read one character at a time, groups apart."""
    return "，".join(" ".join(group) for group in code.split("-") if group)
