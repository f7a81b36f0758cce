"""The doctor's readings of the system's own words: lpstat, the kernel's input and sound card
lists, and the checks that need no device (disk, sound outputs, the A4 queue through lpstat)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from kiosk.config import from_mapping
from kiosk.doctor.checks import (
    alsa_cards,
    check_a4_printer,
    check_disk,
    check_headset,
    check_scanner,
    check_sound,
    keyboard_devices,
    parse_lpstat,
)

LPSTAT_IDLE = (
    "printer Office_A4 is idle.  enabled since Tue 01 Dec 2026 09:12:44 AM CST\n"
    "printer Counter_Label now printing Counter_Label-42.  enabled since Tue 01 Dec 2026\n"
)
LPSTAT_DISABLED = "printer Office_A4 disabled since Tue 01 Dec 2026 09:12:44 AM CST -\n\tPaused\n"

INPUT_DEVICES = """I: Bus=0019 Vendor=0000 Product=0001 Version=0000
N: Name="Power Button"
P: Phys=LNXPWRBN/button/input0
S: Sysfs=/devices/LNXSYSTM:00/LNXPWRBN:00/input/input0
U: Uniq=
H: Handlers=kbd event0
B: PROP=0
B: EV=3
B: KEY=10000000000000 0

I: Bus=0011 Vendor=0001 Product=0001 Version=ab41
N: Name="AT Translated Set 2 keyboard"
P: Phys=isa0060/serio0/input0
S: Sysfs=/devices/platform/i8042/serio0/input/input3
U: Uniq=
H: Handlers=sysrq kbd leds event3
B: PROP=0
B: EV=120013

I: Bus=0003 Vendor=1eab Product=1a03 Version=0110
N: Name="Newland Auto-ID NLS-FM430 HID KBW"
P: Phys=usb-0000:00:14.0-2/input0
S: Sysfs=/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/0003:1EAB:1A03.0001/input/input7
U: Uniq=
H: Handlers=sysrq kbd leds event6
B: PROP=0
B: EV=120013

I: Bus=0003 Vendor=046d Product=c077 Version=0111
N: Name="Logitech USB Optical Mouse"
P: Phys=usb-0000:00:14.0-1/input0
H: Handlers=mouse0 event7
B: PROP=0
"""

ASOUND_CARDS = """ 0 [PCH            ]: HDA-Intel - HDA Intel PCH
                      HDA Intel PCH at 0xf1240000 irq 147
 1 [Device         ]: USB-Audio - USB Audio Device
                      C-Media Electronics Inc. USB Audio Device at usb-0000:00:14.0-3, full speed
"""


def test_lpstat() -> None:
    assert parse_lpstat(LPSTAT_IDLE, "Office_A4") == ("ok", "queue Office_A4 is idle")
    assert parse_lpstat(LPSTAT_IDLE, "Counter_Label") == (
        "ok",
        "queue Counter_Label now printing",
    )
    assert parse_lpstat(LPSTAT_DISABLED, "Office_A4") == (
        "fault",
        "queue Office_A4 is disabled (Paused)",
    )
    assert parse_lpstat(LPSTAT_IDLE, "Office") is None


def test_kernel_lists(tmp_path: Path) -> None:
    devices = tmp_path / "devices"
    devices.write_text(INPUT_DEVICES)
    assert keyboard_devices(devices) == ["Newland Auto-ID NLS-FM430 HID KBW"]
    assert keyboard_devices(tmp_path / "missing") is None
    cards = tmp_path / "cards"
    cards.write_text(ASOUND_CARDS)
    assert alsa_cards(cards) == ["HDA Intel PCH", "USB Audio Device"]
    assert alsa_cards(tmp_path / "missing") == []


def test_a4_queue_through_lpstat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Until the configuration has an [a4printer] section, the check says it is absent.
    assert check_a4_printer(from_mapping({})).status == "absent"
    lpstat = tmp_path / "lpstat"
    lpstat.write_text(
        "#!/bin/sh\n"
        '[ "$LC_ALL" = C ] || exit 9\n'
        'case "$2" in\n'
        f"  Office_A4) printf '%s' '{LPSTAT_DISABLED}';;\n"
        '  *) echo "lpstat: Invalid destination name in list \\"$2\\"." >&2; exit 1;;\n'
        "esac\n"
    )
    lpstat.chmod(lpstat.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    configured = SimpleNamespace(a4printer=SimpleNamespace(queue="Office_A4"))
    found = check_a4_printer(configured)  # type: ignore[arg-type]
    assert (found.status, found.detail) == ("fault", "queue Office_A4 is disabled (Paused)")
    unknown = SimpleNamespace(a4printer=SimpleNamespace(queue="Nope"))
    found = check_a4_printer(unknown)  # type: ignore[arg-type]
    assert found.status == "fault" and "Invalid destination name" in found.detail


def test_sound_outputs_and_the_configured_device() -> None:
    outputs = [("alsa_output.pci-0000_00_1f.3.analog-stereo", "Built-in Audio Analog Stereo")]
    config = from_mapping({"speech": {"engine": "espeak-ng"}})
    assert check_sound(config, lambda: outputs).status == "ok"
    assert check_sound(config, lambda: []).status == "fault"
    wanted = from_mapping({"speech": {"engine": "espeak-ng", "device": "USB Audio"}})
    missing = check_sound(wanted, lambda: outputs)
    assert missing.status == "fault" and "not among" in missing.detail
    assert check_sound(from_mapping({"speech": {"engine": "none"}})).status == "absent"


def test_headset_and_scanner_without_devices() -> None:
    assert check_headset(from_mapping({"speech": {"headset": "none"}})).status == "absent"
    hid = check_scanner(from_mapping({"scanner": {"kind": "hid"}}))
    assert hid.status in ("ok", "fault", "warning") and "keyboard-wedge" in hid.detail


def test_disk_space(tmp_path: Path) -> None:
    found = check_disk(tmp_path / "not" / "made" / "yet")
    assert found.status in ("ok", "warning") and "MB free" in found.detail


def test_a_missing_ca_file_is_a_fault_not_a_traceback(tmp_path: Path) -> None:
    from kiosk.doctor.checks import check_platform

    config = from_mapping(
        {"platform": {"url": "https://127.0.0.1:9", "ca_file": str(tmp_path / "ca.pem")}}
    )
    look = check_platform(config)
    assert look.reachable.status == "fault" and "ca_file" in look.reachable.detail
    assert look.clock.status == "absent"


def test_a_scanner_port_that_is_not_there(tmp_path: Path) -> None:
    missing = tmp_path / "ttyECODE"
    found = check_scanner(from_mapping({"scanner": {"kind": "serial", "port": str(missing)}}))
    assert (found.status, found.detail) == (
        "fault",
        f"{missing}: cannot open: No such file or directory",
    )


def test_a_check_that_breaks_is_a_fault(monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.doctor import checks

    def broken(_config: object) -> None:
        raise RuntimeError("surprise")

    monkeypatch.setattr(checks, "check_scanner", broken)
    monkeypatch.setattr(checks, "check_fonts", lambda _c: checks.Check("fonts", "ok", "-"))
    monkeypatch.setattr(checks, "check_sound", lambda _c: checks.Check("sound", "ok", "-"))
    config = from_mapping({"card_reader": {"kind": "simulated"}, "printer": {"uri": ""}})
    found = {c.name: c for c in checks.run_all(config)}
    assert found["scanner"].status == "fault"
    assert found["scanner"].detail == "the check itself failed: RuntimeError: surprise"
