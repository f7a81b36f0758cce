"""A blocked PIN reset at the counter, against the real reference platform and the real card
protocol on a virtual chip: staff check the identity card, the resident types the new PIN on the
customer window, the demo PSAM's MAC unblocks the chip, and the audit log holds both halves."""

from __future__ import annotations

from helpers.counter import ChipCard, CounterRig
from helpers.view import texts

from kiosk.backend.client import PlatformClient
from kiosk.counter.flow import PIN_RESET_DIGIT, CounterStep
from kiosk.flows.card_problems import PinBlockedTask, PinResetTask
from kiosk.flows.session import Step

DEMO_A_ID = "410102195203120027"
SOMEONE_ELSE = "410105198807160014"


def _block(rig: CounterRig, card: ChipCard) -> None:
    rig.card = card  # type: ignore[assignment]
    rig.session.card_inserted()
    assert rig.session.step is Step.PIN
    while rig.session.step is Step.PIN:
        rig.session.submit_pin(bytearray(b"000000"))
    assert isinstance(rig.session.task, PinBlockedTask)


def _pin_resets(client: PlatformClient) -> list[tuple[str, ...]]:
    auditor = client.staff_login("demo-auditor", "demo-auditor-pass")
    log = client.audit_log(auditor.token, limit=1000)
    assert log.chain_intact
    return [e.fields for e in reversed(log.entries) if e.purpose == "pin_reset"]


def test_staff_check_the_id_card_and_the_resident_sets_a_new_pin(
    rig: CounterRig, client: PlatformClient
) -> None:
    before = len(_pin_resets(client))
    card = ChipCard("demo_a")
    _block(rig, card)
    said = texts(rig.customer_view())
    assert "card_problems.blocked.counter_hint" in said
    rig.staff_signs_in()
    assert rig.counter.view().choose(PIN_RESET_DIGIT)
    assert rig.counter.step is CounterStep.ID_CHECK
    rig.counter.check_identity("41010219520312002")  # one digit short: said, not sent
    assert rig.counter.id_error is not None
    assert rig.counter.id_error.id == "counter.pin_reset.id_invalid"
    rig.counter.check_identity(DEMO_A_ID)
    assert rig.counter.step is CounterStep.RESETTING
    shown = texts(rig.counter.view())
    assert "王**" in shown and "王秀英" not in shown and DEMO_A_ID not in shown
    # the customer window takes the new PIN twice and a confirmation
    assert isinstance(rig.session.task, PinResetTask)
    rig.customer_view().submit(bytearray(b"975310"))  # type: ignore[attr-defined]
    rig.customer_view().submit(bytearray(b"975310"))  # type: ignore[attr-defined]
    assert rig.customer_view().choose("1")
    assert card.reader._card is not None
    assert card.reader._card.pin_tries_left == card.profile.pin_tries_max
    assert rig.counter.step is CounterStep.NOTICE
    assert rig.counter.notice is not None
    assert rig.counter.notice.id == "counter.pin_reset.written"
    assert _pin_resets(client)[before:] == [("identity_checked",), ("pin_written",)]
    # and the resident signs in with it
    assert rig.customer_view().choose("1")
    assert rig.session.step is Step.PIN
    rig.session.submit_pin(bytearray(b"975310"))
    assert rig.session.step is Step.HOME


def test_someone_elses_id_card_opens_nothing(rig: CounterRig, client: PlatformClient) -> None:
    before = len(_pin_resets(client))
    card = ChipCard("demo_a")
    _block(rig, card)
    rig.staff_signs_in()
    rig.counter.start_pin_reset()
    rig.counter.check_identity(SOMEONE_ELSE)
    assert rig.counter.step is CounterStep.NOTICE
    assert rig.counter.notice is not None
    assert rig.counter.notice.id == "counter.pin_reset.mismatch"
    assert isinstance(rig.session.task, PinBlockedTask)  # the customer window unchanged
    assert _pin_resets(client)[before:] == [("identity_mismatch",)]


def test_without_a_pin_reset_module_the_chip_refuses_and_the_log_says_so(
    rig: CounterRig, client: PlatformClient
) -> None:
    before = len(_pin_resets(client))
    card = ChipCard("demo_a", pin_reset=False)
    _block(rig, card)
    rig.staff_signs_in()
    rig.counter.start_pin_reset()
    rig.counter.check_identity(DEMO_A_ID)
    rig.customer_view().submit(bytearray(b"975310"))  # type: ignore[attr-defined]
    rig.customer_view().submit(bytearray(b"975310"))  # type: ignore[attr-defined]
    assert rig.customer_view().choose("1")
    assert rig.customer_view().hint.id == "error.card.secure_access"  # type: ignore[union-attr]
    assert rig.counter.notice is not None
    assert rig.counter.notice.id == "counter.pin_reset.not_written"
    assert _pin_resets(client)[before:] == [("identity_checked",), ("pin_not_written",)]


def test_staff_can_take_it_back_and_no_card_means_no_reset(
    rig: CounterRig, client: PlatformClient
) -> None:
    rig.staff_signs_in()
    rig.counter.start_pin_reset()
    assert rig.counter.notice is not None
    assert rig.counter.notice.id == "counter.pin_reset.no_card"
    assert rig.counter.view().choose("2")
    before = len(_pin_resets(client))
    _block(rig, ChipCard("demo_a"))
    rig.counter.start_pin_reset()
    rig.counter.check_identity(DEMO_A_ID)
    assert rig.counter.view().choose("1")  # withdraw
    assert rig.counter.step is CounterStep.PURPOSES
    assert rig.session.step is Step.TAKE_CARD
    assert _pin_resets(client)[before:] == [("identity_checked",), ("pin_not_written",)]
