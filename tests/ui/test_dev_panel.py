"""The demo's dev panel: demo cards in and out, a headset, and the sim printer's paper."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.devices.printer.factory import make_receipt_printer
from kiosk.domain.errors import PaperOut
from kiosk.domain.receipt import PrintJob, printer_test_receipt
from kiosk.i18n import Translations
from kiosk.ui.dev_panel import DemoCard, DevPanel


class Deck:
    def __init__(self) -> None:
        self.done: list[str] = []

    def cards(self) -> list[DemoCard]:
        return [DemoCard("demo_a", "演示卡 A", "123456")]

    def insert(self, key: str) -> None:
        self.done.append(f"insert {key}")

    def remove(self) -> None:
        self.done.append("remove")


def test_cards_headset_paper_and_the_printed_receipt(qtbot, tmp_path: Path) -> None:
    deck, headset = Deck(), []
    printer = make_receipt_printer("sim")
    panel = DevPanel(
        deck, Translations(tmp_path).get("zh_CN"), headset=headset.append, printer=printer
    )
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.insert_buttons["demo_a"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert deck.done == ["insert demo_a", "remove"]
    qtbot.mouseClick(panel.headset_button, Qt.MouseButton.LeftButton)
    assert headset == [True]

    job = PrintJob(printer_test_receipt("demo-kiosk", dt.datetime(2026, 11, 27, 10, 0)))
    printer.print_job(job)
    qtbot.waitUntil(
        lambda: panel.receipt.pixmap() is not None and not panel.receipt.pixmap().isNull(),
        timeout=5000,
    )

    qtbot.mouseClick(panel.paper_button, Qt.MouseButton.LeftButton)  # out of paper
    try:
        printer.print_job(job)
    except PaperOut as error:
        assert error.job is job  # the document is kept, to print again or show as a QR code
    else:
        raise AssertionError("the sim printer printed without paper")
    qtbot.mouseClick(panel.paper_button, Qt.MouseButton.LeftButton)  # paper loaded again
    assert printer.print_job(job).job is job


class EcodeDeck(Deck):
    def cards(self) -> list[DemoCard]:
        return [
            DemoCard(
                "demo_b",
                "演示卡 B",
                "654321",
                ecode="DEMO-ECODE-B00000022",
                id_number="410105198807160014",
                ecode_digits="891234567890123456",
            )
        ]


def test_scan_an_e_code_and_show_the_demo_text_message(qtbot, tmp_path: Path) -> None:
    scanned: list[str] = []
    answers: list[tuple[str, str] | None] = [None, ("139****1234", "482915")]

    def text_messages(show) -> None:
        show(answers.pop(0))

    panel = DevPanel(
        EcodeDeck(),
        Translations(tmp_path).get("en"),
        scan=scanned.append,
        text_messages=text_messages,
    )
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.scan_buttons["demo_b"], Qt.MouseButton.LeftButton)
    assert scanned == ["DEMO-ECODE-B00000022"]
    shown = " ".join(label.text() for label in panel.findChildren(QLabel))
    assert "ID number of 演示卡 B: 410105198807160014" in shown
    assert "E-code digits of 演示卡 B: 891234567890123456" in shown
    panel.check_text_messages()
    assert panel.loss_code.text() == "No code has been sent yet"
    panel.check_text_messages()
    assert panel.loss_code.text() == "Text message code (demo): 139****1234 482915"


def test_without_a_scanner_or_texts_the_panel_offers_neither(qtbot, tmp_path: Path) -> None:
    panel = DevPanel(EcodeDeck(), Translations(tmp_path).get("zh_CN"))
    qtbot.addWidget(panel)
    panel.show()
    assert panel.scan_buttons == {} and not panel.loss_code.isVisible()
