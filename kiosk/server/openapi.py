"""The OpenAPI document in the repo: `python -m kiosk.server.openapi` writes it, --check compares.

The document is generated from the app, so it cannot drift from what the server does; keeping
a copy in the repo lets the kiosk's side and a city's integrators read the contract without
running anything. A test fails when the copy is out of date.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

DOCUMENT = Path(__file__).with_name("openapi.json")


def document() -> dict[str, Any]:
    from sqlalchemy import create_engine

    from kiosk.server.app import create_app

    # The engine is never connected: building the schema needs the routes, not the data.
    app = create_app(create_engine("sqlite://"))
    return app.openapi()


def render() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.server.openapi")
    parser.add_argument("--check", action="store_true", help="fail if the repo copy is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if DOCUMENT.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{DOCUMENT} is out of date: run python -m kiosk.server.openapi\n")
            return 1
        return 0
    DOCUMENT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
