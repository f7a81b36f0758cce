"""The kiosk's PlatformConnection hands the resident tasks' calls to the client once it is up,
and never keeps the screen waiting for the slip's kiosk id or platform address."""

from __future__ import annotations

import threading

import pytest

from kiosk.backend.connection import PlatformConnection


class Client:
    kiosk_id = "K-1"
    base_url = "http://127.0.0.1:8765"

    def request_loss_code(self, id_number: str) -> tuple[str, str]:
        return ("sent", id_number)


def test_task_calls_go_to_the_client_and_the_slip_values_do_not_wait() -> None:
    release = threading.Event()

    def connect(_closing: threading.Event) -> Client:
        release.wait(5)
        return Client()

    connection = PlatformConnection(connect, [], wait_s=5)  # type: ignore[arg-type]
    connection.start()
    assert connection.kiosk_id == "" and connection.base_url == ""  # still starting: no wait
    release.set()
    assert connection.request_loss_code("410105198807160014") == ("sent", "410105198807160014")
    assert connection.kiosk_id == "K-1" and connection.base_url == "http://127.0.0.1:8765"
    with pytest.raises(AttributeError):
        connection._hidden  # noqa: B018 - private names are never handed on
    connection.close()


def test_the_demo_deck_knows_each_holders_e_code_and_id_number() -> None:
    from kiosk.app import _demo_cards
    from kiosk.devices.card.profile import load_demo_profiles

    cards = {card.key: card for card in _demo_cards(load_demo_profiles())}
    assert cards, "no demo card profiles"
    for key, card in cards.items():
        profile = load_demo_profiles()[key]
        assert card.ecode == f"DEMO-ECODE-{profile.card.number}"
        assert card.id_number == profile.holder.ssn and len(card.id_number) == 18
        assert card.ecode_digits.isdigit() and len(card.ecode_digits) == 18


def test_a_scanned_code_reaches_the_flow_on_the_screens_thread() -> None:
    from kiosk.app import ScannerToFlow

    posted: list[object] = []
    scanned: list[str] = []

    class Flow:
        def ecode_scanned(self, raw: str) -> None:
            scanned.append(raw)

    bridge = ScannerToFlow(posted.append, Flow())  # type: ignore[arg-type]
    bridge.code_scanned("DEMO-ECODE-A00000011")
    assert scanned == []  # not on the scanner's thread
    posted.pop()()  # type: ignore[operator]
    assert scanned == ["DEMO-ECODE-A00000011"]
