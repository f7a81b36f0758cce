"""`kiosk audit --out DIR`: the accessibility report of every screen; non-zero when any fails."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("audit"), help="report folder")
    parser.add_argument("--dpi", type=float, default=0.0, help="physical DPI (0: a 23.8in 1080p)")
    parser.add_argument("--screen", action="append", help="only this scene (repeatable)")
    parser.add_argument("--no-screenshots", action="store_true", help="measure only")


def run(args: argparse.Namespace) -> int:
    # The audit renders off screen whatever the machine has: it must not flash a kiosk's display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.accessibility.theme import FALLBACK_DPI
    from kiosk.audit.run import run_audit, write_reports
    from kiosk.audit.scenes import SCENES
    from kiosk.i18n import Translations
    from kiosk.ui.fonts import load_fonts

    unknown = [s for s in args.screen or [] if s not in SCENES]
    if unknown:
        print(f"kiosk audit: no scene {unknown[0]!r}; known: {', '.join(SCENES)}", file=sys.stderr)
        return 2
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"kiosk audit: cannot write to {args.out}: {error.strerror}", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication([sys.argv[0]])
    translations = Translations(Path(tempfile.mkdtemp(prefix="kiosk-audit-")))
    results = run_audit(
        args.out,
        translations,
        load_fonts(),
        args.dpi or FALLBACK_DPI,
        scenes=args.screen,
        screenshots=not args.no_screenshots,
    )
    _, html_path = write_reports(args.out, results)
    failed = [r for r in results if not r["passed"]]
    print(f"kiosk audit: {len(results)} checks, {len(failed)} failed; {html_path}")
    for r in failed[:20]:
        print(
            f"  FAIL {r['screen']} {r['theme']} {r['size']} {r['locale']} {r['check']}: "
            f"{r['measured']} (needs {r['required']}) {r.get('detail', '')}"
        )
    del app
    return 1 if failed else 0
