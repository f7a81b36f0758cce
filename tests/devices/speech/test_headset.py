"""Headset detection: the sound system's own words (recorded `pactl` and `amixer` output under
tests/data/sound), the tools run as the kiosk runs them, the polling detector, the simulated
jack of the demo, and the state reaching the voice guide through the composition root."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from helpers.waiting import wait_until

from kiosk.assembly.devices import start_headset
from kiosk.config import ConfigError, from_mapping
from kiosk.devices.speech.headset import (
    PolledHeadset,
    SimulatedHeadset,
    headset_in_jacks,
    headset_in_sinks,
    make_headset_detector,
    parse_amixer_jacks,
    parse_pactl_sinks,
    parse_pactl_sinks_json,
    read_amixer,
    read_pactl,
)
from kiosk.devices.speech.qt_player import choose_output

SOUND = Path(__file__).parents[2] / "data" / "sound"
SINK = "alsa_output.pci-0000_00_1f.3.analog-stereo"


def recorded(name: str) -> str:
    return (SOUND / name).read_text(encoding="utf-8")


def test_pipewire_pactl_ports_with_types_and_availability() -> None:
    sinks = parse_pactl_sinks(recorded("pactl-list-sinks-pipewire-unplugged.txt"))
    assert [s.name for s in sinks] == [SINK, "alsa_output.pci-0000_00_1f.3.hdmi-stereo"]
    analog = sinks[0]
    assert analog.description == "Built-in Audio Analog Stereo"
    assert analog.active_port == "analog-output-speaker"
    assert [(p.name, p.type, p.availability) for p in analog.ports] == [
        ("analog-output-speaker", "Speaker", "availability unknown"),
        ("analog-output-headphones", "Headphones", "not available"),
    ]
    assert headset_in_sinks(sinks) is False
    plugged = parse_pactl_sinks(recorded("pactl-list-sinks-pipewire-plugged.txt"))
    assert headset_in_sinks(plugged) is True
    assert headset_in_sinks(plugged, SINK) is True
    assert headset_in_sinks(plugged, "Built-in Audio Analog Stereo") is True
    # The HDMI sink has no headphones port: nothing can be told of it.
    assert headset_in_sinks(plugged, "alsa_output.pci-0000_00_1f.3.hdmi-stereo") is None


def test_older_pulseaudio_ports_without_types() -> None:
    sinks = parse_pactl_sinks(recorded("pactl-list-sinks-pulseaudio12-plugged.txt"))
    (sink,) = sinks
    assert [(p.name, p.type, p.availability) for p in sink.ports] == [
        ("analog-output-lineout", "", "availability unknown"),
        ("analog-output-headphones", "", "available"),
    ]
    assert headset_in_sinks(sinks) is True


def test_pactl_json() -> None:
    sinks = parse_pactl_sinks_json(recorded("pactl-format-json-list-sinks-unplugged.json"))
    assert sinks[0].name == SINK
    assert sinks[0].ports[1].type == "Headphones"
    assert headset_in_sinks(sinks) is False


def test_amixer_jack_controls() -> None:
    unplugged = parse_amixer_jacks(recorded("amixer-contents-hda-unplugged.txt"))
    assert unplugged == {
        "HDMI/DP,pcm=3 Jack": False,
        "HDMI/DP,pcm=7 Jack": False,
        "Headphone Jack": False,
        "Mic Jack": False,
        "Internal Mic Phantom Jack": True,
        "Speaker Phantom Jack": True,
    }
    assert headset_in_jacks(unplugged) is False
    assert headset_in_jacks(parse_amixer_jacks(recorded("amixer-contents-hda-plugged.txt")))
    # A USB card without jack sensing: it cannot be told.
    assert parse_amixer_jacks(recorded("amixer-contents-usb-no-jack.txt")) == {}
    assert headset_in_jacks({}) is None


def stand_in(folder: Path, name: str, script: str) -> Path:
    """An executable named like the tool, answering as it did on a machine (its recorded
    output): the kiosk runs it exactly as it runs the real one."""
    path = folder / name
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_tools_are_run_in_the_c_locale_and_old_pactl_falls_back_to_text(
    tmp_path: Path,
) -> None:
    seen = tmp_path / "seen"
    text = SOUND / "pactl-list-sinks-pulseaudio12-plugged.txt"
    pactl = stand_in(
        tmp_path,
        "pactl",
        f'echo "$LC_ALL $*" >> {seen}\n'
        # An old pactl does not know --format: it says so and fails.
        'case "$1" in --format=*) echo "pactl: unrecognized option" >&2; exit 1;; esac\n'
        f"cat {text}\n",
    )
    assert read_pactl(program=str(pactl)) is True
    assert seen.read_text().splitlines() == ["C --format=json list sinks", "C list sinks"]
    new = stand_in(
        tmp_path, "pactl-new", f"cat {SOUND / 'pactl-format-json-list-sinks-unplugged.json'}\n"
    )
    assert read_pactl(program=str(new)) is False
    gone = stand_in(tmp_path, "pactl-gone", "echo 'Connection failure' >&2; exit 1\n")
    assert read_pactl(program=str(gone)) is None

    amixer = stand_in(
        tmp_path,
        "amixer",
        '[ "$1 $2 $3" = "-c PCH contents" ] || exit 1\n'
        f"cat {SOUND / 'amixer-contents-hda-plugged.txt'}\n",
    )
    assert read_amixer("PCH", program=str(amixer)) is True
    assert read_amixer("1", program=str(amixer)) is None


def test_the_poller_reports_changes_and_takes_unknown_as_no_headset() -> None:
    states = iter([False, False, True, True, None, True])
    seen: list[bool] = []
    done = threading.Event()

    def read() -> bool | None:
        try:
            return next(states)
        except StopIteration:
            done.set()
            return True

    detector = PolledHeadset("test", read, interval_s=0.01)
    detector.start(seen.append)
    assert done.wait(5)
    detector.stop()
    assert seen == [False, True, False, True]


def test_the_simulated_jack() -> None:
    jack = SimulatedHeadset()
    seen: list[bool] = []
    jack.start(seen.append)
    jack.set(True)
    jack.set(True)
    jack.set(False)
    assert seen == [False, True, False]
    jack.stop()
    jack.set(True)
    assert seen == [False, True, False]


class Guide:
    def __init__(self) -> None:
        self.private: list[bool] = []
        self.changed = threading.Event()

    def set_private(self, headset: bool) -> None:
        self.private.append(headset)
        self.changed.set()


def test_the_kiosk_tells_the_voice_guide_from_the_sound_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """[speech] headset = "amixer" with device "hw:PCH": the composition root starts the
    detector, which runs amixer on that card; the guide hears of the plug on the screen's
    thread (here: the posted jobs run by the test)."""
    state = tmp_path / "state"
    state.write_text("amixer-contents-hda-unplugged.txt")
    stand_in(
        tmp_path,
        "amixer",
        f'[ "$1 $2" = "-c PCH" ] || exit 1\ncat "{SOUND}/$(cat {state})"\n',
    )
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    config = from_mapping({"speech": {"headset": "amixer", "device": "hw:PCH"}})
    guide = Guide()
    posted: list[object] = []
    detector = start_headset(config, guide, posted.append, simulated=False)  # type: ignore[arg-type]
    assert detector is not None
    try:
        wait_until(lambda: len(posted) == 1)
        posted.pop()()
        assert guide.private == [False]
        state.write_text("amixer-contents-hda-plugged.txt")
        wait_until(lambda: len(posted) == 1)
        posted.pop()()
        assert guide.private == [False, True]
    finally:
        detector.stop()


def test_the_demo_panel_jack_reaches_the_guide() -> None:
    guide = Guide()
    detector = start_headset(
        from_mapping({}),
        guide,
        lambda job: job(),
        simulated=True,  # type: ignore[arg-type]
    )
    assert isinstance(detector, SimulatedHeadset)
    detector.set(True)
    assert guide.private == [False, True]


def test_detection_choices() -> None:
    assert make_headset_detector("none") is None
    assert make_headset_detector("pactl") is not None
    with pytest.raises(ValueError, match="unknown headset detection"):
        make_headset_detector("bluetooth")
    with pytest.raises(ConfigError, match=r"speech\.headset"):
        from_mapping({"speech": {"headset": "bluetooth"}})
    assert from_mapping({"speech": {"device": SINK}}).speech.device == SINK


def test_the_configured_sound_device_is_chosen_among_the_outputs() -> None:
    outputs = [
        ("alsa_output.pci-0000_00_1f.3.hdmi-stereo", "Built-in Audio Digital Stereo (HDMI)"),
        (SINK, "Built-in Audio Analog Stereo"),
    ]
    assert choose_output(SINK, outputs) == 1
    assert choose_output("Analog Stereo", outputs) == 1
    assert choose_output("HDMI", outputs) == 0
    assert choose_output("USB", outputs) is None
