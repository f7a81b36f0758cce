"""What the devices' commands (`kiosk card ...`, `kiosk receipt ...`) share: choosing the
subcommand, their one-line output and errors, and the bounded numbers they take."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

EXIT_USAGE = 2

Command = Callable[[argparse.Namespace], int]


def dispatch(args: argparse.Namespace, chosen: str | None, family: str, **commands: Command) -> int:
    """Run the chosen subcommand of `kiosk FAMILY`; none chosen is a usage error that names
    them all."""
    command = commands.get(chosen or "")
    if command is None:
        names = list(commands)
        listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
        return fail(family, f"choose a command: {listed}")
    return command(args)


def write(text: str) -> None:
    # Bytes, not text: the output is UTF-8 whatever the terminal's locale says.
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def fail(command: str, message: str, code: int = EXIT_USAGE) -> int:
    """Says on one line why the command failed; returns its exit code, a usage error unless
    told otherwise."""
    sys.stderr.buffer.write(f"kiosk {command}: {message}\n".encode())
    sys.stderr.flush()
    return code


def bounded(
    kind: Callable[[str], float], low: float, high: float, what: str, rule: str
) -> Callable[[str], float]:
    """An argparse type: a number of this kind from low to high, or the rule said back."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {what}: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(rule)
        return value

    return parse
