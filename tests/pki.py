"""Certificates for the TLS tests, made with the openssl command: a self-signed one for a
platform or a private CA, keys and all, in a folder of the test's own."""

from __future__ import annotations

import subprocess
from pathlib import Path


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def self_signed(folder: Path, name: str, subject: str, days: int, *extensions: str) -> None:
    """NAME.key and NAME.pem in the folder: a fresh RSA key and its self-signed certificate;
    each extension is added as it is written (subjectAltName=IP:127.0.0.1)."""
    added = [arg for extension in extensions for arg in ("-addext", extension)]
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        f"{name}.key",
        "-out",
        f"{name}.pem",
        "-days",
        str(days),
        "-subj",
        subject,
        *added,
        cwd=folder,
    )
