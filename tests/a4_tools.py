"""Reading a rendered A4 document back: pdftotext (poppler-utils) and zbarimg (zbar-tools).

Without them the tests skip, except in CI (CI=true), where that is a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def need(tool: str, package: str) -> str:
    """The tool's path, found on PATH or where Debian puts daemons (/usr/sbin, /sbin, which a
    plain user's PATH may lack), or a skip that names the package to install."""
    found = shutil.which(tool) or next(
        (str(p) for p in (Path("/usr/sbin") / tool, Path("/sbin") / tool) if p.exists()), None
    )
    if found is None:
        reason = f"{tool} is not installed (Debian: {package})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}: CI must run the A4 tests")
        pytest.skip(reason)
    return found


def pdf_text(pdf: Path) -> str:
    tool = need("pdftotext", "poppler-utils")
    return subprocess.run(
        [tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=30
    ).stdout


def pdf_pages(pdf: Path, folder: Path, dpi: int = 150) -> list[Path]:
    tool = need("pdftoppm", "poppler-utils")
    subprocess.run(
        [tool, "-r", str(dpi), "-png", str(pdf), str(folder / "page")], check=True, timeout=60
    )
    return sorted(folder.glob("page*.png"))


def qr_payloads(png: Path) -> list[str]:
    tool = need("zbarimg", "zbar-tools")
    answer = subprocess.run(
        [tool, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return [line for line in answer.stdout.splitlines() if line]
