"""`kiosk demo --counter` and `kiosk run --counter` reach the counter; without it, the kiosk."""

from __future__ import annotations

import pytest

from kiosk import app as kiosk_app
from kiosk.cli import build_parser
from kiosk.counter import app as counter_app


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


def test_each_command_starts_what_it_names(monkeypatch) -> None:
    started: list[str] = []
    monkeypatch.setattr(kiosk_app, "run_demo", lambda args: started.append("kiosk") or 0)
    monkeypatch.setattr(
        counter_app, "run_counter", lambda config, fullscreen: started.append(config.source) or 0
    )
    assert counter_app.run_demo(build_parser("demo").parse_args(["demo"])) == 0
    assert counter_app.run_demo(build_parser("demo").parse_args(["demo", "--counter"])) == 0
    assert started == ["kiosk", "<embedded defaults>"]
