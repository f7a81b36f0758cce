"""What the stand-ins answer: a small fixed set the tests assert on, and the audit's demo set of
realistic length (the demo card A holder, the reference platform's published catalog)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from kiosk.domain import card_requests as cards
from kiosk.domain import records as r
from kiosk.domain.card import CardInfo, CardSnapshot, CardStatus, CardVersion, Holder
from kiosk.domain.catalog import Catalog, CatalogCategory, LocalText, Notice, ServiceItem
from kiosk.domain.complaints import ComplaintView
from kiosk.domain.session import ResidentSession

UTC = dt.UTC
TODAY = dt.date(2026, 11, 27)

SNAPSHOT = CardSnapshot(
    reader="Test Reader 00",
    atr="3B00",
    card=CardInfo(
        identifier="410100D156000005A0000000000000A1",
        type="3",
        version=CardVersion.V2,
        issuer="410100000000000000000001",
        issued=dt.date(2019, 4, 18),
        expires=dt.date(2029, 4, 18),
        number="A00000011",
    ),
    holder=Holder(
        ssn="410102195203120027",
        name="王秀英",
        sex="2",
        ethnicity="01",
        birthplace="410102",
        birth_date=dt.date(1952, 3, 12),
    ),
)
SESSION = ResidentSession(
    token="t-1",
    name="王秀英",
    card_status=CardStatus.NORMAL,
    financial_account_active=True,
    expires_in_s=600,
)


@dataclass
class PlatformData:
    """Every record the platform stand-in hands out; a test may replace any of them."""

    contributions: r.Contributions
    medical: r.MedicalAccount
    pensions: tuple[r.PensionPayment, ...]
    subsidies: tuple[r.SubsidyPayment, ...]
    card_uses: tuple[r.CardUse, ...]
    certificate: r.Certificate
    loss_code: cards.LossCodeSent
    loss_reported: cards.LossReported
    complaints: tuple[ComplaintView, ...]


# --- the tests' set ---------------------------------------------------------------------------


def make_catalog() -> Catalog:
    item = ServiceItem(
        id="bus",
        category=6,
        name=LocalText("乘坐公交车", "City buses"),
        where=LocalText("全市公交线路", "All city bus lines"),
        how=LocalText("上车刷卡", "Tap the card when boarding"),
        needs_financial_account=False,
    )
    categories = tuple(
        CatalogCategory(n, LocalText(f"类别{n}", f"Category {n}"), (item,) if n == 6 else ())
        for n in range(1, 14)
    )
    return Catalog(categories, dt.datetime(2026, 11, 1, tzinfo=UTC))


def contributions() -> r.Contributions:
    months = []
    for year in (2024, 2025):
        for number in range(1, 13):
            paid = not (year == 2024 and number in (3, 4))
            months.append(
                r.ContributionMonth(
                    f"{year}-{number:02d}", "pension", 500000, 40000 if paid else 0, 0, paid, "X"
                )
            )
    summary = (
        r.InsuranceSummary("pension", 22, 2, "2024-01", "2025-12", 22 * 40000),
        r.InsuranceSummary("maternity", 0, 0, None, None, 0),
    )
    return r.Contributions(summary, tuple(reversed(months)))


def medical() -> r.MedicalAccount:
    at = dt.datetime(2026, 10, 3, 9, 30, tzinfo=UTC)
    rows = [("outpatient", -2350), ("credit", 15000), ("pharmacy", -880), ("inpatient", -9000)]
    return r.MedicalAccount(
        123456,
        tuple(
            r.MedicalTransaction(
                at - dt.timedelta(days=i), kind, amount, 123456, "郑州市第一人民医院"
            )
            for i, (kind, amount) in enumerate(rows)
        ),
    )


def card_view(
    status: CardStatus = CardStatus.NORMAL, requests: tuple[cards.CardRequest, ...] = ()
) -> cards.CardView:
    return cards.CardView(
        "A0000****", status, True, dt.date(2019, 4, 18), dt.date(2029, 4, 18), requests
    )


def reissue_request() -> cards.CardRequest:
    created = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    steps = (
        cards.ProgressStep("submitted", True, created),
        cards.ProgressStep("reviewed", True, created + dt.timedelta(minutes=10)),
        cards.ProgressStep("in_production", False, created + dt.timedelta(days=1)),
    )
    return cards.CardRequest(
        "R-AAAA-BBBB-CCCC", "reissue", "in_progress", created, CardStatus.LOST, steps
    )


def _loss_reported(tracking: str, at: dt.datetime, name: str, number: str) -> cards.LossReported:
    request = cards.CardRequest(
        tracking, "loss_report", "completed", at, CardStatus.TEMPORARILY_LOST, ()
    )
    return cards.LossReported(request, name, number)


def test_data() -> PlatformData:
    at = dt.datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    created = dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    pensions = tuple(r.PensionPayment(f"2025-{m:02d}", 312000) for m in range(12, 0, -1))
    pensions += tuple(r.PensionPayment(f"2024-{m:02d}", 300000) for m in range(12, 0, -1))
    return PlatformData(
        contributions=contributions(),
        medical=medical(),
        pensions=pensions,
        subsidies=(
            r.SubsidyPayment(
                dt.date(2026, 9, 1), LocalText("高龄津贴", "Old-age allowance"), "民政局", 10000
            ),
        ),
        card_uses=(
            r.CardUse(at, "metro", "紫荆山站", 200),
            r.CardUse(at, "library", "郑州图书馆", 0),
            r.CardUse(at, "bus", "B1路", 100),
            r.CardUse(at, "museum", "河南博物院", 0),
        ),
        certificate=r.Certificate(
            code="7K3M-Q9XT-2B4N",
            kind="insured_status",
            issued=dt.datetime(2026, 11, 27, 10, 0, tzinfo=UTC),
            valid_until=dt.date(2027, 2, 25),
            holder_name="王秀英",
            holder_id_masked="4101**********0027",
            insurances=(
                r.CertificateInsurance("pension", "insured", "2014-01", "2026-10", 150),
                r.CertificateInsurance("medical", "insured", "2014-01", "2026-10", 150),
                r.CertificateInsurance("unemployment", "interrupted", "2014-01", "2020-12", 84),
                r.CertificateInsurance("work_injury", "never", None, None, 0),
            ),
            demo=True,
        ),
        loss_code=cards.LossCodeSent("a" * 32, 300, 6),
        loss_reported=_loss_reported(
            "R-LOSS-0000-0001", dt.datetime(2026, 11, 27, 10, 0, tzinfo=UTC), "李*", "B0*****22"
        ),
        complaints=(
            ComplaintView(
                "C-AAAA-BBBB-CCCC",
                "complaint",
                "service",
                "排队",
                "replied",
                created,
                "已增加窗口",
                created,
            ),
            ComplaintView(
                "C-DDDD-EEEE-FFFF", "suggestion", "kiosk", "字大", "received", created, None, None
            ),
        ),
    )


# --- the audit's demo set ---------------------------------------------------------------------


def demo_snapshot(key: str = "demo_a", reader: str = "Audit reader") -> CardSnapshot:
    """A demo card as the reader reads it (kiosk/devices/card: demo_a, demo_b)."""
    from kiosk.devices.card.profile import load_demo_profiles

    profile = load_demo_profiles()[key]
    return CardSnapshot(reader, profile.atr, profile.card, profile.holder)


def demo_pin(key: str = "demo_a") -> str:
    from kiosk.devices.card.profile import load_demo_profiles

    return load_demo_profiles()[key].pin


# A notice in force whatever the day the audit runs: the idle loop's first slide.
DEMO_NOTICE = Notice(
    id=1,
    title=LocalText("春节期间服务时间", "Service hours over the Spring Festival"),
    body=LocalText(
        "各服务大厅正月初一至初三休息，自助服务终端照常使用。",
        "Service halls close on the first three days of the New Year; kiosks serve as usual.",
    ),
    starts=dt.date(2024, 1, 1),
    ends=dt.date(2099, 12, 31),
)


def demo_catalog() -> Catalog:
    """The reference platform's published catalog, with the demo notice."""
    from kiosk.server import catalog_data  # plain data: no server is started

    published = dt.datetime.fromisoformat(catalog_data.PUBLISHED)
    categories = []
    for number, (zh, en) in sorted(catalog_data.CATEGORIES.items()):
        items = tuple(
            ServiceItem(
                id=row[0],
                category=number,
                name=LocalText(*row[1]),
                where=LocalText(*row[2]),
                how=LocalText(*row[3]),
                needs_financial_account=row[4],
            )
            for row in catalog_data.ITEMS.get(number, ())
        )
        categories.append(CatalogCategory(number, LocalText(zh, en), items))
    return Catalog(tuple(categories), published, notices=(DEMO_NOTICE,))


def _demo_contributions() -> r.Contributions:
    gaps = ((2024, 3), (2024, 4))
    months = tuple(
        r.ContributionMonth(
            f"{year}-{month:02d}",
            "pension",
            560000,
            0 if (year, month) in gaps else 44800,
            112000,
            (year, month) not in gaps,
            "郑州示例科技有限公司",
        )
        for year in (2026, 2025, 2024, 2023)
        for month in range(12, 0, -1)
    )
    summary = (
        r.InsuranceSummary("pension", 94, 2, "2019-01", "2026-10", 94 * 44800),
        r.InsuranceSummary("medical", 96, 0, "2019-01", "2026-10", 96 * 11200),
        r.InsuranceSummary("unemployment", 60, 2, "2019-01", "2024-02", 60 * 2800),
        r.InsuranceSummary("work_injury", 96, 0, "2019-01", "2026-10", 0),
        r.InsuranceSummary("maternity", 0, 0, None, None, 0),
    )
    return r.Contributions(summary, months)


def _demo_medical() -> r.MedicalAccount:
    at = dt.datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    rows = (
        ("outpatient", -2350, "郑州大学第一附属医院"),
        ("credit", 15200, ""),
        ("pharmacy", -880, "张仲景大药房（金水路店）"),
    )
    return r.MedicalAccount(
        312456,
        tuple(
            r.MedicalTransaction(at - dt.timedelta(days=9 * i), kind, amount, 312456, place)
            for i, (kind, amount, place) in enumerate(rows * 3)
        ),
    )


def demo_data(holder_name: str) -> PlatformData:
    """Fictional demo answers of realistic length: the audit measures whether they fit."""
    filed = dt.datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    base = test_data()
    return replace(
        base,
        contributions=_demo_contributions(),
        medical=_demo_medical(),
        pensions=tuple(r.PensionPayment(f"2026-{m:02d}", 356789) for m in range(11, 0, -1)),
        certificate=replace(
            base.certificate,
            issued=dt.datetime(2026, 11, 27, 10, 42, tzinfo=UTC),
            holder_name=holder_name,
            insurances=(
                r.CertificateInsurance("pension", "insured", "2019-01", "2026-10", 94),
                r.CertificateInsurance("medical", "insured", "2019-01", "2026-10", 96),
                r.CertificateInsurance("unemployment", "interrupted", "2019-01", "2024-02", 60),
            ),
        ),
        loss_code=cards.LossCodeSent("0" * 32, 300, 6),
        loss_reported=_loss_reported(
            "R-K7Q2-M9XT-2B4N",
            dt.datetime(2026, 11, 27, 10, 42, tzinfo=UTC),
            holder_name[:1] + "*",
            "A0*****11",
        ),
        complaints=(
            ComplaintView(
                "C-K7Q2-M9XT-2B4N",
                "complaint",
                "service",
                "服务态度与效率：社会保障",
                "replied",
                filed,
                "您反映的排队时间过长问题已收到，服务大厅已在上午增开两个窗口，感谢您的监督。",
                filed + dt.timedelta(days=2),
            ),
        ),
    )
