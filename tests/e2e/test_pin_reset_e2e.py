"""A blocked PIN reset at the counter, everything real: the customer window's reader is PC/SC
(pyscard -> pcscd -> vpcd -> the virtual chip), the card service runs every APDU on its worker
thread, the demo PSAM computes RELOAD PIN's MAC, and the reference platform (its own process,
over HTTP) checks the identity card and logs both halves in its audit chain."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from card_fixtures import (
    VPCD_READER,
    PcscStack,
    card_profile,
    inserted,
    pcsc_stack_fixture,  # noqa: F401 - the fixture pcsc_stack
)

from kiosk.accessibility.profile import Profile
from kiosk.assembly.counter import Counter, build_counter
from kiosk.backend.client import PlatformClient
from kiosk.counter.flow import CounterStep
from kiosk.devices.card.pcsc import PcscCardReader
from kiosk.devices.card.secure_access import SimulatedPsam
from kiosk.devices.card.service import CardService
from kiosk.devices.card.virtual_card import VirtualSocialSecurityCard
from kiosk.flows.card_problems import PinBlockedTask, PinResetTask
from kiosk.flows.session import Step
from kiosk.i18n import Translations
from kiosk.server.embedded import EmbeddedServer
from kiosk.ui.bridge import QtDispatcher, QtTaskRunner
from kiosk.ui.fonts import load_fonts

pytestmark = pytest.mark.e2e
WAIT_MS = 20_000
DEMO_A_ID = "410102195203120027"


@pytest.fixture
def counter(
    qtbot, server: EmbeddedServer, tmp_path: Path, pcsc_stack: PcscStack
) -> Iterator[tuple[Counter, PlatformClient]]:
    client = PlatformClient(server.url, server.kiosk_id, server.kiosk_key, cache_dir=tmp_path)
    dispatcher = QtDispatcher()
    runner = QtTaskRunner(dispatcher)
    service = CardService(dispatcher.post)
    built = build_counter(
        platform=client,
        card=service,
        runner=runner,
        translations=Translations(tmp_path / "t"),
        font_family=load_fonts(),
        profile=Profile(),
        dpi=96.0,
        debounce_s=0.0,
        watch_presses=False,
    )
    for window in (built.customer_window, built.console):
        qtbot.addWidget(window)
    service.start(
        PcscCardReader(reader_pattern=VPCD_READER, pin_reset=SimulatedPsam()), built.session
    )
    yield built, client
    built.counter.sign_out()
    service.close()
    runner.shutdown()


def test_the_chip_takes_a_new_pin_through_pcscd_and_the_psam(
    qtbot, counter: tuple[Counter, PlatformClient]
) -> None:
    built, client = counter
    session, flow = built.session, built.counter
    profile = card_profile("demo_a")
    chip = VirtualSocialSecurityCard(profile)
    with inserted(profile, chip):
        qtbot.waitUntil(lambda: session.step is Step.PIN, timeout=WAIT_MS)
        for _ in range(profile.pin_tries_left):
            session.submit_pin(bytearray(b"135792"))
            qtbot.waitUntil(lambda: session.step is not Step.VERIFYING, timeout=WAIT_MS)
        assert isinstance(session.task, PinBlockedTask)
        assert chip.pin_tries_left == 0

        flow.sign_in("demo-counter", "demo-counter-pass")
        qtbot.waitUntil(lambda: flow.step is CounterStep.PURPOSES, timeout=WAIT_MS)
        flow.start_pin_reset()
        flow.check_identity(DEMO_A_ID)
        qtbot.waitUntil(lambda: isinstance(session.task, PinResetTask), timeout=WAIT_MS)
        task = session.task
        assert isinstance(task, PinResetTask)
        task.pin_entered(bytearray(b"975310"))
        task.pin_entered(bytearray(b"975310"))
        task.confirm()
        qtbot.waitUntil(lambda: flow.step is CounterStep.NOTICE, timeout=WAIT_MS)
        assert flow.notice is not None and flow.notice.id == "counter.pin_reset.written"
        assert chip.pin_tries_left == profile.pin_tries_max

        # Signed in with the new PIN, through the chip again.
        for choice in task.view().choices:
            if choice.label.id == "card_problems.reset.sign_in":
                choice.action()
        assert session.step is Step.PIN
        session.submit_pin(bytearray(b"975310"))
        qtbot.waitUntil(lambda: session.step is Step.HOME, timeout=WAIT_MS)

    auditor = client.staff_login("demo-auditor", "demo-auditor-pass")
    log = client.audit_log(auditor.token, limit=50)
    assert log.chain_intact
    resets = [e for e in reversed(log.entries) if e.purpose == "pin_reset"]
    assert [e.fields for e in resets[-2:]] == [("identity_checked",), ("pin_written",)]
    assert resets[-1].consent_id == resets[-2].consent_id
