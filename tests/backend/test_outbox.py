"""The outbox: durable before sending, exactly once, honest about where an item is."""

from __future__ import annotations

import socket
import sqlite3
import time
from pathlib import Path

import requests
from scripted import Reply, ScriptedServer, http
from sqlalchemy import func, select

from kiosk.backend.client import PlatformClient
from kiosk.backend.outbox import Outbox
from kiosk.domain.submission import OutboxState
from kiosk.server import models as m
from kiosk.server.testing import LivePlatform

DEMO_B = ("410100D156000005B0000000000000B2", "B00000022")
COMPLAINT = {"kind": "complaint", "category": "service", "subject": "排队", "text": "排队太久"}


def dead_url() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


def client(live: LivePlatform, url: str | None = None) -> PlatformClient:
    return PlatformClient(
        url or live.url, live.kiosk_id, live.kiosk_key, cache_dir=None, retries=0, timeout_s=2
    )


def complaints_on_platform(live: LivePlatform, tracking: str | None = None) -> int:
    with live.db() as db:
        query = (
            select(func.count())
            .select_from(m.Complaint)
            .where(m.Complaint.kiosk_id == live.kiosk_id)
        )
        if tracking is not None:
            query = query.where(m.Complaint.tracking_number == tracking)
        return int(db.scalar(query) or 0)


def test_delivered_at_once_when_the_platform_is_there(live: LivePlatform, tmp_path: Path) -> None:
    platform = client(live)
    token = platform.open_session_by_card(*DEMO_B).token
    outbox = Outbox(tmp_path / "outbox.sqlite3", platform)
    receipt = outbox.submit("complaint", COMPLAINT, token=token)
    assert receipt.delivered and receipt.state is OutboxState.DELIVERED
    assert receipt.answer is not None and receipt.answer.tracking_number == receipt.tracking_number
    assert complaints_on_platform(live, receipt.tracking_number) == 1
    assert outbox.pending_count() == 0


def test_personal_data_is_wiped_from_the_file_once_delivered(
    live: LivePlatform, tmp_path: Path
) -> None:
    platform = client(live)
    token = platform.open_session_by_card(*DEMO_B).token
    Outbox(tmp_path / "o.sqlite3", platform).submit("complaint", COMPLAINT, token=token)
    row = (
        sqlite3.connect(tmp_path / "o.sqlite3")
        .execute("SELECT body, token, card FROM outbox")
        .fetchone()
    )
    assert row == ("{}", None, None)


def forwarding_to(live: LivePlatform, garbled: Reply | None = None):
    """A reply for the scripted server that passes the request through to the real platform,
    and answers with the platform's answer, or with `garbled` (lost on the way back)."""

    def forward(seen: object) -> Reply:
        from scripted import Seen

        assert isinstance(seen, Seen)
        headers = {
            k: v for k, v in seen.headers.items() if k.startswith(("x-", "idem", "content-t"))
        }
        answer = requests.request(
            seen.method, f"{live.url}{seen.path}", data=seen.body, headers=headers, timeout=5
        )
        return garbled or Reply(http(answer.status_code, answer.content))

    return forward


def granted_then_down(
    live: LivePlatform, scripted: ScriptedServer, path: Path
) -> tuple[PlatformClient, str, Outbox]:
    """Demo card B's session, opened on the platform itself, and an outbox at `path` whose link
    reserves the session's three delivery grants while it is up and then goes down (503)."""
    platform = client(live)
    token = platform.open_session_by_card(*DEMO_B).token
    scripted.replies += [forwarding_to(live), Reply(http(503, "{}"))]
    down = Outbox(path, client(live, scripted.url))
    assert down.reserve_now(token) == 3
    return platform, token, down


def test_queued_while_down_then_delivered_once_when_back(
    live: LivePlatform, tmp_path: Path, scripted: ScriptedServer
) -> None:
    """The network drops after the session opened: what the resident files waits, and goes out
    after they have left on the grant the outbox reserved when the session opened."""
    path = tmp_path / "outbox.sqlite3"
    platform, token, down = granted_then_down(live, scripted, path)
    receipt = down.submit("loss_report", {"kind": "temporary"}, token=token)
    assert receipt.state is OutboxState.QUEUED and not receipt.delivered
    assert receipt.tracking_number.startswith("R-")
    assert down.pending_count() == 1
    down.close()
    platform.close_session(token)  # the resident has gone
    back = Outbox(path, client(live))  # the kiosk restarted and the platform is back
    assert back.deliver_pending() == 1
    assert back.pending_count() == 0
    assert back.receipt(receipt.tracking_number).state is OutboxState.DELIVERED  # type: ignore[union-attr]
    assert back.deliver_pending() == 0
    with live.db() as db:
        rows = db.scalars(select(m.CardRequest)).all()
        assert [r.tracking_number for r in rows] == [receipt.tracking_number]


def test_without_a_grant_an_ended_session_files_nothing(live: LivePlatform, tmp_path: Path) -> None:
    """The platform was away for the whole session (no grant): once the resident has left,
    the token alone is refused, and the item says so instead of waiting for ever."""
    platform = client(live)
    token = platform.open_session_by_card(*DEMO_B).token
    path = tmp_path / "outbox.sqlite3"
    down = Outbox(path, client(live, dead_url()))
    queued = down.submit("complaint", COMPLAINT, token=token)
    assert queued.state is OutboxState.QUEUED
    down.close()
    platform.close_session(token)
    back = Outbox(path, client(live))
    assert back.deliver_pending() == 1
    refused = back.receipt(queued.tracking_number)
    assert refused is not None and refused.state is OutboxState.REJECTED
    assert refused.reason == "session_expired"
    assert complaints_on_platform(live) == 0


def test_the_background_sender_delivers_when_the_platform_returns(
    live: LivePlatform, tmp_path: Path, scripted: ScriptedServer
) -> None:
    # A platform that is away (503) for the first try, then passes through to the real one.
    scripted.replies += [Reply(http(503, "{}")), forwarding_to(live)]
    outbox = Outbox(tmp_path / "o.sqlite3", client(live, scripted.url), retry_every_s=0.05)
    receipt = outbox.submit("complaint", dict(COMPLAINT, kind="suggestion", anonymous=True))
    assert receipt.state is OutboxState.QUEUED
    outbox.start()
    try:
        deadline = time.monotonic() + 10
        while outbox.pending_count() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        outbox.stop()
    assert outbox.pending_count() == 0
    assert complaints_on_platform(live, receipt.tracking_number) == 1


def test_a_lost_answer_is_sent_again_and_filed_once(
    live: LivePlatform, tmp_path: Path, scripted: ScriptedServer
) -> None:
    """The platform filed it, but the answer came back garbled: the retry gets the same one."""
    scripted.replies.append(forwarding_to(live, garbled=Reply(http(201, b"{not json"))))
    path = tmp_path / "o.sqlite3"
    first = Outbox(path, client(live, scripted.url))
    receipt = first.submit("complaint", dict(COMPLAINT, kind="suggestion", anonymous=True))
    assert receipt.state is OutboxState.QUEUED
    assert complaints_on_platform(live, receipt.tracking_number) == 1
    first.close()
    second = Outbox(path, client(live))
    assert second.deliver_pending() == 1
    assert complaints_on_platform(live, receipt.tracking_number) == 1


def test_a_refused_item_is_rejected_with_its_reason(live: LivePlatform, tmp_path: Path) -> None:
    platform = client(live)
    token = platform.open_session_by_card(*DEMO_B).token
    outbox = Outbox(tmp_path / "o.sqlite3", platform)
    receipt = outbox.submit("loss_lifting", {}, token=token)  # the card is not lost
    assert receipt.state is OutboxState.REJECTED
    assert receipt.reason == "request_not_allowed"
    assert outbox.pending_count() == 0


def test_items_go_out_in_the_order_they_were_made(
    live: LivePlatform, tmp_path: Path, scripted: ScriptedServer
) -> None:
    path = tmp_path / "o.sqlite3"
    platform, token, down = granted_then_down(live, scripted, path)
    report = down.submit("loss_report", {"kind": "temporary"}, token=token)
    lifting = down.submit("loss_lifting", {}, token=token)  # waits behind the report
    assert down.pending_count() == 2
    down.close()
    platform.close_session(token)
    back = Outbox(path, client(live))
    assert back.deliver_pending() == 2
    # Lifting before the report would have been refused: the order held.
    assert back.receipt(report.tracking_number).state is OutboxState.DELIVERED  # type: ignore[union-attr]
    assert back.receipt(lifting.tracking_number).state is OutboxState.DELIVERED  # type: ignore[union-attr]
