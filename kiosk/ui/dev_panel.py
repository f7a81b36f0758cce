"""The demo's dev panel: insert or remove a demo card without hardware (shown in demo mode only).

It knows the simulator only through the small DemoDeck interface the application hands it, so
the UI still never touches a device implementation. It also holds a demo resident's phone up to
the e-code scanner (`scan`), and shows the one-time code the demo platform would have texted to
the phone on record (`text_messages`), so that a visitor can report a card lost by ID number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.devices.printer.interface import PrinterControls, ReceiptPreview
from kiosk.i18n import Translator


@dataclass(frozen=True)
class DemoCard:
    key: str
    label: str
    pin: str  # demo data: shown so that a visitor can try the kiosk
    ecode: str = ""  # the holder's demo e-code, which the scan button holds to the scanner
    id_number: str = ""  # the holder's demo ID number, for a loss report without the card
    ecode_digits: str = ""  # the same e-code as the digits under its QR code, to type


# Asks for the last code the demo platform "texted" and hands (masked phone, code) or None
# to the callback, on the UI thread.
TextMessages = Callable[[Callable[[tuple[str, str] | None], None]], None]


class DemoDeck(Protocol):
    def cards(self) -> list[DemoCard]: ...

    def insert(self, key: str) -> None: ...

    def remove(self) -> None: ...


class DevPanel(QWidget):
    def __init__(
        self,
        deck: DemoDeck,
        tr: Translator,
        platform_url: str = "",
        headset: Callable[[bool], None] | None = None,
        printer: object = None,
        scan: Callable[[str], object] | None = None,
        text_messages: TextMessages | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle(tr.text("dev.title"))
        self.setObjectName("devPanel")
        layout = QVBoxLayout(self)
        self.insert_buttons: dict[str, QPushButton] = {}
        self.scan_buttons: dict[str, QPushButton] = {}
        for card in deck.cards():
            button = QPushButton(tr.text_with("dev.insert", label=card.label))
            button.setAccessibleName(button.text())
            button.clicked.connect(lambda _=False, key=card.key: deck.insert(key))
            layout.addWidget(button)
            layout.addWidget(QLabel(tr.text_with("dev.pin", label=card.label, pin=card.pin)))
            self.insert_buttons[card.key] = button
            if scan is not None and card.ecode:
                scanning = QPushButton(tr.text_with("dev.scan", label=card.label))
                scanning.setAccessibleName(scanning.text())
                scanning.clicked.connect(lambda _=False, code=card.ecode: scan(code))
                layout.addWidget(scanning)
                self.scan_buttons[card.key] = scanning
            if card.id_number:
                said = tr.text_with("dev.id_number", label=card.label, number=card.id_number)
                layout.addWidget(QLabel(said))
            if card.ecode_digits:
                said = tr.text_with("dev.ecode_digits", label=card.label, code=card.ecode_digits)
                layout.addWidget(QLabel(said))
        # The demo platform's stand-in for a text message to the phone on record.
        self.loss_code = QLabel(tr.text("dev.loss_code.none"))
        self.loss_code.setVisible(text_messages is not None)
        layout.addWidget(self.loss_code)
        self._text_messages = text_messages
        if text_messages is not None:
            self._code_timer = QTimer(self)
            self._code_timer.timeout.connect(self.check_text_messages)
            self._code_timer.start(2000)
        self.remove_button = QPushButton(tr.text("dev.remove"))
        self.remove_button.setAccessibleName(self.remove_button.text())
        self.remove_button.clicked.connect(deck.remove)
        layout.addWidget(self.remove_button)
        self.platform_label = QLabel(tr.text_with("dev.platform", url=platform_url or "…"))
        layout.addWidget(self.platform_label)
        # A kiosk's audio jack reports a headset being plugged in; the demo fakes it here.
        self.headset_button = QPushButton(tr.text("dev.headset"))
        self.headset_button.setCheckable(True)
        self.headset_button.setAccessibleName(self.headset_button.text())
        self.headset_button.setVisible(headset is not None)
        if headset is not None:
            self.headset_button.toggled.connect(headset)
        layout.addWidget(self.headset_button)
        self._printer = printer
        if isinstance(printer, PrinterControls):
            controls = printer
            self.paper_button = QPushButton(tr.text("dev.paper_out"))
            self.paper_button.setCheckable(True)
            self.paper_button.toggled.connect(
                lambda out: controls.run_out_of_paper() if out else controls.load_paper()
            )
            layout.addWidget(self.paper_button)
        # The sim printer's last receipt, as the paper would show it.
        self.receipt = QLabel()
        self.receipt.setVisible(isinstance(printer, ReceiptPreview))
        layout.addWidget(self.receipt)
        self._shown: bytes | None = None
        if isinstance(printer, ReceiptPreview):
            self._preview_timer = QTimer(self)
            self._preview_timer.timeout.connect(self._show_receipt)
            self._preview_timer.start(1500)
        self._tr = tr

    def _show_receipt(self) -> None:
        printer = self._printer
        if not isinstance(printer, ReceiptPreview):
            return
        png = printer.last_png()
        if png is None or png == self._shown:
            return
        self._shown = png
        image = QPixmap()
        # The stubs ask for bytes; the binding takes the format name as text.
        image.loadFromData(png, "PNG")  # type: ignore[call-overload]
        self.receipt.setPixmap(image.scaledToWidth(300))

    def check_text_messages(self) -> None:
        if self._text_messages is not None and self.isVisible():
            self._text_messages(self._show_text_message)

    def _show_text_message(self, sent: tuple[str, str] | None) -> None:
        if sent is None:
            self.loss_code.setText(self._tr.text("dev.loss_code.none"))
        else:
            phone, code = sent
            self.loss_code.setText(self._tr.text_with("dev.loss_code", phone=phone, code=code))

    def set_platform_url(self, url: str) -> None:
        self.platform_label.setText(self._tr.text_with("dev.platform", url=url))
