"""PcscCardReader without pcscd: reader choice, and a kiosk that starts with no PC/SC service."""

from __future__ import annotations

from typing import Any

import pytest
from card_helpers import RecordingListener

from kiosk.devices.card import factory, pcsc
from kiosk.devices.card.simulated import SimulatedCardReader
from kiosk.domain.errors import ReaderUnavailable

NO_SERVICE = 0x8010001D


class NoServiceScard:
    """pyscard's scard module as it behaves when pcscd is not running."""

    SCARD_SCOPE_USER = 0

    def __init__(self) -> None:
        self.calls = 0

    def SCardEstablishContext(self, scope: int) -> tuple[int, int]:  # noqa: N802
        self.calls += 1
        return NO_SERVICE, 0

    def SCardGetErrorMessage(self, hresult: int) -> str:  # noqa: N802
        return "Service not available."

    def __getattr__(self, name: str) -> Any:
        def called_without_a_context(*args: Any) -> Any:
            raise AssertionError(f"{name} called without a context")

        return called_without_a_context


def test_reader_choice_by_pattern_never_takes_a_sam_slot() -> None:
    names = [
        "ACS ACR1281 1S Dual Reader ICC 00 00",
        "ACS ACR1281 1S Dual Reader PICC 00 01",
        "ACS ACR1281 1S Dual Reader SAM 00 02",
        "Identiv uTrust 4701 F Dual Interface Reader(2) PSAM 00 00",
        "Virtual PCD 00 00",
        pcsc.PNP_NOTIFICATION,
    ]
    assert pcsc.select_readers(names, None) == [names[0], names[1], names[4]]
    assert pcsc.select_readers(names, "acr1281") == names[:2]
    assert pcsc.select_readers(names, r"PICC") == [names[1]]
    assert pcsc.select_readers(names, "SAM") == []
    assert pcsc.select_readers(names, "Samsung") == []


def test_a_bad_pattern_fails_at_construction() -> None:
    with pytest.raises(Exception, match=r"unterminated|missing"):
        pcsc.PcscCardReader(reader_pattern="(")


def test_no_service_starts_and_says_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = NoServiceScard()
    monkeypatch.setattr(pcsc, "scard", fake)
    reader = pcsc.PcscCardReader(retry_interval=0.05)
    listener = RecordingListener()
    reader.start(listener)
    try:
        listener.wait_for(("reader_changed", (False, None)))
        with pytest.raises(ReaderUnavailable):
            reader.read()
        with pytest.raises(ReaderUnavailable):
            reader.verify_pin(bytearray(b"123456"))
        with pytest.raises(ReaderUnavailable):
            reader.wait_for_card(0.1)
    finally:
        reader.stop()
    assert listener.events.count(("reader_changed", (False, None))) == 1
    assert fake.calls >= 2  # it keeps trying, so pcscd started later is picked up


def test_without_pyscard_the_reader_still_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pcsc, "scard", None)
    reader = pcsc.PcscCardReader()
    listener = RecordingListener()
    reader.start(listener)
    assert listener.events == [("reader_changed", (False, None))]
    with pytest.raises(ReaderUnavailable):
        reader.read()
    reader.stop()
    assert pcsc.matching_readers(None) == []


def test_auto_falls_back_to_the_simulator_without_a_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pcsc, "scard", NoServiceScard())
    assert isinstance(factory.make_card_reader("auto"), SimulatedCardReader)
    assert isinstance(factory.make_card_reader("pcsc"), pcsc.PcscCardReader)
