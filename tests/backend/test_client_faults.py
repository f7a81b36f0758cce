"""The client meeting a failing platform: each fault its own test, each a typed error."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from scripted import Reply, ScriptedServer, http

from kiosk.backend.client import PlatformClient
from kiosk.domain.errors import PlatformAnswerInvalid, PlatformRejected, PlatformUnavailable

SESSION = {
    "token": "t" * 43,
    "name": "王秀英",
    "card_status": "normal",
    "financial_account_active": True,
    "expires_in_s": 300,
}
CATALOG = {
    "published": "2024-01-01T00:00:00+08:00",
    "categories": [
        {
            "number": 6,
            "name": {"zh": "公共交通", "en": "Public transport"},
            "items": [
                {
                    "id": "tr-bus",
                    "category": 6,
                    "name": {"zh": "乘坐公交车", "en": "City buses"},
                    "where": {"zh": "公交", "en": "Buses"},
                    "how": {"zh": "刷卡", "en": "Tap"},
                    "needs_financial_account": True,
                }
            ],
        }
    ],
}


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def make(
    server: ScriptedServer, tmp_path: Path, sleeps: Sleeps | None = None, timeout_s: float = 2.0
) -> PlatformClient:
    return PlatformClient(
        server.url,
        "kiosk-1",
        "key-key-key-key-key",
        timeout_s=timeout_s,
        cache_dir=tmp_path,
        sleep=sleeps or Sleeps(),
    )


def test_platform_down(tmp_path: Path) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now
    client = PlatformClient(
        f"http://127.0.0.1:{port}", "k", "key-key-key-key-key", cache_dir=tmp_path, sleep=Sleeps()
    )
    with pytest.raises(PlatformUnavailable):
        client.open_session_by_card("A" * 32, "A00000011")
    with pytest.raises(PlatformUnavailable):
        client.catalog()  # nothing cached yet: the failure is told, not hidden


def test_500_is_unavailable_and_idempotent_calls_are_retried(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    sleeps = Sleeps()
    scripted.replies += [Reply(http(500, "oops", content_type="text/plain"))] * 2
    scripted.replies.append(Reply(http(200, CATALOG)))
    catalog = make(scripted, tmp_path, sleeps).catalog()
    assert catalog.item_count == 1
    assert len(scripted.seen) == 3
    assert len(sleeps.calls) == 2 and sleeps.calls[1] > sleeps.calls[0] * 0.5


def test_500_on_session_open_is_not_retried(scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.replies += [Reply(http(500, "{}")), Reply(http(201, SESSION))]
    with pytest.raises(PlatformUnavailable):
        make(scripted, tmp_path).open_session_by_card("A" * 32, "A00000011")
    assert len(scripted.seen) == 1


def test_503_with_retry_after_waits_that_long(scripted: ScriptedServer, tmp_path: Path) -> None:
    sleeps = Sleeps()
    scripted.replies += [
        Reply(http(503, "{}", headers={"Retry-After": "2"})),
        Reply(http(204, b"")),
    ]
    make(scripted, tmp_path, sleeps).close_session("token")
    assert sleeps.calls == [2.0]
    assert [s.method for s in scripted.seen] == ["DELETE", "DELETE"]


def test_503_with_a_long_retry_after_gives_up_at_once(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    sleeps = Sleeps()
    scripted.replies += [Reply(http(503, "{}", headers={"Retry-After": "600"}))]
    with pytest.raises(PlatformUnavailable):
        make(scripted, tmp_path, sleeps).close_session("token")
    assert sleeps.calls == [] and len(scripted.seen) == 1


def test_answer_slower_than_the_timeout(scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.replies += [Reply(http(201, SESSION), delay_s=1.5)]
    started = time.monotonic()
    with pytest.raises(PlatformUnavailable):
        make(scripted, tmp_path, timeout_s=0.3).open_session_by_card("A" * 32, "A00000011")
    assert time.monotonic() - started < 1.2


def test_truncated_body(scripted: ScriptedServer, tmp_path: Path) -> None:
    raw = http(201, SESSION)
    scripted.replies += [Reply(raw, cut_after=len(raw) - 20)]
    with pytest.raises(PlatformUnavailable):
        make(scripted, tmp_path).open_session_by_card("A" * 32, "A00000011")


def test_truncated_json_without_length(scripted: ScriptedServer, tmp_path: Path) -> None:
    body = b'{"token": "tttttttt", "name": "\xe7\x8e\x8b'
    raw = b"HTTP/1.1 201 X\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" + body
    scripted.replies += [Reply(raw)]
    with pytest.raises(PlatformAnswerInvalid):
        make(scripted, tmp_path).open_session_by_card("A" * 32, "A00000011")


def test_wrong_content_type(scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.replies += [
        Reply(http(201, "<html>Login to the Wi-Fi</html>", content_type="text/html"))
    ]
    with pytest.raises(PlatformAnswerInvalid):
        make(scripted, tmp_path).open_session_by_card("A" * 32, "A00000011")


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"token": 5},
        {**SESSION, "card_status": "stolen"},
        {**SESSION, "financial_account_active": "yes"},
        {**SESSION, "expires_in_s": True},
        {**SESSION, "expires_in_s": -1},
        {k: v for k, v in SESSION.items() if k != "name"},
        None,
    ],
)
def test_valid_json_of_the_wrong_shape(
    scripted: ScriptedServer, tmp_path: Path, body: object
) -> None:
    scripted.replies += [Reply(http(201, body))]
    with pytest.raises(PlatformAnswerInvalid):
        make(scripted, tmp_path).open_session_by_card("A" * 32, "A00000011")


def test_catalog_of_the_wrong_shape(scripted: ScriptedServer, tmp_path: Path) -> None:
    broken = {**CATALOG, "categories": [{**CATALOG["categories"][0], "number": 14}]}  # type: ignore[dict-item]
    scripted.replies += [Reply(http(200, broken))] * 3
    with pytest.raises(PlatformAnswerInvalid):
        make(scripted, tmp_path).catalog()


def test_4xx_without_a_reason_code_is_invalid(scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.replies += [Reply(http(404, "Not Found", content_type="text/plain"))]
    with pytest.raises(PlatformAnswerInvalid):
        make(scripted, tmp_path).open_session_by_card("A" * 32, "A00000011")


def test_4xx_with_a_reason_code_is_rejected(scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.replies += [Reply(http(404, {"code": "card_unknown", "detail": "no such card"}))]
    with pytest.raises(PlatformRejected) as caught:
        make(scripted, tmp_path).open_session_by_card("A" * 32, "A00000011")
    assert (caught.value.code, caught.value.detail) == ("card_unknown", "no such card")


def test_redirect_is_not_followed(scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.replies += [Reply(http(302, "", headers={"Location": "http://127.0.0.2/steal"}))]
    with pytest.raises(PlatformAnswerInvalid):
        make(scripted, tmp_path).open_session_by_card("A" * 32, "A00000011")
    assert len(scripted.seen) == 1


def test_kiosk_key_is_sent_and_no_proxy_is_used(
    scripted: ScriptedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    scripted.replies += [Reply(http(201, SESSION))]
    make(scripted, tmp_path).open_session_by_card("A" * 32, "A00000011")
    assert scripted.seen[0].headers["x-kiosk-id"] == "kiosk-1"
    assert scripted.seen[0].headers["x-kiosk-key"] == "key-key-key-key-key"


def test_catalog_falls_back_to_the_offline_copy_with_its_age(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    scripted.replies += [Reply(http(200, CATALOG))]
    client = make(scripted, tmp_path)
    first = client.catalog_snapshot()
    assert not first.from_cache
    scripted.replies += [Reply(http(503, "{}"))] * 3
    second = client.catalog_snapshot()
    assert second.from_cache
    assert second.catalog == first.catalog
    assert second.fetched_at == first.fetched_at
    assert 0 <= second.age_s() < 60


def test_plain_http_only_to_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        PlatformClient("http://10.1.2.3:8765", "k", "key")
    PlatformClient("http://localhost:8765", "k", "key", cache_dir=None)
    PlatformClient("http://[::1]:8765", "k", "key")
    PlatformClient("https://platform.example:8443", "k", "key")


def test_repr_hides_the_key() -> None:
    client = PlatformClient("https://platform.example", "kiosk-7", "very-secret-key")
    assert "very-secret-key" not in repr(client)
