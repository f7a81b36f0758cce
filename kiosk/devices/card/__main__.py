"""`python -m kiosk.devices.card read|emulate ...`: the card commands without the rest of kiosk.

The same commands as `kiosk card ...`, for machines that carry only the card stack (a test
bench with pcscd and vpcd) and for starting a virtual card quickly.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.devices.card.cli import add_arguments, run
from kiosk.devices.commands import EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise SystemExit(EXIT_USAGE)


def main() -> int:
    parser = _Parser(prog="kiosk card")
    add_arguments(parser)
    args = parser.parse_args()
    try:
        return run(args)
    except KeyboardInterrupt:
        return 130


raise SystemExit(main())
