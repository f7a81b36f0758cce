"""The layers of the design: the core knows no screen; the UI knows devices by interface only.

import-linter checks the package-level rules from pyproject.toml (scripts/run-tests.sh runs it,
and a test here runs it on a deliberately broken copy to show it can fail). Two rules it cannot
express are read from the imports here: the UI may import a device only through its interface
module (an allow-list), and no device module may import Qt's widgets (a subpackage of an
outside package).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def is_device_implementation(module: str) -> bool:
    """kiosk.devices.<device>.<module> other than .interface (and names imported from it)."""
    parts = module.split(".")
    return parts[:2] == ["kiosk", "devices"] and len(parts) >= 4 and parts[3] != "interface"


def is_widget_module(module: str) -> bool:
    return module == "PySide6.QtWidgets" or module.startswith("PySide6.QtWidgets.")


def violations(folder: Path, rule: Callable[[str], bool]) -> list[str]:
    return [
        f"{path.relative_to(folder)}: {module}"
        for path in sorted(folder.rglob("*.py"))
        for module in sorted(imported_modules(path))
        if rule(module)
    ]


def test_the_ui_imports_devices_only_through_their_interfaces() -> None:
    assert violations(ROOT / "kiosk" / "ui", is_device_implementation) == []


def test_devices_never_import_widgets() -> None:
    assert violations(ROOT / "kiosk" / "devices", is_widget_module) == []


def test_the_import_rules_catch_what_they_forbid(tmp_path: Path) -> None:
    (tmp_path / "screen.py").write_text(
        "from kiosk.devices.card.interface import CardReader\n"
        "from kiosk.devices.card.pcsc import PcscCardReader\n"
        "from PySide6.QtWidgets import QMessageBox\n",
        encoding="utf-8",
    )
    assert violations(tmp_path, is_device_implementation) == [
        "screen.py: kiosk.devices.card.pcsc",
        "screen.py: kiosk.devices.card.pcsc.PcscCardReader",
    ]
    assert violations(tmp_path, is_widget_module) == [
        "screen.py: PySide6.QtWidgets",
        "screen.py: PySide6.QtWidgets.QMessageBox",
    ]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(cwd), "PATH": str(LINT_IMPORTS.parent)},
    )


def test_import_linter_passes_on_the_tree_and_fails_when_a_flow_imports_qt(
    tmp_path: Path,
) -> None:
    # A copy of the package's code (not its assets) under the same contracts.
    shutil.copytree(
        ROOT / "kiosk",
        tmp_path / "kiosk",
        ignore=shutil.ignore_patterns("assets", "translations", "__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    clean = _lint_imports(tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "0 broken" in clean.stdout

    (tmp_path / "kiosk" / "flows" / "leaky.py").write_text(
        "from PySide6.QtWidgets import QMessageBox\n", encoding="utf-8"
    )
    broken = _lint_imports(tmp_path)
    assert broken.returncode != 0
    assert "kiosk.flows.leaky -> PySide6" in broken.stdout
