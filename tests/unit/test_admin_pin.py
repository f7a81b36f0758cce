"""The service PIN: kept only as a salted hash, checked in constant time, made by a command."""

from __future__ import annotations

import subprocess

import pytest
from helpers.processes import run_kiosk

from kiosk.config import ConfigError, from_mapping
from kiosk.domain.admin_pin import hash_pin, is_pin_hash, pin_matches


def test_a_hash_takes_its_own_pin_and_no_other() -> None:
    stored = hash_pin("24681357", iterations=10_000)
    assert is_pin_hash(stored)
    assert "24681357" not in stored
    assert pin_matches(bytearray(b"24681357"), stored)
    assert not pin_matches(bytearray(b"24681358"), stored)
    assert not pin_matches(bytearray(b""), stored)


def test_two_hashes_of_one_pin_differ_by_their_salt() -> None:
    assert hash_pin("000000", iterations=10_000) != hash_pin("000000", iterations=10_000)


@pytest.mark.parametrize("pin", ["12345", "1234567890123", "12a456", ""])
def test_a_pin_outside_the_rules_is_refused(pin: str) -> None:
    with pytest.raises(ValueError):
        hash_pin(pin)


def test_a_malformed_hash_never_matches() -> None:
    assert not pin_matches(bytearray(b"000000"), "000000")
    assert not pin_matches(bytearray(b"000000"), "pbkdf2_sha256$10000$zz$zz")


def test_the_config_takes_only_a_hash_the_command_made() -> None:
    stored = hash_pin("13572468", iterations=10_000)
    config = from_mapping({"kiosk": {"admin_pin_hash": stored, "lock_down": True}})
    assert config.kiosk.admin_pin_hash == stored and config.kiosk.lock_down
    with pytest.raises(ConfigError, match=r"kiosk\.admin_pin_hash"):
        from_mapping({"kiosk": {"admin_pin_hash": "13572468"}})


def run_command(stdin: str) -> subprocess.CompletedProcess[str]:
    return run_kiosk("admin-pin", "--stdin", stdin=stdin)


def test_the_command_prints_a_config_line_and_never_the_pin() -> None:
    done = run_command("97531864\n")
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith('admin_pin_hash = "') and "97531864" not in line
    stored = line.split('"')[1]
    assert pin_matches(bytearray(b"97531864"), stored)
    # The line pastes into the [kiosk] table as it is.
    assert from_mapping({"kiosk": {"admin_pin_hash": stored}}).kiosk.admin_pin_hash == stored


def test_the_command_refuses_a_short_pin_in_one_line() -> None:
    done = run_command("123\n")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "6 to 12 digits" in done.stderr
