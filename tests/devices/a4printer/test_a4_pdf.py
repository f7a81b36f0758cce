"""The A4 documents rendered to PDF with Qt, then read back as a person and a phone would:
its text (pdftotext) and its QR code (zbarimg, on the page rendered by pdftoppm)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from a4_tools import pdf_pages, pdf_text, qr_payloads

from kiosk.devices.a4printer.printers import PdfFolderPrinter, make_a4_printer
from kiosk.domain.a4 import (
    RightsContent,
    YearLine,
    certificate_document,
    rights_document,
)
from kiosk.domain.errors import PrinterOffline
from kiosk.domain.receipt import CertificateContent, InsuranceLine
from kiosk.ui.fonts import load_fonts

URL = "http://127.0.0.1:8765/v1/certificates/K7Q2-9XW3-M4PD"
ISSUED = dt.datetime(2026, 12, 2, 10, 30, tzinfo=dt.UTC)


def certificate(**changes: object) -> CertificateContent:
    values: dict[str, object] = {
        "code": "K7Q2-9XW3-M4PD",
        "issued": ISSUED,
        "valid_until": dt.date(2027, 3, 2),
        "holder_name": "王秀英",
        "holder_id_masked": "4101**********0027",
        "insurances": (
            InsuranceLine("城镇职工基本养老保险", "正常参保", "1995-07", "2026-11", 377),
            InsuranceLine("职工基本医疗保险", "正常参保", "2001-01", "2026-11", 311),
        ),
        "verify_url": URL,
        "kiosk_id": "demo-kiosk-01",
    }
    values.update(changes)
    return CertificateContent(**values)  # type: ignore[arg-type]


@pytest.fixture
def family(qapp) -> str:
    return load_fonts()


def test_the_certificate_reads_back_with_its_code_and_a_qr_to_verify_it(
    family: str, tmp_path: Path
) -> None:
    printer = PdfFolderPrinter(tmp_path / "a4", family)
    written = Path(printer.print_document(certificate_document(certificate())))
    assert written.parent == tmp_path / "a4" and written.suffix == ".pdf"
    assert list((tmp_path / "a4").glob("*.part")) == []
    assert "王秀英" not in written.name and "4101" not in written.name
    text = pdf_text(written)
    for expected in (
        "社会保险参保证明",
        "王秀英",
        "4101**********0027",
        "城镇职工基本养老保险",
        "1995-07 至 2026-11",
        "377",
        "K7Q2-9XW3-M4PD",
        "2027-03-02",
    ):
        assert expected in text, expected
    (page,) = pdf_pages(written, tmp_path)
    assert qr_payloads(page) == [URL]


def test_at_the_counter_the_id_number_is_whole(family: str, tmp_path: Path) -> None:
    document = certificate_document(certificate(), at_counter=True, full_id="410102195203120027")
    text = pdf_text(Path(PdfFolderPrinter(tmp_path, family).print_document(document)))
    assert "410102195203120027" in text
    kiosk = certificate_document(certificate(), at_counter=False, full_id="410102195203120027")
    assert "410102195203120027" not in str(kiosk.holder)


def test_a_sample_certificate_says_so_on_the_sheet(family: str, tmp_path: Path) -> None:
    document = certificate_document(certificate(sample=True))
    text = pdf_text(Path(PdfFolderPrinter(tmp_path, family).print_document(document)))
    assert "样本" in text and "SAMPLE" in text


def test_the_rights_statement_goes_over_pages_with_its_header_again(
    family: str, tmp_path: Path
) -> None:
    years = tuple(
        YearLine(insurance, year, 12, 1234_56 + year, 3210_00)
        for insurance in ("城镇职工基本养老保险", "职工基本医疗保险", "失业保险")
        for year in range(1995, 2027)
    )
    content = RightsContent(
        holder_name="王秀英",
        holder_id_masked="4101**********0027",
        years=years,
        medical_balance_fen=1_234_567,
        medical_lines=(("2026-11-03", "门诊", -12_050), ("2026-11-01", "划入", 20_000)),
        pension_lines=(("2026-11", 356_789),),
        code="K7Q2-9XW3-M4PD",
        verify_url=URL,
        issued=ISSUED,
        kiosk_id="demo-kiosk-01",
    )
    written = Path(PdfFolderPrinter(tmp_path, family).print_document(rights_document(content)))
    text = pdf_text(written)
    assert "社会保险个人权益记录单" in text
    assert "12,345.67" in text and "3,567.89" in text and "-120.50" in text
    pages = pdf_pages(written, tmp_path)
    assert len(pages) >= 3  # 96 rows do not fit one sheet
    # the contributions go over two pages at least, with their header again on each
    assert text.count("个人缴费（元）") >= 2
    assert qr_payloads(pages[0]) == [URL]


def test_an_unwritable_folder_is_an_offline_printer(family: str, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    printer = PdfFolderPrinter(blocker / "a4", family)
    with pytest.raises(PrinterOffline):
        printer.print_document(certificate_document(certificate()))


def test_the_factory_picks_the_queue_then_the_folder(family: str, tmp_path: Path) -> None:
    assert make_a4_printer("", "", family) is None
    assert make_a4_printer("", str(tmp_path), family).name == f"pdf:{tmp_path}"
    assert make_a4_printer("hall-a4", str(tmp_path), family).name == "cups:hall-a4"
