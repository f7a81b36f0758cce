"""The certificate on A4, chosen against the slip through the kiosk window, by keypad and by
touch, in both languages, against the real reference platform; the sheet is a real PDF made by
Qt, read back with pdftotext, its QR code decoded with zbarimg and then followed to the
platform, which verifies it. The rights statement likewise."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from a4_tools import pdf_pages, pdf_text, qr_payloads
from helpers.rig import on_platform, platform_client
from helpers.screen import recorded_voice
from PySide6.QtCore import Qt
from window_rig import KEYS, open_window, press, said, tap

from kiosk.devices.a4printer.printers import PdfFolderPrinter
from kiosk.devices.speech.simulated import RecordingPlayer
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.server.embedded import EmbeddedServer
from kiosk.testing.card import RecordingCard
from kiosk.testing.data import SNAPSHOT
from kiosk.ui.fonts import load_fonts
from kiosk.ui.window import KioskWindow

pytestmark = pytest.mark.e2e
SHEET = {"zh_CN": "A4 纸", "en": "A4 sheet"}


@dataclass
class Kiosk:
    window: KioskWindow
    flow: SessionFlow
    card: RecordingCard
    player: RecordingPlayer
    folder: Path
    printer: Any

    def choose(self, qtbot, digit: str, by: str) -> None:
        if by == "keypad":
            press(qtbot, self.window, KEYS[digit])
        else:
            tap(qtbot, self.window, digit)

    def sign_in(self, qtbot) -> None:
        self.flow.card_inserted()
        self.card.reads[-1][0](SNAPSHOT)
        press(qtbot, self.window, *(KEYS[d] for d in "123456"), Qt.Key.Key_Return)
        self.card.pins[-1][1](None)
        assert self.flow.step is Step.HOME


@pytest.fixture
def kiosk(qtbot, tmp_path: Path, server: EmbeddedServer) -> Iterator[Kiosk]:
    translations = Translations(tmp_path / "tr")
    voice = recorded_voice(translations)
    folder = tmp_path / "a4"
    a4printer = PdfFolderPrinter(folder, load_fonts())
    with on_platform(platform_client(server, tmp_path), tmp_path, a4printer=a4printer) as rig:
        window = open_window(qtbot, rig.flow, translations, monotonic=rig.clock, guide=voice.guide)
        yield Kiosk(window, rig.flow, rig.card, voice.player, folder, rig.printer)


def _one_pdf(folder: Path) -> Path:
    (pdf,) = folder.glob("*.pdf")
    return pdf


@pytest.mark.parametrize("by", ["keypad", "touch"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_certificate_on_a4(
    kiosk: Kiosk, qtbot, tmp_path: Path, server: EmbeddedServer, language: str, by: str
) -> None:
    if language == "en":
        kiosk.window.toggle_language()
    kiosk.sign_in(qtbot)
    for digit in ("2", "3", "1", "1"):  # records, certificate, all insurances, whole record
        kiosk.choose(qtbot, digit, by)
    assert kiosk.window.content.hint is not None
    assert kiosk.window.content.hint.id == "certificate.hint.preview"
    said(kiosk.player)
    kiosk.choose(qtbot, "1", by)  # print
    assert kiosk.window.content.hint.id == "a4.choose.hint"
    assert said(kiosk.player)[:2] == ["certificate.heading", "a4.choose.hint"]
    tiles = [t for t in kiosk.window.choice_screen.tiles if t.isVisible()]
    assert any(SHEET[language] in t.accessibleName() for t in tiles)
    kiosk.choose(qtbot, "1", by)  # A4
    assert kiosk.window.content.panels[0].title.id == "a4.printed"
    code = kiosk.window.content.panels[0].lines[0].params["code"]
    pdf = _one_pdf(kiosk.folder)
    text = pdf_text(pdf)
    assert "社会保险参保证明" in text and code in text
    assert "王秀英" in text and "4101**********0027" in text  # as on the slip
    assert "410102195203120027" not in text  # not at a counter: the ID number masked
    (url,) = qr_payloads(pdf_pages(pdf, tmp_path)[0])
    assert url == f"{server.url}/v1/certificates/{code}"
    check = requests.get(url, timeout=10)  # a bank scans the sheet: the platform answers
    assert check.status_code == 200 and check.json()["valid"] is True
    assert kiosk.printer.last_png() is None  # no slip as well
    kiosk.choose(qtbot, "1", by)  # done
    assert kiosk.flow.step is Step.HOME


def test_the_rights_statement_by_keypad(
    kiosk: Kiosk, qtbot, tmp_path: Path, server: EmbeddedServer
) -> None:
    kiosk.sign_in(qtbot)
    press(qtbot, kiosk.window, KEYS["2"], KEYS["0"])  # records, the menu's second page
    labels = [c.label.id for c in kiosk.window.content.choices]
    assert labels[-1] == "rights.menu"
    press(qtbot, kiosk.window, KEYS[str(len(labels))])
    assert kiosk.window.content.panels[0].title.id == "a4.printed"
    pdf = _one_pdf(kiosk.folder)
    text = pdf_text(pdf)
    assert "社会保险个人权益记录单" in text
    assert "城镇职工基本养老保险" in text and "个人缴费（元）" in text
    assert "医保个人账户" in text
    code = kiosk.window.content.panels[0].lines[0].params["code"]
    (url,) = qr_payloads(pdf_pages(pdf, tmp_path)[0])
    assert url == f"{server.url}/v1/certificates/{code}"
