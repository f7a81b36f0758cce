"""Hundreds of simulated kiosks from one process without hundreds of threads: each kiosk is an
asyncio task on its own keep-alive HTTP/1.1 connection, written and read by hand.

Five hundred threads of `requests` spend the two cores on the GIL and on requests' own work,
and their queueing, not the platform's, becomes the tail the benchmark would report (the health
endpoint then shows the same p99 as the real work). An asyncio task costs a few microseconds a
call, so the tail measured here is the platform's. Only what the session mix needs: JSON bodies,
Content-Length answers, no chunked encoding, no TLS.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Demo card numbers whose e-code opens a session (every status but cancelled).
CARDS = ["A00000011", "B00000022"] + [f"D{n:08d}" for n in range(1, 23) if n not in (11, 21)]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def call(
        self, method: str, path: str, headers: dict[str, str], body: object = None
    ) -> tuple[int, bytes]:
        payload = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", "Host: bench"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body is not None:
            lines += ["Content-Type: application/json"]
        lines += [f"Content-Length: {len(payload)}", "", ""]
        self.writer.write("\r\n".join(lines).encode() + payload)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        return status, await self.reader.readexactly(length) if length else b""


async def _kiosk(
    url: str,
    credentials: tuple[str, str],
    mix: str,
    until: float,
    think_s: tuple[float, float],
    seed: int,
    tally: Tally,
) -> None:
    rng = random.Random(seed)
    parts = urlsplit(url)
    kiosk = {"X-Kiosk-Id": credentials[0], "X-Kiosk-Key": credentials[1]}
    loop = asyncio.get_running_loop()
    held: list[Connection] = []

    async def connection() -> Connection:
        if not held:
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
            held.append(Connection(reader, writer))
        return held[0]

    def drop() -> None:
        if held:
            held.pop().writer.close()

    async def once(
        method: str, path: str, headers: dict[str, str], body: object
    ) -> tuple[int, bytes]:
        # A keep-alive connection the server closed while the resident was reading is opened
        # again, as an HTTP client library would; a second failure is an error.
        try:
            return await (await connection()).call(method, path, headers, body)
        except (OSError, asyncio.IncompleteReadError):
            drop()
            return await (await connection()).call(method, path, headers, body)

    async def call(method: str, path: str, body: object = None, **extra: str) -> bytes | None:
        if loop.time() >= until:
            return None
        started = time.perf_counter()
        try:
            status, answer = await once(method, path, kiosk | extra, body)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            drop()
            tally.errors += 1
            await asyncio.sleep(rng.uniform(*think_s))
            return None
        tally.latencies.append(time.perf_counter() - started)
        if status >= 400:
            tally.errors += 1
        await asyncio.sleep(rng.uniform(*think_s))
        return answer if status < 400 else None

    await asyncio.sleep(rng.uniform(0, think_s[1]))  # kiosks do not start in step
    try:
        while loop.time() < until:
            if mix == "health":
                await call("GET", "/v1/health")
                continue
            opened = await call(
                "POST",
                "/v1/sessions",
                {"method": "ecode", "ecode": f"DEMO-ECODE-{rng.choice(CARDS)}"},
            )
            if opened is None:
                continue
            token = {"X-Session-Token": json.loads(opened)["token"]}
            await call("GET", "/v1/catalog")
            await call("GET", "/v1/card", **token)
            await call("GET", "/v1/records/contributions?limit=60", **token)
            await call("GET", "/v1/records/medical?limit=20", **token)
            if rng.random() < 0.1:
                suggestion = {
                    "kind": "suggestion",
                    "category": "kiosk",
                    "subject": "bench",
                    "text": "bench",
                    "anonymous": True,
                }
                await call(
                    "POST", "/v1/complaints", suggestion, **{"Idempotency-Key": uuid.uuid4().hex}
                )
            await call("DELETE", "/v1/sessions/current", **token)
    finally:
        drop()


def drive(
    url: str,
    kiosks: list[tuple[str, str]],
    mix: str,
    seconds: float,
    think_s: tuple[float, float],
) -> tuple[float, list[float], int]:
    """Run len(kiosks) kiosks for `seconds`: (requests per second, latencies in s, errors)."""

    async def main() -> tuple[float, Tally]:
        tally = Tally()
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _kiosk(url, credentials, mix, until, think_s, number, tally)
                for number, credentials in enumerate(kiosks)
            )
        )
        return time.perf_counter() - started, tally

    elapsed, tally = asyncio.run(main())
    return len(tally.latencies) / elapsed, tally.latencies, tally.errors
