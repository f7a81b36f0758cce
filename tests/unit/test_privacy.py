from __future__ import annotations

import datetime as dt

from kiosk.domain.card import CardStatus, Holder
from kiosk.domain.privacy import mask_name, mask_number, mask_reference, mask_references_in
from kiosk.domain.session import ResidentSession


def test_names_keep_the_surname_only() -> None:
    assert mask_name("王秀英") == "王**"
    assert mask_name("买买提·艾力") == "买*****"
    assert mask_name("李") == "李"
    assert mask_name("  ") == ""


def test_numbers_show_the_first_and_last_four() -> None:
    assert mask_number("410102195203120027") == "4101**********0027"
    assert mask_number("12345678") == "********"


def test_reprs_carry_no_personal_data() -> None:
    holder = Holder("410102195203120027", "王秀英", "2", "01", "410102", dt.date(1952, 3, 12))
    session = ResidentSession("secret-token", "王秀英", CardStatus.NORMAL, True, 600)
    for text in (repr(holder), repr(session), str(holder)):
        assert "王秀英" not in text and "410102195203120027" not in text
        assert "secret-token" not in text


def test_references_keep_their_last_four_in_logs() -> None:
    assert mask_reference("C-CK7E-2M4Q") == "*******2M4Q"
    assert mask_references_in("/v1/complaints/C-CK7E-2M4Q") == "/v1/complaints/*******2M4Q"
    assert mask_references_in("/v1/certificates/7K2M9Q4X8R") == "/v1/certificates/******4X8R"
    # Route words stay readable: only long runs of letters, digits and dashes are references.
    assert mask_references_in("/v1/card/loss-report") == "/v1/card/loss-report"
