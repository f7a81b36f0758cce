"""Every refusal and card error has words: one table, translated and spoken in both languages.

A reason the contract gains, or one the reference server starts to send, without a message
fails here; so does a message the table names that a catalog lacks or the voice cannot say.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.accessibility.voice import VoiceGuide
from kiosk.api_contract import Reason
from kiosk.devices.speech.simulated import RecordingEngine, RecordingPlayer
from kiosk.domain.errors import (
    CardError,
    CardNotInService,
    PinBlocked,
    PlatformRejected,
    ReaderUnavailable,
)
from kiosk.domain.messages import msg
from kiosk.domain.reasons import REASON_MESSAGES, REFUSED, card_error_messages, reason_message
from kiosk.i18n import LANGUAGES, Translations

SERVER = Path(__file__).resolve().parents[2] / "kiosk" / "server"


def contract_reasons() -> set[str]:
    return {value for name, value in vars(Reason).items() if name.isupper()}


def server_reasons() -> set[str]:
    """Codes the reference server answers with: its Reason constants and any literal code."""
    found: set[str] = set()
    constants = {name: value for name, value in vars(Reason).items() if name.isupper()}
    literal = re.compile(r"(?:ApiError|answer)\(\s*\d+,\s*\"([a-z_]+)\"")
    for path in SERVER.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= {constants[name] for name in re.findall(r"Reason\.([A-Z_]+)", text)}
        found |= set(literal.findall(text))
    return found


def test_every_reason_of_the_contract_has_a_message() -> None:
    missing = sorted(contract_reasons() - REASON_MESSAGES.keys())
    assert not missing, f"reasons without a message in kiosk.domain.reasons: {missing}"


def test_every_reason_the_server_sends_has_a_message() -> None:
    sent = server_reasons()
    assert "card_unknown" in sent and "internal_error" in sent  # the scan finds what it should
    assert not sorted(sent - REASON_MESSAGES.keys())


def test_the_table_names_no_reason_the_contract_does_not_know() -> None:
    assert REASON_MESSAGES.keys() - contract_reasons() <= {"internal_error"}


def test_every_card_error_is_listed() -> None:
    table = card_error_messages()
    assert {"CardError", "ReaderUnavailable", "WrongPin", "PinBlocked", "CardLocked"} <= set(table)
    assert table["PinBlocked"] == PinBlocked.message_id


def all_message_ids() -> list[str]:
    return sorted(set(REASON_MESSAGES.values()) | set(card_error_messages().values()))


@pytest.fixture(scope="module")
def translations(tmp_path_factory) -> Translations:
    return Translations(tmp_path_factory.mktemp("tr"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_spoken(translations: Translations, language) -> None:
    guide = VoiceGuide(translations, RecordingEngine(), RecordingPlayer(), voice_mode=True)
    guide.set_language(language)
    translator = translations.get(language)
    for message_id in all_message_ids():
        assert translator.has(message_id), f"{message_id} has no {language} text"
        shown = translator.text(msg(message_id))
        assert shown and shown != message_id
        (spoken,) = guide.utterances([msg(message_id)])
        assert spoken.text.strip(), f"{message_id} says nothing in {language}"
        assert spoken.language.startswith(language[:2])


def test_a_refusal_carries_its_reasons_message() -> None:
    assert PlatformRejected(Reason.CARD_UNKNOWN).message_id == "notice.card_unknown"
    assert PlatformRejected(Reason.SESSION_EXPIRED).message_id == "error.platform.session_ended"
    assert CardNotInService("lost").message_id == "error.card.not_in_service"
    # A code the kiosk does not know yet is still said in words, never shown as a code.
    assert PlatformRejected("something_new").message_id == REFUSED == reason_message("x")
    assert isinstance(ReaderUnavailable(), CardError)
