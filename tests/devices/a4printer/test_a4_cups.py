"""The A4 printer as a CUPS queue: QPrinter (QtPrintSupport) through a real cupsd, started here
with a private configuration. Its queues end in a small CUPS backend of the tests' own (the
backend protocol: the job on standard input, status on standard error) that writes the job to
a file, read back as a PDF, or, for the paper-out queue, reports media-empty as a printer does.
Without cupsd the tests skip, except in CI (CI=true)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from a4_tools import need, pdf_pages, pdf_text, qr_payloads
from helpers.processes import stop

from kiosk.devices.a4printer.printers import CupsQueuePrinter, queue_alerts
from kiosk.domain.a4 import certificate_document
from kiosk.domain.errors import PaperOut, PrinterOffline
from kiosk.domain.receipt import CertificateContent, InsuranceLine
from kiosk.ui.fonts import load_fonts

pytestmark = pytest.mark.e2e

QUEUE = "kiosk-a4-test"
NO_PAPER = "kiosk-a4-no-paper"
BACKEND = """#!/bin/sh
# Lists itself when asked (no arguments), as every CUPS backend does.
if [ $# -eq 0 ]; then echo 'direct kioskfile "Unknown" "Kiosk test file"'; exit 0; fi
path="${DEVICE_URI#kioskfile:}"
case "$path" in
  *no-paper*) echo "STATE: +media-empty-error" >&2; echo "ERROR: out of paper" >&2; exit 4 ;;
esac
if [ -n "$6" ]; then cat "$6" > "$path.part"; else cat > "$path.part"; fi
mv "$path.part" "$path"
"""
URL = "http://127.0.0.1:8765/v1/certificates/K7Q2-9XW3-M4PD"


def _binary(name: str) -> str:
    return need(name, "cups-daemon, cups-client")


@pytest.fixture(scope="module")
def cups() -> Iterator[tuple[Path, Path]]:
    """cupsd on a private socket; the queue's output file. CUPS_SERVER points libcups at it."""
    cupsd, lpadmin = _binary("cupsd"), _binary("lpadmin")
    root = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
    for sub in ("state", "cache", "spool", "tmp", "log", "ppd", "bin/backend", "bin/filter"):
        (root / sub).mkdir(parents=True)
    # cupsd starts backends through its cups-exec helper, from the system's ServerBin.
    (root / "bin" / "daemon").symlink_to("/usr/lib/cups/daemon")
    backend = root / "bin" / "backend" / "kioskfile"
    backend.write_text(BACKEND)
    backend.chmod(0o755)
    socket = root / "cups.sock"
    out = root / "out" / "job.pdf"
    out.parent.mkdir()
    os.chmod(root, 0o755)
    os.chmod(out.parent, 0o777)
    (root / "cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel warn\nWebInterface No\nBrowsing No\n"
        "DefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n    Allow all\n  </Limit>\n"
        "</Policy>\n"
    )
    (root / "cups-files.conf").write_text(
        f"ServerRoot {root}\nStateDir {root / 'state'}\nCacheDir {root / 'cache'}\n"
        f"RequestRoot {root / 'spool'}\nTempDir {root / 'tmp'}\n"
        f"AccessLog {root / 'log' / 'access_log'}\nErrorLog {root / 'log' / 'error_log'}\n"
        f"PageLog {root / 'log' / 'page_log'}\nServerBin {root / 'bin'}\n"
        "SystemGroup root lpadmin\n"
    )
    process = subprocess.Popen(
        [cupsd, "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    old = os.environ.get("CUPS_SERVER")
    os.environ["CUPS_SERVER"] = str(socket)
    try:
        deadline = time.monotonic() + 15
        while not socket.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                log = (root / "log" / "error_log").read_text(errors="replace")[-2000:]
                pytest.fail(f"cupsd did not start: {log}")
            time.sleep(0.05)
        for queue, uri in (
            (QUEUE, f"kioskfile:{out}"),
            (NO_PAPER, f"kioskfile:{out.parent / 'no-paper.pdf'}"),
        ):
            subprocess.run(
                [lpadmin, "-p", queue, "-E", "-v", uri, "-m", "raw"],
                check=True,
                capture_output=True,
                timeout=30,
            )
        yield root, out
    finally:
        stop(process)
        if old is None:
            os.environ.pop("CUPS_SERVER", None)
        else:
            os.environ["CUPS_SERVER"] = old
        shutil.rmtree(root, ignore_errors=True)


def _document() -> object:
    return certificate_document(
        CertificateContent(
            code="K7Q2-9XW3-M4PD",
            issued=dt.datetime(2026, 12, 2, 10, 30, tzinfo=dt.UTC),
            valid_until=dt.date(2027, 3, 2),
            holder_name="王秀英",
            holder_id_masked="4101**********0027",
            insurances=(
                InsuranceLine("城镇职工基本养老保险", "正常参保", "1995-07", "2026-11", 377),
            ),
            verify_url=URL,
            kiosk_id="demo-kiosk-01",
        )
    )


def test_a_certificate_through_the_cups_queue_comes_out_whole(
    qapp, cups: tuple[Path, Path], tmp_path: Path
) -> None:
    _, out = cups
    printer = CupsQueuePrinter(QUEUE, load_fonts())
    assert printer.print_document(_document()) == QUEUE  # type: ignore[arg-type]
    deadline = time.monotonic() + 30
    while not (out.exists() and out.read_bytes().rstrip().endswith(b"%%EOF")):
        assert time.monotonic() < deadline, "the queue wrote nothing"
        time.sleep(0.1)
    text = pdf_text(out)
    assert "社会保险参保证明" in text and "K7Q2-9XW3-M4PD" in text
    assert qr_payloads(pdf_pages(out, tmp_path)[0]) == [URL]


def test_a_stopped_queue_and_a_missing_one_are_an_offline_printer(
    qapp, cups: tuple[Path, Path]
) -> None:
    family = load_fonts()
    with pytest.raises(PrinterOffline):
        CupsQueuePrinter("no-such-queue", family).print_document(_document())  # type: ignore[arg-type]
    subprocess.run([_binary("cupsdisable"), QUEUE], check=True, capture_output=True, timeout=30)
    try:
        assert queue_alerts(QUEUE)[0] is False
        with pytest.raises(PrinterOffline):
            CupsQueuePrinter(QUEUE, family).print_document(_document())  # type: ignore[arg-type]
    finally:
        subprocess.run([_binary("cupsenable"), QUEUE], check=True, capture_output=True, timeout=30)
    assert queue_alerts(QUEUE)[0] is True


def test_paper_out_stops_the_queue_and_the_next_document_is_told(
    qapp, cups: tuple[Path, Path]
) -> None:
    """CUPS takes the first job and keeps it when the printer says its paper is out (it prints
    once paper is loaded and the queue resumed); the kiosk sees the reason and says it."""
    printer = CupsQueuePrinter(NO_PAPER, load_fonts())
    assert printer.print_document(_document()) == NO_PAPER  # type: ignore[arg-type]
    deadline = time.monotonic() + 30
    while not any(r.startswith("media-empty") for r in queue_alerts(NO_PAPER)[1]):
        assert time.monotonic() < deadline, queue_alerts(NO_PAPER)
        time.sleep(0.2)
    with pytest.raises(PaperOut):
        printer.print_document(_document())  # type: ignore[arg-type]
