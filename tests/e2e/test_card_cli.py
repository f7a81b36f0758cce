"""`kiosk card read` and `kiosk card emulate` as processes, through pcscd and vpcd."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

import pytest
from card_fixtures import (
    VPCD_READER,
    card_present,
    emulated,
    pcsc_stack_fixture,  # noqa: F401 - the fixture pcsc_stack
    profile_path,
)
from helpers.processes import run_kiosk

pytestmark = pytest.mark.e2e

CARD_KEYS = ["identifier", "type", "version", "issuer", "issued", "expires", "number"]
HOLDER_KEYS = ["ssn", "name", "sex", "ethnicity", "birthplace", "birth_date"]


def read(*args: str, stdin: str = "", timeout: str = "5") -> subprocess.CompletedProcess[str]:
    reading = ("card", "read", "--reader", VPCD_READER, "--timeout", timeout)
    return run_kiosk(*reading, *args, stdin=stdin, timeout=30)


def expected_json(stem: str, with_holder: bool, pin: str) -> dict[str, object]:
    """What the profile file says the card holds, in the JSON shape of `card read --json`."""
    data = tomllib.loads(profile_path(stem).read_text(encoding="utf-8"))
    card, holder = data["card"], data["holder"]
    return {
        "reader": VPCD_READER,
        "atr": data["atr"].upper(),
        "card": {
            "identifier": card["identifier"].upper(),
            "type": card["type"],
            "version": data["version"],
            "issuer": card["issuer"].upper(),
            "issued": card["issued"].isoformat(),
            "expires": card["expires"].isoformat(),
            "number": card["number"],
        },
        "holder": {
            "ssn": holder["ssn"],
            "name": holder["name"],
            "sex": holder["sex"],
            "ethnicity": holder["ethnicity"],
            "birthplace": holder["birthplace"],
            "birth_date": holder["birth_date"].isoformat(),
        }
        if with_holder
        else None,
        "pin": pin,
    }


@pytest.mark.usefixtures("pcsc_stack")
@pytest.mark.parametrize(
    ("stem", "extra"),
    [
        ("v1_two_char_name", []),
        ("demo_a", []),
        ("v3_four_char_name", ["--secure-access", "simulated"]),
        ("v2_long_name", []),
    ],
)
def test_read_json_of_each_version(stem: str, extra: list[str]) -> None:
    with emulated(profile_path(stem)):
        result = read("--json", *extra)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    printed = json.loads(result.stdout)
    assert printed == expected_json(stem, with_holder=True, pin="not_checked")
    assert list(printed) == ["reader", "atr", "card", "holder", "pin"]
    assert list(printed["card"]) == CARD_KEYS
    assert list(printed["holder"]) == HOLDER_KEYS
    assert result.stdout.count("\n") == 1


@pytest.mark.usefixtures("pcsc_stack")
def test_long_name_spills_into_tag_4e_and_comes_back_whole() -> None:
    with emulated(profile_path("v2_long_name")):
        result = read("--json")
    name = json.loads(result.stdout)["holder"]["name"]
    assert len(name.encode("gbk")) > 30
    assert "·" in name


@pytest.mark.usefixtures("pcsc_stack")
def test_version_3_without_secure_access_prints_holder_null() -> None:
    with emulated(profile_path("demo_b")):
        result = read("--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected_json(
        "demo_b", with_holder=False, pin="not_checked"
    )


@pytest.mark.usefixtures("pcsc_stack")
def test_pin_from_stdin_verified_then_wrong_then_blocked(tmp_path: Path) -> None:
    source = profile_path("demo_a").read_text(encoding="utf-8")
    profile = tmp_path / "two_tries.toml"
    profile.write_text(
        source.replace("pin_tries_left = 3", "pin_tries_left = 2\npin_tries_max = 2"), "utf-8"
    )
    with emulated(profile):
        right = read("--json", "--pin-stdin", stdin="123456\n")
        wrong = read("--json", "--pin-stdin", stdin="000000\n")
        blocked = read("--json", "--pin-stdin", stdin="000000\n")
        after = read("--json", "--pin-stdin", stdin="123456\n")
    assert right.returncode == 0, right.stderr
    assert json.loads(right.stdout)["pin"] == "verified"
    assert (wrong.returncode, wrong.stdout) == (5, "")
    assert "1 try left" in wrong.stderr
    assert (blocked.returncode, after.returncode) == (5, 5)
    assert "blocked" in blocked.stderr and "blocked" in after.stderr
    for result in (wrong, blocked, after):
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
        assert "000000" not in result.stderr and "123456" not in result.stderr


@pytest.mark.usefixtures("pcsc_stack")
def test_no_card_in_time() -> None:
    result = read("--json", timeout="0.5")
    assert result.returncode == 3
    assert result.stdout == ""
    assert result.stderr.strip() == "kiosk card read: no card in the reader within 0.5 s"


@pytest.mark.usefixtures("pcsc_stack")
def test_no_such_reader() -> None:
    result = run_kiosk("card", "read", "--reader", "no such reader", "--timeout", "0.3", timeout=30)
    assert result.returncode == 3
    assert result.stderr.startswith("kiosk card read: no card reader available")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.usefixtures("pcsc_stack")
def test_not_a_social_security_card() -> None:
    with emulated(profile_path("not_ssc")):
        result = read("--json")
    assert result.returncode == 4
    assert result.stderr.strip() == (
        "kiosk card read: the card in the reader is not a social security card"
    )


@pytest.mark.usefixtures("pcsc_stack")
def test_card_pulled_by_the_emulator_fault(tmp_path: Path) -> None:
    source = profile_path("v2_long_name").read_text(encoding="utf-8")
    profile = tmp_path / "pulled.toml"
    profile.write_text(source.replace("[faults]", "[faults]\nremove_after = 4"), "utf-8")
    with emulated(profile) as emulator:
        result = read("--json")
        assert emulator.wait(timeout=5) == 0
    assert result.returncode == 3
    assert result.stderr.strip() == (
        "kiosk card read: the card was removed while it was being read"
    )
    assert not card_present()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["read", "--timeout", "soon"], "", "not a number of seconds"),
        (["read", "--pin-stdin", "--timeout", "0"], "12ab\n", "4 to 12 digits"),
        (["read", "--reader", "(", "--timeout", "0"], "", "bad --reader pattern"),
        (["emulate", "--profile", "no/such/profile.toml"], "", "profile.toml"),
        (["emulate"], "", "--profile"),
        ([], "", "read or emulate"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], stdin: str, message: str) -> None:
    result = run_kiosk("card", *args, stdin=stdin, timeout=30)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_emulate_without_vpcd_says_so() -> None:
    unused_port = "1"
    result = run_kiosk(
        "card",
        "emulate",
        "--profile",
        str(profile_path("demo_a")),
        "--port",
        unused_port,
        "--wait",
        "0.2",
        timeout=30,
    )
    assert result.returncode == 3
    assert "no vpcd on 127.0.0.1:1" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
