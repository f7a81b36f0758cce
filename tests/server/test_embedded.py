"""The embedded demo platform as the kiosk starts it: a child process on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from helpers.imports import loaded_by

from kiosk.backend.client import PlatformClient
from kiosk.server import launch
from kiosk.server.embedded import EmbeddedServer, EmbeddedServerError

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fresh_interpreters(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are of the start itself: each server a fresh interpreter, as the kiosk
    starts it, not a fork of the test kit's preloaded one (tests/conftest.py)."""
    monkeypatch.setattr(launch, "start", launch.start_in_new_interpreter)


@pytest.fixture
def isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    # The child builds its demo template under XDG_CACHE_HOME: keep the tests off the user's.
    folder = tmp_path_factory.getbasetemp() / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.getbasetemp() / "xdg-data"))
    return folder


@pytest.fixture
def embedded(isolated_cache: Path) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer.start(log_level="info")
    yield server
    server.stop()


def test_the_demo_card_opens_a_session_on_the_embedded_platform(
    embedded: EmbeddedServer, tmp_path: Path
) -> None:
    url = embedded.wait_ready(30)
    assert url.startswith("http://127.0.0.1:") and embedded.url == url
    client = PlatformClient(url, embedded.kiosk_id, embedded.kiosk_key, cache_dir=tmp_path)
    session = client.open_session_by_card("410100D156000005A0000000000000A1", "A00000011")
    assert session.name == "王秀英"
    client.close_session(session.token)
    embedded.stop()
    assert not embedded.running()


def test_each_start_has_its_own_key(isolated_cache: Path) -> None:
    a, b = EmbeddedServer.start(), EmbeddedServer.start()
    try:
        assert a.kiosk_key != b.kiosk_key and a.kiosk_id != b.kiosk_id
        a_url, b_url = a.wait_ready(30), b.wait_ready(30)
        body = {"method": "ecode", "ecode": "DEMO-ECODE-A00000011"}
        foreign = requests.post(
            f"{a_url}/v1/sessions",
            json=body,
            timeout=5,
            headers={"X-Kiosk-Id": b.kiosk_id, "X-Kiosk-Key": b.kiosk_key},
        )
        assert foreign.status_code == 401
        assert b_url != a_url
    finally:
        a.stop()
        b.stop()


def test_a_warm_start_serves_a_copy_of_the_template_the_first_start_built(
    isolated_cache: Path, tmp_path: Path
) -> None:
    # What makes every demo start after the first quick: the seeded template is built once and
    # each start serves a copy of it. How quick is a benchmark figure (`python -m bench
    # embedded`, against a bare web server), not a limit here.
    first = EmbeddedServer.start()
    try:
        first.wait_ready(60)
    finally:
        first.stop()
    folder = isolated_cache / "onecard-kiosk" / "demo-platform"
    (template,) = folder.glob("demo-*.sqlite3")
    built = template.stat()

    second = EmbeddedServer.start()
    try:
        url = second.wait_ready(60)
        client = PlatformClient(url, second.kiosk_id, second.kiosk_key, cache_dir=tmp_path)
        session = client.open_session_by_card("410100D156000005A0000000000000A1", "A00000011")
        assert session.name == "王秀英"
        client.close_session(session.token)
    finally:
        second.stop()
    # The same file, neither rebuilt nor written by the server that used it.
    kept = template.stat()
    assert (kept.st_ino, kept.st_mtime_ns, kept.st_size) == (
        built.st_ino,
        built.st_mtime_ns,
        built.st_size,
    )
    assert sorted(path.name for path in folder.iterdir()) == [template.name]


def test_a_child_that_dies_is_reported_with_its_last_words(isolated_cache: Path) -> None:
    server = EmbeddedServer.start(db_url="postgresql+nosuchdriver://x/y")
    with pytest.raises(EmbeddedServerError) as caught:
        server.wait_ready(30)
    assert "exited with code" in str(caught.value)
    assert "kiosk server:" in str(caught.value)  # the child's own one-line error
    assert "Traceback" not in str(caught.value)


def test_url_before_ready_is_a_clear_error(embedded: EmbeddedServer) -> None:
    if embedded._ready.is_set():  # pragma: no cover - the child was very fast
        pytest.skip("ready already")
    with pytest.raises(EmbeddedServerError):
        _ = embedded.url


def test_importing_it_loads_no_server_stack() -> None:
    stack = ("fastapi", "sqlalchemy", "pydantic", "uvicorn", "PySide6")
    assert loaded_by("import kiosk.server.embedded", stack) == []


def test_the_access_log_carries_no_personal_data(embedded: EmbeddedServer, tmp_path: Path) -> None:
    url = embedded.wait_ready(30)
    client = PlatformClient(url, embedded.kiosk_id, embedded.kiosk_key, cache_dir=tmp_path)
    session = client.open_session_by_ecode("DEMO-ECODE-A00000011")
    client.contributions(session.token, since="2020-01")
    certificate = client.issue_certificate(session.token)
    client.verify_certificate(certificate.code)
    requests.post(
        f"{url}/v1/sessions",
        json={"method": "card", "card_identifier": "X", "card_number": "410102195203120027"},
        headers={"X-Kiosk-Id": embedded.kiosk_id, "X-Kiosk-Key": embedded.kiosk_key},
    )
    time.sleep(0.3)
    embedded.stop()
    log = "\n".join(embedded._stderr)
    assert "POST /v1/sessions 201" in log
    assert "GET /v1/certificates/{code} 200" in log
    for secret in (
        "王秀英",
        "410102195203120027",
        "A00000011",
        "DEMO-ECODE",
        session.token,
        certificate.code,
        "since=",
        embedded.kiosk_key,
    ):
        assert secret not in log, f"{secret!r} reached the log"


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path))
    for args, needle in (
        (["--port", "70000"], "out of range"),
        (["--db", "not a url"], "not a database URL"),
        (["--fresh-demo", "--db", "sqlite://"], "exclude each other"),
        (["--ssl-certfile", "x.pem"], "go together"),
    ):
        out = subprocess.run(
            [sys.executable, "-m", "kiosk.server", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert out.returncode == 2, (args, out.stderr)
        assert needle in out.stderr and len(out.stderr.strip().splitlines()) == 1
