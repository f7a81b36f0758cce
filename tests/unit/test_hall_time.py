"""The hall's time: the clock, the dates said and printed, and a certificate's issue date follow
`kiosk.timezone` (Asia/Shanghai by default), whatever zone the operating system is set to.

The operating system is put on UTC for these tests (TZ=UTC, time.tzset), as a kiosk left on a
fresh image would be, and the one source of time (UTC now) is fixed at 23:30 UTC, when Beijing
is already on the next day, and at 07:59 UTC, when both are on the same day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.rig import KioskRig
from window_rig import open_window

from kiosk.config import ConfigError, from_mapping
from kiosk.domain import hall_time
from kiosk.domain.a4 import RightsContent, certificate_document, rights_document
from kiosk.domain.receipt import CertificateContent, Columns
from kiosk.flows.certificate import CertificateTask
from kiosk.i18n import Translations

UTC = dt.UTC
LATE_EVENING_UTC = dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 2027-01-01 07:30 in Beijing
MORNING_UTC = dt.datetime(2026, 12, 31, 7, 59, tzinfo=UTC)  # 2026-12-31 15:59 in Beijing


@pytest.fixture
def os_on_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def at(os_on_utc: None) -> Iterator[object]:
    """Sets the kiosk's clock to a fixed UTC instant in a zone; the default clock comes back."""
    previous = hall_time.clock()

    def set_clock(instant: dt.datetime, zone: str = hall_time.DEFAULT_ZONE) -> None:
        hall_time.use(hall_time.HallClock(zone, utc_now=lambda: instant))

    yield set_clock
    hall_time.use(previous)


def certificate_receipt_at(set_clock, instant: dt.datetime, issued: dt.datetime):
    set_clock(instant)
    rig = KioskRig()
    original = rig.platform.issue_certificate

    def issue(token, **kw):
        answer = original(token, **kw)
        return dataclasses.replace(answer, issued=issued)

    rig.platform.issue_certificate = issue  # the platform issues it at this instant
    task = CertificateTask(rig.context())  # the default day: the hall's
    assert task.view().choose("1")  # all insurances
    assert task.view().choose("3")  # this year
    rig.run()
    asked = rig.platform.certificate_asks[-1]
    assert task.view().choose("1")  # print
    rig.run()
    receipt = rig.printer.jobs[0].receipt  # type: ignore[union-attr]
    issued_line = next(b for b in receipt.blocks if isinstance(b, Columns) and b.left == "出具日期")
    return asked, issued_line.right, receipt.footer[0]


def test_at_2330_utc_the_certificate_carries_beijings_new_day(at) -> None:
    # The operating system, on UTC, still says 31 December.
    assert dt.datetime.fromtimestamp(LATE_EVENING_UTC.timestamp()).date() == dt.date(2026, 12, 31)
    asked, issued, footer = certificate_receipt_at(at, LATE_EVENING_UTC, LATE_EVENING_UTC)
    # "This year" is Beijing's year, which has already turned.
    assert asked == (None, ("2027-01", "2027-01"))
    assert issued == "2027-01-01"
    assert footer == "打印时间 2027-01-01 07:30"


def test_at_0759_utc_the_day_is_the_same_in_both(at) -> None:
    asked, issued, footer = certificate_receipt_at(at, MORNING_UTC, MORNING_UTC)
    assert asked == (None, ("2026-01", "2026-12"))
    assert issued == "2026-12-31"
    assert footer == "打印时间 2026-12-31 15:59"


def test_the_a4_sheets_are_dated_in_the_hall_as_the_slip_is(at) -> None:
    """Issued by the platform at 23:30 UTC on 31 December, the A4 certificate and the rights
    statement carry 1 January and the hall's time (the sheet's footer and signature date)."""
    at(LATE_EVENING_UTC)
    url = "http://127.0.0.1:8765/v1/certificates/K7Q2-9XW3-M4PD"
    certificate = certificate_document(
        CertificateContent(
            code="K7Q2-9XW3-M4PD",
            issued=LATE_EVENING_UTC,
            valid_until=dt.date(2027, 4, 1),
            holder_name="王**",
            holder_id_masked="4101**********0027",
            insurances=(),
            verify_url=url,
            kiosk_id="demo-kiosk-01",
        )
    )
    assert dict(certificate.holder)["出具日期"] == "2027-01-01"
    assert f"{certificate.issued:%Y-%m-%d %H:%M}" == "2027-01-01 07:30"
    statement = rights_document(
        RightsContent(
            holder_name="王**",
            holder_id_masked="4101**********0027",
            years=(),
            medical_balance_fen=None,
            medical_lines=(),
            pension_lines=(),
            code="K7Q2-9XW3-M4PD",
            verify_url=url,
            issued=LATE_EVENING_UTC,
            kiosk_id="demo-kiosk-01",
        )
    )
    assert dict(statement.holder)["打印日期"] == "2027-01-01"
    assert f"{statement.issued:%Y-%m-%d %H:%M}" == "2027-01-01 07:30"


def test_another_configured_zone_is_followed(at) -> None:
    at(LATE_EVENING_UTC, "Asia/Urumqi")  # UTC+6
    assert hall_time.now().strftime("%Y-%m-%d %H:%M") == "2027-01-01 05:30"
    at(MORNING_UTC, "America/New_York")
    assert hall_time.today() == dt.date(2026, 12, 31)
    assert hall_time.now().hour == 2


def test_the_screen_clock_shows_the_halls_time(at, qtbot, tmp_path: Path) -> None:
    at(LATE_EVENING_UTC)
    rig = KioskRig(printer=None, outbox=None, today=hall_time.today)
    window = open_window(qtbot, rig.flow, Translations(tmp_path), monotonic=rig.clock)
    assert window.header.clock_label.text() == "07:30"
    at(MORNING_UTC)
    window.refresh()
    assert window.header.clock_label.text() == "15:59"


def test_an_expired_cards_replacement_slip_is_dated_in_the_hall(at) -> None:
    """At 23:30 UTC on 31 December it is already 1 January in the hall: the slip says so."""
    from kiosk.flows.card_problems import _now

    at(LATE_EVENING_UTC)
    assert (_now().date(), _now().utcoffset()) == (dt.date(2027, 1, 1), dt.timedelta(hours=8))


def test_the_zone_is_checked_when_the_config_is_read() -> None:
    assert from_mapping({"kiosk": {"timezone": "Asia/Urumqi"}}).kiosk.timezone == "Asia/Urumqi"
    assert from_mapping({}).kiosk.timezone == "Asia/Shanghai"
    with pytest.raises(ConfigError, match=r"kiosk\.timezone.*Mars/Olympus"):
        from_mapping({"kiosk": {"timezone": "Mars/Olympus"}})
    with pytest.raises(ConfigError, match=r"kiosk\.timezone"):
        from_mapping({"kiosk": {"timezone": "../../etc/passwd"}})


def test_a_platform_moment_is_said_in_the_halls_time(at) -> None:
    from kiosk.flows.task_kit import moment

    at(MORNING_UTC)
    assert moment(LATE_EVENING_UTC, "zh_CN") == "2027-01-01 07:30"
    assert moment(MORNING_UTC, "en") == "2026-12-31 15:59"


def test_the_default_zone_without_a_tz_database_agrees_with_it() -> None:
    from zoneinfo import ZoneInfo

    fast = hall_time.load_zone("Asia/Shanghai")
    database = ZoneInfo("Asia/Shanghai")
    instant = dt.datetime(1995, 1, 1, tzinfo=UTC)
    while instant < dt.datetime(2040, 1, 1, tzinfo=UTC):
        assert instant.astimezone(fast).replace(tzinfo=None) == instant.astimezone(
            database
        ).replace(tzinfo=None)
        instant += dt.timedelta(days=7, hours=5)
