"""50 simulated kiosks running the resident session mix against `kiosk server` on this machine.

Each kiosk is a thread with its own keep-alive connection. A visit: open a session by e-code,
read the catalog, the card, contributions and the medical account, sometimes file a
suggestion, close the session; between taps the resident thinks for 0.5-1.5 s (a brisk
resident who knows the screens; most take several seconds to read one). The baseline is the
same 50 kiosks calling the trivial health endpoint with the same pacing, in the same run,
against the same server: the ratio is what the platform's real work costs over the bare HTTP
stack. A short closed-loop run (no thinking) gives
the most requests per second the machine sustains. Goal: p99 under 50 ms at 50 kiosks.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable

import requests

from bench import Result
from kiosk.server.embedded import EmbeddedServer

KIOSKS = 50
PACED_S = 15.0
CLOSED_S = 5.0
THINK_S = (0.5, 1.5)
# Demo card numbers whose e-code opens a session (every status but cancelled).
CARDS = ["A00000011", "B00000022"] + [f"D{n:08d}" for n in range(1, 23) if n not in (11, 21)]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class Kiosk(threading.Thread):
    def __init__(
        self, url: str, kiosk_id: str, key: str, mix: str, until: float, think: bool, seed: int
    ) -> None:
        super().__init__(daemon=True)
        self.url, self.mix, self.until, self.think = url, mix, until, think
        self.rng = random.Random(seed)
        self.http = requests.Session()
        self.http.trust_env = False
        self.http.headers.update({"X-Kiosk-Id": kiosk_id, "X-Kiosk-Key": key})
        self.latencies: list[float] = []
        self.errors = 0

    def call(self, method: str, path: str, **kwargs: object) -> requests.Response | None:
        if time.perf_counter() >= self.until:
            return None
        started = time.perf_counter()
        try:
            answer = self.http.request(method, self.url + path, timeout=10, **kwargs)  # type: ignore[arg-type]
        except requests.RequestException:
            self.errors += 1
            return None
        self.latencies.append(time.perf_counter() - started)
        if answer.status_code >= 400:
            self.errors += 1
        if self.think:
            time.sleep(self.rng.uniform(*THINK_S))
        return answer

    def run(self) -> None:
        if self.think:  # kiosks do not start in step: each is somewhere in its own visit
            time.sleep(self.rng.uniform(0, THINK_S[1]))
        while time.perf_counter() < self.until:
            if self.mix == "health":
                self.call("GET", "/v1/health")
            else:
                self.visit()

    def visit(self) -> None:
        ecode = f"DEMO-ECODE-{self.rng.choice(CARDS)}"
        opened = self.call("POST", "/v1/sessions", json={"method": "ecode", "ecode": ecode})
        if opened is None or opened.status_code != 201:
            return
        token = {"X-Session-Token": opened.json()["token"]}
        self.call("GET", "/v1/catalog")
        self.call("GET", "/v1/card", headers=token)
        self.call("GET", "/v1/records/contributions", headers=token, params={"limit": 60})
        self.call("GET", "/v1/records/medical", headers=token, params={"limit": 20})
        if self.rng.random() < 0.1:
            body = {
                "kind": "suggestion",
                "category": "kiosk",
                "subject": "bench",
                "text": "bench",
                "anonymous": True,
            }
            self.call(
                "POST", "/v1/complaints", json=body, headers={"Idempotency-Key": uuid.uuid4().hex}
            )
        self.call("DELETE", "/v1/sessions/current", headers=token)


def _drive(
    server: EmbeddedServer, mix: str, seconds: float, think: bool
) -> tuple[float, float, float, int]:
    until = time.perf_counter() + seconds
    kiosks = [
        Kiosk(server.url, server.kiosk_id, server.kiosk_key, mix, until, think, seed=i)
        for i in range(KIOSKS)
    ]
    started = time.perf_counter()
    for kiosk in kiosks:
        kiosk.start()
    for kiosk in kiosks:
        kiosk.join()
    elapsed = time.perf_counter() - started
    latencies = [x for k in kiosks for x in k.latencies]
    errors = sum(k.errors for k in kiosks)
    return (
        len(latencies) / elapsed,
        _percentile(latencies, 0.5) * 1000,
        _percentile(latencies, 0.99) * 1000,
        errors,
    )


def run() -> list[Result]:
    server = EmbeddedServer.start(log_level="warning")
    try:
        server.wait_ready(60)
        warm: Callable[[], object] = lambda: _drive(server, "session", 2.0, True)  # noqa: E731
        warm()
        h_rps, h_p50, h_p99, h_err = _drive(server, "health", PACED_S, True)
        s_rps, s_p50, s_p99, s_err = _drive(server, "session", PACED_S, True)
        hc_rps, _, _, _ = _drive(server, "health", CLOSED_S, False)
        sc_rps, _, sc_p99, _ = _drive(server, "session", CLOSED_S, False)
    finally:
        server.stop()
    note = f"{KIOSKS} kiosks, think {THINK_S[0]}-{THINK_S[1]} s"
    return [
        Result.against("platform.p50_ms", s_p50, h_p50, "ms", f"{note}; baseline /v1/health"),
        Result.against(
            "platform.p99_ms",
            s_p99,
            h_p99,
            "ms",
            f"{note}; goal < 50 ms; errors {s_err} (health {h_err})",
        ),
        Result.against(
            "platform.requests_per_s",
            s_rps,
            h_rps,
            "req/s",
            f"{note}; offered load, higher is better",
        ),
        Result.against(
            "platform.saturated_rps",
            sc_rps,
            hc_rps,
            "req/s",
            f"{KIOSKS} kiosks without thinking; p99 {sc_p99:.0f} ms; higher is better",
        ),
    ]
