"""`python -m kiosk.server`: the same as `kiosk server`, without loading the other sub-commands.

The embedded demo platform starts this way, so its start-up does not pay for importing the
kiosk's UI and card stacks only to parse its own arguments.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.server.cli import add_arguments, run


def main() -> int:
    parser = argparse.ArgumentParser(prog="kiosk server", description=__doc__)
    add_arguments(parser)
    try:
        return run(parser.parse_args())
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
