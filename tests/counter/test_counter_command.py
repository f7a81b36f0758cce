"""`kiosk demo --counter` and `kiosk run --counter` reach the counter; without it, the kiosk.
Both commands start through the one builder (kiosk.assembly.first_frame.start)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.assembly import commands, deployed
from kiosk.cli import build_parser


@pytest.mark.parametrize(
    ("argv", "counter"),
    [
        (["demo"], False),
        (["demo", "--counter"], True),
        (["run", "--config", "k.toml", "--counter"], True),
    ],
)
def test_the_counter_switch_is_on_both_commands(argv: list[str], counter: bool) -> None:
    assert build_parser(argv[0]).parse_args(argv).counter is counter


def test_each_command_starts_what_it_names(monkeypatch, tmp_path: Path) -> None:
    started: list[tuple[str, bool, bool]] = []

    def start(config, *, fullscreen: bool, counter: bool) -> int:
        started.append((config.source, fullscreen, counter))
        return 0

    monkeypatch.setattr(commands, "start", start)
    monkeypatch.setattr(deployed, "start", start)
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nmode = "deployed"\n', encoding="utf-8")
    assert commands.run_demo(build_parser("demo").parse_args(["demo"])) == 0
    assert commands.run_demo(build_parser("demo").parse_args(["demo", "--counter"])) == 0
    assert commands.run_demo(None) == 0  # `kiosk` alone
    run = ["run", "--config", str(config), "--counter", "--fullscreen"]
    assert deployed.run_run(build_parser("run").parse_args(run)) == 0
    assert started == [
        ("<embedded defaults>", False, False),
        ("<embedded defaults>", False, True),
        ("<embedded defaults>", False, False),
        (str(config), True, True),
    ]
