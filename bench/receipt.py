"""Receipts to ESC/POS bytes and to a PNG, against python-escpos composing the same content.

- receipt_escpos_58mm / _80mm: the sample certificate laid out and encoded (GB18030 text, native
  QR, cut) by kiosk.devices.printer.encoder; baseline: the same laid-out lines, QR code and cut
  composed through python-escpos's own text API (set, textln, qr, cut), as one would without
  the kiosk's encoder. That baseline is not a working alternative: it never selects the
  printer's Chinese mode (FS &), its double sizes (ESC !) leave Chinese characters small, and a
  line without an ideograph (the test page's punctuation line) goes through its code pages and
  comes out as "?" (the notes count them, on the 58 mm test page).
- receipt_escpos_raster_80mm: the same receipt with every line printed as an image (for
  printers without a Chinese font); same baseline.
- receipt_png_80mm: the simulated printer end to end: encode, parse the bytes, draw them and
  write the PNG; same baseline, to show what the preview costs next to composing the bytes.

Medians of warm runs (the glyph cache and python-escpos's profile loaded once before timing).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from bench import Result

ROUNDS = 40
PNG_ROUNDS = 12


def _median_ms(action: Callable[[], object], rounds: int) -> float:
    action()  # warm: caches, lazy imports
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def run() -> list[Result]:
    from kiosk.devices.printer import _escpos
    from kiosk.devices.printer.encoder import EscposEncoder, TextMode
    from kiosk.devices.printer.simulated import SimulatedPrinter
    from kiosk.domain.receipt import (
        PaperWidth,
        PrintFeed,
        PrintJob,
        PrintLine,
        PrintQr,
        Receipt,
        ReceiptKind,
        Size,
        layout,
        sample_receipt,
    )

    now = dt.datetime(2025, 5, 1, 9, 30)
    receipt = sample_receipt(ReceiptKind.CERTIFICATE, "bench-01", now)
    test_page = sample_receipt(ReceiptKind.TEST, "bench-01", now)

    def python_escpos(width: PaperWidth, receipt: Receipt = receipt) -> bytes:
        printer = _escpos.Dummy(profile=_escpos.profile_for(width.dots, width.columns))
        for item in layout(receipt, width).items:
            if isinstance(item, PrintLine):
                printer.set(
                    bold=item.bold,
                    double_height=item.size is not Size.NORMAL,
                    double_width=item.size is Size.DOUBLE,
                    normal_textsize=item.size is Size.NORMAL,
                )
                printer.textln(item.text)
            elif isinstance(item, PrintQr):
                printer.set(align="center")
                printer.qr(item.payload, size=item.module_dots, native=True)
                printer.set(align="left")
            elif isinstance(item, PrintFeed):
                printer.ln(item.lines)
        printer.cut()
        output: bytes = printer.output
        return output

    narrow = PaperWidth.MM58
    lost = python_escpos(narrow, test_page).count(b"?") - (
        EscposEncoder(narrow).encode(test_page).data.count(b"?")
    )
    results: list[Result] = []
    for width in (PaperWidth.MM58, PaperWidth.MM80):
        encoder = EscposEncoder(width)
        ours = encoder.encode(receipt).data
        theirs = python_escpos(width)
        value = _median_ms(lambda e=encoder: e.encode(receipt), ROUNDS)
        baseline = _median_ms(lambda w=width: python_escpos(w), ROUNDS)
        results.append(
            Result.against(
                f"receipt_escpos_{width.value}mm",
                value,
                baseline,
                "ms",
                notes=f"certificate {len(ours)} bytes, python-escpos {len(theirs)}; it turns "
                f"{lost} characters of the 58 mm test page into '?'",
            )
        )

    width = PaperWidth.MM80
    raster = EscposEncoder(width, TextMode.RASTER)
    raster_bytes = len(raster.encode(receipt))
    results.append(
        Result.against(
            "receipt_escpos_raster_80mm",
            _median_ms(lambda: raster.encode(receipt), PNG_ROUNDS),
            _median_ms(lambda: python_escpos(width), ROUNDS),
            "ms",
            notes=f"{raster_bytes} bytes: every line an image",
        )
    )

    def png() -> bytes:
        printer = SimulatedPrinter(width)
        printer.print_job(PrintJob(receipt))
        data = printer.last_png()
        assert data is not None
        return data

    png_bytes = len(png())
    results.append(
        Result.against(
            "receipt_png_80mm",
            _median_ms(png, PNG_ROUNDS),
            _median_ms(lambda: python_escpos(width), ROUNDS),
            "ms",
            notes=f"sim printer: bytes, parse, draw, PNG ({png_bytes} bytes of PNG)",
        )
    )
    return results
