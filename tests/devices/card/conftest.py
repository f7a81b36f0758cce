"""Fixtures for the card stack's unit tests."""

from __future__ import annotations

import pytest
from card_helpers import RecordingListener


@pytest.fixture
def listener() -> RecordingListener:
    return RecordingListener()
