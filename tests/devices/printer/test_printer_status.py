"""DLE EOT answers and what they mean for the kiosk."""

from __future__ import annotations

import pytest

from kiosk.devices.printer.status import (
    ALL_QUERIES,
    answer_byte,
    is_answer,
    status_from_answers,
)
from kiosk.domain.receipt import PaperLevel

READY = bytes([0x12, 0x12, 0x12, 0x12])


def test_the_four_queries_are_sent_together() -> None:
    assert ALL_QUERIES == b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04"


def test_a_ready_printer() -> None:
    status = status_from_answers(READY)
    assert status.answered and status.online and status.can_print
    assert status.paper is PaperLevel.OK and not status.needs_attention


def test_paper_near_end_still_prints_but_needs_attention() -> None:
    status = status_from_answers(bytes([0x12, 0x12, 0x12, 0x12 | 0x0C]))
    assert status.paper is PaperLevel.NEAR_END
    assert status.can_print and status.needs_attention


def test_paper_end() -> None:
    status = status_from_answers(bytes([0x1A, 0x32, 0x12, 0x7E]))
    assert status.paper is PaperLevel.OUT and status.online is False
    assert not status.can_print


def test_cover_open() -> None:
    status = status_from_answers(bytes([0x1A, 0x16, 0x12, 0x12]))
    assert status.cover_open and not status.can_print


def test_cutter_error() -> None:
    status = status_from_answers(bytes([0x1A, 0x52, 0x1A, 0x12]))
    assert status.error and not status.can_print


def test_offline_for_no_stated_reason() -> None:
    status = status_from_answers(bytes([0x1A, 0x12, 0x12, 0x12]))
    assert status.online is False and not status.can_print


def test_no_answer_is_unknown_and_not_a_reason_to_refuse() -> None:
    status = status_from_answers(b"")
    assert not status.answered and status.paper is PaperLevel.UNKNOWN
    assert status.can_print


@pytest.mark.parametrize("noise", [b"\x00\x00\x00\x00", b"OK\r\n", b"\xff"])
def test_bytes_without_the_fixed_bits_are_not_answers(noise: bytes) -> None:
    assert not status_from_answers(noise).answered


def test_a_partial_answer_leaves_paper_unknown() -> None:
    status = status_from_answers(bytes([0x12, 0x12]))
    assert status.answered and status.paper is PaperLevel.UNKNOWN


@pytest.mark.parametrize("query", [1, 2, 3, 4])
@pytest.mark.parametrize("paper", list(PaperLevel))
def test_the_simulators_answers_have_the_fixed_bits_and_read_back(
    query: int, paper: PaperLevel
) -> None:
    value = answer_byte(query, offline=False, cover_open=False, paper=paper, cutter_error=False)
    assert is_answer(value)


def test_the_simulators_answers_read_back_as_its_state() -> None:
    answers = bytes(
        answer_byte(q, offline=True, cover_open=False, paper=PaperLevel.OUT, cutter_error=False)
        for q in (1, 2, 3, 4)
    )
    status = status_from_answers(answers)
    assert status.paper is PaperLevel.OUT and status.online is False and not status.cover_open


def test_status_as_a_heartbeat_value() -> None:
    assert status_from_answers(READY).as_dict() == {
        "answered": True,
        "online": True,
        "paper": "ok",
        "cover_open": False,
        "error": False,
    }
