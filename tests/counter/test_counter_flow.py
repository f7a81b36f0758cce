"""The counter, flow by flow, against the real reference platform (EmbeddedServer): a member of
staff serves a resident for each of the resident's tasks, every look-up needs the resident's
consent on the customer window, and every one is in the verified audit log with its purpose."""

from __future__ import annotations

import uuid

import pytest
from helpers.counter import CounterRig
from helpers.view import texts

from kiosk.backend.client import PlatformClient
from kiosk.counter.consent import ConsentTask
from kiosk.counter.flow import CounterStep
from kiosk.flows.session import Step


def audit_entries(client: PlatformClient, since_id: int = 0) -> list[tuple[str, str]]:
    auditor = client.staff_login("demo-auditor", "demo-auditor-pass")
    log = client.audit_log(auditor.token, limit=1000)
    assert log.chain_intact
    return [(e.purpose, e.consent_id) for e in reversed(log.entries) if e.id > since_id]


def last_audit_id(client: PlatformClient) -> int:
    auditor = client.staff_login("demo-auditor", "demo-auditor-pass")
    entries = client.audit_log(auditor.token, limit=1).entries
    return entries[0].id if entries else 0


def test_the_resident_is_asked_and_told_who_wants_what(rig: CounterRig) -> None:
    rig.resident_signs_in("demo_a")
    rig.staff_signs_in()
    rig.counter.choose("card_reissue")
    assert rig.counter.step is CounterStep.AWAITING
    assert "王秀英" not in str(texts(rig.counter.view()))  # nothing about the resident yet
    question = rig.customer_view()
    assert question.heading.id == "consent.heading"
    said = texts(question)
    assert "演示柜员" in said and "demo-counter" in said  # who asks, by name and staff id
    assert "counter.purpose.card_reissue" in said  # why
    assert "counter.field.id_number" in said  # what: the whole ID number, said so
    assert [c.label.id for c in question.choices] == [
        "consent.choice.grant",
        "consent.choice.refuse",
    ]
    # The question is spoken like any screen: who, why and what are read out.
    spoken = [m.id for m in question.spoken()]
    assert spoken.index("consent.who") < spoken.index("consent.choice.grant")


def test_records_lookup_for_contributions_and_the_medical_account(
    rig: CounterRig, client: PlatformClient
) -> None:
    before = last_audit_id(client)
    rig.resident_signs_in("demo_b")
    rig.staff_signs_in()
    rig.serve("contribution_inquiry")
    assert rig.counter.step is CounterStep.RESULT
    result = rig.counter.result
    assert result is not None and result.contributions and result.card is None
    assert result.id_number is not None and "*" in result.id_number
    shown = texts(rig.counter.view())
    assert "records.insurance.pension" in shown and "counter.result.months" in shown
    assert rig.customer_view().heading.id == "consent.granted.heading"
    assert rig.customer_view().choose("1")
    assert rig.session.step is Step.HOME
    assert rig.counter.view().choose("2")  # another service
    rig.serve("medical_inquiry")
    assert rig.counter.result is not None and rig.counter.result.medical_balance_fen is not None
    assert rig.counter.result.contributions is None
    logged = audit_entries(client, before)
    assert [p for p, _ in logged] == ["contribution_inquiry", "medical_inquiry"]
    assert all(consent for _, consent in logged)


def test_certificate_the_resident_prints_is_what_the_staff_see(
    rig: CounterRig, client: PlatformClient
) -> None:
    rig.resident_signs_in("demo_b")
    rig.staff_signs_in()
    assert rig.session.session is not None
    certificate = client.issue_certificate(rig.session.session.token)
    rig.serve("certificate_service")
    result = rig.counter.result
    assert result is not None and result.certificates is not None
    assert certificate.code in [c.code for c in result.certificates]
    assert certificate.code in texts(rig.counter.view())


def test_complaints_are_seen_and_answered_at_the_counter(
    rig: CounterRig, client: PlatformClient
) -> None:
    rig.resident_signs_in("demo_a")
    rig.staff_signs_in()
    assert rig.session.session is not None
    token = rig.session.session.token
    body = {
        "kind": "complaint",
        "category": "service",
        "subject": "柜台排队太久",
        "text": "等了一小时",
    }
    filed = client.submit("complaint", body, idempotency_key=uuid.uuid4().hex, token=token)
    rig.serve("complaint_handling")
    result = rig.counter.result
    assert result is not None and result.complaints is not None and result.card is None
    assert result.id_number is None  # complaints need no ID number at all
    assert filed.tracking_number in [c.tracking_number for c in result.complaints]
    staff = rig.counter.staff
    assert staff is not None
    client.reply_to_complaint(staff.token, filed.tracking_number, "已增加窗口。", close=True)
    assert rig.counter.view().choose("1")  # look again: the reply is there
    again = rig.counter.result
    assert again is not None and again.audit_id > result.audit_id
    assert "已增加窗口。" in texts(rig.counter.view())


def test_a_refusal_shows_nothing_and_logs_nothing(rig: CounterRig, client: PlatformClient) -> None:
    before = last_audit_id(client)
    rig.resident_signs_in("demo_a")
    rig.staff_signs_in()
    rig.serve("medical_inquiry", answer="2")
    assert rig.counter.step is CounterStep.NOTICE and rig.counter.result is None
    assert rig.counter.view().heading.id == "counter.refused.heading"
    assert rig.customer_view().heading.id == "consent.refused.heading"
    assert last_audit_id(client) == before


def test_back_on_the_question_is_a_refusal(rig: CounterRig) -> None:
    rig.resident_signs_in("demo_a")
    rig.staff_signs_in()
    rig.counter.choose("card_service")
    rig.session.back()
    assert rig.counter.view().heading.id == "counter.refused.heading"


def test_no_resident_no_question(rig: CounterRig) -> None:
    rig.staff_signs_in()
    rig.counter.choose("card_service")
    assert rig.counter.step is CounterStep.NOTICE
    assert rig.counter.view().heading.id == "counter.no_resident.heading"


def test_the_resident_leaving_cancels_the_question_and_ends_the_consent(
    rig: CounterRig, client: PlatformClient
) -> None:
    rig.resident_signs_in("demo_a")
    rig.staff_signs_in()
    rig.counter.choose("card_service")
    rig.session.card_removed()
    assert rig.counter.view().heading.id == "counter.left.heading"
    # Allowed, then the card is taken: looking again is refused by the platform.
    rig.resident_signs_in("demo_a")
    assert rig.counter.view().choose("2")
    rig.serve("card_service")
    assert rig.counter.step is CounterStep.RESULT
    rig.session.card_removed()
    assert rig.counter.view().choose("1")
    assert rig.counter.step is CounterStep.NOTICE
    assert rig.counter.view().heading.id == "counter.consent_ended.heading"


def test_withdrawing_the_request_clears_the_customer_window(rig: CounterRig) -> None:
    rig.resident_signs_in("demo_a")
    rig.staff_signs_in()
    rig.counter.choose("complaint_handling")
    task = rig.session.task
    assert isinstance(task, ConsentTask)
    assert rig.counter.view().choose("1")  # withdraw
    assert rig.counter.step is CounterStep.PURPOSES
    assert rig.customer_view().heading.id == "consent.withdrawn.heading"
    assert [c.digit for c in rig.customer_view().choices] == ["1"]


def test_wrong_passwords_then_the_lock_out_are_said(rig: CounterRig) -> None:
    rig.counter.sign_in("", "")
    assert rig.counter.view().hint is not None
    assert rig.counter.view().hint.id == "counter.login.missing"
    for _ in range(4):
        rig.counter.sign_in("demo-supervisor", "not-the-password")
        assert rig.counter.login_error is not None
        assert rig.counter.login_error.id == "counter.login.wrong"
    rig.counter.sign_in("demo-supervisor", "not-the-password")
    assert (
        rig.counter.login_error is not None and rig.counter.login_error.id == "counter.login.locked"
    )
    rig.counter.sign_in("demo-supervisor", "demo-supervisor-pass")
    assert rig.counter.step is CounterStep.LOGIN
    assert rig.counter.login_error.id == "counter.login.locked"


def test_an_idle_console_signs_out(rig: CounterRig, client: PlatformClient) -> None:
    rig.staff_signs_in()
    staff = rig.counter.staff
    assert staff is not None
    rig.clock.now += rig.counter.idle_limit_s - 1
    rig.counter.tick()
    assert rig.counter.step is CounterStep.PURPOSES
    rig.clock.now += 2
    rig.counter.tick()
    assert rig.counter.step is CounterStep.LOGIN and rig.counter.staff is None
    assert (
        rig.counter.login_error is not None and rig.counter.login_error.id == "counter.ended.idle"
    )
    from kiosk.domain.errors import PlatformRejected

    with pytest.raises(PlatformRejected):  # the platform session was closed, too
        client.ask_consent(staff.token, "card_service")
