"""Golden bytes: each receipt kind at both widths, byte for byte, as the printer is sent it.

The golden files under golden/ are the ESC/POS of the fixed sample receipts (printer_helpers:
a fixed clock and kiosk id). Any change to a byte fails here; when a change is meant, look at
the sim printer's PNG of it, then regenerate and review the diff:

    KIOSK_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest \
        tests/devices/printer/test_printer_golden.py
"""

from __future__ import annotations

import os

import pytest
from printer_helpers import GOLDEN, KINDS, WIDTHS, fixed_receipt

from kiosk.devices.printer.encoder import CHINESE_MODE, INITIALISE, EscposEncoder
from kiosk.domain.receipt import PaperWidth, ReceiptKind

REGENERATE = os.environ.get("KIOSK_REGENERATE_GOLDEN") == "1"


def golden_path(kind: ReceiptKind, width: PaperWidth):
    return GOLDEN / f"{kind.value}-{width.value}mm.bin"


def first_difference(actual: bytes, expected: bytes) -> str | None:
    """None when equal; else where they part, with the bytes around it."""
    if actual == expected:
        return None
    at = next(
        (i for i, (a, e) in enumerate(zip(actual, expected, strict=False)) if a != e),
        min(len(actual), len(expected)),
    )
    around = slice(max(at - 8, 0), at + 8)
    return (
        f"bytes differ at offset {at} (lengths {len(actual)} and {len(expected)}): "
        f"got {actual[around].hex(' ')}, golden {expected[around].hex(' ')}"
    )


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w.value}mm")
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_receipt_bytes_match_the_golden_file(kind: ReceiptKind, width: PaperWidth) -> None:
    actual = EscposEncoder(width).encode(fixed_receipt(kind)).data
    path = golden_path(kind, width)
    if REGENERATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(actual)
    assert path.exists(), f"no golden file {path.name}: regenerate (see this module's docstring)"
    assert first_difference(actual, path.read_bytes()) is None


def test_every_golden_file_belongs_to_a_receipt() -> None:
    expected = {golden_path(k, w).name for k in KINDS for w in WIDTHS}
    assert {p.name for p in GOLDEN.glob("*.bin")} == expected


@pytest.mark.parametrize("offset", [0, 3, 100, -1])
def test_a_single_changed_byte_is_caught(offset: int) -> None:
    golden = golden_path(ReceiptKind.TEST, PaperWidth.MM58).read_bytes()
    changed = bytearray(golden)
    changed[offset] ^= 0x01
    report = first_difference(bytes(changed), golden)
    assert report is not None
    assert f"offset {offset % len(golden)}" in report


def test_a_missing_or_extra_byte_is_caught() -> None:
    golden = golden_path(ReceiptKind.CERTIFICATE, PaperWidth.MM80).read_bytes()
    assert first_difference(golden[:-1], golden) is not None
    assert first_difference(golden + b"\n", golden) is not None


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w.value}mm")
def test_golden_files_start_with_initialise_and_chinese_mode_and_end_with_a_cut(
    width: PaperWidth,
) -> None:
    for kind in KINDS:
        data = golden_path(kind, width).read_bytes()
        assert data.startswith(INITIALISE + CHINESE_MODE), kind
        assert data.endswith(b"\x1dV\x00"), kind
        assert "郑州市居民服务一卡通".encode("gb18030") in data, kind
