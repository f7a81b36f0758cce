"""Exactly once across a SIGKILL: after the outbox write, and after the send before the ack."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.backend.client import PlatformClient
from kiosk.backend.outbox import Outbox
from kiosk.domain.submission import OutboxState
from kiosk.server import models as m
from kiosk.server.testing import LivePlatform

CHILD = Path(__file__).with_name("outbox_child.py")
DEMO_B = ("410100D156000005B0000000000000B2", "B00000022")


def filed(live: LivePlatform) -> list[str]:
    with live.db() as db:
        return list(
            db.scalars(
                select(m.Complaint.tracking_number).where(m.Complaint.kiosk_id == live.kiosk_id)
            )
        )


@pytest.mark.parametrize(
    ("moment", "filed_before_restart"), [("after_write", 0), ("after_send", 1)]
)
def test_killed_mid_submission_is_delivered_exactly_once(
    live: LivePlatform, tmp_path: Path, moment: str, filed_before_restart: int
) -> None:
    platform = PlatformClient(live.url, live.kiosk_id, live.kiosk_key, cache_dir=None)
    token = platform.open_session_by_card(*DEMO_B).token
    path = tmp_path / "outbox.sqlite3"
    child = subprocess.run(
        [
            sys.executable,
            str(CHILD),
            live.url,
            live.kiosk_id,
            live.kiosk_key,
            str(path),
            moment,
            token,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert len(filed(live)) == filed_before_restart
    # The resident has left: what is still queued goes out on its delivery grant alone.
    platform.close_session(token)

    restarted = Outbox(path, platform)
    assert restarted.pending_count() == 1  # the write survived the kill
    assert restarted.deliver_pending() == 1
    assert restarted.pending_count() == 0
    assert restarted.deliver_pending() == 0
    tracking = filed(live)
    assert len(tracking) == 1
    receipt = restarted.receipt(tracking[0])
    assert receipt is not None and receipt.state is OutboxState.DELIVERED
    with live.db() as db:
        assert (
            db.scalar(
                select(func.count())
                .select_from(m.Complaint)
                .where(m.Complaint.tracking_number == tracking[0])
            )
            == 1
        )
