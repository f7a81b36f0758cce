"""Where a complaint goes and by when (Art. 16): routing by catalog item and topic, working-day
deadlines on a fixed clock, and the supervisors' counts."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from counter_support import DEMO_B, resident_headers, staff_headers
from live_platform import file_complaint
from sqlalchemy import select

from kiosk.server import complaint_desk, departments
from kiosk.server import models as m
from kiosk.server.console.complaints import inbox_rows
from kiosk.server.departments import LOCAL, WorkingCalendar
from kiosk.server.testing import LivePlatform


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL)  # type: ignore[misc]


def test_ten_working_days_skip_weekends_and_the_day_of_filing() -> None:
    calendar = WorkingCalendar()
    # Filed on a Friday evening: Monday is day 1, the second Friday after is day 10.
    due = calendar.deadline(local(2026, 12, 4, 20, 0), 10)
    assert due.astimezone(LOCAL) == local(2026, 12, 18, 23, 59, 59)
    # Filed on a Saturday: the same deadline.
    assert calendar.deadline(local(2026, 12, 5, 9, 0), 10) == due


def test_holidays_do_not_count_and_worked_weekends_do() -> None:
    new_year = WorkingCalendar(holidays=frozenset({dt.date(2027, 1, 1)}))
    assert new_year.deadline(local(2026, 12, 31, 10, 0), 1).astimezone(LOCAL).date() == dt.date(
        2027, 1, 4
    )
    worked = WorkingCalendar(working_weekends=frozenset({dt.date(2027, 1, 2)}))
    assert worked.deadline(local(2026, 12, 31, 10, 0), 2).astimezone(LOCAL).date() == dt.date(
        2027, 1, 2
    )


def test_the_day_turns_at_midnight_in_zhengzhou_not_in_utc() -> None:
    # 17:00 UTC on Monday is 01:00 on Tuesday in Zhengzhou: Tuesday is the day of filing.
    filed = dt.datetime(2026, 12, 7, 17, 0, tzinfo=dt.UTC)
    assert departments.answer_due(filed).astimezone(LOCAL).date() == dt.date(2026, 12, 22)


def test_an_extension_adds_working_days_to_the_deadline() -> None:
    due = departments.answer_due(local(2026, 12, 4, 20, 0))
    assert departments.extended_due(due).astimezone(LOCAL).date() == dt.date(2027, 1, 1)


@pytest.mark.parametrize(
    ("kind", "topic", "item_department", "department", "about"),
    [
        ("complaint", "card", None, "hrss", ""),
        ("complaint", "kiosk", None, "bigdata", ""),
        ("complaint", "service", "transport", "transport", ""),
        ("suggestion", "service", "culture", "culture", ""),
        # About the conduct of a department's staff: the supervisors answer, not that department.
        ("complaint", "staff", "transport", departments.SUPERVISION, "transport"),
        ("report", "privacy", None, departments.SUPERVISION, "bigdata"),
    ],
)
def test_routing(
    kind: str, topic: str, item_department: str | None, department: str, about: str
) -> None:
    routed = departments.route(kind=kind, topic=topic, item_department=item_department)
    assert (routed.department, routed.about_department) == (department, about)


def test_a_complaint_naming_a_service_goes_to_its_department(live: LivePlatform) -> None:
    catalog = requests.get(f"{live.url}/v1/catalog", timeout=5).json()
    items = {i["id"]: i for c in catalog["categories"] for i in c["items"]}
    assert items["tr-metro"]["department"] == "transport"
    assert all(i["department"] in departments.DEPARTMENTS for i in items.values())
    filed = file_complaint(live, resident_headers(live), category="service", item="tr-metro")
    assert filed["department"] == "transport"
    due = dt.datetime.fromisoformat(str(filed["due"]))
    created = dt.datetime.fromisoformat(str(filed["created"]))
    assert due == departments.answer_due(created)
    # An item the catalog no longer has: the topic routes it, it is not refused.
    stale = file_complaint(live, resident_headers(live), category="kiosk", item="no-such-item")
    assert stale["department"] == "bigdata"


def test_a_complaint_about_staff_at_a_counter_names_who_was_signed_in(
    live: LivePlatform,
) -> None:
    staff_headers(live, "demo-counter")  # the counter is staffed at this kiosk
    filed = file_complaint(live, resident_headers(live, DEMO_B), category="staff")
    assert filed["department"] == departments.SUPERVISION
    with live.db() as db:
        row = db.scalar(
            select(m.Complaint).where(m.Complaint.tracking_number == filed["tracking_number"])
        )
        counter = db.scalar(select(m.Staff).where(m.Staff.username == "demo-counter"))
        assert row is not None and counter is not None
        assert row.about_staff_id == counter.id and row.about_department == "hrss"


def test_overdue_first_then_by_deadline_and_answered_late_counted(live: LivePlatform) -> None:
    now = dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)  # a fixed clock, not the wall's
    with live.db() as db:
        for number, (days_to_due, status, replied_after_due) in enumerate(
            [
                (5, "received", None),
                (-3, "received", None),
                (1, "received", None),
                (-10, "replied", dt.timedelta(days=2)),
                (-10, "replied", -dt.timedelta(days=1)),
            ]
        ):
            due = now + dt.timedelta(days=days_to_due)
            db.add(
                m.Complaint(
                    tracking_number=f"C-TEST-0000-000{number}",
                    resident_id=None,
                    kind="complaint",
                    category="card",
                    subject=f"s{number}",
                    text="t",
                    status=status,
                    reply="r" if status == "replied" else None,
                    replied=due + replied_after_due if replied_after_due else None,
                    created=now - dt.timedelta(days=20),
                    kiosk_id="k",
                    idempotency_key=f"test-{number}",
                    request_hash="h",
                    department="civil",
                    due=due,
                )
            )
        db.commit()
        clerk = m.Staff(
            username="civil-clerk",
            password_hash="x",
            name="c",
            role="department",
            department="civil",
        )
        order = [r.subject for r in inbox_rows(db, clerk, now)]
        assert order[:3] == ["s1", "s2", "s0"]  # overdue, then the nearest deadline
        assert set(order[3:]) == {"s3", "s4"}
        civil = next(c for c in complaint_desk.counts(db, now) if c.department == "civil")
        assert (civil.open, civil.overdue, civil.answered, civil.answered_late) == (3, 1, 2, 1)
