"""Shared by the receipt printer's tests: fixed sample receipts and where golden files live."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.domain.receipt import PaperWidth, Receipt, ReceiptKind, sample_receipt

# Fixed, so that the golden bytes do not change with the clock.
NOW = dt.datetime(2025, 5, 1, 9, 30, 15)
KIOSK_ID = "ZZ-JINSHUI-007"
GOLDEN = Path(__file__).with_name("golden")
KINDS = tuple(ReceiptKind)
WIDTHS = tuple(PaperWidth)


def fixed_receipt(kind: ReceiptKind) -> Receipt:
    return sample_receipt(kind, KIOSK_ID, NOW)
