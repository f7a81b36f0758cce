"""`kiosk run --config FILE`: a deployed kiosk, or with --counter a counter, from its config
file, which is checked whole (the printer's address too) before anything starts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.assembly.commands import add_config_and_counter, config_problem
from kiosk.assembly.first_frame import start
from kiosk.config import Config, ConfigError, load
from kiosk.devices.printer.address import parse_printer_uri
from kiosk.domain.errors import PrinterError

if TYPE_CHECKING:
    import argparse


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_and_counter(parser, config_help="the kiosk's configuration file", required=True)
    parser.add_argument("--fullscreen", action="store_true", help="fill the screen (a kiosk)")


def check_printer_uri(config: Config) -> None:
    """A mistyped printer address is a configuration error, said before the kiosk starts."""
    if not config.printer.uri:
        return
    try:
        parse_printer_uri(config.printer.uri)
    except PrinterError as error:
        raise ConfigError(f"{config.source}: key 'printer.uri': {error}") from None


def run_run(args: argparse.Namespace) -> int:
    try:
        config = load(args.config)
        check_printer_uri(config)
    except ConfigError as error:
        return config_problem(error)
    return start(
        config, fullscreen=args.fullscreen or config.kiosk.fullscreen, counter=args.counter
    )
