"""Shared by the receipt printer's tests: fixed sample receipts and where golden files live."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.domain.receipt import (
    PaperWidth,
    Receipt,
    ReceiptKind,
    layout,
    lines_text,
    sample_receipt,
)

# Fixed, so that the golden bytes do not change with the clock.
NOW = dt.datetime(2025, 5, 1, 9, 30, 15)
KIOSK_ID = "ZZ-JINSHUI-007"
GOLDEN = Path(__file__).with_name("golden")
KINDS = tuple(ReceiptKind)
WIDTHS = tuple(PaperWidth)
# The slip's title line, as a printer prints it.
TITLE = "郑州市居民服务一卡通"


def fixed_receipt(kind: ReceiptKind) -> Receipt:
    return sample_receipt(kind, KIOSK_ID, NOW)


def laid_out_lines(receipt: Receipt, width: PaperWidth) -> list[str]:
    """The receipt's lines as its layout for this paper has them: what the paper should show."""
    return lines_text(layout(receipt, width).items)
