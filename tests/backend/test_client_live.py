"""The client against the real platform over HTTP on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.imports import loaded_by

from kiosk.backend.client import PlatformClient
from kiosk.domain.card import CardStatus
from kiosk.domain.errors import CardNotInService, PlatformRejected
from kiosk.server.demo import demo_ecode
from kiosk.server.testing import LivePlatform

DEMO_A = ("410100D156000005A0000000000000A1", "A00000011")


def client_for(live: LivePlatform, tmp_path: Path) -> PlatformClient:
    return PlatformClient(live.url, live.kiosk_id, live.kiosk_key, cache_dir=tmp_path / "cache")


def test_open_by_card_gives_the_domain_session(live: LivePlatform, tmp_path: Path) -> None:
    session = client_for(live, tmp_path).open_session_by_card(*DEMO_A)
    assert session.name == "王秀英"
    assert session.card_status is CardStatus.NORMAL
    assert session.financial_account_active is True
    assert session.expires_in_s == 300


def test_open_by_ecode(live: LivePlatform, tmp_path: Path) -> None:
    session = client_for(live, tmp_path).open_session_by_ecode(demo_ecode("B00000022"))
    assert session.name == "李明"


def test_lost_card_raises_card_not_in_service(live: LivePlatform, tmp_path: Path) -> None:
    from sqlalchemy import select

    from kiosk.server import models as m

    with live.db() as db:
        card = db.scalars(select(m.Card).where(m.Card.status == "lost")).first()
        assert card is not None
        identifier, number = card.identifier, card.number
    with pytest.raises(CardNotInService) as caught:
        client_for(live, tmp_path).open_session_by_card(identifier, number)
    assert caught.value.status == "lost"
    assert caught.value.code == "card_not_in_service"


def test_unknown_card_raises_rejected_with_its_code(live: LivePlatform, tmp_path: Path) -> None:
    with pytest.raises(PlatformRejected) as caught:
        client_for(live, tmp_path).open_session_by_card("0" * 32, "Z99999999")
    assert caught.value.code == "card_unknown"
    assert not isinstance(caught.value, CardNotInService)


def test_wrong_kiosk_key_raises_rejected(live: LivePlatform, tmp_path: Path) -> None:
    client = PlatformClient(live.url, live.kiosk_id, "wrong-key-wrong-key", cache_dir=tmp_path)
    with pytest.raises(PlatformRejected) as caught:
        client.open_session_by_card(*DEMO_A)
    assert caught.value.code == "kiosk_unauthenticated"


def test_close_session_twice_is_fine(live: LivePlatform, tmp_path: Path) -> None:
    client = client_for(live, tmp_path)
    session = client.open_session_by_card(*DEMO_A)
    client.close_session(session.token)
    client.close_session(session.token)


def test_catalog_comes_as_domain_values_and_is_kept_offline(
    live: LivePlatform, tmp_path: Path
) -> None:
    client = client_for(live, tmp_path)
    snapshot = client.catalog_snapshot()
    assert not snapshot.from_cache
    assert snapshot.catalog.item_count >= 40
    assert len(snapshot.catalog.categories) == 13
    assert snapshot.catalog.category(10).name.get("en") == "Financial services"
    assert (tmp_path / "cache").is_dir() and list((tmp_path / "cache").iterdir())
    assert client.health() is True


def test_client_imports_nothing_heavy() -> None:
    heavy = ("fastapi", "sqlalchemy", "pydantic", "PySide6", "requests", "starlette")
    assert loaded_by("import kiosk.backend.client, kiosk.backend.outbox", heavy) == []
