"""`kiosk doctor [--config FILE] [--json]`: the installation-day check.

Readable lines by default, or with --json one JSON array of {name, status, detail} objects.
Exit code 0 when nothing is at fault (warnings and absent devices included), 1 on any fault,
2 on a configuration mistake.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.config import ConfigError, defaults, load

EXIT_OK = 0
EXIT_FAULT = 1
EXIT_CONFIG = 2

_MARKS = {"ok": "ok", "warning": "WARNING", "fault": "FAULT", "absent": "-"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="the kiosk's configuration (default: the demo's embedded defaults)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per check")


def run(args: argparse.Namespace) -> int:
    try:
        config = load(args.config) if args.config is not None else defaults()
    except ConfigError as error:
        print(f"kiosk: config {error}", file=sys.stderr)
        return EXIT_CONFIG
    from kiosk.doctor.checks import run_all

    checks = run_all(config)
    if args.json:
        json.dump([c.as_dict() for c in checks], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        width = max(len(c.name) for c in checks)
        print(f"kiosk doctor: {config.source}")
        for check in checks:
            print(f"  {check.name:<{width}}  {_MARKS[check.status]:<7}  {check.detail}")
        faults = sum(c.status == "fault" for c in checks)
        warnings = sum(c.status == "warning" for c in checks)
        print(f"{faults} fault(s), {warnings} warning(s)")
    return EXIT_FAULT if any(c.status == "fault" for c in checks) else EXIT_OK
