"""No personal data in logs or files (Art. 12, 13): full sessions of three demo residents through
every task, then every file the kiosk and the server wrote is searched for their data.

The whole kiosk runs through its keypad against the real reference server (tests/privacy_rig.py)
with the kiosk's own log file set up as the app does, at DEBUG, and the server at DEBUG with its
standard output and error kept in files. The kiosk's folders are the XDG folders the test suite
points at a temporary home, so sweeping that home sweeps everything the kiosk left: its log, the
outbox, the catalog and translation caches, the speech prompt cache.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from privacy_rig import Kiosk, build, fixed_prompt_files, start_server
from privacy_scan import Datum, demo_residents, report, scan_folder

from kiosk.assembly.hall import setup_logging
from kiosk.assembly.paths import APP_NAME
from kiosk.devices.card.profile import load_demo_profiles
from kiosk.devices.speech.cache import PromptCache
from kiosk.domain.errors import PlatformUnavailable
from kiosk.flows.session import Step
from kiosk.server.demo import demo_ecode

pytestmark = pytest.mark.e2e

CONTACT_PHONE = "13677770001"  # typed by a resident into a complaint
NEW_PIN = "975310"  # demo_a's card gets a new PIN
# The third resident signs in with the e-code (Art. 2), as one whose card is lost would.
ECODE_CARD = "D00000005"


@pytest.fixture
def home() -> Path:
    """The temporary home tests/conftest.py points the XDG folders at."""
    return Path(os.environ["XDG_CACHE_HOME"]).parent


@pytest.fixture
def kiosk_log(home: Path) -> Iterator[Path]:
    from platformdirs import user_log_path

    folder = user_log_path(APP_NAME)
    assert home in folder.parents
    root = logging.getLogger()
    level = root.level
    setup_logging(folder)
    root.setLevel(logging.DEBUG)  # everything any module would ever write
    yield folder
    for handler in [h for h in root.handlers if getattr(h, "_kiosk", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_three_residents_through_every_task_leave_no_personal_data_in_any_file(
    qtbot, home: Path, kiosk_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server's working copy of its database goes into the swept home too, to be found and
    # excluded by name rather than missed.
    monkeypatch.setenv("TMPDIR", str(home / "tmp"))
    (home / "tmp").mkdir()
    server = start_server(home / "server-logs")
    try:
        kiosk, close = build(qtbot, server)
        try:
            platform_db = next((home / "cache").glob("onecard-kiosk/demo-platform/demo-*.sqlite3"))
            data = residents_data(platform_db)
            by_ecode = [d for d in data if d.owner == "e-code resident" and d.kind == "ssn"]
            everything_three_residents_do(kiosk, by_ecode[0].value)
            allowed = {
                # The platform's own database (and its working copy): the one place the
                # residents' data belongs. Nothing else in the home may hold any.
                platform_db.parent: "the platform's demo database",
                home / "tmp": "the platform's working copy of its database",
            }
            # While the kiosk still runs: what a power cut would leave on its disk.
            running = scan_folder(home, data, allowed)
        finally:
            close()
    finally:
        server.stop()

    assert (kiosk_log / "kiosk.log").stat().st_size > 0
    assert (home / "server-logs" / "server-stderr.log").stat().st_size > 0
    assert (home / "data" / APP_NAME / "outbox.sqlite3").exists()
    # The simulated printer keeps its paper in memory (it is the paper handed to the resident)
    # and writes a file only when asked to; none was, so no receipt image is allowed here.
    cache = PromptCache(kiosk.engine, kiosk.speech_cache)
    fixed = fixed_prompt_files(cache, kiosk.translations)
    dynamic = [p for p in kiosk.speech_cache.iterdir() if p.name not in fixed]
    assert not dynamic, f"{len(dynamic)} spoken prompt(s) with personal values were cached"
    findings = [f"while running: {f}" for f in running]
    findings += [f"after closing: {f}" for f in scan_folder(home, data, allowed)]
    if findings:
        pytest.fail(report(findings), pytrace=False)


def everything_three_residents_do(kiosk: Kiosk, id_number: str) -> None:
    # demo_a: the elderly resident with card and PIN: records with a certificate printed, the
    # catalog, the card's life, a complaint with a phone number; finishes, takes the card.
    kiosk.sign_in_with_card("demo_a")
    kiosk.visit_records()
    kiosk.open_catalog()
    kiosk.visit_card_life()
    kiosk.change_pin(kiosk.profiles["demo_a"].pin, NEW_PIN)
    kiosk.file_complaint(CONTACT_PHONE)
    kiosk.choose_label("home.choice.finish")
    kiosk.reader.remove()
    kiosk.wait_for(Step.ATTRACT)
    # demo_b: a version 3 card; the platform names the holder. Search, records, the card's
    # life with a loss reported and lifted; pulls the card mid-task.
    kiosk.sign_in_with_card("demo_b")
    kiosk.search_services()
    kiosk.visit_records()
    kiosk.report_loss_and_lift()
    kiosk.reissue_after_formal_loss()
    kiosk.choose_label("home.choice.records")
    kiosk.reader.remove()
    kiosk.wait_for(Step.ATTRACT)
    # A resident without the card, by e-code: records, a complaint; walks away (timeout).
    kiosk.sign_in_with_ecode(demo_ecode(ECODE_CARD))
    kiosk.visit_records()
    kiosk.file_complaint(CONTACT_PHONE)
    kiosk.clock.now += kiosk.flow.timeout_s + 1
    kiosk.flow.tick()
    kiosk.settle()
    assert kiosk.flow.session is None
    # The same resident reports the card lost without it: the ID number typed on the keypad
    # and the code the platform texts to the phone on record (Art. 2).
    kiosk.report_lost_without_card(id_number)
    kiosk.qtbot.waitUntil(lambda: kiosk.outbox.pending_count() == 0, timeout=20_000)


def residents_data(platform_db: Path) -> list[Datum]:
    profiles = load_demo_profiles()
    cards = {key: profiles[key].card.number for key in ("demo_a", "demo_b")}
    found = demo_residents(platform_db, {**cards, "e-code resident": ECODE_CARD})
    data = [d for per_resident in found.values() for d in per_resident]
    data += [Datum(key, "pin", profiles[key].pin) for key in cards]
    data.append(Datum("demo_a", "new pin", NEW_PIN))
    data.append(Datum("a resident", "contact phone", CONTACT_PHONE))
    return data


def test_the_scan_finds_each_kind_of_datum_in_each_form(tmp_path: Path) -> None:
    """The sweep can fail: a datum planted in a file, in any form a program might write it, is
    found and reported by file and kind, without the datum in the report."""
    data = [
        Datum("r1", "name", "王秀英"),
        Datum("r1", "ssn", "41010219520312002X"),
        Datum("r1", "pin", "123456"),
    ]
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "app.log").write_text("2026 INFO opened for 王秀英\n", encoding="utf-8")
    (tmp_path / "old.log").write_bytes("王秀英".encode("gbk"))
    (tmp_path / "state.json").write_text('{"n": "\\u738b\\u79c0\\u82f1"}', encoding="ascii")
    (tmp_path / "outbox.db").write_bytes(b"\x00\x01ssn=41010219520312002x\x00")
    (tmp_path / "clean.txt").write_text("王** 4101**********002X", encoding="utf-8")
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "platform.db").write_bytes(b"123456")

    findings = scan_folder(tmp_path, data, {tmp_path / "keep": "the platform's database"})
    found = {(f.where, f.kind, f.form) for f in findings}
    assert found == {
        (os.path.join("logs", "app.log"), "name", "utf-8"),
        ("old.log", "name", "gbk"),
        ("state.json", "name", "json escape"),
        ("outbox.db", "ssn", "utf-8"),
    }
    text = report(findings)
    assert "old.log" in text and "r1's name" in text
    assert not any(d.value in text or d.value.lower() in text for d in data)
    assert not any(d.value in repr(findings) for d in data)


class _Platform:
    """Answers the outbox's submissions: takes them, or is away."""

    kiosk_id = "K-TEST"

    def __init__(self, away: bool) -> None:
        self.away = away

    def submit(self, kind: str, body: object, **_: object) -> None:
        if self.away:
            raise PlatformUnavailable("away")


@pytest.mark.parametrize("away", [False, True])
def test_the_outbox_keeps_a_submission_on_disk_only_until_the_platform_has_it(
    tmp_path: Path, away: bool
) -> None:
    """Art. 16 keeps a submission on disk while the platform is away; once it has it, the
    complaint's words and phone leave the disk at once, the write-ahead log included."""
    from kiosk.backend.outbox import Outbox

    phone = Datum("r1", "contact phone", "13955550123")
    outbox = Outbox(tmp_path / "outbox.sqlite3", _Platform(away))  # type: ignore[arg-type]
    try:
        receipt = outbox.submit("complaint", {"phone": phone.value, "text": "有人泄露"})
        assert receipt.delivered is not away
        found = scan_folder(tmp_path, [phone])
    finally:
        outbox.close()
    assert bool(found) is away, report(found)
