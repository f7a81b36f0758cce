"""`kiosk receipt print` as a process, to a raw ESC/POS listener on loopback TCP.

Done when: the test receipt reaches any raw ESC/POS listener as initialise, GB18030 title, QR
code and cut; and with the paper out the command fails clearly without losing the document.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers.processes import run_kiosk

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "devices" / "printer"))

from escpos_standin import StandinPrinter  # noqa: E402
from printer_helpers import TITLE  # noqa: E402

pytestmark = pytest.mark.e2e


def kiosk(*args: str, state: Path) -> subprocess.CompletedProcess[str]:
    return run_kiosk("receipt", *args, env={"XDG_STATE_HOME": str(state)})


def test_a_test_receipt_reaches_a_printer_over_tcp(tmp_path: Path) -> None:
    with StandinPrinter() as printer:
        done = kiosk(
            "print",
            "--kind",
            "test",
            "--printer",
            printer.uri,
            "--kiosk-id",
            "E2E-01",
            state=tmp_path,
        )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "printed the test receipt" in done.stdout
    got = printer.received
    assert got.kinds()[:2] == ["init", "chinese"] and got.kinds()[-1] == "cut"
    assert any(TITLE in line for line in got.lines)
    assert "E2E-01" in "\n".join(got.lines)
    assert len(got.qr) == 1 and got.qr[0].startswith("onecard-kiosk:test:E2E-01:")
    assert got.unknown == []


def test_a_plain_listener_gets_the_bytes(tmp_path: Path) -> None:
    """Like `nc -l 9100 > out.bin`: takes bytes, answers nothing."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    received = bytearray()

    def listen() -> None:
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(65536):
                received.extend(chunk)

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    done = kiosk("print", "--kind", "test", "--printer", f"tcp://127.0.0.1:{port}", state=tmp_path)
    thread.join(timeout=10)
    server.close()
    assert done.returncode == 0, done.stderr
    data = bytes(received)
    assert data.count(b"\x1b@\x1c&") == 1  # initialise and Chinese mode, once
    assert TITLE.encode("gb18030") in data
    assert b"\x1d(k" in data and data.endswith(b"\x1dV\x00")


def test_paper_out_fails_clearly_and_keeps_the_document(tmp_path: Path) -> None:
    with StandinPrinter(paper_out=True) as printer:
        failed = kiosk("print", "--kind", "test", "--printer", printer.uri, state=tmp_path)
        assert printer.received.lines == []
    assert failed.returncode != 0
    assert failed.stdout == "" and failed.stderr.count("\n") == 1
    assert "paper" in failed.stderr and "纸" in failed.stderr
    kept = list((tmp_path / "onecard-kiosk" / "receipts").glob("*.json"))
    assert len(kept) == 1 and str(kept[0]) in failed.stderr
    job = json.loads(kept[0].read_text(encoding="utf-8"))

    with StandinPrinter() as printer:
        again = kiosk("print", "--job", str(kept[0]), "--printer", printer.uri, state=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"(job {job['job_id']})" in again.stdout
    assert any(TITLE in line for line in printer.received.lines) and printer.received.cuts == 1
    assert not kept[0].exists()


def test_paper_out_mid_receipt_fails_and_keeps_the_document(tmp_path: Path) -> None:
    with StandinPrinter(paper_out_after_lines=4) as printer:
        failed = kiosk("print", "--kind", "certificate", "--printer", printer.uri, state=tmp_path)
        assert len(printer.received.lines) > 0 and printer.received.cuts == 0
    assert failed.returncode != 0
    assert "paper" in failed.stderr and "纸" in failed.stderr and "incomplete" in failed.stderr
    assert len(list((tmp_path / "onecard-kiosk" / "receipts").glob("*.json"))) == 1


def test_a_bad_printer_uri_is_one_line(tmp_path: Path) -> None:
    done = kiosk("print", "--kind", "test", "--printer", "tcp://:9100", state=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "no host" in done.stderr
