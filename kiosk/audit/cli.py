"""`kiosk audit --out DIR`: the accessibility report of every screen; non-zero when any fails.

With `--jobs N` the colour themes are shared out over N processes of the same command (each
renders its share and hands back its rows as JSON), and the report is put together in the order
a single process would have written it: the whole audit is a few minutes of one core, and a test
run or a developer's machine has more than one.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("audit"), help="report folder")
    parser.add_argument("--dpi", type=float, default=0.0, help="physical DPI (0: a 23.8in 1080p)")
    parser.add_argument("--screen", action="append", help="only this scene (repeatable)")
    parser.add_argument("--no-screenshots", action="store_true", help="measure only")
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes to share the audit over (default 1)"
    )
    # One process's share of a `--jobs` run: its looks, and where its rows go.
    parser.add_argument("--look", action="append", help=argparse.SUPPRESS)
    parser.add_argument("--rows-out", type=Path, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    # The audit renders off screen whatever the machine has: it must not flash a kiosk's display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.accessibility.theme import FALLBACK_DPI
    from kiosk.audit.run import LOOKS, run_audit, unknown_step_rows, write_reports
    from kiosk.audit.scenes import SCENES
    from kiosk.i18n import Translations
    from kiosk.ui.fonts import load_fonts

    unknown = [s for s in args.screen or [] if s not in SCENES]
    if unknown:
        print(f"kiosk audit: no scene {unknown[0]!r}; known: {', '.join(SCENES)}", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("kiosk audit: --jobs needs at least 1", file=sys.stderr)
        return 2
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"kiosk audit: cannot write to {args.out}: {error.strerror}", file=sys.stderr)
        return 2
    looks: list[tuple[str, str]] = []
    for look in args.look or []:
        colour, _, size = look.partition(":")
        looks.append((colour, size))
    if looks and any(look not in LOOKS for look in looks):
        print(f"kiosk audit: no look among {args.look}", file=sys.stderr)
        return 2
    if args.jobs > 1 and not looks:
        # By colour theme: each is audited in a window of its own (kiosk/audit/run.py).
        colours = list(dict.fromkeys(colour for colour, _ in LOOKS))
        shares = [
            [look for look in LOOKS if look[0] in colours[i :: args.jobs]]
            for i in range(min(args.jobs, len(colours)))
        ]
        parts = _run_shares(args, shares)
        if parts is None:
            return 1
        # In the order one process goes through them, so the report is the same either way.
        by_look = {look: rows for part in parts for look, rows in _by_look(part).items()}
        results = unknown_step_rows() + [row for look in LOOKS for row in by_look.get(look, [])]
    else:
        app = QApplication.instance() or QApplication([sys.argv[0]])
        # The compiled texts are cached for this run only: each audit would otherwise leave a
        # folder in the temporary directory, one per share with --jobs.
        with tempfile.TemporaryDirectory(prefix="kiosk-audit-") as texts:
            results = run_audit(
                args.out,
                Translations(Path(texts)),
                load_fonts(),
                args.dpi or FALLBACK_DPI,
                scenes=args.screen,
                screenshots=not args.no_screenshots,
                looks=looks or None,
            )
        del app
        if args.rows_out:
            args.rows_out.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
            return 0
    _, html_path = write_reports(args.out, results)
    failed = [r for r in results if not r["passed"]]
    print(f"kiosk audit: {len(results)} checks, {len(failed)} failed; {html_path}")
    for r in failed[:20]:
        print(
            f"  FAIL {r['screen']} {r['theme']} {r['size']} {r['locale']} {r['check']}: "
            f"{r['measured']} (needs {r['required']}) {r.get('detail', '')}"
        )
    return 1 if failed else 0


def _run_shares(
    args: argparse.Namespace, shares: list[list[tuple[str, str]]]
) -> list[list[dict[str, object]]] | None:
    """Runs each share in a process of its own, all at once; their rows, or None (said why)
    when one of them could not finish."""
    common = [sys.executable, "-m", "kiosk", "audit", "--out", str(args.out)]
    common += ["--dpi", str(args.dpi)]
    common += [f"--screen={name}" for name in args.screen or []]
    common += ["--no-screenshots"] if args.no_screenshots else []
    # Stopped (the test command interrupted, say), the audit stops its shares too: SIGTERM
    # becomes an exit, which runs the clean-up below.
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    children: list[tuple[Path, subprocess.Popen[str]]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="kiosk-audit-rows-") as folder:
            for number, share in enumerate(shares):
                rows_out = Path(folder) / f"{number}.json"
                command = [*common, "--rows-out", str(rows_out)]
                command += [f"--look={colour}:{size}" for colour, size in share]
                started = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
                children.append((rows_out, started))
            parts = []
            for rows_out, child in children:
                _, errors = child.communicate()
                if child.returncode != 0 or not rows_out.exists():
                    last = (errors.strip().splitlines() or ["no message"])[-1]
                    print(
                        f"kiosk audit: a share stopped (exit {child.returncode}): {last}",
                        file=sys.stderr,
                    )
                    continue
                parts.append(json.loads(rows_out.read_text(encoding="utf-8")))
    finally:
        for _, child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
        signal.signal(signal.SIGTERM, previous)
    return parts if len(parts) == len(children) else None


def _by_look(rows: list[dict[str, object]]) -> dict[tuple[str, str], list[dict[str, object]]]:
    grouped: dict[tuple[str, str], list[dict[str, object]]] = {}
    for row in rows:
        grouped.setdefault((str(row["theme"]), str(row["size"])), []).append(row)
    return grouped
