"""50 simulated kiosks running the resident session mix against `kiosk server` on this machine.

Each kiosk is a thread with its own keep-alive connection. A visit: open a session by e-code,
read the catalog, the card, contributions and the medical account, sometimes file a
suggestion, close the session; between taps the resident thinks for 0.5-1.5 s (a brisk
resident who knows the screens; most take several seconds to read one). The baseline is the
same 50 kiosks calling the trivial health endpoint with the same pacing, in the same run,
against the same server: the ratio is what the platform's real work costs over the bare HTTP
stack. A short closed-loop run (no thinking) gives
the most requests per second the machine sustains. Goal: p99 under 50 ms at 50 kiosks.

The city case runs as a city would: `kiosk server --workers 2` over PostgreSQL (a throwaway
cluster of Debian's PostgreSQL on loopback, migrated by `kiosk server migrate`). The session
mix without thinking, from CITY_CLOSED_KIOSKS kiosks, gives the saturated requests per second
and p99, against the health endpoint on the same workers; then CITY_KIOSKS kiosks with think
time give the p99 a hall full of residents sees. Goals on this 2-core machine: p99 <= 100 ms
at 500 kiosks, saturated throughput at least half the health endpoint's.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable

import requests

from bench import Result

KIOSKS = 50
PACED_S = 15.0
CLOSED_S = 5.0
THINK_S = (0.5, 1.5)
CITY_KIOSKS = 500
# Five hundred residents reading a screen before the next tap: still brisk (a first-time user
# takes far longer), and the load generator's own threads share the two cores with the server.
CITY_THINK_S = (2.0, 6.0)
CITY_PACED_S = 30.0
CITY_CLOSED_KIOSKS = 16
# Demo card numbers whose e-code opens a session (every status but cancelled).
CARDS = ["A00000011", "B00000022"] + [f"D{n:08d}" for n in range(1, 23) if n not in (11, 21)]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class Kiosk(threading.Thread):
    def __init__(
        self,
        url: str,
        kiosk_id: str,
        key: str,
        mix: str,
        until: float,
        think: bool,
        seed: int,
        think_s: tuple[float, float] = THINK_S,
    ) -> None:
        super().__init__(daemon=True)
        self.url, self.mix, self.until, self.think = url, mix, until, think
        self.think_s = think_s
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
            time.sleep(self.rng.uniform(*self.think_s))
        return answer

    def run(self) -> None:
        if self.think:  # kiosks do not start in step: each is somewhere in its own visit
            time.sleep(self.rng.uniform(0, self.think_s[1]))
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
    server: Target,
    mix: str,
    seconds: float,
    think: bool,
    count: int = KIOSKS,
    think_s: tuple[float, float] = THINK_S,
) -> tuple[float, float, float, int]:
    until = time.perf_counter() + seconds
    kiosks = []
    for i in range(count):
        kiosk_id, key = server.credentials(i)
        kiosks.append(Kiosk(server.url, kiosk_id, key, mix, until, think, i, think_s))
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


class Target:
    """Where the simulated kiosks send: one server (its workers share the port), and a kiosk
    identity for each simulated kiosk, registered as an operator would, since the platform's
    limits count per kiosk."""

    def __init__(self, url: str, kiosks: list[tuple[str, str]]) -> None:
        self.url = url
        self.kiosks = kiosks

    def credentials(self, number: int) -> tuple[str, str]:
        return self.kiosks[number % len(self.kiosks)]


def _enroll(db_url: str, count: int) -> list[tuple[str, str]]:
    import secrets

    from kiosk.server import service
    from kiosk.server.db import make_engine

    engine = make_engine(db_url)
    kiosks = [(f"bench-kiosk-{n:04d}", secrets.token_urlsafe(24)) for n in range(count)]
    for kiosk_id, key in kiosks:
        service.register_kiosk(engine, kiosk_id, key, "bench")
    engine.dispose()
    return kiosks


def city() -> list[Result]:
    import tempfile
    from pathlib import Path

    from kiosk.server import service
    from kiosk.server.demo import DEFAULT_SEED
    from kiosk.server.testing import Replicas, create_database, throwaway_postgres

    with throwaway_postgres() as cluster, tempfile.TemporaryDirectory() as logs:
        url = create_database(cluster, "onecard_city")
        service.prepare(url, demo_seed=DEFAULT_SEED).dispose()  # kiosk server migrate --demo
        kiosks = _enroll(url, CITY_KIOSKS)
        replicas = Replicas(url, 1, workers=2).start(Path(logs))
        try:
            target = Target(replicas.urls[0], kiosks)
            _drive(target, "session", 3.0, False, CITY_CLOSED_KIOSKS)  # warm both workers
            hc_rps, _, hc_p99, _ = _drive(target, "health", CLOSED_S * 2, False, CITY_CLOSED_KIOSKS)
            sc_rps, _, sc_p99, sc_err = _drive(
                target, "session", CLOSED_S * 2, False, CITY_CLOSED_KIOSKS
            )
            _, _, h_p99, h_err = _drive(
                target, "health", CITY_PACED_S, True, CITY_KIOSKS, CITY_THINK_S
            )
            s_rps, s_p50, s_p99, s_err = _drive(
                target, "session", CITY_PACED_S, True, CITY_KIOSKS, CITY_THINK_S
            )
        finally:
            replicas.stop()
    where = "2 workers on PostgreSQL"
    return [
        Result.against(
            "platform.city_saturated_rps",
            sc_rps,
            hc_rps,
            "req/s",
            f"{where}, {CITY_CLOSED_KIOSKS} kiosks without thinking; p99 {sc_p99:.0f} ms"
            f" (health {hc_p99:.0f}); errors {sc_err}; goal ratio >= 0.5",
        ),
        Result.against(
            "platform.city_p99_ms",
            s_p99,
            h_p99,
            "ms",
            f"{where}, {CITY_KIOSKS} kiosks, think {CITY_THINK_S[0]}-{CITY_THINK_S[1]} s;"
            f" p50 {s_p50:.1f} ms; {s_rps:.0f} req/s offered; errors {s_err} (health {h_err});"
            " goal <= 100 ms",
        ),
    ]


def run() -> list[Result]:
    return [*single(), *city()]


def single() -> list[Result]:
    import shutil
    import tempfile
    from pathlib import Path

    from kiosk.server import service
    from kiosk.server.db import sqlite_url
    from kiosk.server.testing import Replicas

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "platform.sqlite3"
        shutil.copyfile(service.demo_template(), copy)
        url = sqlite_url(copy)
        kiosks = _enroll(url, KIOSKS)
        replicas = Replicas(url, 1).start(Path(folder))
        try:
            server = Target(replicas.urls[0], kiosks)
            warm: Callable[[], object] = lambda: _drive(server, "session", 2.0, True)  # noqa: E731
            warm()
            h_rps, h_p50, h_p99, h_err = _drive(server, "health", PACED_S, True)
            s_rps, s_p50, s_p99, s_err = _drive(server, "session", PACED_S, True)
            hc_rps, _, _, _ = _drive(server, "health", CLOSED_S, False)
            sc_rps, _, sc_p99, _ = _drive(server, "session", CLOSED_S, False)
        finally:
            replicas.stop()
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
