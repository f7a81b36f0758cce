"""Configuration: the defaults are the demo, and every mistake is one line naming file and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import ConfigError, defaults, from_mapping, load

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "kiosk.example.toml"


def test_defaults_are_the_embedded_demo() -> None:
    config = defaults()
    assert config.is_demo
    assert config.platform.url == "embedded"
    assert (config.kiosk.window_width, config.kiosk.window_height) == (1920, 1080)
    assert config.kiosk.language == "zh_CN"
    assert config.kiosk.inactivity_warning_s >= 30


def test_the_documented_example_loads() -> None:
    config = load(EXAMPLE)
    assert config.kiosk.mode == "deployed"
    assert config.card_reader.kind == "pcsc"
    assert config.platform.url.startswith("https://")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"kiosk": {"id": 3}}, "key 'kiosk.id': expected a string, got 3"),
        ({"kiosk": {"fullscreen": "yes"}}, "key 'kiosk.fullscreen': expected true or false"),
        ({"kiosk": {"window_width": 1.5}}, "key 'kiosk.window_width': expected a whole number"),
        ({"kiosk": {"colour": "red"}}, "unknown key 'kiosk.colour'"),
        ({"camera": {}}, "unknown section 'camera'"),
        ({"kiosk": "x"}, "key 'kiosk': expected a [kiosk] table"),
        ({"display": {"colour": "pink"}}, "key 'display.colour': expected one of"),
        ({"platform": {"timeout_s": True}}, "key 'platform.timeout_s': expected a number"),
        ({"platform": {"timeout_s": 0}}, "key 'platform.timeout_s': must be more than 0"),
        ({"kiosk": {"inactivity_warning_s": 10}}, "must be at least 30"),
        ({"display": {"dpi": 20}}, "key 'display.dpi'"),
        ({"card_reader": {"reader_pattern": "("}}, "key 'card_reader.reader_pattern'"),
    ],
)
def test_a_bad_value_names_its_key(data: dict, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        from_mapping(data)
    assert words in str(caught.value)


def test_a_number_where_a_float_is_wanted_is_accepted() -> None:
    assert from_mapping({"platform": {"timeout_s": 3}}).platform.timeout_s == 3.0


def test_problems_with_the_file_itself_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match=r"nope\.toml: no such file"):
        load(missing)
    broken = tmp_path / "broken.toml"
    broken.write_text("[kiosk\nid = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml: not valid TOML"):
        load(broken)
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("[kiosk]\nid = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"wrong\.toml: key 'kiosk\.id'"):
        load(wrong)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "no such file"),
        ('[printer]\nuri = "lpt://printer"\n', "key 'printer.uri'"),
        ("[kiosk]\nnot_a_key = 1\n", "unknown key 'kiosk.not_a_key'"),
        ('[kiosk]\nwindow_width = "wide"\n', "key 'kiosk.window_width': expected a whole number"),
    ],
)
def test_kiosk_run_with_a_bad_config_prints_one_line_and_exits_2(
    tmp_path: Path, content: str | None, words: str
) -> None:
    path = tmp_path / "kiosk.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and words in lines[0]
    assert "Traceback" not in result.stderr


def test_kiosk_with_an_unknown_command_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "fly"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
    assert "Traceback" not in result.stderr
