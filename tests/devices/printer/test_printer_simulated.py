"""The simulated printer's PNG: each kind at both widths, drawn from the bytes it was sent."""

from __future__ import annotations

import io

import pytest
from helpers.imports import loaded_by
from PIL import Image, ImageChops
from printer_helpers import KINDS, WIDTHS, fixed_receipt, laid_out_lines

from kiosk.devices.printer.address import TextMode
from kiosk.devices.printer.interface import PrinterControls, ReceiptPreview
from kiosk.devices.printer.simulated import SimulatedPrinter
from kiosk.domain.receipt import PaperWidth, PrintJob, ReceiptKind

MARGIN = 16


def png_of(printer: SimulatedPrinter) -> Image.Image:
    png = printer.last_png()
    assert png is not None and png.startswith(b"\x89PNG")
    return Image.open(io.BytesIO(png))


def ink_rows(image: Image.Image) -> list[int]:
    grey = image.convert("L")
    return [
        y for y in range(grey.height) if grey.crop((0, y, grey.width, y + 1)).getextrema()[0] == 0
    ]


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w.value}mm")
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_each_receipt_renders_as_a_png_the_width_of_its_paper(
    kind: ReceiptKind, width: PaperWidth
) -> None:
    printer = SimulatedPrinter(width)
    receipt = fixed_receipt(kind)
    printer.print_job(PrintJob(receipt))
    image = png_of(printer)
    assert image.width == width.dots + 2 * MARGIN
    lines = len(laid_out_lines(receipt, width))
    assert image.height > lines * 30  # every line, the QR code and the feed before the cut
    rows = ink_rows(image)
    assert rows and rows[0] < 60, "the issuer or title at the top"
    # The decoded text is the layout's, so the picture is of the right words.
    assert [t for t in printer.printed.lines if t] == [
        t for t in laid_out_lines(receipt, width) if t
    ]


def test_raster_text_prints_the_same_picture_as_text_mode() -> None:
    receipt = fixed_receipt(ReceiptKind.CERTIFICATE)
    text_mode = SimulatedPrinter(PaperWidth.MM58)
    raster_mode = SimulatedPrinter(PaperWidth.MM58, text_mode=TextMode.RASTER)
    text_mode.print_job(PrintJob(receipt))
    raster_mode.print_job(PrintJob(receipt))
    a, b = png_of(text_mode).convert("L"), png_of(raster_mode).convert("L")
    assert a.size == b.size
    assert ImageChops.difference(a, b).getbbox() is None
    assert raster_mode.printed.images > 0 and text_mode.printed.images == 0


def test_there_is_no_png_before_the_first_receipt() -> None:
    assert SimulatedPrinter().last_png() is None


def test_the_png_is_of_the_last_receipt() -> None:
    printer = SimulatedPrinter(PaperWidth.MM80)
    printer.print_job(PrintJob(fixed_receipt(ReceiptKind.TEST)))
    first = png_of(printer).size
    printer.print_job(PrintJob(fixed_receipt(ReceiptKind.CERTIFICATE)))
    assert png_of(printer).size != first
    assert len(printer.emulator.sheets()) == 2


def test_save_png_writes_the_file(tmp_path) -> None:
    printer = SimulatedPrinter(PaperWidth.MM58)
    assert not printer.save_png(tmp_path / "none.png")
    printer.print_job(PrintJob(fixed_receipt(ReceiptKind.LOSS)))
    assert printer.save_png(tmp_path / "loss.png")
    assert Image.open(tmp_path / "loss.png").width == PaperWidth.MM58.dots + 2 * MARGIN


def test_the_sim_offers_preview_and_fault_controls_through_the_interface() -> None:
    printer = SimulatedPrinter()
    assert isinstance(printer, ReceiptPreview) and isinstance(printer, PrinterControls)


def test_the_sim_keeps_every_byte_it_was_sent() -> None:
    printer = SimulatedPrinter(PaperWidth.MM58)
    printer.print_job(PrintJob(fixed_receipt(ReceiptKind.TEST)))
    assert "郑州市居民服务一卡通".encode("gb18030") in printer.sent
    assert printer.sent.count(b"\x1dV\x00") == 1


def test_printing_and_rendering_load_no_qt() -> None:
    # In a fresh interpreter: this test process may have loaded Qt for other tests.
    code = (
        "import datetime as dt\n"
        "from kiosk.devices.printer.factory import make_receipt_printer\n"
        "from kiosk.domain.receipt import PrintJob, ReceiptKind, sample_receipt\n"
        "p = make_receipt_printer('sim')\n"
        "p.print_job(PrintJob(sample_receipt(ReceiptKind.TEST, 'k', dt.datetime(2025, 1, 1))))\n"
        "assert p.last_png()\n"
    )
    assert loaded_by(code, ["PySide6"]) == []
