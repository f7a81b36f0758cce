"""What every endpoint needs from the running service: its database and its settings."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from kiosk.server.limits import Rule
from kiosk.server.phone import NoTexting, TextMessages


@dataclass(frozen=True)
class Settings:
    # A kiosk session ends after this many idle seconds, whatever the kiosk does (Art. 12).
    session_idle_s: int = 300
    staff_idle_s: int = 900
    # A staff user name locks after this many wrong passwords in a row, for this long
    # (kiosk.server.lockout); a resident's consent to a look-up lasts this long at most (Art. 13).
    staff_max_failed_logins: int = 5
    staff_lockout_s: int = 900
    consent_ttl_s: int = 600
    version: str = "1"
    # The throwaway demo platform only: one-time codes are shown to the demo's dev panel instead
    # of being texted (GET /v1/demo/loss-code). Never set for a real database.
    demo_codes: bool = False
    # Delete what has outlived its period, at start and hourly (kiosk.server.retention).
    purge: bool = True
    # Rate limits that differ from kiosk.server.limits.RULES (tests tighten them).
    limits: dict[str, Rule] = field(default_factory=dict)


class KioskCache:
    """Kiosk keys and switches, remembered briefly: every request checks its kiosk, and the
    answer changes only when an operator registers or disables one. A change takes effect
    within ttl_s.

    The one piece of state a server process keeps for itself (with the catalog's rendered
    answer, kept CACHE_S): a disabled kiosk may be served by another replica for ttl_s more,
    which is harmless, and everything that must hold across requests lives in the database.
    """

    def __init__(self, ttl_s: float = 10.0) -> None:
        self.ttl_s = ttl_s
        self._entries: dict[str, tuple[str, bool, float]] = {}
        self._lock = threading.Lock()

    def get(self, kiosk_id: str) -> tuple[str, bool] | None:
        with self._lock:
            entry = self._entries.get(kiosk_id)
        if entry is None or time.monotonic() - entry[2] > self.ttl_s:
            return None
        return entry[0], entry[1]

    def put(self, kiosk_id: str, key_hash: str, enabled: bool) -> None:
        with self._lock:
            if len(self._entries) > 10_000:  # a flood of made-up ids must not grow it forever
                self._entries.clear()
            self._entries[kiosk_id] = (key_hash, enabled, time.monotonic())


@dataclass(frozen=True)
class Platform:
    sessions: sessionmaker[Session]
    settings: Settings
    # Where each statement commits on its own (kiosk.server.db.single_statements).
    single: Engine
    kiosks: KioskCache = field(default_factory=KioskCache)
    # Rendered answers kept by the endpoints that own them (the catalog).
    memo: dict[str, tuple[float, bytes, str]] = field(default_factory=dict)
    # Where one-time codes go: the demo's stand-in for a text message (kiosk.server.phone).
    phone: TextMessages = field(default_factory=lambda: NoTexting())

    @contextmanager
    def db(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    @contextmanager
    def statements(self) -> Iterator[Session]:
        """A session for a request none of whose writes needs another statement to hold with
        it (reads, a session's idle mark, a sign-in's count, a new session's row): each
        statement commits alone, with no BEGIN, COMMIT or ROLLBACK round trips around it."""
        with Session(self.single, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def rows(self) -> Iterator[Connection]:
        """The same, without the ORM: for the hottest requests (the session check, the card,
        the records), whose statements read columns into plain rows. SQLAlchemy's ORM layer
        costs a tenth of a millisecond a statement over the plain connection, about what
        PostgreSQL takes to run one."""
        with self.single.connect() as connection:
            yield connection


async def platform(request: Request) -> Platform:
    result: Platform = request.app.state.platform
    return result
