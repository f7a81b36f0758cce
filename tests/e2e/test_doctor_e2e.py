"""`kiosk doctor` as an installer runs it: against pcscd with the vpcd virtual reader and a
virtual social security card, the ESC/POS printer stand-in answering DLE EOT, a scanner port
(a real pseudo-terminal), the reference platform over HTTP and over verified TLS."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from card_fixtures import (
    ROOT,
    card_profile,
    inserted,
    pcsc_stack_fixture,  # noqa: F401 - the fixture pcsc_stack
)
from helpers.processes import run_kiosk

sys.path.insert(0, str(ROOT / "tests" / "devices" / "printer"))

from escpos_standin import StandinPrinter
from pki import https_platform, self_signed

from kiosk.server.embedded import EmbeddedServer

pytestmark = pytest.mark.e2e


def doctor(config: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    return run_kiosk("doctor", "--config", str(config), *extra, env=env, timeout=120)


def write_config(tmp_path: Path, **sections: dict[str, object]) -> Path:
    lines = []
    for section, values in sections.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            lines.append(f"{key} = {json.dumps(value)}")
    path = tmp_path / "kiosk.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def by_name(done: subprocess.CompletedProcess[str]) -> dict[str, dict[str, str]]:
    checks = json.loads(done.stdout)
    assert all(set(c) == {"name", "status", "detail"} for c in checks)
    assert all(c["status"] in ("ok", "warning", "fault", "absent") for c in checks)
    return {c["name"]: c for c in checks}


@pytest.fixture
def scanner_port(tmp_path: Path) -> Iterator[Path]:
    master, slave = os.openpty()
    link = tmp_path / "ttyECODE"
    os.symlink(os.ttyname(slave), link)
    yield link
    os.close(master)
    os.close(slave)


def hall(tmp_path: Path, server: EmbeddedServer, printer: StandinPrinter, port: Path) -> Path:
    return write_config(
        tmp_path,
        kiosk={"mode": "deployed"},
        platform={"url": server.url, "timeout_s": 5.0},
        card_reader={"kind": "pcsc", "reader_pattern": "^Virtual PCD 00 00$"},
        printer={"uri": printer.uri, "width_mm": 80},
        scanner={"kind": "serial", "port": str(port), "speed": 9600},
        speech={"engine": "none", "headset": "none"},
    )


def test_a_ready_hall_kiosk(
    pcsc_stack, server: EmbeddedServer, scanner_port: Path, tmp_path: Path
) -> None:
    with StandinPrinter() as printer, inserted(card_profile("demo_a")):
        config = hall(tmp_path, server, printer, scanner_port)
        done = doctor(config, tmp_path, "--json")
        readable = doctor(config, tmp_path)
    checks = by_name(done)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(checks) == [
        "card_reader",
        "receipt_printer",
        "a4_printer",
        "scanner",
        "sound",
        "headset",
        "fonts",
        "platform",
        "clock",
        "outbox_disk",
    ]
    reader = checks["card_reader"]
    assert reader["status"] == "ok"
    assert reader["detail"].startswith("Virtual PCD 00 00: card ATR 3B")
    assert "social security application found" in reader["detail"]
    assert checks["receipt_printer"]["status"] == "ok"
    assert "paper ok" in checks["receipt_printer"]["detail"]
    assert printer.received.status_queries  # DLE EOT went over the wire
    assert checks["a4_printer"]["status"] == "absent"  # no [a4printer] key in this config
    assert checks["scanner"] == {
        "name": "scanner",
        "status": "ok",
        "detail": f"{scanner_port} opens at 9600 baud",
    }
    assert checks["sound"]["status"] == "absent" and checks["headset"]["status"] == "absent"
    assert checks["fonts"]["status"] == "ok"
    assert checks["platform"]["status"] == "ok" and "reachable" in checks["platform"]["detail"]
    assert checks["clock"]["status"] == "ok"
    assert checks["outbox_disk"]["status"] in ("ok", "warning")
    # The readable form: one line per check, and the count.
    assert readable.returncode == 0
    lines = readable.stdout.splitlines()
    assert lines[0] == f"kiosk doctor: {config}"
    assert lines[-1].startswith("0 fault(s)")
    assert any(line.split()[:2] == ["card_reader", "ok"] for line in lines)


def test_faults_are_named_and_exit_1(pcsc_stack, server: EmbeddedServer, tmp_path: Path) -> None:
    """A card that is not a social security card, the paper out, a scanner port that is not
    there, a platform nobody answers at."""
    with StandinPrinter(paper_out=True) as printer, inserted(card_profile("not_ssc")):
        config = write_config(
            tmp_path,
            kiosk={"mode": "deployed"},
            platform={"url": "http://127.0.0.1:9", "timeout_s": 2.0},
            card_reader={"kind": "pcsc", "reader_pattern": "^Virtual PCD 00 00$"},
            printer={"uri": printer.uri},
            scanner={"kind": "serial", "port": str(tmp_path / "no-such-tty")},
            speech={"engine": "none", "headset": "none"},
        )
        done = doctor(config, tmp_path, "--json")
    assert done.returncode == 1
    checks = by_name(done)
    assert checks["card_reader"]["status"] == "fault"
    assert "not a social security card" in checks["card_reader"]["detail"]
    assert checks["receipt_printer"]["status"] == "fault"
    assert checks["receipt_printer"]["detail"].endswith("paper out")
    assert checks["scanner"]["status"] == "fault"
    assert "cannot open" in checks["scanner"]["detail"]
    assert checks["platform"]["status"] == "fault"
    assert "not reachable" in checks["platform"]["detail"]


def test_no_card_is_a_warning_and_no_reader_a_fault(pcsc_stack, tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        card_reader={"kind": "pcsc", "reader_pattern": "^Virtual PCD 00 00$"},
        printer={"uri": ""},
        speech={"engine": "none", "headset": "none"},
    )
    checks = by_name(doctor(config, tmp_path, "--json"))
    assert checks["card_reader"]["status"] == "warning"
    assert checks["receipt_printer"]["status"] == "absent"
    config = write_config(
        tmp_path,
        card_reader={"kind": "pcsc", "reader_pattern": "^ACS ACR39U"},
        speech={"engine": "none", "headset": "none"},
    )
    done = doctor(config, tmp_path, "--json")
    checks = by_name(done)
    assert checks["card_reader"]["status"] == "fault"
    assert "Virtual PCD 00 00" in checks["card_reader"]["detail"]  # what is there instead
    assert done.returncode == 1


# --- TLS -----------------------------------------------------------------------------------


@pytest.fixture
def tls_platform(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if shutil.which("openssl") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must have the openssl command")
        pytest.skip("needs the openssl command")
    self_signed(tmp_path, "platform", "/CN=127.0.0.1", 10, "subjectAltName=IP:127.0.0.1")
    with https_platform(tmp_path, "platform") as url:
        yield url, tmp_path / "platform.pem"


def test_tls_is_verified_and_its_certificate_dated(
    tls_platform: tuple[str, Path], tmp_path: Path
) -> None:
    url, ca = tls_platform
    base = {"card_reader": {"kind": "simulated"}, "speech": {"engine": "none", "headset": "none"}}
    trusted = write_config(tmp_path, platform={"url": url, "ca_file": str(ca)}, **base)
    checks = by_name(doctor(trusted, tmp_path, "--json"))
    platform = checks["platform"]
    # Ten days left: valid, but a warning to renew it.
    assert platform["status"] == "warning", platform
    assert "TLSv1." in platform["detail"] and "certificate verified" in platform["detail"]
    assert "(9 days)" in platform["detail"] or "(10 days)" in platform["detail"]
    assert checks["clock"]["status"] == "ok"

    untrusted = write_config(tmp_path, platform={"url": url}, **base)
    checks = by_name(doctor(untrusted, tmp_path, "--json"))
    assert checks["platform"]["status"] == "fault"
    assert "not trusted" in checks["platform"]["detail"]


def test_a_clock_far_from_the_platforms_is_a_fault(server: EmbeddedServer) -> None:
    import datetime as dt

    from kiosk.config import from_mapping
    from kiosk.doctor.checks import check_platform

    config = from_mapping({"platform": {"url": server.url}})
    right = check_platform(config)
    assert right.clock.status == "ok" and right.reachable.status == "ok"
    ahead = check_platform(config, now=lambda: dt.datetime.now(dt.UTC) + dt.timedelta(minutes=7))
    assert ahead.clock.status == "fault"
    assert ahead.clock.detail.startswith("42") and "ahead of the platform" in ahead.clock.detail
    behind = check_platform(config, now=lambda: dt.datetime.now(dt.UTC) - dt.timedelta(seconds=45))
    assert behind.clock.status == "warning" and "behind the platform" in behind.clock.detail
