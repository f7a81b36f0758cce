"""Fixtures for the receipt printer's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from escpos_standin import StandinPrinter


@pytest.fixture
def standin() -> Iterator[Callable[..., StandinPrinter]]:
    """Starts TCP stand-in printers with the faults asked for; stops them after the test."""
    started: list[StandinPrinter] = []

    def start(**faults: bool | int | None) -> StandinPrinter:
        printer = StandinPrinter(**faults)  # type: ignore[arg-type]
        printer.__enter__()
        started.append(printer)
        return printer

    yield start
    for printer in started:
        printer.__exit__()
