"""`kiosk receipt ...` in process: exit codes, one-line errors, jobs kept and printed again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from kiosk.cli import main
from kiosk.devices.commands import EXIT_USAGE
from kiosk.devices.printer import cli as receipt_cli


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["receipt", *args])
    out, err = capsys.readouterr()
    return code, out, err


def kept_file(err: str) -> Path:
    path = Path(err.split(" is kept in ")[1].split(": once")[0])
    assert path.exists()
    return path


def test_print_a_test_receipt_on_the_sim(capsys, tmp_path: Path) -> None:
    png = tmp_path / "test.png"
    code, out, err = run(
        capsys, "print", "--kind", "test", "--printer", "sim", "--width", "58", "--png", str(png)
    )
    assert (code, err) == (0, "")
    assert out.startswith("printed the test receipt (job ") and "on sim" in out
    assert Image.open(png).width == 384 + 32


def test_paper_out_exits_non_zero_and_says_so_in_words(capsys) -> None:
    code, out, err = run(capsys, "print", "--kind", "certificate", "--printer", "sim?paper=out")
    assert code == receipt_cli.EXIT_PAPER_OUT
    assert out == ""
    assert err.count("\n") == 1
    assert "paper" in err and "纸" in err and "nothing was printed" in err


def test_paper_out_keeps_the_job_and_job_prints_it_again(capsys) -> None:
    code, _, err = run(capsys, "print", "--kind", "complaint", "--printer", "sim?paper=out")
    assert code == receipt_cli.EXIT_PAPER_OUT
    path = kept_file(err)
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["receipt"]["kind"] == "complaint" and kept["receipt"]["sample"] is True
    code, out, err = run(capsys, "print", "--job", str(path), "--printer", "sim")
    assert (code, err) == (0, "")
    assert f"(job {kept['job_id']})" in out and "complaint slip" in out
    assert not path.exists(), "a printed job is no longer kept"


def test_paper_out_mid_receipt_says_the_slip_is_incomplete(capsys) -> None:
    code, _, err = run(
        capsys, "print", "--kind", "loss", "--printer", "sim?paper_out_after=3", "--width", "58"
    )
    assert code == receipt_cli.EXIT_PAPER_OUT
    assert "ran out while printing" in err and "纸" in err and "incomplete" in err
    kept_file(err)


def test_cover_open_has_its_own_exit_code(capsys) -> None:
    code, _, err = run(capsys, "print", "--kind", "test", "--printer", "sim?cover=open")
    assert code == receipt_cli.EXIT_COVER_OPEN and "cover" in err


def test_an_unreachable_printer_is_offline(capsys) -> None:
    code, _, err = run(capsys, "print", "--kind", "test", "--printer", "tcp://127.0.0.1:9")
    assert code == receipt_cli.EXIT_OFFLINE
    assert err.count("\n") == 1 and "cannot be reached" in err


def test_near_end_is_reported_after_printing(capsys) -> None:
    code, out, _ = run(capsys, "print", "--kind", "test", "--printer", "sim?paper=near_end")
    assert code == 0 and "near end" in out


def test_a_bad_printer_address_is_one_line_and_usage(capsys) -> None:
    code, out, err = run(capsys, "print", "--kind", "test", "--printer", "lp0://nowhere")
    assert code == EXIT_USAGE and out == ""
    assert err.count("\n") == 1 and err.startswith("kiosk receipt print: unknown printer address")


def test_png_needs_the_sim(capsys, tmp_path: Path) -> None:
    code, _, err = run(
        capsys,
        "print",
        "--kind",
        "test",
        "--printer",
        "file:///dev/null",
        "--png",
        str(tmp_path / "x.png"),
    )
    assert code == EXIT_USAGE and "--png needs --printer sim" in err


def test_a_job_file_that_is_not_a_job_is_refused(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"job_id": 3}', encoding="utf-8")
    code, _, err = run(capsys, "print", "--job", str(bad), "--printer", "sim")
    assert code == EXIT_USAGE and "cannot read the kept job" in err


def test_print_to_a_file(capsys, tmp_path: Path) -> None:
    target = tmp_path / "printer.bin"
    for _ in range(2):
        code, out, _ = run(capsys, "print", "--kind", "test", "--printer", f"file://{target}")
        assert code == 0 and "does not report its status" in out
    # Appended, not overwritten: two receipts, two cuts.
    assert target.read_bytes().count(b"\x1dV\x00") == 2


def test_status_of_the_sim(capsys) -> None:
    code, out, _ = run(capsys, "status", "--printer", "sim?paper=near_end", "--json")
    assert code == 0
    assert json.loads(out) == {
        "printer": "sim",
        "answered": True,
        "online": True,
        "paper": "near_end",
        "cover_open": False,
        "error": False,
    }


def test_status_of_an_unreachable_printer(capsys) -> None:
    code, out, _ = run(capsys, "status", "--printer", "tcp://127.0.0.1:9")
    assert code == receipt_cli.EXIT_OFFLINE and "online False" in out


def test_speak_reads_the_receipt_without_personal_data(capsys) -> None:
    code, out, _ = run(capsys, "speak", "--kind", "certificate")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["郑州市居民服务一卡通", "社会保险参保证明"]
    assert "张示例" not in out and "不朗读" in out


def test_no_sub_command_is_a_usage_error(capsys) -> None:
    code, _, err = run(capsys)
    assert code == EXIT_USAGE and "print, status or speak" in err
