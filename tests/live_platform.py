"""The fixtures of a real platform over real HTTP on loopback, for the server's, the browser's
and the client's tests alike: a seeded demo database made once a run, copied for each test."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.server import models as m
from kiosk.server import service
from kiosk.server.testing import LivePlatform

SEED = 2024


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return service.demo_template(SEED, folder=tmp_path_factory.mktemp("demo-template"))


@pytest.fixture
def live(tmp_path: Path, demo_template: Path) -> Iterator[LivePlatform]:
    """uvicorn in a thread, over a fresh copy of the demo database."""
    with LivePlatform(tmp_path, template=demo_template, seed=SEED) as platform:
        yield platform


def file_complaint(
    live: LivePlatform,
    headers: dict[str, str],
    *,
    kind: str = "complaint",
    category: str = "card",
    subject: str = "补卡进度慢",
    text: str = "两周前申请补卡，至今没有消息。",
    **more: object,
) -> dict[str, object]:
    """A complaint (or report, or suggestion) filed through the API as a kiosk files it; its
    answer, which must be 201. more: the body's other fields (item, contact, anonymous)."""
    body: dict[str, object] = {
        "kind": kind,
        "category": category,
        "subject": subject,
        "text": text,
        **more,
    }
    key = {"Idempotency-Key": secrets.token_hex(12)}
    answer = requests.post(f"{live.url}/v1/complaints", json=body, headers=headers | key, timeout=5)
    assert answer.status_code == 201, answer.text
    result: dict[str, object] = answer.json()
    return result


def expire(live: LivePlatform, kind: type[m.LossCode] | type[m.Consent], key: str) -> None:
    """Let a row's time run out: it expired a second ago, as if the test had waited."""
    with live.db() as db:
        row = db.get(kind, key)
        assert row is not None
        row.expires = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.commit()
