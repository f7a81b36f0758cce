"""Helpers shared by the card tests (imported by name: tests are not a package)."""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.devices.card.profile import CardProfile, load_profile

CARDS = Path(__file__).resolve().parents[2] / "data" / "cards"


def card_profile(stem: str) -> CardProfile:
    return load_profile(CARDS / f"{stem}.toml")


class RecordingListener:
    """Keeps every event, in order, and lets a test wait for one."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []
        self._changed = threading.Condition()

    def _add(self, event: tuple[str, object]) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def reader_changed(self, available: bool, name: str | None) -> None:
        self._add(("reader_changed", (available, name)))

    def card_inserted(self) -> None:
        self._add(("card_inserted", None))

    def card_removed(self) -> None:
        self._add(("card_removed", None))

    def names(self) -> list[str]:
        return [name for name, _ in self.events]

    def wait_for(self, event: tuple[str, object], timeout: float = 5.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: event in self.events, timeout):
                raise AssertionError(f"{event} not seen; got {self.events}")


TRANSCRIPTS = CARDS / "transcripts"


def load_transcript(name: str) -> list[tuple[bytes, bytes]]:
    """(command, response) pairs of a recorded exchange, from its '>' and '<' hex lines."""
    pairs: list[tuple[bytes, bytes]] = []
    command: bytes | None = None
    for line in (TRANSCRIPTS / f"{name}.apdu").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        direction, hex_text = line[0], line[1:].strip()
        if direction == ">":
            command = bytes.fromhex(hex_text)
        elif direction == "<" and command is not None:
            pairs.append((command, bytes.fromhex(hex_text)))
            command = None
        else:
            raise ValueError(f"bad transcript line: {line!r}")
    return pairs


class ReplayTransport:
    """Plays a card from a transcript, failing on any command the card was not sent."""

    def __init__(self, pairs: list[tuple[bytes, bytes]]) -> None:
        self.pairs = pairs
        self.position = 0

    def transmit(self, apdu: bytes | bytearray) -> bytes:
        assert self.position < len(self.pairs), f"unexpected extra command {bytes(apdu).hex()}"
        command, response = self.pairs[self.position]
        assert bytes(apdu) == command, (
            f"command {self.position}: sent {bytes(apdu).hex().upper()}, "
            f"recorded {command.hex().upper()}"
        )
        self.position += 1
        return response

    @property
    def finished(self) -> bool:
        return self.position == len(self.pairs)


class ScriptedTransport:
    """Answers each command with the next of a list of responses, whatever the command."""

    def __init__(self, responses: list[bytes]) -> None:
        self.responses = responses
        self.sent: list[bytes] = []

    def transmit(self, apdu: bytes | bytearray) -> bytes:
        self.sent.append(bytes(apdu))
        if len(self.sent) > len(self.responses):
            return b"\x6a\x83"
        return self.responses[len(self.sent) - 1]
