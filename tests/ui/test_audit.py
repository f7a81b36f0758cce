"""`kiosk audit`: its report's shape, and that each kind of check fails when it should."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.accessibility import theme as theme_module
from kiosk.accessibility.profile import Profile
from kiosk.audit import checks, scenes
from kiosk.audit.run import LOOKS, run_audit, write_reports
from kiosk.i18n import Translations
from kiosk.ui.fonts import load_fonts

FIELDS = {"screen", "theme", "size", "locale", "check", "passed", "measured", "required"}


@pytest.fixture
def stage(qtbot, tmp_path: Path):
    built = scenes.build_stage(Translations(tmp_path), load_fonts(), 92.56)
    qtbot.addWidget(built.window)
    built.window.show()
    built.window.activateWindow()
    QApplication.processEvents()
    return built


def test_one_screen_in_every_theme_size_and_language(qapp, tmp_path: Path) -> None:
    results = run_audit(tmp_path, Translations(tmp_path / "tr"), load_fonts(), 92.56, ["home"])
    json_path, html_path = write_reports(tmp_path, results)
    report = json.loads(json_path.read_text(encoding="utf-8"))
    rows = report["results"]
    assert all(row.keys() >= FIELDS for row in rows)
    variants = {(r["theme"], r["size"], r["locale"]) for r in rows}
    assert len(variants) == 4 * 3 * 2
    assert {r["check"] for r in rows} >= {
        "accessible_name",
        "target_size_mm",
        "cap_height_mm",
        "text_contrast",
        "keypad_reachable",
        "spoken_prompt",
        "focus_ring",
        "no_clipping",
        "fits_screen",
    }
    assert report["summary"]["failed"] == sum(not r["passed"] for r in rows) == 0
    assert len(list((tmp_path / "screens").glob("home-*.png"))) == 24
    assert "Kiosk accessibility audit" in html_path.read_text(encoding="utf-8")


def test_a_target_too_small_fails(stage) -> None:
    scenes.SCENES["home"][1](stage)
    tile = stage.window.choice_screen.tiles[0]
    tile.setFixedSize(30, 30)  # about 8 mm at this density
    QApplication.processEvents()
    result = checks.target_sizes(stage.window)
    assert not result.passed and result.measured < 12.7


def test_poor_contrast_fails_on_the_rendered_pixels(stage, monkeypatch) -> None:
    faint = theme_module.PALETTES["default"]._replace(text="#9A9A9A", muted="#9A9A9A")
    monkeypatch.setitem(theme_module.PALETTES, "default", faint)
    stage.window.set_default_profile(Profile(language="en"))
    scenes.SCENES["attract"][1](stage)
    QApplication.processEvents()
    image = stage.window.grab().toImage()
    result = checks.text_contrast(stage.window, image, "default")
    assert not result.passed
    assert 2.0 < result.measured < 7.0


def test_a_thin_focus_ring_fails_on_the_rendered_pixels(stage, monkeypatch) -> None:
    scenes.SCENES["home"][1](stage)
    QApplication.processEvents()
    assert checks.focus_ring(stage.window).passed
    monkeypatch.setattr(theme_module.Theme, "focus_ring_px", property(lambda self: 1))
    stage.window.set_default_profile(Profile(language="en"))  # restyled with the thin ring
    scenes.SCENES["home"][1](stage)
    QApplication.processEvents()
    result = checks.focus_ring(stage.window)
    assert not result.passed and result.measured.startswith("1 px")


def test_clipped_text_fails(stage) -> None:
    scenes.SCENES["home"][1](stage)
    stage.window.choice_screen.heading.setFixedHeight(10)
    QApplication.processEvents()
    assert not checks.no_clipping(stage.window).passed


def test_an_untranslated_prompt_fails(stage, tmp_path: Path, monkeypatch) -> None:
    from kiosk.domain.messages import msg

    scenes.SCENES["home"][1](stage)
    shown = stage.flow.view
    # Home as a flow would give it with a message nobody translated.
    monkeypatch.setattr(
        stage.flow, "view", lambda face: shown(face).replace(hint=msg("no.such.message"))
    )
    stage.window.refresh(force=True)
    result = checks.spoken_prompt(stage.window, Translations(tmp_path / "tr"))
    assert not result.passed and "no.such.message" in result.detail


def test_a_screen_the_audit_does_not_know_fails(qapp, tmp_path: Path, monkeypatch) -> None:
    fewer = {k: v for k, v in scenes.SCENES.items() if k != "take-card"}
    monkeypatch.setattr(scenes, "SCENES", fewer)
    monkeypatch.setattr("kiosk.audit.run.SCENES", fewer)
    assert scenes.unknown_steps() == ["take_card"]
    results = run_audit(
        tmp_path, Translations(tmp_path / "tr"), load_fonts(), 92.56, ["attract"], False
    )
    unknown = [r for r in results if r["check"] == "screen_known_to_audit"]
    assert unknown and unknown[0]["screen"] == "take_card" and not unknown[0]["passed"]


def test_the_command_exits_non_zero_on_an_unknown_scene(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "audit", "--out", str(tmp_path), "--screen", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "no scene 'nope'" in result.stderr


def test_a_service_menu_screen_without_a_scene_is_unknown(monkeypatch) -> None:
    fewer = {k: v for k, v in scenes.SCENES.items() if k != "service-health"}
    monkeypatch.setattr(scenes, "SCENES", fewer)
    assert scenes.unknown_steps() == ["service:health"]


# The looks where a task is likeliest to fall off home: the largest print (fewest tiles fit)
# and the elderly mode (four choices a page), one of them in a high-contrast theme. Every
# other look is walked by the whole audit, which the test command runs (scripts/run-tests.sh).
HARDEST_LOOKS = [("yellow-on-black", "largest"), ("default", "elderly")]


def test_every_task_is_reached_by_keypad_and_by_touch(qapp, tmp_path: Path) -> None:
    from kiosk.audit.reachable import destinations

    assert set(HARDEST_LOOKS) <= set(LOOKS)
    results = run_audit(
        tmp_path,
        Translations(tmp_path / "tr"),
        load_fonts(),
        92.56,
        ["home"],
        reach=True,
        looks=HARDEST_LOOKS,
    )
    json_path, html_path = write_reports(tmp_path, results)
    rows = [r for r in json.loads(json_path.read_text())["results"] if r["check"] == "reachable"]
    page = html_path.read_text(encoding="utf-8")
    assert "reachable (keypad)" in page and "reachable (touch)" in page
    names = {d.name for d in destinations()}
    assert {"services", "records", "card", "search", "complaints"} <= names
    # One row per task, look, language and face, and every one reached.
    assert len(rows) == len(names) * len(HARDEST_LOOKS) * 2 * 2
    assert {r["face"] for r in rows} == {"keypad", "touch"}
    assert all(r["passed"] for r in rows), [r for r in rows if not r["passed"]][:3]
    # In elderly mode the complaint is on home's second page: 0, then its digit.
    elderly = [
        r
        for r in rows
        if r["size"] == "elderly" and r["screen"] == "reach-complaints" and r["face"] == "keypad"
    ]
    assert elderly and all(r["measured"].startswith("0, ") for r in elderly)


def test_a_task_home_does_not_offer_fails_reachable(stage, monkeypatch) -> None:
    """Home as it was: the first page only, the rest cut off in large print."""
    from kiosk.audit import reachable
    from kiosk.flows import session_views

    def first_page_only(pager, entries, max_choices):
        return pager.slice(entries[: max_choices - 1], max_choices)

    monkeypatch.setattr(session_views, "home_page", first_page_only)
    stage.window.set_default_profile(Profile(elderly=True))
    complaints = next(d for d in reachable.destinations() if d.name == "complaints")
    for face in reachable.FACES:
        scenes.SCENES["home"][1](stage)
        QApplication.processEvents()
        check = reachable.walk(stage.window, complaints, face)
        assert not check.passed and check.check == "reachable"


def test_an_audit_shared_over_processes_reports_what_one_process_does(tmp_path: Path) -> None:
    def audit(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "kiosk", "audit", "--out", str(out), "--no-screenshots"]
        command += ["--screen", "attract", "--screen", "pin", *extra]
        env = os.environ | {"TMPDIR": str(scratch)}
        return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)

    scratch = tmp_path / "temporary"
    scratch.mkdir()
    alone, shared = audit(tmp_path / "alone"), audit(tmp_path / "shared", "--jobs", "2")
    # Neither leaves anything behind in the temporary directory.
    assert list(scratch.iterdir()) == []
    assert alone.returncode == shared.returncode == 0, shared.stderr
    assert " checks, 0 failed" in shared.stdout
    one = (tmp_path / "alone" / "report.json").read_text(encoding="utf-8")
    rows = json.loads(one)["results"]
    assert {(r["theme"], r["size"]) for r in rows} == set(LOOKS)
    assert {r["screen"] for r in rows} == {"attract", "pin"}
    # Row for row in the same order: the shares are put back as one process goes through them.
    assert (tmp_path / "shared" / "report.json").read_text(encoding="utf-8") == one
