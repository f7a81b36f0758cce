"""Whether a headset is plugged into the kiosk's audio jack.

With a headset in, speech may say the resident's own data; through the loudspeaker it never
does (accessibility requirement 5, Art. 13). So the kiosk must know, from the sound system
itself, not from a button:

- PulseAudio or PipeWire (its pipewire-pulse): `pactl list sinks` shows each output port with
  its availability; a headphones port "available" means a plug is in the jack;
- plain ALSA: `amixer -c CARD contents` shows the codec's jack controls ('Headphone Jack' on or
  off), the same controls PulseAudio reads.

Both tools are polled (once a second by default) on a thread of their own; a change is handed
to the listener, on that thread. When the state cannot be read (the tool fails, the sound
server is gone) the kiosk takes it that no headset is in: the loudspeaker is the safe side.
The simulated headset is the dev panel's and the tests'.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from kiosk.devices.speech.interface import HeadsetDetector, HeadsetListener
from kiosk.devices.watch import WatchLoop

log = logging.getLogger(__name__)

DETECTION_KINDS = ("auto", "pactl", "amixer", "none")
# The tools' words are read, so they must speak English whatever the machine's locale.
_C_LOCALE = {"LC_ALL": "C", "LANG": "C"}
_TOOL_TIMEOUT_S = 3.0


# --- PulseAudio / PipeWire ------------------------------------------------------------------


@dataclass(frozen=True)
class Port:
    name: str
    description: str
    type: str  # "Headphones", "Speaker"... ("" where pactl is too old to say)
    availability: str  # "available", "not available" or "availability unknown"

    @property
    def is_headphones(self) -> bool:
        if self.type:
            return self.type in ("Headphones", "Headset")
        # Before port types, PulseAudio's ALSA paths named them so.
        return "headphones" in self.name or "headset" in self.name


@dataclass(frozen=True)
class Sink:
    name: str
    description: str
    ports: tuple[Port, ...]
    active_port: str


_PORT_LINE = re.compile(r"^\t\t(?P<name>[^\s:][^:]*): (?P<description>.*) \((?P<attrs>[^()]*)\)$")


def parse_pactl_sinks(text: str) -> list[Sink]:
    """`pactl list sinks` (C locale) as sinks and their ports; PulseAudio 12 to 17 and
    PipeWire's pactl alike (the port line gained its type and availability group in 14)."""
    sinks: list[Sink] = []
    name = description = active = ""
    ports: list[Port] = []
    in_ports = False

    def close() -> None:
        if name:
            sinks.append(Sink(name, description, tuple(ports), active))

    for line in text.splitlines():
        if line.startswith("Sink #"):
            close()
            name = description = active = ""
            ports = []
            in_ports = False
        elif line.startswith("\tName: "):
            name = line[len("\tName: ") :]
        elif line.startswith("\tDescription: "):
            description = line[len("\tDescription: ") :]
        elif line == "\tPorts:":
            in_ports = True
        elif line.startswith("\tActive Port: "):
            active = line[len("\tActive Port: ") :]
            in_ports = False
        elif in_ports and (match := _PORT_LINE.match(line)):
            ports.append(_port(match["name"], match["description"], match["attrs"]))
        elif line.startswith("\t") and not line.startswith("\t\t"):
            in_ports = False
    close()
    return sinks


def _port(name: str, description: str, attrs: str) -> Port:
    kind = ""
    availability = "availability unknown"
    for part in (piece.strip() for piece in attrs.split(",")):
        if part.startswith("type: "):
            kind = part[len("type: ") :]
        elif part in ("available", "not available", "availability unknown"):
            availability = part
    return Port(name, description, kind, availability)


def parse_pactl_sinks_json(text: str) -> list[Sink]:
    """`pactl --format=json list sinks` (PulseAudio 16 and later, PipeWire's pactl)."""
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValueError("pactl's JSON is not a list of sinks")
    sinks = []
    for item in data:
        ports = tuple(
            Port(
                str(port.get("name", "")),
                str(port.get("description", "")),
                str(port.get("type", "")),
                str(port.get("availability", "availability unknown")),
            )
            for port in item.get("ports") or ()
        )
        sinks.append(
            Sink(
                str(item.get("name", "")),
                str(item.get("description", "")),
                ports,
                str(item.get("active_port") or ""),
            )
        )
    return sinks


def headset_in_sinks(sinks: Sequence[Sink], device: str = "") -> bool | None:
    """Whether a headphones port is available on the sink named `device` (by its name or its
    description), or on any sink when none is named; None when no sink has a headphones port
    that reports its jack."""
    chosen = [s for s in sinks if not device or device in (s.name, s.description)]
    states = [
        port.availability
        for sink in chosen
        for port in sink.ports
        if port.is_headphones and port.availability != "availability unknown"
    ]
    if not states:
        return None
    return "available" in states


# --- ALSA ----------------------------------------------------------------------------------


_CONTROL_LINE = re.compile(r"^numid=\d+,iface=(?P<iface>\w+),name='(?P<name>[^']*)'")


def parse_amixer_jacks(text: str) -> dict[str, bool]:
    """The jack controls in `amixer -c CARD contents`: {'Headphone Jack': True, ...}."""
    jacks: dict[str, bool] = {}
    current: str | None = None
    for line in text.splitlines():
        match = _CONTROL_LINE.match(line)
        if match:
            is_jack = match["iface"] == "CARD" and match["name"].endswith(" Jack")
            current = match["name"] if is_jack else None
        elif current is not None and line.startswith("  : values="):
            values = line[len("  : values=") :].split(",")
            jacks[current] = any(value == "on" for value in values)
            current = None
    return jacks


def headset_in_jacks(jacks: dict[str, bool]) -> bool | None:
    """A headphone or headset jack with a plug in it. Phantom jacks (a built-in speaker or
    microphone, always "on") say nothing; None when the card reports no such jack."""
    wanted = [
        plugged
        for name, plugged in jacks.items()
        if "Phantom" not in name and ("Headphone" in name or "Headset" in name)
    ]
    if not wanted:
        return None
    return any(wanted)


# --- reading the tools ---------------------------------------------------------------------


def _run(command: Sequence[str]) -> str | None:
    try:
        done = subprocess.run(
            list(command),
            capture_output=True,
            text=True,
            timeout=_TOOL_TIMEOUT_S,
            env={**os.environ, **_C_LOCALE},
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def read_pactl(device: str = "", program: str = "pactl") -> bool | None:
    """The headset's state from PulseAudio or PipeWire; None if pactl cannot tell."""
    text = _run([program, "--format=json", "list", "sinks"])
    if text is not None:
        try:
            return headset_in_sinks(parse_pactl_sinks_json(text), device)
        except ValueError:
            pass  # an older pactl prints text even when asked for JSON
    text = _run([program, "list", "sinks"])
    if text is None:
        return None
    return headset_in_sinks(parse_pactl_sinks(text), device)


def read_amixer(card: str = "", program: str = "amixer") -> bool | None:
    """The headset's state from the ALSA card's jack controls; None if it has none."""
    text = _run([program, *(("-c", card) if card else ()), "contents"])
    if text is None:
        return None
    return headset_in_jacks(parse_amixer_jacks(text))


def read_either(device: str = "") -> bool | None:
    """pactl where it is installed and its server tells, else amixer."""
    state = read_pactl(device) if shutil.which("pactl") else None
    if state is None and shutil.which("amixer"):
        state = read_amixer(_alsa_card(device))
    return state


class PolledHeadset:
    """Implements HeadsetDetector by reading the sound system every `interval_s`."""

    def __init__(self, name: str, read: Callable[[], bool | None], interval_s: float = 1.0) -> None:
        self._name = name
        self._read = read
        self._interval_s = interval_s
        self._watch = WatchLoop("headset", join_timeout_s=_TOOL_TIMEOUT_S * 2 + 1)

    @property
    def name(self) -> str:
        return self._name

    def read_now(self) -> bool | None:
        return self._read()

    def start(self, listener: HeadsetListener) -> None:
        self._watch.start(partial(self._run, listener))

    def stop(self) -> None:
        self._watch.stop()

    def _run(self, listener: HeadsetListener) -> None:
        last: bool | None = None
        unreadable_said = False
        while not self._watch.stopping.is_set():
            try:
                state = self._read()
            except Exception:  # a parser's surprise must not end detection
                log.exception("reading the headset state failed")
                state = None
            if state is None and not unreadable_said:
                log.warning("the headset state cannot be read from %s", self._name)
                unreadable_said = True
            elif state is not None:
                unreadable_said = False
            plugged = bool(state)  # unknown: the loudspeaker, the safe side
            if plugged != last:
                last = plugged
                log.info("headset %s", "plugged in" if plugged else "not plugged in")
                listener(plugged)
            self._watch.stopping.wait(self._interval_s)


class SimulatedHeadset:
    """Implements HeadsetDetector for the demo's dev panel and the tests: set() is the plug."""

    def __init__(self, plugged: bool = False) -> None:
        self._plugged = plugged
        self._listener: HeadsetListener | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return "simulated headset"

    def read_now(self) -> bool | None:
        return self._plugged

    def start(self, listener: HeadsetListener) -> None:
        with self._lock:
            self._listener = listener
            plugged = self._plugged
        listener(plugged)

    def stop(self) -> None:
        with self._lock:
            self._listener = None

    def set(self, plugged: bool) -> None:
        with self._lock:
            changed = plugged != self._plugged
            self._plugged = plugged
            listener = self._listener
        if changed and listener is not None:
            listener(plugged)


def make_headset_detector(
    kind: str = "auto", device: str = "", interval_s: float = 1.0
) -> HeadsetDetector | None:
    """The detector for the sound system: "pactl", "amixer", "none", or "auto" (pactl where a
    PulseAudio or PipeWire server answers, else amixer where the card has a headphone jack;
    Linux only). None: no way to tell, so speech stays as for a loudspeaker."""
    if kind not in DETECTION_KINDS:
        raise ValueError(f"unknown headset detection {kind!r}; known: {', '.join(DETECTION_KINDS)}")
    if kind == "none":
        return None
    if kind == "auto":
        if not sys.platform.startswith("linux"):
            return None
        # Decided at each reading, on the detector's thread: the sound server may come up
        # after the kiosk, and nothing here may hold up the screen.
        return PolledHeadset("pactl or amixer", lambda: read_either(device), interval_s)
    if kind == "pactl":
        return PolledHeadset("pactl", lambda: read_pactl(device), interval_s)
    card = _alsa_card(device)
    return PolledHeadset("amixer", lambda: read_amixer(card), interval_s)


def _alsa_card(device: str) -> str:
    """An ALSA card from `[speech] device`: "hw:1", "hw:CARD=PCH", "plughw:0,0", "1" or "PCH";
    "" (the default card) when the device is a PulseAudio/PipeWire sink name."""
    if not device or device.startswith(("alsa_output.", "bluez_")):
        return ""
    card = device.split(":", 1)[1] if ":" in device else device
    card = card.removeprefix("CARD=")
    return card.split(",", 1)[0]
