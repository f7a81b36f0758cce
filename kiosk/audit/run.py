"""Runs every scene in every theme, size and language, and writes the report."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from kiosk.accessibility.profile import Profile
from kiosk.accessibility.theme import PALETTES
from kiosk.audit import checks, reachable
from kiosk.audit.scenes import SCENES, Stage, build_stage, unknown_steps
from kiosk.i18n import LANGUAGES, Translations

SIZES = ("default", "elderly", "largest")
# A colour theme and a size: the share of the audit one process can take on its own.
Look = tuple[str, str]
LOOKS: list[Look] = [(colour, size) for colour in PALETTES for size in SIZES]


def _profile(colour: str, size: str, locale: str) -> Profile:
    if size == "elderly":
        return Profile(language=locale, colour_mode=colour, size_mode="default", elderly=True)
    return Profile(language=locale, colour_mode=colour, size_mode=size)


def _settle(stage: Stage) -> None:
    for _ in range(3):
        QApplication.processEvents()
        # Outside an event loop, widgets a screen let go of with deleteLater() are never
        # deleted; flushed here, or every scene would restyle and search all the old ones too.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    stage.window.repaint()


def run_audit(
    out: Path,
    translations: Translations,
    font_family: str,
    dpi: float,
    scenes: list[str] | None = None,
    screenshots: bool = True,
    reach: bool | None = None,
    looks: Sequence[Look] | None = None,
) -> list[dict[str, object]]:
    """`reach`: walk from home to every task (the `reachable` check); by default only when
    every scene is audited. `looks`: only these colour themes and sizes (one process's share
    of an audit run over several, `kiosk audit --jobs`); the rows of the unknown steps come
    only with all of them."""
    if reach is None:
        reach = scenes is None
    shots = out / "screens"
    shots.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, object]] = [] if looks is not None else unknown_step_rows()
    names = scenes or list(SCENES)
    stage: Stage | None = None
    stage_colour = ""
    for colour, size in looks if looks is not None else LOOKS:
        if stage is None or stage_colour != colour:
            # Each colour theme in a window of its own. A window keeps traces of what it has
            # shown (a few size hints from a larger print lift a layout's minimum), so a theme's
            # rows are the same whether a process audits it first or after another (--jobs).
            if stage is not None:
                _close(stage)
            stage, stage_colour = _shown_stage(translations, font_family, dpi), colour
        window = stage.window
        for locale in LANGUAGES:
            # As the session's default, the profile survives each scene's fresh start, so the
            # window is restyled once per profile rather than once per scene.
            window.set_default_profile(_profile(colour, size, locale))
            for name in names:
                _step, enter = SCENES[name]
                window.resize(1920, 1080)
                enter(stage)
                _settle(stage)
                image: QImage = window.grab().toImage()
                if screenshots:
                    image.save(str(shots / f"{name}-{colour}-{size}-{locale}.png"))
                found = [
                    checks.accessible_names(window),
                    checks.target_sizes(window),
                    checks.target_spacing(window),
                    checks.capital_height(window, window.theme.size_mode),
                    checks.text_contrast(window, image, colour),
                    checks.keypad_reachable(window),
                    checks.focus_order(window),
                    checks.no_clipping(window),
                    checks.choice_count(window),
                    checks.fits_screen(window, 1920, 1080),
                    checks.spoken_prompt(window, translations),
                    checks.focus_ring(window),
                ]
                for check in found:
                    results.append(
                        {"screen": name, "theme": colour, "size": size, "locale": locale}
                        | asdict(check)
                    )
            if reach:
                results += _reachable_rows(stage, colour, size, locale)
    if stage is not None:
        _close(stage)
    return results


def _shown_stage(translations: Translations, font_family: str, dpi: float) -> Stage:
    stage = build_stage(translations, font_family, dpi)
    stage.window.show()
    # The focus ring is drawn only in the active window.
    stage.window.activateWindow()
    QApplication.processEvents()
    return stage


def _close(stage: Stage) -> None:
    stage.window.close()
    stage.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def unknown_step_rows() -> list[dict[str, object]]:
    """A failing row for each step of a flow that no scene shows."""
    return [
        {
            "screen": step,
            "theme": "*",
            "size": "*",
            "locale": "*",
            "check": "screen_known_to_audit",
            "passed": False,
            "measured": "no scene shows this step",
            "required": "every flow step has a scene",
        }
        for step in unknown_steps()
    ]


def _reachable_rows(stage: Stage, colour: str, size: str, locale: str) -> list[dict[str, object]]:
    """One row per task and face: from a fresh home screen to the task's first screen."""
    _step, enter_home = SCENES["home"]
    rows: list[dict[str, object]] = []
    for destination in reachable.destinations():
        for face in reachable.FACES:
            enter_home(stage)
            _settle(stage)
            check = reachable.walk(stage.window, destination, face)
            rows.append(
                {
                    "screen": f"reach-{destination.name}",
                    "theme": colour,
                    "size": size,
                    "locale": locale,
                    "face": face,
                }
                | asdict(check)
            )
    return rows


def write_reports(out: Path, results: list[dict[str, object]]) -> tuple[Path, Path]:
    failed = [r for r in results if not r["passed"]]
    summary = {"checks": len(results), "failed": len(failed)}
    json_path = out / "report.json"
    json_path.write_text(
        json.dumps({"summary": summary, "results": results}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    rows = []
    for r in sorted(results, key=lambda r: (bool(r["passed"]), str(r["screen"]))):
        shot = f"screens/{r['screen']}-{r['theme']}-{r['size']}-{r['locale']}.png"
        if r["check"] == "reachable":  # a walk over several screens: its row says the presses
            shot = f"screens/home-{r['theme']}-{r['size']}-{r['locale']}.png"
        status = "pass" if r["passed"] else "FAIL"
        if "face" in r:  # a reachable row: by keypad or by touch
            r = r | {"check": f"{r['check']} ({r['face']})"}
        rows.append(
            "<tr class='{cls}'><td>{status}</td><td><a href='{shot}'>{screen}</a></td>"
            "<td>{theme}</td><td>{size}</td><td>{locale}</td><td>{check}</td>"
            "<td>{measured}</td><td>{required}</td><td>{detail}</td></tr>".format(
                cls=status.lower(),
                status=status,
                shot=html.escape(shot),
                **{
                    k: html.escape(str(r.get(k, "")))
                    for k in (
                        "screen",
                        "theme",
                        "size",
                        "locale",
                        "check",
                        "measured",
                        "required",
                        "detail",
                    )
                },
            )
        )
    html_path = out / "report.html"
    html_path.write_text(
        "<!doctype html><html lang='en'><meta charset='utf-8'>"
        "<title>Kiosk accessibility audit</title>"
        "<style>body{font-family:sans-serif}td,th{padding:2px 6px;border-bottom:1px solid #ccc}"
        ".fail{background:#fdd}</style>"
        f"<h1>Kiosk accessibility audit</h1><p>{summary['checks']} checks, "
        f"{summary['failed']} failed. Requirements: shared/reference/accessibility.md.</p>"
        "<table><tr><th></th><th>screen</th><th>theme</th><th>size</th><th>locale</th>"
        "<th>check</th><th>measured</th><th>required</th><th>where</th></tr>"
        + "".join(rows)
        + "</table></html>",
        encoding="utf-8",
    )
    return json_path, html_path
