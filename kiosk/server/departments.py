"""Which department answers a complaint, and by when (Art. 16).

Art. 16 gives everyone the right to complain about the one-card service and its staff, and
obliges the department that receives a complaint to handle it promptly and feed the result back.
"Promptly" is made concrete here: a department answers within ANSWER_WORKING_DAYS working days
of the day the complaint arrived, and may ask once for EXTENSION_WORKING_DAYS more, giving its
reason. Days are counted in Zhengzhou's time (UTC+8); a working day is Monday to Friday unless
the calendar names it a holiday, and a weekend day the calendar names a working day counts
(the State Council's adjusted days). The deadline is the end of the last working day.

Routing: a complaint that names a catalog item goes to the item's department; otherwise its
topic decides. A complaint about the conduct of a department or its staff (a report of the
wrongs Art. 18 names, or a complaint about staff) is not given to that department to answer
about itself: it goes to the supervisors (SUPERVISION), and remembers whom it is about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The supervisors' queue: not a department of the catalog, the staff who oversee them all.
SUPERVISION = "supervision"

# code -> (name zh, name en). The departments of the city that run one-card services.
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "hrss": ("市人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    "medical": ("市医疗保障局", "Healthcare Security Bureau"),
    "health": ("市卫生健康委员会", "Health Commission"),
    "civil": ("市民政局", "Civil Affairs Bureau"),
    "transport": ("市交通运输局", "Transport Bureau"),
    "culture": ("市文化广电和旅游局", "Culture and Tourism Bureau"),
    "education": ("市教育局", "Education Bureau"),
    "finance": ("市财政局", "Finance Bureau"),
    "housing": ("市住房保障和房地产管理局", "Housing Bureau"),
    "bigdata": ("市大数据管理局", "Big Data Administration"),
}

# Each category of Art. 7 to the department that runs it; the seed and the migration of an
# older database give every catalog item its category's department.
CATEGORY_DEPARTMENT: dict[int, str] = {
    1: "hrss",
    2: "hrss",
    3: "health",
    4: "civil",
    5: "hrss",
    6: "transport",
    7: "culture",
    8: "education",
    9: "finance",
    10: "finance",
    11: "hrss",
    12: "housing",
    13: "bigdata",
}
# Items run by another department than their category's.
ITEM_DEPARTMENT: dict[str, str] = {
    "ss-medical-query": "medical",
    "med-account-settlement": "medical",
    "med-cross-region": "medical",
    "sub-employment": "hrss",
}

# A complaint's topic (schemas.ComplaintCategory) to the department that answers it when it
# names no catalog item: the card and its service halls are the HRSS bureau's; the kiosks, the
# platform and the personal data it keeps are the Big Data Administration's.
TOPIC_DEPARTMENT: dict[str, str] = {
    "service": "hrss",
    "staff": "hrss",
    "card": "hrss",
    "kiosk": "bigdata",
    "privacy": "bigdata",
    "other": "hrss",
}

ANSWER_WORKING_DAYS = 10
EXTENSION_WORKING_DAYS = 10
LOCAL = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def department_of_item(item_id: str, category: int) -> str:
    return ITEM_DEPARTMENT.get(item_id, CATEGORY_DEPARTMENT.get(category, "bigdata"))


def name(code: str, language: str = "zh_CN") -> str:
    if code == SUPERVISION:
        return "监督组" if language == "zh_CN" else "Supervisors"
    zh, en = DEPARTMENTS.get(code, (code, code))
    return zh if language == "zh_CN" else en


@dataclass(frozen=True, slots=True)
class Route:
    department: str  # who answers
    about_department: str  # whose conduct it is about: that department may not answer it


def route(*, kind: str, topic: str, item_department: str | None) -> Route:
    """Where a new complaint goes (see the module's docstring)."""
    department = item_department or TOPIC_DEPARTMENT.get(topic, "hrss")
    if kind == "report" or topic == "staff":
        return Route(SUPERVISION, department)
    return Route(department, "")


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days: Monday to Friday, less holidays, plus the weekend days worked instead."""

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    working_weekends: frozenset[dt.date] = field(default_factory=frozenset)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        return day.weekday() < 5 or day in self.working_weekends

    def deadline(self, start: dt.datetime, working_days: int) -> dt.datetime:
        """The end (in local time, as an aware moment) of the working_days-th working day after
        the day of start. The day a complaint arrives does not count: it may arrive at night."""
        day = start.astimezone(LOCAL).date()
        counted = 0
        while counted < working_days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        end = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LOCAL)
        return end.astimezone(dt.UTC)


CALENDAR = WorkingCalendar()


def answer_due(filed: dt.datetime, calendar: WorkingCalendar = CALENDAR) -> dt.datetime:
    return calendar.deadline(filed, ANSWER_WORKING_DAYS)


def extended_due(due: dt.datetime, calendar: WorkingCalendar = CALENDAR) -> dt.datetime:
    return calendar.deadline(due, EXTENSION_WORKING_DAYS)
