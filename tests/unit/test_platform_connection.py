"""The kiosk's PlatformConnection hands the resident tasks' calls to the client once it is up,
and never keeps the screen waiting for the slip's kiosk id or platform address."""

from __future__ import annotations

import threading

import pytest

from kiosk.assembly.connection import PlatformConnection
from kiosk.domain.errors import PlatformUnavailable


class Client:
    kiosk_id = "K-1"
    base_url = "http://127.0.0.1:8765"

    def request_loss_code(self, id_number: str) -> tuple[str, str]:
        return ("sent", id_number)


class SlowPlatform:
    """A platform that answers once `release` is set, and counts how often it was stopped."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.stops = 0

    def connect(self, _closing: threading.Event) -> Client:
        self.release.wait(5)
        return Client()

    def stop(self) -> None:
        self.stops += 1


def test_task_calls_go_to_the_client_and_the_slip_values_do_not_wait() -> None:
    platform = SlowPlatform()
    release = platform.release
    connection = PlatformConnection(wait_s=5)
    connection.start(platform)  # type: ignore[arg-type]
    assert connection.kiosk_id == "" and connection.base_url == ""  # still starting: no wait
    release.set()
    assert connection.request_loss_code("410105198807160014") == ("sent", "410105198807160014")
    assert connection.kiosk_id == "K-1" and connection.base_url == "http://127.0.0.1:8765"
    with pytest.raises(AttributeError):
        connection._hidden  # noqa: B018 - private names are never handed on
    connection.close()
    assert platform.stops >= 1  # what the connector started is stopped with the kiosk


def test_a_platform_never_started_is_unavailable_not_a_hang() -> None:
    connection = PlatformConnection(wait_s=0.05)
    with pytest.raises(PlatformUnavailable):
        connection.catalog()
    connection.close()


def test_the_demo_deck_knows_each_holders_e_code_and_id_number() -> None:
    from kiosk.assembly.demo_deck import demo_cards
    from kiosk.devices.card.profile import load_demo_profiles

    cards = {card.key: card for card in demo_cards(load_demo_profiles())}
    assert cards, "no demo card profiles"
    for key, card in cards.items():
        profile = load_demo_profiles()[key]
        assert card.ecode == f"DEMO-ECODE-{profile.card.number}"
        assert card.id_number == profile.holder.ssn and len(card.id_number) == 18
        assert card.ecode_digits.isdigit() and len(card.ecode_digits) == 18


def test_a_scanned_code_reaches_the_flow_on_the_screens_thread() -> None:
    from kiosk.assembly.devices import ScannerToFlow

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
