"""The complaints task alone: preset phrases, contact rules, review, outbox, slip, status."""

from __future__ import annotations

import pytest
from helpers.rig import KioskRig
from helpers.view import ids

from kiosk.domain.receipt import QrCode
from kiosk.domain.submission import OutboxState
from kiosk.flows.complaints import ComplaintsTask
from kiosk.flows.task_kit import DigitEntry, QrPanel


def choose_label(task: ComplaintsTask, label_id: str) -> None:
    """Presses the choice with this label, turning pages as the keypad's 0 does."""
    for _page in range(4):
        content = task.view()
        for choice in content.choices:
            if choice.label.id == label_id:
                choice.action()
                return
        assert content.pager_actions, f"no {label_id} on {content.heading.id}"
        content.pager_actions[-1][1]()
    raise AssertionError(f"no {label_id}")


def to_review(
    rig: KioskRig, *, suggestion: bool = False, topic: str = "complaints.topic.delay"
) -> ComplaintsTask:
    task = ComplaintsTask(rig.context())
    task.view().choose("2" if suggestion else "1")
    if suggestion:
        assert task.view().choose("1")  # the first topic
    else:
        choose_label(task, topic)
    rig.run()  # the catalog for the place
    assert task.view().choose("2")  # the first Art. 7 category
    assert task.view().choose("1")  # the first preset phrase
    return task


def test_a_report_of_delay_is_filed_without_typing_and_ends_with_a_slip() -> None:
    rig = KioskRig()
    task = ComplaintsTask(rig.context())
    assert len(task.view().choices) == 4
    assert task.view().choose("1")
    topics = [c.label.id for c in task.view().choices]
    assert "complaints.topic.delay" in topics and "complaints.topic.privacy_leak" in topics
    assert len(topics) <= 4  # a page of the list: the elderly mode's limit
    task = to_review(rig)
    contact = task.view()
    assert [c.label.id for c in contact.choices] == [
        "complaints.contact.phone",
        "complaints.contact.landline",
        "complaints.contact.at_kiosk",
    ]  # no anonymity for a complaint
    assert contact.choose("1")
    entry = task.view()
    assert isinstance(entry, DigitEntry)
    entry.submit("12345")
    assert task.view().hint is not None and task.view().hint.id == "complaints.error.phone"
    task.view().submit("13900001234")  # type: ignore[attr-defined]
    review = task.view()
    assert review.heading.id == "complaints.review.heading"
    phone = review.panels[2].lines[0]
    assert phone.params["phone"] == "139****1234" and phone.has_personal_data
    assert rig.outbox.items == []  # nothing sent before the resident confirms
    assert review.choose("1")
    rig.run()
    kind, body, token = rig.outbox.items[0]
    assert (kind, body["kind"], body["category"]) == ("complaint", "report", "staff")
    assert body["text"] == "办事时被多次推到其他窗口或部门"
    assert str(body["subject"]).startswith("推诿、拖延办事：类别1")
    assert body["contact"] == "13900001234" and token == "t-1"
    rig.run()  # the printer
    sent = task.view()
    assert sent.hint is not None and sent.hint.id == "submit.delivered"
    assert sent.hint.params["tracking"] == "C-TEST-0000-0001"
    assert sent.panels[0].title.id == "slip.printed"
    printed = rig.printer.jobs[0].receipt  # type: ignore[union-attr]
    assert printed.reference == "C-TEST-0000-0001"
    assert any(isinstance(b, QrCode) and "C-TEST-0000-0001" in b.payload for b in printed.blocks)
    assert task.back() is False
    assert sent.choose("1")
    assert rig.finished


def test_an_anonymous_suggestion_sends_no_token_and_a_queued_one_says_so() -> None:
    rig = KioskRig()
    rig.outbox.state = OutboxState.QUEUED
    task = to_review(rig, suggestion=True)
    assert task.view().choose("4")  # anonymous
    review = task.view()
    assert review.panels[2].lines[0].id == "complaints.review.anonymous"
    assert review.choose("1")
    rig.run()
    _, body, token = rig.outbox.items[0]
    assert body["anonymous"] is True and "contact" not in body and token is None
    assert body["kind"] == "suggestion"
    assert task.view().hint is not None and task.view().hint.id == "submit.queued"


def test_the_review_can_change_the_text_or_cancel_without_sending() -> None:
    rig = KioskRig()
    task = to_review(rig)
    assert task.view().choose("1")
    task.view().submit("13900001234")  # type: ignore[attr-defined]
    assert task.view().choose("2")  # change the text
    assert task.view().hint is not None and task.view().hint.id == "complaints.hint.phrase"
    assert task.view().choose("2")
    assert task.view().choose("1")
    task.view().submit("13900001234")  # type: ignore[attr-defined]
    assert "complaints.phrase.delay_no_result" in ids(task.view())
    assert task.view().choose("3")  # cancel
    assert rig.outbox.items == [] and task.view().heading.id == "complaints.heading"


def test_paper_out_shows_the_slip_as_a_qr_code_and_prints_it_again() -> None:
    rig = KioskRig()
    assert rig.printer is not None
    rig.printer.paper_out = True
    task = to_review(rig, suggestion=True)
    choose_label(task, "complaints.contact.anonymous")
    assert task.view().choose("1")
    rig.run()
    sent = task.view()
    panel = sent.panels[0]
    assert isinstance(panel, QrPanel) and panel.payload.endswith("C-TEST-0000-0001")
    assert panel.lines[0].id == "error.printer.paper_out"
    assert sent.choices[0].label.id == "slip.print_again"
    rig.printer.paper_out = False
    assert sent.choose("1")
    rig.run()
    assert task.view().panels[0].title.id == "slip.printed" and len(rig.printer.jobs) == 1


def test_back_walks_the_steps_and_status_shows_the_reply() -> None:
    rig = KioskRig()
    task = to_review(rig)
    assert task.view().hint is not None and task.view().hint.id == "complaints.hint.contact_needed"
    assert task.back() and task.back() and task.back() and task.back()
    assert task.view().heading.id == "complaints.heading" and task.back() is False
    assert task.view().choose("3")
    rig.run()
    status = task.view()
    assert status.hint is not None and status.hint.params == {"count": 2}
    reply = [m for m in status.spoken() if m.id == "complaints.status.reply"]
    assert reply[0].params["text"] == "已增加窗口"
    assert task.back() and task.view().heading.id == "complaints.heading"


def test_a_complaint_in_own_words_and_a_look_up_by_number() -> None:
    from kiosk.domain.complaints import ComplaintView
    from kiosk.domain.errors import PlatformRejected
    from kiosk.flows.view import TextEntry

    rig = KioskRig()
    task = ComplaintsTask(rig.context())
    assert task.view().choose("1")
    assert task.view().choose("4")  # the service
    rig.run()
    assert task.view().choose("1")  # no particular place
    phrases = task.view()
    assert [c.label.id for c in phrases.choices][-1] == "complaints.phrase.own"
    assert phrases.choose("3")
    typing = task.view()
    assert isinstance(typing, TextEntry) and typing.private and typing.layout == "pinyin"
    editor = typing.editor
    assert editor is not None
    for letter in "paidui":
        editor.press(letter)
    editor.press_digit("1")
    editor.accept()
    assert task.view().hint is not None and task.view().hint.id == "complaints.hint.contact_needed"
    assert task.view().choose("1")
    task.view().submit("13900001234")  # type: ignore[attr-defined]
    what = task.view().panels[1].lines[0]
    assert what.params["text"] == "排队" and what.has_personal_data
    assert task.view().choose("1")
    rig.run()
    assert rig.outbox.items[0][1]["text"] == "排队"

    asked: list[str] = []

    def complaint(tracking: str, token: str | None = None) -> ComplaintView:
        asked.append(tracking)
        if tracking.endswith("0000"):
            raise PlatformRejected("tracking_unknown")
        created = rig.platform.complaints("")[0].created
        return ComplaintView(
            tracking, "complaint", "service", "排队", "replied", created, "已增加窗口", created
        )

    rig.platform.complaint = complaint  # type: ignore[attr-defined]
    task = ComplaintsTask(rig.context())
    assert task.view().choose("4")
    lookup = task.view()
    assert isinstance(lookup, TextEntry) and lookup.editor is not None
    assert lookup.layouts == ("latin",) and "O" not in lookup.editor.character_keys()
    for key in "ck7en47vn1qc":  # a number that itself begins with C
        lookup.editor.press_digit(key) if key.isdigit() else lookup.editor.press(key)
    lookup.editor.accept()
    rig.run()
    assert asked == ["C-CK7E-N47V-N1QC"]
    found = task.view()
    lines = [m.id for m in found.panels[0].lines]
    assert lines[:2] == ["complaints.lookup.subject", "complaints.status.replied"]
    assert found.panels[0].lines[-1].has_personal_data  # the reply: headset only
    assert found.choose("1")  # another number
    for key in "K7Q2M9XT0000":
        task.view().editor.press(key)  # type: ignore[attr-defined]
    task.view().editor.accept()  # type: ignore[attr-defined]
    rig.run()
    assert task.view().hint is not None and task.view().hint.id == "complaints.lookup.unknown"
    assert task.back() and isinstance(task.view(), TextEntry)
    assert task.back() and task.view().heading.id == "complaints.heading"


def printed_lines(rig: KioskRig) -> list[str]:
    from kiosk.domain.receipt import Columns, Text

    receipt = rig.printer.jobs[-1].receipt  # type: ignore[union-attr]
    lines = []
    for block in receipt.blocks:
        if isinstance(block, Text):
            lines.append(block.text)
        elif isinstance(block, Columns):
            lines.append(f"{block.left}：{block.right}")
    return lines


def test_a_complaint_answered_by_landline() -> None:
    rig = KioskRig()
    task = to_review(rig)
    choose_label(task, "complaints.contact.landline")
    entry = task.view()
    assert isinstance(entry, DigitEntry) and entry.max_digits == 12
    for wrong in ("13900001234", "0371", "0371666688889"):  # a mobile, too short, too long
        entry.submit(wrong)
        assert task.view().hint is not None and task.view().hint.id == "complaints.error.landline"
    task.view().submit("037166668888")  # type: ignore[attr-defined]
    review = task.view()
    phone = review.panels[2].lines[0]
    assert phone.params["phone"] == "037*****8888" and phone.has_personal_data
    assert review.choose("1")
    rig.run()
    _, body, token = rig.outbox.items[0]
    assert body["contact"] == "037166668888" and body["contact_kind"] == "landline"
    assert token == "t-1"
    rig.run()
    assert "联系电话：037*****8888" in printed_lines(rig)


def test_a_complaint_with_no_number_is_answered_at_the_kiosk() -> None:
    rig = KioskRig()
    task = to_review(rig)
    contact = task.view()
    # Why the number is asked, said before it is typed (Art. 13): for the answer, nothing else.
    assert contact.hint is not None and contact.hint.id == "complaints.hint.contact_needed"
    choose_label(task, "complaints.contact.at_kiosk")
    review = task.view()
    assert review.panels[2].lines[0].id == "complaints.review.at_kiosk"
    assert review.choose("1")
    rig.run()
    _, body, token = rig.outbox.items[0]
    assert body["contact_kind"] == "none" and "contact" not in body and "anonymous" not in body
    assert token == "t-1"  # filed by the resident, who reads the answer by tracking number
    rig.run()
    assert "联系电话：未留（凭受理编号在终端查看答复）" in printed_lines(rig)


@pytest.mark.parametrize(
    ("label", "item", "category"),
    [
        ("complaints.topic.overlapping_card", "（一）", "另发功能重叠的卡或码"),
        ("complaints.topic.privacy_leak", "（二）", "个人信息保护"),
        ("complaints.topic.privacy_query", "（二）", "个人信息保护"),
        ("complaints.topic.delay", "（三）", "推诿拖延"),
        ("complaints.topic.misconduct", "（四）", "失职、滥用职权或徇私舞弊"),
    ],
)
def test_each_wrong_of_art_18_is_a_report_whose_slip_cites_it(
    label: str, item: str, category: str
) -> None:
    """The slip cites the item and names the wrong the resident chose, not another one that
    shares its category on the platform."""
    rig = KioskRig()
    task = to_review(rig, topic=label)
    assert task.view().choose("1")
    task.view().submit("13900001234")  # type: ignore[attr-defined]
    assert task.view().choose("1")
    rig.run()
    assert rig.outbox.items[0][1]["kind"] == "report"
    rig.run()
    cited = f"举报依据：《郑州市居民服务一卡通规定》第十八条第{item}项"
    assert cited in printed_lines(rig)
    assert f"类别：{category}" in printed_lines(rig)
    assert rig.printer.jobs[-1].receipt.title == "举报受理回执"  # type: ignore[union-attr]


def test_a_plain_complaint_cites_no_article_of_art_18() -> None:
    rig = KioskRig()
    task = to_review(rig, topic="complaints.topic.service")
    assert task.view().choose("1")
    task.view().submit("13900001234")  # type: ignore[attr-defined]
    assert task.view().choose("1")
    rig.run()
    rig.run()
    assert not [line for line in printed_lines(rig) if line.startswith("举报依据")]
    assert rig.printer.jobs[-1].receipt.title == "投诉受理回执"  # type: ignore[union-attr]
