"""Demo data: fictional residents, their cards and ten-plus years of records. DEMO DATA ONLY.

Everything here is made up and deterministic from a seed, so two runs with the same seed and
the same as-of month give the same database. Every resident row carries demo=True, and the
meta table records the seed, so demo data can never pass for real data.

The residents cover the kinds of card holder Art. 6 serves (registered in Zhengzhou or not but
insured here), every card status, and cards with and without the financial account of Art. 19.
The two demo card profiles under kiosk/assets/demo_cards/ are always among them, with the same
card identifier, number, name and ID number, so that the demo card opens a session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from kiosk.domain.demo_ecode import demo_ecode, demo_ecode_digits
from kiosk.server import models as m
from kiosk.server.catalog_data import CATEGORIES, ITEMS
from kiosk.server.departments import answer_due, department_of_item, route
from kiosk.server.security import hash_password, hash_secret

# Bump when the demo data or the schema changes, so cached demo databases are rebuilt.
DEMO_VERSION = 7
DEFAULT_SEED = 2024
DEMO_CARDS = Path(__file__).resolve().parents[1] / "assets" / "demo_cards"
CST = dt.timezone(dt.timedelta(hours=8))

INSURANCES = ("pension", "medical", "unemployment", "work_injury", "maternity")
# (personal, employer) shares of the contribution base, in per mille: plausible, not official.
RATES: dict[str, tuple[int, int]] = {
    "pension": (80, 160),
    "medical": (20, 80),
    "unemployment": (3, 7),
    "work_injury": (0, 4),
    "maternity": (0, 5),
}
EMPLOYERS = (
    "郑州示例机械有限公司（演示）",
    "郑东新区示例科技有限公司（演示）",
    "示例物流集团郑州分公司（演示）",
    "郑州市示例中学（演示）",
    "示例商贸有限公司（演示）",
)
PLACES: dict[str, tuple[str, ...]] = {
    "bus": ("公交 B2 路", "公交 26 路", "公交 906 路", "公交 K1 路"),
    "metro": ("地铁 1 号线 紫荆山站", "地铁 2 号线 关虎屯站", "地铁 5 号线 郑州东站"),
    "library": ("郑州图书馆", "金水区图书馆"),
    "museum": ("河南博物院", "郑州博物馆"),
    "hospital": ("郑州市第一人民医院（演示）", "金水区社区卫生服务中心（演示）"),
}
FARES_FEN = {"bus": 100, "metro": 300, "library": 0, "museum": 0, "hospital": 0}


@dataclass(frozen=True)
class Person:
    name: str
    sex: str
    birth: dt.date
    local: bool  # Art. 6: registered in Zhengzhou, or insured here from elsewhere
    employment: str
    status: str
    financial: bool
    region: str  # six digits of the ID number: where the hukou is
    card_identifier: str = ""
    card_number: str = ""
    ssn: str = ""
    card_issued: dt.date | None = None
    card_expires: dt.date | None = None


# Fictional people; any likeness to a real person is by chance.
# name, sex, birth, local, employment, card status, financial account, hukou region
_PEOPLE: tuple[tuple[str, str, str, bool, str, str, bool, str], ...] = (
    ("张建国", "1", "1949-10-01", True, "retired", "normal", True, "410103"),
    ("刘桂兰", "2", "1944-05-20", True, "retired", "normal", False, "410104"),
    ("陈志强", "1", "1958-11-03", True, "retired", "temporarily_lost", True, "410105"),
    ("杨淑珍", "2", "1960-02-14", True, "retired", "normal", True, "410122"),
    ("赵磊", "1", "1979-08-09", True, "working", "normal", True, "410102"),
    ("黄丽", "2", "1983-12-25", False, "working", "normal", True, "411302"),
    ("周伟", "1", "1986-03-17", False, "working", "lost", False, "410402"),
    ("吴敏", "2", "1990-06-30", True, "working", "normal", False, "410181"),
    ("徐浩", "1", "1992-01-11", False, "working", "normal", True, "340102"),
    ("孙婷", "2", "1995-09-05", True, "working", "temporarily_lost", False, "410183"),
    ("马超", "1", "1975-04-22", True, "working", "cancelled", False, "410108"),
    ("朱红梅", "2", "1972-07-07", True, "unemployed", "normal", True, "410106"),
    ("胡晓东", "1", "1988-10-10", False, "working", "normal", True, "420102"),
    ("郭佳", "2", "2003-05-18", True, "student", "normal", False, "410102"),
    ("何宇航", "1", "2006-12-01", True, "student", "normal", False, "410105"),
    ("高秀兰", "2", "1938-01-28", True, "retired", "normal", True, "410182"),
    ("林峰", "1", "1981-02-02", False, "working", "expired", True, "350102"),
    ("罗静", "2", "1985-11-19", True, "working", "normal", True, "410184"),
    ("梁文博", "1", "1968-09-09", True, "working", "normal", False, "410185"),
    ("宋雅琴", "2", "1966-03-08", False, "retired", "lost", True, "410303"),
    ("谢国平", "1", "1955-06-16", True, "retired", "cancelled", False, "410102"),
    ("韩雪", "2", "1998-04-04", False, "working", "normal", True, "230102"),
)


def ssn_check_digit(first17: str) -> str:
    """GB 11643's ISO 7064 MOD 11-2 check character."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def _load_demo_cards() -> list[Person]:
    people = []
    for path in sorted(DEMO_CARDS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        card, holder = data["card"], data["holder"]
        birth = holder["birth_date"]
        age = 2024 - birth.year
        people.append(
            Person(
                name=holder["name"],
                sex=str(holder["sex"]),
                birth=birth,
                local=str(holder["ssn"]).startswith("4101"),
                # demo_a is the elderly retired holder, demo_b the working one
                employment="retired" if age >= 60 else "working",
                status="normal",
                financial=age >= 60 or path.stem.endswith("_a"),
                region=str(holder["birthplace"]),
                card_identifier=str(card["identifier"]).upper(),
                card_number=str(card["number"]),
                ssn=str(holder["ssn"]).upper(),
                card_issued=card.get("issued"),
                card_expires=card.get("expires"),
            )
        )
    return people


def people(seed: int) -> list[Person]:
    rng = random.Random(seed)
    result = _load_demo_cards()
    taken = {p.card_number for p in result}
    for index, (name, sex, birth, local, job, status, fin, region) in enumerate(_PEOPLE):
        born = dt.date.fromisoformat(birth)
        seq = f"{rng.randrange(0, 50) * 2 + (1 if sex == '1' else 0):03d}"
        first17 = f"{region}{born:%Y%m%d}{seq}"
        number = f"D{index + 1:08d}"
        while number in taken:  # pragma: no cover - the demo cards use other prefixes
            number = f"E{rng.randrange(10**8):08d}"
        taken.add(number)
        issued = dt.date(rng.randrange(2015, 2024), rng.randrange(1, 13), rng.randrange(1, 28))
        expires = issued.replace(year=issued.year + 10)
        if status == "expired":
            issued, expires = dt.date(2012, 5, 10), dt.date(2022, 5, 10)
        result.append(
            Person(
                name=name,
                sex=sex,
                birth=born,
                local=local,
                employment=job,
                status=status,
                financial=fin,
                region=region,
                card_identifier=f"410100D15600000{index + 1:02d}{rng.getrandbits(60):015X}",
                card_number=number,
                ssn=first17 + ssn_check_digit(first17),
                card_issued=issued,
                card_expires=expires,
            )
        )
    return result


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime(
        day.year, day.month, day.day, rng.randrange(7, 20), rng.randrange(60), tzinfo=CST
    )


def default_as_of(today: dt.date | None = None) -> dt.date:
    """The last day of the month before this one: demo records run up to there."""
    today = today or dt.date.today()
    return today.replace(day=1) - dt.timedelta(days=1)


def seed(session: Session, *, seed: int = DEFAULT_SEED, as_of: dt.date | None = None) -> None:
    """Fill an empty database with the catalog, demo residents, their records and demo staff."""
    as_of = as_of or default_as_of()
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    seed_catalog(session)
    rows: dict[type[m.Base], list[dict[str, Any]]] = {
        m.Resident: [],
        m.Card: [],
        m.ECode: [],
        m.Contribution: [],
        m.MedicalTransaction: [],
        m.PensionPayment: [],
        m.Subsidy: [],
        m.CardUse: [],
    }
    for rid, person in enumerate(people(seed), start=1):
        rows[m.Resident].append(
            {
                "id": rid,
                "ssn": person.ssn,
                "name": person.name,
                "sex": person.sex,
                "birth_date": person.birth,
                "registered_locally": person.local,
                "employment": person.employment,
                "phone": f"1390371{rng.randrange(10**4):04d}",
                "demo": True,
            }
        )
        rows[m.Card].append(
            {
                "id": rid,
                "resident_id": rid,
                "identifier": person.card_identifier,
                "number": person.card_number,
                "status": person.status,
                "financial_account_active": person.financial,
                "issued": person.card_issued or dt.date(2019, 1, 1),
                "expires": person.card_expires or dt.date(2029, 1, 1),
                "status_changed": now,
            }
        )
        rows[m.ECode].append(
            {"code_hash": hash_secret(demo_ecode(person.card_number)), "resident_id": rid}
        )
        rows[m.ECode].append(
            {"code_hash": hash_secret(demo_ecode_digits(person.card_number)), "resident_id": rid}
        )
        _records(rid, person, as_of, random.Random(f"{seed}:{rid}"), rows)
    session.flush()
    # Dict order is insertion order: residents first, then what refers to them.
    for model, batch in rows.items():
        if batch:
            session.execute(insert(model), batch)
    _demo_complaints(session, now)
    for username, name, role, department in (
        ("demo-counter", "演示柜员", "counter", ""),
        ("demo-supervisor", "演示主管", "supervisor", ""),
        ("demo-auditor", "演示审计员", "auditor", ""),
        # The staff console's department clerk (the HRSS bureau answers the card's complaints)
        # and its operator (the fleet, the catalog and the accounts).
        ("demo-department", "演示部门办事员", "department", "hrss"),
        ("demo-operator", "演示运维员", "operator", ""),
    ):
        session.add(
            m.Staff(
                username=username,
                password_hash=hash_password(f"{username}-pass"),
                name=name,
                role=role,
                department=department,
                demo=True,
            )
        )
    session.flush()
    operator = session.scalar(select(m.Staff).where(m.Staff.username == "demo-operator"))
    assert operator is not None
    # A notice in force, so the kiosk's idle loop has one to show (Art. 15).
    session.add(
        m.Notice(
            title_zh="演示公告：春节期间服务时间",
            title_en="Demo notice: Spring Festival hours",
            body_zh="各服务大厅正月初一至初三休息，自助服务终端照常使用。",
            body_en="Service halls close on the first three days of the New Year; kiosks serve as "
            "usual.",
            starts=as_of - dt.timedelta(days=30),
            ends=as_of + dt.timedelta(days=400),
            made=now,
            staff_id=operator.id,
            withdrawn=False,
        )
    )
    if session.get_bind().dialect.name == "postgresql":
        # The rows above carry their ids; move the sequences past them for what comes later.
        for table in ("residents", "cards"):
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT MAX(id) FROM {table}))"
                )
            )
    session.add(m.Meta(key="demo_seed", value=str(seed)))
    session.add(m.Meta(key="demo_as_of", value=as_of.isoformat()))
    session.add(m.Meta(key="demo_version", value=str(DEMO_VERSION)))


def _demo_complaints(session: Session, now: dt.datetime) -> None:
    """Two earlier complaints, so the status and reply screens have something to show."""
    from kiosk.api_contract import tracking_number

    earlier = (
        (
            1,
            "complaint",
            "service",
            "窗口排队时间过长",
            "上午在金水区服务大厅等候超过一小时。",
            "replied",
            "已调整窗口排班，高峰时段增开两个窗口。感谢您的反馈。（演示数据）",
            12,
        ),
        (
            2,
            "suggestion",
            "kiosk",
            "希望自助机字体更大",
            "老年人看不清屏幕上的小字。",
            "in_progress",
            None,
            12,
        ),
        # Unanswered past its deadline: the department's inbox shows it first.
        (
            2,
            "complaint",
            "card",
            "补卡进度查询不到",
            "两周前申请补卡，自助机上一直显示已提交。（演示数据）",
            "received",
            None,
            20,
        ),
    )
    for resident_id, kind, category, subject, body, status, reply, days_ago in earlier:
        suffix = "overdue" if status == "received" else "seeded"
        key = f"demo-complaint-{resident_id:04d}-{suffix}"
        routed = route(kind=kind, topic=category, item_department=None)
        created = now - dt.timedelta(days=days_ago)
        session.add(
            m.Complaint(
                tracking_number=tracking_number("C", "demo-seed", key),
                resident_id=resident_id,
                kind=kind,
                category=category,
                subject=subject,
                text=body,
                contact=None,
                status=status,
                reply=reply,
                replied=now if reply else None,
                created=created,
                department=routed.department,
                about_department=routed.about_department,
                due=answer_due(created),
                kiosk_id="demo-seed",
                idempotency_key=key,
                request_hash="seeded",
            )
        )


def seed_catalog(session: Session) -> None:
    for number, (zh, en) in CATEGORIES.items():
        session.add(m.CatalogCategory(number=number, name_zh=zh, name_en=en))
    session.flush()
    for number, items in ITEMS.items():
        for position, (item_id, name, where, how, financial) in enumerate(items):
            session.add(
                m.CatalogItem(
                    id=item_id,
                    category=number,
                    position=position,
                    name_zh=name[0],
                    name_en=name[1],
                    where_zh=where[0],
                    where_en=where[1],
                    how_zh=how[0],
                    how_en=how[1],
                    needs_financial_account=financial,
                    department=department_of_item(item_id, number),
                )
            )


def _records(
    rid: int,
    person: Person,
    as_of: dt.date,
    rng: random.Random,
    rows: dict[type[m.Base], list[dict[str, Any]]],
) -> None:
    retire_age = 60 if person.sex == "1" else 55
    retired_on = person.birth.replace(year=person.birth.year + retire_age)
    if person.employment in ("working", "unemployed", "retired"):
        # Twelve years of monthly contributions, ending at retirement or the as-of month.
        end = min(as_of, retired_on) if person.employment == "retired" else as_of
        if person.employment == "unemployed":
            end = as_of - dt.timedelta(days=rng.randrange(90, 400))
        start = max(
            dt.date(end.year - 12, end.month, 1),
            person.birth.replace(year=person.birth.year + 22, day=1),
        )
        base = rng.randrange(3500, 9000) * 100
        employer = rng.choice(EMPLOYERS)
        gap_start = rng.randrange(0, 120)
        gap_len = rng.choice((0, 2, 3, 5))
        for i, month in enumerate(_months(start, end)):
            if i and month.month == 7:
                base = base * rng.randrange(102, 108) // 100  # the yearly base adjustment
            paid = not (gap_start <= i < gap_start + gap_len)
            for insurance in INSURANCES:
                personal, company = RATES[insurance]
                rows[m.Contribution].append(
                    {
                        "resident_id": rid,
                        "insurance": insurance,
                        "month": f"{month:%Y-%m}",
                        "base_fen": base,
                        "personal_fen": base * personal // 1000,
                        "employer_fen": base * company // 1000,
                        "paid": paid,
                        "employer": employer,
                    }
                )
    if person.employment == "retired":
        amount = rng.randrange(1800, 4200) * 100
        for month in _months(max(retired_on, dt.date(as_of.year - 10, 1, 1)), as_of):
            if month.month == 1 and month.year > retired_on.year:
                amount = amount * 105 // 100  # the yearly pension increase
            rows[m.PensionPayment].append(
                {"resident_id": rid, "month": f"{month:%Y-%m}", "amount_fen": amount}
            )
    # Two years of medical account movements: a monthly credit, and spending now and then.
    balance = rng.randrange(200, 3000) * 100
    credit = rng.randrange(60, 260) * 100
    for month in _months(dt.date(as_of.year - 2, as_of.month, 1), as_of):
        balance += credit
        rows[m.MedicalTransaction].append(
            {
                "resident_id": rid,
                "at": dt.datetime(month.year, month.month, 5, 9, 0, tzinfo=CST),
                "kind": "credit",
                "amount_fen": credit,
                "balance_fen": balance,
                "place": "医保个人账户划入",
            }
        )
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            kind = rng.choice(("outpatient", "pharmacy", "pharmacy", "inpatient"))
            spend = min(balance, rng.randrange(15, 900 if kind != "inpatient" else 3000) * 100)
            balance -= spend
            day = month.replace(day=rng.randrange(6, 28))
            rows[m.MedicalTransaction].append(
                {
                    "resident_id": rid,
                    "at": _at(day, rng),
                    "kind": kind,
                    "amount_fen": -spend,
                    "balance_fen": balance,
                    "place": rng.choice(PLACES["hospital"] + ("大药房金水店（演示）",)),
                }
            )
    # Subsidies paid to the card (Art. 7 item 4).
    age = as_of.year - person.birth.year
    programs: list[tuple[str, str, str, int]] = []
    if age >= 80:
        programs.append(("高龄津贴", "Old-age allowance", "民政局", 10000))
    if age >= 65:
        programs.append(("老年助餐补贴", "Elderly meal subsidy", "民政局", 3000))
    if person.employment == "unemployed":
        programs.append(("失业人员就业补贴", "Re-employment subsidy", "人社局", 50000))
    if person.region in ("410181", "410182", "410183", "410184", "410185", "410122"):
        programs.append(("耕地地力保护补贴", "Farmland protection subsidy", "农业农村局", 12000))
    if person.employment == "student":
        programs.append(("国家助学金", "National student grant", "教育局", 150000))
    for zh, en, dept, amount in programs:
        for year in range(as_of.year - 2, as_of.year + 1):
            paid_on = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 28))
            if paid_on <= as_of:
                rows[m.Subsidy].append(
                    {
                        "resident_id": rid,
                        "paid_on": paid_on,
                        "program_zh": zh,
                        "program_en": en,
                        "department": f"郑州市{dept}",
                        "amount_fen": amount,
                    }
                )
    # Six months of card use: rides, visits, hospital registrations (Art. 7 items 3, 6, 7).
    for _ in range(rng.randrange(20, 60)):
        kind = rng.choice(("bus", "bus", "metro", "metro", "library", "museum", "hospital"))
        day = as_of - dt.timedelta(days=rng.randrange(0, 182))
        fare = FARES_FEN[kind] if not (kind in ("bus", "metro") and age >= 65) else 0
        rows[m.CardUse].append(
            {
                "resident_id": rid,
                "at": _at(day, rng),
                "kind": kind,
                "place": rng.choice(PLACES[kind]),
                "amount_fen": fare,
            }
        )


def content_hash(seed_value: int, as_of: dt.date) -> str:
    """Names a cached demo database: changes with the seed, the month, the demo version and the
    newest migration, so a schema change rebuilds the template rather than migrating a copy of
    the old one at every start."""
    migrations = Path(__file__).resolve().parent / "migrations" / "versions"
    newest = max((p.stem for p in migrations.glob("[0-9]*.py")), default="")
    text = f"{DEMO_VERSION}:{newest}:{seed_value}:{as_of.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]
