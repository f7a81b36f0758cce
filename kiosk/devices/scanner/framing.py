"""Turning a scanner's byte or key stream into codes, shared by the serial and wedge scanners."""

from __future__ import annotations

# A scanned e-code is a short token; anything longer is noise (or a scanner in a wrong mode).
MAX_CODE_LENGTH = 1024
MIN_CODE_LENGTH = 4


def acceptable(code: str) -> bool:
    return MIN_CODE_LENGTH <= len(code) <= MAX_CODE_LENGTH and code.isprintable()


def wipe(buffer: bytearray) -> None:
    buffer[:] = bytes(len(buffer))
    buffer.clear()
