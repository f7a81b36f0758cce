"""`kiosk demo` (and `kiosk` alone): the kiosk, or with --counter a counter, on the embedded
demo defaults; and what `kiosk run` shares with it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.assembly.first_frame import start
from kiosk.config import Config, ConfigError, defaults, load

if TYPE_CHECKING:
    import argparse

EXIT_CONFIG = 2


def add_config_and_counter(
    parser: argparse.ArgumentParser, *, config_help: str, required: bool = False
) -> None:
    parser.add_argument("--config", type=Path, metavar="FILE", required=required, help=config_help)
    parser.add_argument(
        "--counter",
        action="store_true",
        help="a counter: a staff console beside the customer-facing window",
    )


def add_demo_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_and_counter(parser, config_help="override the demo defaults")


def config_problem(error: ConfigError) -> int:
    """A configuration mistake: one line, and the configuration exit code."""
    print(f"kiosk: config {error}", file=sys.stderr)
    return EXIT_CONFIG


def run_demo(args: argparse.Namespace | None) -> int:
    config: Config = defaults()
    if args is not None and args.config is not None:
        try:
            config = load(args.config)
        except ConfigError as error:
            return config_problem(error)
    counter = args is not None and bool(args.counter)
    return start(config, fullscreen=config.kiosk.fullscreen, counter=counter)
