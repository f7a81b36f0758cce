"""The card's life at the counter: a loss reported, lifted, and a new card requested, each seen
by the member of staff only through the purpose the resident allowed; then the resident without
the card, signed in by e-code. Its own platform: the demo card's status changes for good here."""

from __future__ import annotations

import uuid
from pathlib import Path

from helpers.counter import CounterRig
from helpers.view import texts

from kiosk.backend.client import PlatformClient
from kiosk.counter.flow import CounterStep
from kiosk.domain.card import CardStatus
from kiosk.server.embedded import EmbeddedServer


def test_loss_report_lifting_and_reissue(server: EmbeddedServer, tmp_path: Path) -> None:
    client = PlatformClient(server.url, server.kiosk_id, server.kiosk_key, cache_dir=tmp_path)
    rig = CounterRig(client)
    rig.resident_signs_in("demo_b")
    rig.staff_signs_in()
    assert rig.session.session is not None
    token = rig.session.session.token

    rig.serve("card_service")
    result = rig.counter.result
    assert result is not None and result.card is not None
    assert result.card.status is CardStatus.NORMAL and result.contributions is None
    assert result.id_number is not None and "*" in result.id_number

    def submit(kind: str, body: dict[str, object]) -> str:
        return client.submit(
            kind, body, idempotency_key=uuid.uuid4().hex, token=token
        ).tracking_number

    reported = submit("loss_report", {"kind": "temporary"})
    assert rig.counter.view().choose("1")  # look again
    card = rig.counter.result.card if rig.counter.result else None
    assert card is not None and card.status is CardStatus.TEMPORARILY_LOST
    assert reported in [r.tracking_number for r in card.requests]
    assert reported in texts(rig.counter.view())

    submit("loss_lifting", {})
    assert rig.counter.view().choose("1")
    card = rig.counter.result.card if rig.counter.result else None
    assert card is not None and card.status is CardStatus.NORMAL

    # A new card is made out to the ID number: this purpose shows it whole, and asks again.
    assert rig.counter.view().choose("2")
    rig.serve("card_reissue")
    assert rig.counter.step is CounterStep.RESULT
    whole = rig.counter.result
    assert whole is not None and whole.id_number is not None and "*" not in whole.id_number
    submit("loss_report", {"kind": "formal"})
    reissue = submit("reissue", {"pickup": "jinshui-district-hall"})
    assert rig.counter.view().choose("1")
    card = rig.counter.result.card if rig.counter.result else None
    assert card is not None and reissue in [r.tracking_number for r in card.requests]

    # The card reported lost no longer opens a session; the e-code does (Art. 2), and the
    # resident answers the next request from that session.
    rig.session.card_removed()
    rig.session.ecode_scanned("DEMO-ECODE-B00000022")
    assert rig.session.session is not None
    assert rig.counter.view().choose("2")
    rig.serve("card_service")
    card = rig.counter.result.card if rig.counter.result else None
    assert card is not None and card.status is CardStatus.LOST

    auditor = client.staff_login("demo-auditor", "demo-auditor-pass")
    log = client.audit_log(auditor.token)
    assert log.chain_intact
    assert [e.purpose for e in reversed(log.entries)] == [
        "card_service",
        "card_service",
        "card_service",
        "card_reissue",
        "card_reissue",
        "card_service",
    ]
    assert len({e.consent_id for e in log.entries}) == 3
