"""The frozen kiosk's entry point: `onecard-kiosk [ARGS]` is `kiosk [ARGS]`.

A frozen program has no Python to run `-m MODULE` with, yet the kiosk starts its embedded
platform as `sys.executable -m kiosk.server ...`, which here names this program. So `-m
MODULE ARGS` is honoured the way Python honours it, for the kiosk's own modules only.
"""

from __future__ import annotations

import runpy
import sys


def main() -> int:
    if len(sys.argv) >= 3 and sys.argv[1] == "-m" and sys.argv[2].startswith("kiosk"):
        module = sys.argv[2]
        sys.argv = [sys.argv[0], *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return 0
    from kiosk.cli import main as kiosk_main

    return kiosk_main()


if __name__ == "__main__":
    raise SystemExit(main())
