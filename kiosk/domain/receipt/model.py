"""The receipt as values: its blocks, its kind, the paper it is laid out for, and its form as data.

Columns are counted the way a Chinese ESC/POS printer counts them in its GB18030 text mode: an
ASCII character takes one column (12 dots), every other character is printed from the two-byte
font and takes two (24 dots), whatever Unicode's East Asian Width calls it ("·", "—" and "“"
included).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

__all__ = [
    "CELL_DOTS",
    "ISSUER",
    "SAMPLE_MARK",
    "SAMPLE_SPOKEN",
    "Align",
    "Block",
    "Columns",
    "Feed",
    "PaperWidth",
    "QrCode",
    "Receipt",
    "ReceiptKind",
    "Separator",
    "Size",
    "Text",
    "receipt_from_data",
    "receipt_to_data",
]

ISSUER = "郑州市居民服务一卡通"
SAMPLE_MARK = "※ 样例 · 非正式凭证 ※"
SAMPLE_SPOKEN = "这是一张样例凭条，不是正式凭证。"


class PaperWidth(Enum):
    """Thermal paper widths, with the printable columns and dots of a 203 dpi head."""

    MM58 = 58
    MM80 = 80

    @property
    def columns(self) -> int:
        return 32 if self is PaperWidth.MM58 else 48

    @property
    def dots(self) -> int:
        return self.columns * CELL_DOTS

    @classmethod
    def from_mm(cls, millimetres: int) -> PaperWidth:
        for width in cls:
            if width.value == millimetres:
                return width
        raise ValueError(f"paper is 58 or 80 mm wide, not {millimetres}")


# One column of Font A: 12 dots wide, 24 high.
CELL_DOTS = 12


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class Size(StrEnum):
    """The printer's own character sizes (GS !): no scaling that a printer could not do."""

    NORMAL = "normal"
    TALL = "tall"  # double height
    DOUBLE = "double"  # double width and height

    @property
    def width_factor(self) -> int:
        return 2 if self is Size.DOUBLE else 1

    @property
    def height_factor(self) -> int:
        return 1 if self is Size.NORMAL else 2


# --- the receipt ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A paragraph, wrapped to the paper. `private` marks personal data (never read aloud)."""

    text: str
    bold: bool = False
    size: Size = Size.NORMAL
    align: Align = Align.LEFT
    private: bool = False


@dataclass(frozen=True)
class Columns:
    """A label and its value: the label on the left, the value against the right edge."""

    left: str
    right: str
    bold: bool = False
    private: bool = False
    # How the value is read aloud when that differs from print (a code spelled out).
    spoken: str | None = None


@dataclass(frozen=True)
class Separator:
    heavy: bool = False


@dataclass(frozen=True)
class QrCode:
    """A QR code, centred. `spoken` says what it is for, since a code cannot be read aloud."""

    payload: str
    spoken: str = ""
    module_dots: int = 6


@dataclass(frozen=True)
class Feed:
    lines: int = 1


Block = Text | Columns | Separator | QrCode | Feed


class ReceiptKind(StrEnum):
    """Which document a receipt is: each has its own builder in kiosk.domain.receipt.documents."""

    TEST = "test"
    CERTIFICATE = "certificate"
    COMPLAINT = "complaint"
    LOSS = "loss"
    # Lifting a loss report, a reissue or a replacement: a request on the card's life (Art. 2).
    CARD_REQUEST = "card_request"
    PIN_CHANGE = "pin_change"
    PIN_RESET = "pin_reset"  # at a counter, after staff checked the identity card
    PIN_BLOCKED = "pin_blocked"  # what to bring to a counter


@dataclass(frozen=True)
class Receipt:
    """One document. `reference` is what makes it retrievable without the paper (a certificate's
    verification code, a tracking number); `sample` marks fictional content on the paper itself.
    """

    kind: ReceiptKind
    title: str
    blocks: tuple[Block, ...]
    footer: tuple[str, ...] = ()
    issuer: str = ""
    reference: str = ""
    sample: bool = False

    @property
    def qr_payload(self) -> str | None:
        """The first QR code's content: what the kiosk shows on screen when paper fails."""
        for block in self.blocks:
            if isinstance(block, QrCode):
                return block.payload
        return None

    def __repr__(self) -> str:  # a stray repr in a log must not carry the receipt's content
        return f"Receipt(kind={self.kind.value}, blocks={len(self.blocks)}, sample={self.sample})"


# --- keeping a receipt as data (a job that did not print is kept, not lost) ------------------

_BLOCK_TYPES: dict[str, type[Block]] = {
    "text": Text,
    "columns": Columns,
    "separator": Separator,
    "qr": QrCode,
    "feed": Feed,
}
_BLOCK_NAMES = {cls: name for name, cls in _BLOCK_TYPES.items()}


def receipt_to_data(receipt: Receipt) -> dict[str, Any]:
    """JSON-ready form. It holds whatever the receipt holds, personal data included: keep it
    in memory for the session, or on disk only for sample content."""
    return {
        "kind": receipt.kind.value,
        "title": receipt.title,
        "issuer": receipt.issuer,
        "reference": receipt.reference,
        "sample": receipt.sample,
        "footer": list(receipt.footer),
        "blocks": [_block_to_data(block) for block in receipt.blocks],
    }


def _block_to_data(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = {"type": _BLOCK_NAMES[type(block)]}
    for name, value in vars(block).items():
        data[name] = value.value if isinstance(value, Enum) else value
    return data


def receipt_from_data(data: Mapping[str, Any]) -> Receipt:
    """The inverse of receipt_to_data; ValueError on anything that is not such data."""
    try:
        blocks = tuple(_block_from_data(item) for item in data["blocks"])
        footer = data.get("footer", [])
        if not isinstance(footer, list) or not all(isinstance(x, str) for x in footer):
            raise ValueError("footer must be a list of strings")
        return Receipt(
            kind=ReceiptKind(data["kind"]),
            title=_string(data["title"]),
            blocks=blocks,
            footer=tuple(footer),
            issuer=_string(data.get("issuer", "")),
            reference=_string(data.get("reference", "")),
            sample=bool(data.get("sample", False)),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"not a receipt: {error!r}") from None


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    return value


def _block_from_data(item: Mapping[str, Any]) -> Block:
    fields = dict(item)
    cls = _BLOCK_TYPES.get(str(fields.pop("type", "")))
    if cls is None:
        raise ValueError(f"unknown block type {item.get('type')!r}")
    if "size" in fields:
        fields["size"] = Size(fields["size"])
    if "align" in fields:
        fields["align"] = Align(fields["align"])
    return cls(**fields)
