"""The resident's profile: the long debounce comes with the elderly mode, and is a choice."""

from __future__ import annotations

from kiosk.accessibility.profile import Profile


def test_the_long_debounce_is_off_by_default_and_on_with_the_elderly_mode() -> None:
    assert not Profile().long_debounce
    elderly = Profile().toggled_elderly()
    assert elderly.elderly and elderly.long_debounce
    back = elderly.toggled_elderly()
    assert not back.elderly and not back.long_debounce


def test_the_long_debounce_is_a_choice_of_its_own() -> None:
    steady = Profile(language="en").toggled_long_debounce()
    assert steady.long_debounce and not steady.elderly and steady.language == "en"
    assert not steady.toggled_long_debounce().long_debounce
    # Turned off in the elderly mode, it stays off until the mode is switched again.
    assert not Profile().toggled_elderly().toggled_long_debounce().long_debounce
