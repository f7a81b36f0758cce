"""Every resident task, from the card going in to its last screen or slip, by keypad alone and
with speech recorded, in both languages (accessibility requirements 1-7).

The real stack but the loudspeaker: the reference platform over HTTP on loopback, the real
client, outbox and simulated receipt printer, the simulated card reader running the card
protocol against demo card A, and the voice guide speaking into a recording engine and player.
Nothing here touches the screen: voice guidance is switched on with the keypad's repeat key,
and every choice is made with the digit the kiosk speaks for it. Choices are found by their
message id, not their position, so a task that gains a choice keeps its test.

Through the loudspeaker (no headset) the kiosk must never say a PIN digit, the holder's name,
ID number or card number, or a phone number typed in; every word is in the screen's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_rig import KEYS, VoicedKiosk, voiced_kiosk

from kiosk.accessibility.voice import PIN_DIGIT_ENTERED, PRIVATE_WITHHELD
from kiosk.devices.card.profile import load_demo_profiles
from kiosk.devices.speech.interface import Utterance
from kiosk.flows.session import Step
from kiosk.server.embedded import EmbeddedServer
from kiosk.ui.screens import ChoiceScreen

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONE = "13900001234"
LANDLINE = "037166668888"
NEW_PIN = "654321"


@dataclass
class Kiosk(VoicedKiosk):
    """The kiosk pressed on the keypad alone, listened to in one language."""

    language: str
    # Everything said since the start, and since the last look.
    spoken: list[Utterance] = field(default_factory=list)
    _seen: int = 0

    # --- the keypad -----------------------------------------------------------------------

    def key(self, *keys: Qt.Key, settle_each: bool = True) -> None:
        for key in keys:
            target = QApplication.focusWidget() or self.window
            self.qtbot.keyClick(target, key)
            if settle_each:
                self.settle()
        self.settle()

    def digits(self, text: str) -> None:
        # Digits typed into an entry ask nothing of the platform: the kiosk settles once after
        # the last of them rather than after each.
        self.key(*(KEYS[d] for d in text), settle_each=len(text) == 1)

    def choose(self, label_id: str) -> None:
        """Presses the digit the kiosk says for the choice with this label, turning pages with
        0 (as the speech says) until it is on screen."""
        for _page in range(8):
            digit = self.window.content.digit_of(label_id)
            if digit is not None:
                self.digits(digit)
                return
            if self.window.content.pager is None:
                break
            self.digits("0")
        offered = [c.label.id for c in self.window.content.choices]
        pytest.fail(f"no choice {label_id!r} on {self.window.content.heading.id}: {offered}")

    # --- what was said --------------------------------------------------------------------

    def said(self) -> list[str]:
        """Message ids queued for the loudspeaker since the last call, in order."""
        new = [e.clip.utterance for e in self.player.events if e.clip is not None]
        fresh = new[self._seen :]
        self._seen = len(new)
        self.spoken += fresh
        return [u.message_id for u in fresh]

    def read_screen(self) -> list[str]:
        """What was said of the screen shown now, from its heading on: a screen that waited
        for the platform said "loading" first, and was said again once it had the answer."""
        said = self.said()
        heading = self.screen()
        assert heading in said, f"{heading} was not said: {said}"
        return said[len(said) - 1 - said[::-1].index(heading) :]

    def screen(self) -> str:
        return self.window.content.heading.id

    def hint(self) -> str | None:
        hint = self.window.content.hint
        return hint.id if hint is not None else None

    # --- the path every task starts with ----------------------------------------------------

    def sign_in(self, *, elderly: bool = False) -> None:
        """Voice on, the language chosen, the card in, the PIN typed: all without sight."""
        self.key(Qt.Key.Key_Asterisk)  # help/repeat: asking to hear switches voice on
        assert self.said()[:2] == ["attract.heading", "attract.hint"]
        if self.language != self.window.profile.language:
            # Said in the language on screen until then; from the switch on, in the new one.
            assert {u.language for u in self.spoken} == {self.window.profile.language}
            self.spoken.clear()
            self.choose("attract.choice.language")
            assert self.window.profile.language == self.language
            assert self.said()[:2] == ["attract.heading", "attract.hint"]
        if elderly:
            self.choose("attract.choice.elderly")
            assert self.window.profile.elderly and self.window.theme.max_choices == 4
            self.said()
        self.stack.reader.insert(self.card)
        # Art. 13: before anything personal, what is read, for what and how long, said whole.
        self.reach(Step.PRIVACY)
        notice = self.read_screen()
        assert notice[:2] == ["notice.privacy.heading", "notice.privacy.hint"]
        assert "notice.privacy.kept" in notice and "notice.privacy.accept" in notice
        self.choose("notice.privacy.accept")  # one press
        assert self.flow.step is Step.PIN
        assert "pin.heading" in self.said()
        self.digits(self.card.pin)
        # A digit is said as "digit entered, N so far", never as itself.
        assert self.said() == [PIN_DIGIT_ENTERED] * len(self.card.pin)
        self.key(Qt.Key.Key_Return)
        self.reach(Step.HOME)
        said = self.said()
        # The greeting holds the holder's name: through the loudspeaker it is withheld.
        assert PRIVATE_WITHHELD in said and "home.hint" in said
        assert "home.heading" not in said

    def open_task(self, choice: str) -> None:
        """Signed in, the home screen's choice with this label taken."""
        self.sign_in()
        self.choose(choice)

    def back_home(self) -> None:
        """The task's last screen left by its "done" choice, which leads home."""
        self.choose("task.done")
        assert self.flow.step is Step.HOME

    def finish(self, *typed: str) -> None:
        """Home from the task's last screen, and nothing said in the test that must not be."""
        self.back_home()
        self.check_speech(*typed)

    def check_speech(self, *typed: str) -> None:
        """Requirements 3 and 5 over everything said in the test."""
        self.said()
        assert self.spoken, "nothing was said"
        languages = {u.language for u in self.spoken}
        assert languages == {self.language}
        holder = self.card.holder
        secrets = [self.card.pin, holder.name, holder.ssn, self.card.card.number, *typed]
        for utterance in self.spoken:
            for secret in secrets:
                assert secret not in utterance.text, f"{utterance.message_id} said a secret"


@pytest.fixture(params=["zh_CN", "en"])
def kiosk(qtbot, tmp_path: Path, server: EmbeddedServer, request) -> Iterator[Kiosk]:
    demo_a = load_demo_profiles()["demo_a"]
    with voiced_kiosk(qtbot, server, tmp_path, Kiosk, card=demo_a, language=request.param) as k:
        yield k


def test_records_then_a_certificate_printed(kiosk: Kiosk) -> None:
    kiosk.open_task("home.choice.records")
    assert kiosk.read_screen()[:2] == ["records.heading.menu", "records.hint.menu"]
    kiosk.choose("records.menu.contributions")
    assert kiosk.screen() == "records.heading.contributions"
    assert "records.hint.contributions" in kiosk.said()
    kiosk.key(Qt.Key.Key_Backspace)  # back to the records' menu
    assert kiosk.screen() == "records.heading.menu"
    kiosk.said()
    kiosk.choose("records.menu.certificate")
    assert kiosk.read_screen()[:2] == ["certificate.heading", "certificate.hint.choose"]
    kiosk.choose("certificate.scope.all")
    kiosk.choose("certificate.period.whole")
    assert kiosk.hint() == "certificate.hint.preview"
    # Requirement 1: the document is read before it prints.
    preview = kiosk.said()
    assert "certificate.hint.preview" in preview
    assert preview.index("certificate.hint.preview") < preview.index("certificate.print")
    kiosk.choose("certificate.print")
    said = kiosk.said()
    assert kiosk.hint() == "certificate.hint.verify"
    assert "slip.printed" in said and "certificate.code" in said
    assert kiosk.flow.printer.last_png() is not None
    kiosk.finish()


def test_card_reported_lost_then_the_report_lifted(kiosk: Kiosk) -> None:
    kiosk.open_task("home.choice.card")
    assert kiosk.read_screen()[:2] == ["card_life.heading", "card_life.hint.menu"]
    kiosk.choose("card_life.menu.loss")
    kiosk.choose("card_life.loss.temporary")
    # Requirement 19: a summary, read out, before anything is sent.
    assert kiosk.screen() == "card_life.confirm_heading"
    summary = kiosk.read_screen()
    assert summary[:2] == ["card_life.confirm_heading", "card_life.hint.confirm"]
    assert "card_life.confirm" in summary and "card_life.cancel" in summary
    kiosk.choose("card_life.confirm")
    assert kiosk.hint() == "submit.delivered"
    said = kiosk.said()
    assert "submit.delivered" in said and "slip.printed" in said
    kiosk.choose("task.done")
    # The card is reported lost: lifting the report comes first on the card's menu now.
    kiosk.choose("home.choice.card")
    kiosk.choose("card_life.menu.lift")
    kiosk.choose("card_life.confirm")
    assert kiosk.hint() == "submit.delivered"
    assert "submit.delivered" in kiosk.said()
    kiosk.finish()


def test_pin_changed_on_the_chip(kiosk: Kiosk) -> None:
    """Three PINs typed on one task's keypad, each only counted aloud (requirement 5)."""
    kiosk.open_task("home.choice.card")
    kiosk.choose("card_life.menu.pin")
    assert kiosk.read_screen() == ["card_life.menu.pin", "card_life.pin.old"]
    for typed, next_hint in (
        (kiosk.card.pin, "card_life.pin.new"),
        (NEW_PIN, "card_life.pin.again"),
        (NEW_PIN, "card_life.hint.confirm"),
    ):
        kiosk.digits(typed)
        assert kiosk.said() == [PIN_DIGIT_ENTERED] * len(typed)
        kiosk.key(Qt.Key.Key_Return)
        assert kiosk.hint() == next_hint
        screen = kiosk.read_screen()
        assert screen[1] == next_hint
    assert "card_life.effect.pin" in screen
    kiosk.choose("card_life.pin.confirm")
    assert kiosk.hint() == "card_life.pin.done"
    said = kiosk.said()
    assert "card_life.pin.done" in said and "slip.printed" in said
    kiosk.finish(NEW_PIN)


def test_complaint_with_a_phone_number_filed(kiosk: Kiosk) -> None:
    kiosk.open_task("home.choice.complaints")
    kiosk.choose("complaints.menu.complaint")
    kiosk.choose("complaints.topic.privacy_leak")
    kiosk.choose("complaints.place.none")
    kiosk.choose("complaints.phrase.leak_calls")
    kiosk.choose("complaints.contact.phone")
    assert kiosk.read_screen()[:2] == ["complaints.phone.heading", "complaints.phone.hint"]
    kiosk.digits(PHONE)
    # A phone number is personal data: counted aloud, not read.
    assert kiosk.said() == [PIN_DIGIT_ENTERED] * len(PHONE)
    kiosk.key(Qt.Key.Key_Return)
    assert kiosk.screen() == "complaints.review.heading"
    review = kiosk.read_screen()
    assert review[0] == "complaints.review.heading"
    assert "complaints.review.submit" in review
    kiosk.choose("complaints.review.submit")
    assert kiosk.hint() == "submit.delivered"
    said = kiosk.said()
    assert "complaints.tracking" in said and "slip.printed" in said
    kiosk.back_home()
    # Art. 16: the resident hears how what they filed stands; a reply may hold their own
    # words, so through the loudspeaker it is withheld, and the kiosk says so.
    kiosk.choose("home.choice.complaints")
    kiosk.choose("complaints.menu.status")
    status = kiosk.read_screen()
    assert status[:2] == ["complaints.status.heading", "complaints.status.summary"]
    assert "complaints.tracking" in status
    assert "complaints.status.reply" not in status
    kiosk.key(Qt.Key.Key_Escape)
    assert kiosk.flow.step is Step.HOME
    kiosk.check_speech(PHONE)


def test_complaint_in_elderly_mode_answered_by_landline(kiosk: Kiosk) -> None:
    """The people Art. 10 names first reach Art. 16's complaint: home is paged (0 for more),
    and a landline is as good a way to be answered as a mobile."""
    kiosk.sign_in(elderly=True)
    home = kiosk.window.content
    assert home.pager is not None and len(home.choices) == 4
    assert "home.choice.complaints" not in [c.label.id for c in home.choices]
    kiosk.choose("home.choice.complaints")  # turns home's page with 0, as it is said
    assert kiosk.screen() == "complaints.heading"
    kiosk.choose("complaints.menu.complaint")
    kiosk.choose("complaints.topic.misconduct")  # Art. 18 (4), on the topics' second page
    kiosk.choose("complaints.place.none")
    kiosk.choose("complaints.phrase.misconduct_fee")
    contact = kiosk.read_screen()
    # Why the number is asked is said before the number is (Art. 13).
    assert contact[:2] == ["complaints.heading", "complaints.hint.contact_needed"]
    kiosk.choose("complaints.contact.landline")
    assert kiosk.read_screen()[:2] == ["complaints.landline.heading", "complaints.landline.hint"]
    kiosk.digits(LANDLINE)
    assert kiosk.said() == [PIN_DIGIT_ENTERED] * len(LANDLINE)
    kiosk.key(Qt.Key.Key_Return)
    assert kiosk.screen() == "complaints.review.heading"
    kiosk.choose("complaints.review.submit")
    assert kiosk.hint() == "submit.delivered"
    # The slip as the printer got it (ESC/POS), read back: the report cites its article.
    paper = "".join(kiosk.flow.printer.printed.lines)
    assert "举报依据" in paper and "第十八条第（四）项" in paper
    kiosk.finish(LANDLINE)


def test_services_by_search_and_by_catalog(kiosk: Kiosk) -> None:
    kiosk.open_task("home.choice.search")
    assert kiosk.read_screen()[:2] == ["services.heading", "services.hint"]
    kiosk.choose("services.quick.metro")
    assert kiosk.screen() == "services.results"
    found = kiosk.said()
    # Each service found is read: where and how to use it.
    assert "category.where" in found and "category.how" in found
    kiosk.key(Qt.Key.Key_Backspace, Qt.Key.Key_Backspace)
    assert kiosk.flow.step is Step.HOME
    kiosk.said()
    kiosk.choose("home.choice.services")
    assert kiosk.flow.step is Step.CATALOG
    assert kiosk.read_screen()[:2] == ["catalog.heading", "catalog.hint"]
    kiosk.digits("1")
    assert kiosk.flow.step is Step.CATEGORY
    first = kiosk.said()
    assert first[1] == "category.hint" and "category.where" in first
    if kiosk.window.content.pager is not None:
        page = kiosk.window.content.pager.params["page"]
        kiosk.digits("0")  # the next page, as the pager line says
        assert kiosk.window.content.pager.params["page"] == page + 1
        assert "category.where" in kiosk.said()
    kiosk.key(Qt.Key.Key_Escape)  # home
    assert kiosk.flow.step is Step.HOME
    kiosk.choose("home.choice.finish")
    assert kiosk.flow.step in (Step.TAKE_CARD, Step.ATTRACT)
    kiosk.check_speech()


def test_the_screen_reads_what_the_tiles_show(kiosk: Kiosk) -> None:
    """What the keypad's focus lands on is said, and it is what the tile shows (requirement 2)."""
    kiosk.sign_in()
    body = kiosk.window.choice_screen
    assert isinstance(body, ChoiceScreen)
    kiosk.key(Qt.Key.Key_Down)
    focused = QApplication.focusWidget()
    assert focused is body.tiles[1]
    said = kiosk.said()
    choice = kiosk.window.content.choices[1]
    assert said[:2] == ["prompt.press_digit", choice.label.id]
    kiosk.check_speech()
