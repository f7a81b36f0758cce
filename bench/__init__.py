"""Benchmarks: each prints its figure beside a baseline measured in the same run.

`python -m bench --json FILE [NAME ...]` runs them (all by default) from the project root.
A benchmark is a module in this package with `run() -> list[Result]`; register it in
BENCHMARKS below. They are measurements, not timed tests: nothing here fails on a number.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass

BENCHMARKS: dict[str, str] = {
    "startup": "bench.startup",
    "transition": "bench.transition",
    "platform": "bench.platform",
    "embedded": "bench.embedded",
    "card_read": "bench.card_read",
    "receipt": "bench.receipt",
    "speech": "bench.speech",
    "soak": "bench.soak",
}


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    baseline: float
    # value / baseline: how many times the baseline's cost this costs (lower is better)
    ratio: float
    notes: str = ""

    @classmethod
    def against(
        cls, name: str, value: float, baseline: float, unit: str, notes: str = ""
    ) -> Result:
        ratio = value / baseline if baseline else float("inf")
        return cls(name, value, unit, baseline, round(ratio, 3), notes)

    @classmethod
    def median_ms(
        cls, name: str, seconds: Sequence[float], baseline_s: Sequence[float], notes: str = ""
    ) -> Result:
        """Two sets of timings in seconds compared by their medians, in milliseconds: the
        median is what a resident meets, untouched by one round slowed by the machine."""
        return cls.against(
            name,
            statistics.median(seconds) * 1000,
            statistics.median(baseline_s) * 1000,
            "ms",
            notes,
        )

    def as_dict(self) -> dict[str, object]:
        return asdict(self)
