"""The records task alone: each record, the spoken summary first, Babel formats, paging, privacy."""

from __future__ import annotations

from helpers.rig import KioskRig
from helpers.view import ids, wording

from kiosk.domain.errors import PlatformUnavailable
from kiosk.flows.records import RecordsTask


def start(rig: KioskRig) -> RecordsTask:
    return RecordsTask(rig.context())


def test_menu_offers_four_choices_a_page_most_used_first() -> None:
    task = start(KioskRig())
    view = task.view()
    assert [c.digit for c in view.choices] == ["1", "2", "3", "4"]  # the elderly mode's four
    assert view.choices[2].label.id == "records.menu.certificate"
    assert view.pager is not None
    view.pager_actions[1][1]()
    second = task.view()
    assert [c.label.id for c in second.choices] == [
        "records.menu.subsidies",
        "records.menu.card_use",
    ]
    assert task.back() is False


def test_contributions_say_the_summary_first_then_years_with_missing_months_in_words() -> None:
    rig = KioskRig()
    task = start(rig)
    assert task.view().choose("1")
    assert task.view().hint is not None and task.view().hint.id == "catalog.loading"
    rig.run()
    summary = task.view()
    said = wording(summary)
    assert "2024年至2025年，已缴22个月，缺缴2个月" in said
    assert "未参保" in said  # maternity: never insured, said so
    assert summary.choose("1")
    years = task.view()
    said = wording(years)
    assert said[1] == "2024年至2025年，已缴22个月，缺缴2个月"  # the hint: summary before details
    assert "缺缴2个月：三月和四月" in said
    assert "本年无缺缴" in said  # 2025 is whole, and says so in words
    assert "已缴10个月，个人缴费¥4,000.00" in said
    amounts = [m for m in years.spoken() if m.id == "records.contrib.year_paid"]
    assert amounts and all(m.has_personal_data for m in amounts)
    assert task.back() and task.view().heading.id == "records.heading.contributions"
    assert task.back() and task.view().heading.id == "records.heading.menu"


def test_english_formats_months_and_money_with_babel() -> None:
    rig = KioskRig(language="en")
    task = start(rig)
    assert task.view().choose("1")
    rig.run()
    assert task.view().choose("1")
    said = wording(task.view(), "en")
    assert "2 months missing: March and April" in said
    assert "10 months paid, your share CN¥4,000.00" in said


def test_medical_balance_is_said_first_private_and_transactions_page() -> None:
    rig = KioskRig()
    task = start(rig)
    assert task.view().choose("2")
    rig.run()
    first = task.view()
    assert first.hint is not None and first.hint.has_personal_data
    assert wording(first)[0:2] == ["医保个人账户", "余额¥1,234.56，共4笔收支，按0翻页"]
    assert "门诊支出 -¥23.50" in wording(first)
    assert all(p.lines[0].has_personal_data for p in first.panels)
    assert len(first.panels) == 2 and first.pager is not None
    assert first.pager.params == {"page": 1, "pages": 2}
    first.pager_actions[1][1]()  # next page
    second = task.view()
    assert second.pager is not None and second.pager.params["page"] == 2
    assert "住院支出 -¥90.00" in wording(second)


def test_pension_by_year_and_subsidies_and_card_use() -> None:
    rig = KioskRig()
    task = start(rig)
    assert task.view().choose("4")
    rig.run()
    said = wording(task.view())
    assert "共发放24次，2024年1月至2025年12月" in said
    assert "发放12次，合计¥37,440.00" in said
    task.back()
    task.view().pager_actions[1][1]()
    assert task.view().choose("1")
    rig.run()
    said = wording(task.view())
    assert "高龄津贴" in said and "发放部门：民政局" in said
    task.back()
    task.view().pager_actions[1][1]()
    assert task.view().choose("2")
    rig.run()
    view = task.view()
    assert wording(view)[1] == "近半年用卡4次，乘车2次，其他2次"
    assert len(view.panels) == 2 and view.pager is not None


def test_a_platform_failure_is_said_and_back_returns_to_the_menu() -> None:
    rig = KioskRig()
    rig.platform.errors["medical"] = PlatformUnavailable()
    task = start(rig)
    assert task.view().choose("2")
    rig.run()
    assert task.view().hint is not None
    assert task.view().hint.id == "error.platform.unavailable"
    assert task.back() and task.view().heading.id == "records.heading.menu"


def test_records_are_loaded_once_and_dropped_on_close() -> None:
    rig = KioskRig()
    task = start(rig)
    assert task.view().choose("1")
    rig.run()
    task.back()
    assert task.view().choose("1")
    assert rig.runner.jobs == []  # already loaded
    task.close()
    task.back()
    assert task.view().choose("1")
    assert len(rig.runner.jobs) == 1  # forgotten: asked again


def test_the_certificate_opens_inside_records_and_back_leaves_it() -> None:
    rig = KioskRig()
    task = start(rig)
    assert task.view().choose("3")
    assert task.view().heading.id == "certificate.heading"
    assert "records.heading.menu" not in ids(task.view())
    assert task.back() is True
    assert task.view().heading.id == "records.heading.menu"
