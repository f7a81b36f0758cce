"""Records with a certificate, and a complaint, by touch alone, in both languages, against the
real reference server, with what the kiosk says recorded (each flow works by touch and by
keypad; the keypad's half is tests/ui/test_keypad_only_tasks.py).

A sighted resident who never touches the keypad: the language switch, the PIN pad, every
choice and the pager are pressed on the glass. The platform then shows the result: the
certificate verifies by its code, the complaint is on the resident's list.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from window_rig import VoicedKiosk, voiced_kiosk

from kiosk.devices.card.profile import load_demo_profiles
from kiosk.flows.session import Step
from kiosk.server.embedded import EmbeddedServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONE = "13900005678"


class Kiosk(VoicedKiosk):
    """The kiosk pressed on the glass alone."""

    def touch(self, button: QPushButton) -> None:
        assert button.isVisible(), button.text()
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.settle()

    def choose(self, label_id: str) -> None:
        """Touches the tile with this label, touching the pager's next button until it shows."""
        for _page in range(8):
            digit = self.window.content.digit_of(label_id)
            if digit is not None:
                tiles = [t for t in self.window.choice_screen.tiles if t.digit == digit]
                self.touch(next(t for t in tiles if t.isVisible()))
                return
            buttons = [b for b in self.window.choice_screen.pager_buttons if b.isVisible()]
            if not buttons:
                break
            self.touch(buttons[-1])  # the last pager button is "next"
        offered = [c.label.id for c in self.window.content.choices]
        pytest.fail(f"no choice {label_id!r} on {self.window.content.heading.id}: {offered}")

    def type_on_pad(self, digits: str) -> None:
        """Touches the on-screen keypad's digits, then its confirm key."""
        pad = self.window.pin_screen.pad
        assert pad is not None and self.window.stack.currentWidget() is self.window.pin_screen
        for key in digits:  # digits ask nothing of the platform: no wait between them
            self.qtbot.mouseClick(pad.buttons[key], Qt.MouseButton.LeftButton)
        self.touch(pad.buttons["confirm"])

    def said(self) -> list[str]:
        return [e.clip.utterance.message_id for e in self.player.events if e.clip is not None]

    def languages_said(self) -> set[str]:
        return {e.clip.utterance.language for e in self.player.events if e.clip is not None}

    def sign_in(self, language: str) -> None:
        if language != self.window.profile.language:
            self.touch(self.window.header.language_button)
        self.touch(self.window.header.voice_button)  # heard as well as seen
        self.player.events.clear()
        self.stack.reader.insert(self.card)
        # Art. 13: the privacy notice, shown and said, accepted with one touch.
        self.reach(Step.PRIVACY)
        assert "notice.privacy.kept" in self.said()
        self.choose("notice.privacy.accept")
        assert self.flow.step is Step.PIN
        self.type_on_pad(self.card.pin)
        self.reach(Step.HOME)


@pytest.fixture(params=["zh_CN", "en"])
def kiosk(qtbot, tmp_path: Path, server: EmbeddedServer, request) -> Iterator[tuple[Kiosk, str]]:
    demo_b = load_demo_profiles()["demo_b"]
    with voiced_kiosk(qtbot, server, tmp_path, Kiosk, card=demo_b) as kiosk:
        yield kiosk, request.param


def test_a_complaint_by_touch_with_no_number_is_read_back_by_its_tracking_number(
    kiosk: tuple[Kiosk, str],
) -> None:
    """No phone at all: the answer is read at the kiosk with the slip's number (Art. 16)."""
    k, language = kiosk
    k.sign_in(language)
    k.choose("home.choice.complaints")
    k.choose("complaints.menu.complaint")
    k.choose("complaints.topic.overlapping_card")  # Art. 18 (1)
    k.choose("complaints.place.none")
    k.choose("complaints.phrase.overlap_card")
    assert k.window.content.hint is not None
    assert k.window.content.hint.id == "complaints.hint.contact_needed"
    k.choose("complaints.contact.at_kiosk")
    contact = k.window.content.panels[2].lines[0]
    assert contact.id == "complaints.review.at_kiosk"
    k.choose("complaints.review.submit")
    # Through the outbox to the platform: on a busy machine that takes more than a settle.
    k.qtbot.waitUntil(
        lambda: (
            k.window.content.heading.id != "complaints.heading"
            or getattr(k.window.content.hint, "id", "") != "complaints.sending"
        ),
        timeout=20_000,
    )
    k.settle()
    hint = k.window.content.hint
    assert hint is not None and hint.id == "submit.delivered"
    tracking = str(hint.params["tracking"])
    filed = k.stack.client.complaint(tracking)
    assert filed.kind == "report" and filed.status == "received"
    paper = "".join(k.flow.printer.printed.lines)
    assert "举报依据" in paper and "第十八条第（一）项" in paper
    assert "未留（凭受理编号在终端查看答复）" in paper
    k.choose("task.done")
    assert k.languages_said() == {language}


def test_a_certificate_by_touch_verifies_on_the_platform(kiosk: tuple[Kiosk, str]) -> None:
    k, language = kiosk
    k.sign_in(language)
    k.choose("home.choice.records")
    k.choose("records.menu.certificate")
    k.choose("certificate.scope.all")
    k.choose("certificate.period.last12")
    assert k.window.content.hint is not None
    assert k.window.content.hint.id == "certificate.hint.preview_period"
    k.choose("certificate.print")
    codes = [
        m.params["code"]
        for panel in k.window.content.panels
        for m in (panel.title, *panel.lines)
        if m.id == "certificate.code"
    ]
    codes += [m.params["code"] for m in k.window.content.spoken() if m.id == "certificate.code"]
    assert codes, "the printed certificate's code is shown"
    assert k.flow.printer.last_png() is not None
    check = k.stack.client.verify_certificate(str(codes[0]))
    assert check.valid and check.code == codes[0]
    assert k.card.holder.name not in check.holder_name_masked
    k.choose("task.done")
    assert k.flow.step is Step.HOME
    # Every screen was said, in the language on screen.
    said = k.said()
    assert "certificate.heading" in said and "slip.printed" in said
    assert k.languages_said() == {language}
    assert not any(PHONE in e.clip.utterance.text for e in k.player.events if e.clip is not None)


def test_a_complaint_by_touch_reaches_the_platform(kiosk: tuple[Kiosk, str]) -> None:
    k, language = kiosk
    k.sign_in(language)
    session = k.flow.session
    assert session is not None
    before = {c.tracking_number for c in k.stack.client.complaints(session.token)}
    k.choose("home.choice.complaints")
    k.choose("complaints.menu.complaint")
    k.choose("complaints.topic.privacy_leak")
    k.choose("complaints.place.none")
    k.choose("complaints.phrase.leak_calls")
    k.choose("complaints.contact.phone")  # a complaint that wants a reply needs a contact
    k.type_on_pad(PHONE)
    assert k.window.content.heading.id == "complaints.review.heading"
    k.choose("complaints.review.submit")
    assert k.window.content.hint is not None
    assert k.window.content.hint.id == "submit.delivered"
    after = {c.tracking_number: c for c in k.stack.client.complaints(session.token)}
    filed = set(after) - before
    assert len(filed) == 1
    # A leak of personal data is one of the wrongs Art. 18 names: filed as a report (举报).
    assert after[filed.pop()].kind == "report"
    k.choose("task.done")
    said = k.said()
    assert "complaints.review.heading" in said and "complaints.tracking" in said
    assert k.languages_said() == {language}
    assert not any(PHONE in e.clip.utterance.text for e in k.player.events if e.clip is not None)
