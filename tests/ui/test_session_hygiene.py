"""Sessions end clean (Art. 12, 13; accessibility requirement 17): a kiosk in a public hall
never shows one resident's data to the next.

The whole kiosk runs against the real reference server (tests/privacy_rig.py). After each way a
session ends (the resident finishes, pulls the card, or walks away) no widget of any window, no
clipboard, no speech the repeat key would give and no prompt cache file holds the resident's
data, and the session's objects are gone from memory. The next resident's screens then show
nothing of the last one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from privacy_rig import (
    Kiosk,
    build,
    fixed_prompt_files,
    leftover_texts,
    start_server,
    widget_texts,
)
from privacy_scan import Datum, demo_residents
from PySide6.QtCore import Qt

from kiosk.devices.speech.cache import PromptCache
from kiosk.flows.session import Step
from kiosk.server.embedded import EmbeddedServer

pytestmark = pytest.mark.e2e

CONTACT_PHONE = "13877770000"  # typed by the resident into the complaint
# A demo resident without the card in hand: signs in by e-code, or reports the card lost.
WITHOUT_CARD = "without card"
WITHOUT_CARD_NUMBER = "D00000009"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    # The server's demo database lands in this module's own cache folder, where the test reads
    # the residents' data back from it.
    home = tmp_path_factory.mktemp("platform-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(home / "cache"))
        server = start_server(home / "logs")
    server.platform_home = home  # type: ignore[attr-defined]
    yield server
    server.stop()


@pytest.fixture(scope="module")
def residents(server: EmbeddedServer) -> dict[str, list[Datum]]:
    home: Path = server.platform_home  # type: ignore[attr-defined]
    (db,) = (home / "cache").glob("onecard-kiosk/demo-platform/demo-*.sqlite3")
    from kiosk.devices.card.profile import load_demo_profiles

    profiles = load_demo_profiles()
    cards = {key: profiles[key].card.number for key in ("demo_a", "demo_b")}
    found = demo_residents(db, {**cards, WITHOUT_CARD: WITHOUT_CARD_NUMBER})
    for key in cards:
        found[key] += [
            Datum(key, "pin", profiles[key].pin),
            Datum(key, "contact phone", CONTACT_PHONE),
        ]
    return found


@pytest.fixture
def kiosk(qtbot, server: EmbeddedServer) -> Iterator[Kiosk]:
    built, close = build(qtbot, server)
    yield built
    close()


def a_session(kiosk: Kiosk, key: str) -> None:
    """Home, the records (with a certificate printed), the card's life and a complaint."""
    kiosk.sign_in_with_card(key)
    # In the resident's headset the repeat key says the greeting with the (masked) name: the
    # same check after the session looks where it was.
    assert any(s in text for text in kiosk.repeat_said() for s in kiosk.seen.texts)
    kiosk.visit_records()
    kiosk.visit_card_life()
    kiosk.file_complaint(CONTACT_PHONE)
    assert kiosk.seen.texts, "the session showed nothing personal: the test would prove nothing"
    assert kiosk.seen.objects
    assert any(kiosk.speech_cache.glob("*.wav")), "no prompt was cached: nothing to check there"
    # The session ends while a second phone number is typed but not yet confirmed.
    kiosk.start_complaint()
    kiosk.press(*(getattr(Qt.Key, f"Key_{d}") for d in CONTACT_PHONE))
    assert any(CONTACT_PHONE in text for _where, text in widget_texts())


def end(kiosk: Kiosk, how: str) -> None:
    if how == "logout":
        kiosk.qtbot.mouseClick(kiosk.window.footer.finish_button, Qt.MouseButton.LeftButton)
        kiosk.settle()
        assert kiosk.flow.step is Step.TAKE_CARD
    elif how == "card removed":
        kiosk.reader.remove()
        kiosk.wait_for(Step.ATTRACT)
    else:
        kiosk.clock.now += kiosk.flow.timeout_s + 1
        kiosk.flow.tick()  # what the window's one-second ticker calls
        kiosk.settle()
        assert kiosk.flow.step is Step.TAKE_CARD
        assert kiosk.flow.notice is not None and kiosk.flow.notice.id == "notice.timed_out"


def assert_clean(kiosk: Kiosk, data: list[Datum]) -> None:
    left = leftover_texts(data, kiosk.seen.texts)
    assert not left, "left on screen after the session:\n" + "\n".join(left)
    said = [
        text
        for text in kiosk.repeat_said()
        if any(d.value in text for d in data) or any(s in text for s in kiosk.seen.texts)
    ]
    assert not said, f"the repeat key still says {len(said)} personal item(s)"
    queued = [c for c in kiosk.player.queue if any(d.value in c.utterance.text for d in data)]
    assert not queued, "the speech queue still holds personal items"
    cache = PromptCache(kiosk.engine, kiosk.speech_cache)
    allowed = fixed_prompt_files(cache, kiosk.translations)
    stray = [p.name for p in kiosk.speech_cache.glob("*") if p.name not in allowed]
    assert not stray, f"the prompt cache holds {len(stray)} file(s) of dynamic prompts"
    alive = kiosk.dead_objects()
    assert not alive, f"still in memory after the session: {alive}"


ENDINGS = ("logout", "card removed", "timeout")


@pytest.mark.parametrize("how", ENDINGS)
def test_a_session_leaves_nothing_behind(kiosk: Kiosk, residents, how: str) -> None:
    a_session(kiosk, "demo_a")
    end(kiosk, how)
    assert_clean(kiosk, residents["demo_a"])
    if kiosk.flow.card_present:
        kiosk.reader.remove()
        kiosk.wait_for(Step.ATTRACT)
        assert_clean(kiosk, residents["demo_a"])


@pytest.mark.parametrize("how", ENDINGS)
def test_the_next_resident_sees_nothing_of_the_last(kiosk: Kiosk, residents, how: str) -> None:
    a_session(kiosk, "demo_a")
    first = kiosk.seen
    end(kiosk, how)
    if kiosk.flow.card_present:
        kiosk.reader.remove()
        kiosk.wait_for(Step.ATTRACT)
    kiosk.seen = type(first)()
    # The contact phone is the same in both sessions; everything else of A must not show.
    a_data = [d for d in residents["demo_a"] if d.kind != "contact phone"]
    kiosk.sign_in_with_card("demo_b")
    for visit in (kiosk.visit_records, kiosk.visit_card_life):
        visit()
        # A's lines that B's own session did not also show (two pension lines may read alike).
        left = leftover_texts(a_data, first.texts - kiosk.seen.texts)
        assert not left, "B's screens show A's data:\n" + "\n".join(left)
    end(kiosk, how)
    assert_clean(kiosk, residents["demo_b"])


def test_an_ecode_session_leaves_nothing_behind(kiosk: Kiosk, residents) -> None:
    data = residents[WITHOUT_CARD]
    kiosk.sign_in_with_ecode(next(d.value for d in data if d.kind == "e-code"))
    kiosk.visit_records(certificate=False)
    kiosk.visit_card_life()
    assert kiosk.seen.texts
    kiosk.choose_label("home.choice.finish")
    kiosk.wait_for(Step.ATTRACT)
    assert_clean(kiosk, data)


def test_a_loss_report_without_the_card_leaves_nothing_behind(kiosk: Kiosk, residents) -> None:
    """The ID number is typed on the keypad and shown as typed: it must not stay there."""
    data = residents[WITHOUT_CARD]
    kiosk.report_lost_without_card(next(d.value for d in data if d.kind == "ssn"))
    assert any("LostCardTask" in what for what, _ref in kiosk.seen.objects)
    assert_clean(kiosk, data)


def test_a_pin_half_typed_is_gone_when_the_session_times_out(kiosk: Kiosk, residents) -> None:
    kiosk.reader.insert(kiosk.profiles["demo_a"])
    kiosk.wait_for(Step.PIN)
    kiosk.press(*(getattr(Qt.Key, f"Key_{d}") for d in kiosk.profiles["demo_a"].pin[:5]))
    assert kiosk.window.pin_screen.length == 5
    kiosk.clock.now += kiosk.flow.timeout_s + 1
    kiosk.flow.tick()
    kiosk.settle()
    assert kiosk.flow.step is Step.TAKE_CARD
    assert kiosk.window.pin_screen.length == 0
    assert_clean(kiosk, residents["demo_a"])
