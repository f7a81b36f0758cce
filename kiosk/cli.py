"""The `kiosk` command.

Sub-commands live beside the code they drive and are imported only when chosen, so that
`kiosk` with no arguments reaches its first frame without loading the server or PC/SC stacks.
Every sub-command prints one clear line and exits non-zero on bad input; no traceback.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

# name -> (module, help). Each module has add_arguments(parser) and run(args) -> int.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    # Both start through kiosk.assembly, a counter with --counter.
    "run": (
        "kiosk.assembly.deployed",
        "run a deployed kiosk or counter console from a config file",
    ),
    "demo": (
        "kiosk.assembly.commands",
        "run the kiosk (or with --counter, a counter) with its embedded defaults",
    ),
    "server": ("kiosk.server.cli", "run the reference platform service"),
    "card": ("kiosk.devices.card.cli", "read a real card, or serve a virtual one to PC/SC"),
    "receipt": ("kiosk.devices.printer.cli", "print a receipt on an ESC/POS printer"),
    "audit": ("kiosk.audit.cli", "the accessibility report of every screen"),
    "admin-pin": ("kiosk.admin_pin_cli", "make the hash of a service PIN for the config"),
    "audit-log": ("kiosk.server.audit_cli", "verify or export the staff look-up log"),
    "staff": ("kiosk.server.console.commands", "add or disable a staff account"),
    "kiosk": ("kiosk.server.console.commands", "enroll or disable a kiosk of the fleet"),
    "doctor": (
        "kiosk.doctor.cli",
        "check this machine's reader, printers, scanner, sound, fonts and platform link",
    ),
}

EXIT_USAGE = 2
# The commands that start a kiosk's window (kiosk.assembly), and `kiosk` alone.
STARTS_A_KIOSK = {"run", "demo"}


def _parser_class() -> type[argparse.ArgumentParser]:
    # Made on demand: `kiosk` with no arguments reaches its first frame without argparse.
    import argparse

    class Parser(argparse.ArgumentParser):
        """argparse, but a usage error is one line on stderr and exit code 2."""

        def error(self, message: str) -> None:  # type: ignore[override]
            sys.stderr.write(f"{self.prog}: {message}\n")
            raise SystemExit(EXIT_USAGE)

    return Parser


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `chosen`, only that sub-command's module is imported to describe it."""
    parser_class = _parser_class()
    parser = parser_class(prog="kiosk", description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", parser_class=parser_class)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=help_text)
        if chosen is None or name == chosen:
            module = importlib.import_module(module_name)
            add = getattr(module, f"add_{name}_arguments", None) or module.add_arguments
            add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] in STARTS_A_KIOSK:
        # On the way to the first frame nearly every object made lives on (modules, Qt's
        # wrappers, the screens), and the collector's passes over them cost that frame some
        # 8 ms of CPU; kiosk.assembly.first_frame turns it on again once the frame is painted.
        gc.disable()
    if not args_list:
        # The common case, kept off argparse's import of every sub-command: the demo kiosk.
        from kiosk.assembly.commands import run_demo

        return run_demo(None)
    first = args_list[0]
    # Describe only the chosen command; all of them only for --help; none for a typo.
    chosen = first if first in SUBCOMMANDS else (None if first.startswith("-") else "")
    parser = build_parser(chosen)
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    module = importlib.import_module(SUBCOMMANDS[args.command][0])
    run = getattr(module, f"run_{args.command}", None) or module.run
    try:
        return int(run(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
