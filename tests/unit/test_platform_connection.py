"""The kiosk's platform client is the flows' from the first frame: its calls wait for the
platform to be reached in the background, and the slip's kiosk id and platform address never
keep the screen waiting."""

from __future__ import annotations

import socket
import threading

import pytest

from kiosk.backend.client import PlatformClient
from kiosk.backend.connection import PlatformConnection
from kiosk.backend.transport import Endpoint
from kiosk.domain.errors import PlatformUnavailable


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_calls_wait_for_the_platform_and_the_slip_values_do_not() -> None:
    release = threading.Event()
    url = f"http://127.0.0.1:{_closed_port()}"

    def connect(_closing: threading.Event) -> Endpoint:
        release.wait(5)
        return Endpoint(url, "K-1", "key")

    reached: list[PlatformClient] = []
    client = PlatformClient.reached_later(timeout_s=1, retries=0, wait_s=5)
    connection = PlatformConnection(client, connect, on_connected=reached.append)
    connection.start()
    assert client.kiosk_id == "" and client.base_url == ""  # still starting: no wait
    failed: list[BaseException] = []

    def call() -> None:
        try:
            client.request_loss_code("410105198807160014")
        except PlatformUnavailable as error:
            failed.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    caller.join(0.2)
    assert caller.is_alive()  # the call waits for the platform's address
    release.set()
    caller.join(5)
    # It went to the address given (nobody listens there: not heard, so unavailable).
    assert len(failed) == 1 and "ConnectionError" in str(failed[0])
    assert client.kiosk_id == "K-1" and client.base_url == url and reached == [client]
    connection.close()


def test_a_platform_that_never_comes_up_is_unavailable_at_once() -> None:
    def connect(_closing: threading.Event) -> Endpoint:
        raise OSError("the embedded server did not start")

    client = PlatformClient.reached_later(wait_s=30)
    connection = PlatformConnection(client, connect)
    connection.start()
    with pytest.raises(PlatformUnavailable):
        client.catalog()  # no offline copy either: never reached
    assert client.kiosk_id == ""
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
