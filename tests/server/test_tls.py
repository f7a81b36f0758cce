"""HTTPS with the platform's certificate verified, and mutual TLS as the kiosk's second proof."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from counter_support import DEMO_A
from pki import https_platform, self_signed, signed_by

from kiosk.backend.client import PlatformClient
from kiosk.domain.errors import PlatformUnavailable

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command"),
]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private CA, a server certificate for 127.0.0.1, and a kiosk's client certificate."""
    folder = tmp_path_factory.mktemp("pki")
    self_signed(folder, "ca", "/CN=onecard test CA", 2)
    signed_by(folder, "ca", "server", 2, "subjectAltName=IP:127.0.0.1")
    signed_by(folder, "ca", "kiosk", 2)
    return folder


def serve(pki: Path, tmp_path: Path, *extra: str) -> Iterator[tuple[str, str, str]]:
    kiosk = {"ONECARD_KIOSK_ID": "tls-kiosk", "ONECARD_KIOSK_KEY": "tls-kiosk-key-0123"}
    own = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data")}
    with https_platform(pki, "server", *extra, **own, **kiosk) as url:
        yield url, "tls-kiosk", "tls-kiosk-key-0123"


@pytest.fixture
def https(pki: Path, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    yield from serve(pki, tmp_path)


@pytest.fixture
def mutual(pki: Path, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    yield from serve(pki, tmp_path, "--ssl-ca-certs", str(pki / "ca.pem"))


def test_https_with_the_platform_certificate_verified(
    https: tuple[str, str, str], pki: Path, tmp_path: Path
) -> None:
    url, kiosk_id, key = https
    assert url.startswith("https://")
    client = PlatformClient(url, kiosk_id, key, ca_bundle=str(pki / "ca.pem"), cache_dir=tmp_path)
    assert client.open_session_by_card(**DEMO_A).name == "王秀英"


def test_an_unknown_certificate_is_refused(https: tuple[str, str, str], tmp_path: Path) -> None:
    url, kiosk_id, key = https
    client = PlatformClient(url, kiosk_id, key, cache_dir=tmp_path, retries=0)
    with pytest.raises(PlatformUnavailable, match="TLS"):
        client.open_session_by_card(**DEMO_A)


def test_mutual_tls_needs_the_kiosk_certificate(
    mutual: tuple[str, str, str], pki: Path, tmp_path: Path
) -> None:
    url, kiosk_id, key = mutual
    ca = str(pki / "ca.pem")
    without = PlatformClient(url, kiosk_id, key, ca_bundle=ca, cache_dir=tmp_path, retries=0)
    with pytest.raises(PlatformUnavailable):
        without.open_session_by_card(**DEMO_A)
    with_cert = PlatformClient(
        url,
        kiosk_id,
        key,
        ca_bundle=ca,
        cache_dir=tmp_path,
        client_cert=(str(pki / "kiosk.pem"), str(pki / "kiosk.key")),
    )
    assert with_cert.open_session_by_card(**DEMO_A).name == "王秀英"
