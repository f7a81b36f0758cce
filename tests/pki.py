"""TLS for the tests: certificates made with the openssl command in a folder of the test's own
(a self-signed one, a platform's or a private CA's, and ones that such a CA signs), and the
reference platform served over HTTPS with one of them."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers.processes import stop

from kiosk.server import launch
from kiosk.server.embedded import ready_url


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _new_key(folder: Path, name: str, subject: str, *request: str) -> None:
    """NAME.key, a fresh RSA key, and the request for it that `request` says how to write."""
    keying = ("-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-subj", subject)
    openssl("req", *keying, *request, cwd=folder)


def self_signed(folder: Path, name: str, subject: str, days: int, *extensions: str) -> None:
    """NAME.key and NAME.pem, its self-signed certificate; each extension is added as written
    (subjectAltName=IP:127.0.0.1)."""
    added = [arg for extension in extensions for arg in ("-addext", extension)]
    _new_key(folder, name, subject, "-x509", "-out", f"{name}.pem", "-days", str(days), *added)


def signed_by(folder: Path, ca: str, name: str, days: int, *extensions: str) -> None:
    """NAME.key and NAME.pem, a certificate for CN=NAME signed by the CA's CA.key and CA.pem;
    each extension as written in an extensions file (subjectAltName=IP:127.0.0.1)."""
    _new_key(folder, name, f"/CN={name}", "-out", f"{name}.csr")
    extfile: list[str] = []
    if extensions:
        (folder / f"{name}.ext").write_text("".join(f"{line}\n" for line in extensions))
        extfile = ["-extfile", f"{name}.ext"]
    openssl(
        "x509",
        "-req",
        "-in",
        f"{name}.csr",
        "-CA",
        f"{ca}.pem",
        "-CAkey",
        f"{ca}.key",
        "-CAcreateserial",
        "-out",
        f"{name}.pem",
        "-days",
        str(days),
        *extfile,
        cwd=folder,
    )


@contextmanager
def https_platform(folder: Path, name: str, *options: str, **environment: str) -> Iterator[str]:
    """The demo platform (`kiosk server`, fresh data) over HTTPS with NAME.pem and NAME.key
    from the folder, and these further options and environment variables (its cache is in the
    folder unless they say otherwise); its URL."""
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache"), **environment}
    command = [
        "--port",
        "0",
        "--fresh-demo",
        "--ssl-certfile",
        str(folder / f"{name}.pem"),
        "--ssl-keyfile",
        str(folder / f"{name}.key"),
        *options,
    ]
    child = launch.start(command, env=env, stderr=subprocess.DEVNULL)
    try:
        assert child.stdout is not None
        for line in child.stdout:
            url = ready_url(line)
            if url is not None:
                yield url
                break
        else:
            pytest.fail("the TLS platform did not start")
    finally:
        stop(child, timeout=20)
