"""The outbox: what a resident submits is on disk before it is sent, and reaches the platform
exactly once (DESIGN.md principle 4).

submit() writes the item to a local SQLite file (WAL, synchronous=FULL: the row survives the
process being killed or the power going) with a fresh idempotency key, and only then tries to
send it. The platform files a key once, and a repeat gets the first answer, so sending again
after a crash or a lost answer can never file twice; the outbox keeps sending until it hears an
answer. The tracking number is derived from the key on both sides, so the resident gets it at
once whether the item went out or waits in the queue.

The platform files a resident's submission only in their live session, or with a delivery
grant given while that session was live for exactly that submission's key (so that nobody files
in a resident's name with the kiosk's key alone). submit() asks for the grant before it queues,
in the session; and reserve(), called when a session opens, asks ahead for a few keys with
their grants, so that an item queued after the network dropped mid-session still goes out once
the platform is back, after the resident has left.

Personal data in a queued item (a complaint's text, the session token, the grant) is wiped from
the file as soon as the platform has the item or has refused it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.api_contract import SUBMISSION_PATHS, tracking_number
from kiosk.domain.errors import PlatformAnswerInvalid, PlatformRejected, PlatformUnavailable
from kiosk.domain.privacy import mask_reference
from kiosk.domain.submission import OutboxState, SubmissionReceipt

if TYPE_CHECKING:
    from kiosk.backend.client import PlatformClient

log = logging.getLogger("kiosk.backend.outbox")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    tracking_number TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    token TEXT,
    card TEXT,
    state TEXT NOT NULL,
    grant_value TEXT,
    created TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL DEFAULT 0,
    reason TEXT,
    delivered TEXT
)
"""


_PREFIX = {"complaint": "C"}  # card requests are R-...
# Keys with grants asked for ahead when a session opens: a resident files a few things at most.
RESERVED_PER_SESSION = 3
_RESERVED_SESSIONS = 4


class Outbox:
    def __init__(
        self,
        path: str | Path | Callable[[], Path],
        client: PlatformClient,
        *,
        retry_every_s: float = 15.0,
        max_backoff_s: float = 300.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        import time

        self._client = client
        self._clock = clock or time.time
        self.retry_every_s = retry_every_s
        self.max_backoff_s = max_backoff_s
        # A callable says where the file is when it is first opened: the kiosk's data folder
        # costs an import that its first frame should not wait for.
        self._where: Callable[[], Path] = path if callable(path) else lambda: Path(path)
        self._connection: sqlite3.Connection | None = None
        self._opening = threading.Lock()
        self._lock = threading.Lock()  # guards the connection and the in-flight set
        self._sending = threading.Lock()  # one delivery at a time: order is kept
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # session token -> (idempotency key, grant) asked ahead; in memory only, and a few.
        self._reserved: OrderedDict[str, list[tuple[str, str]]] = OrderedDict()
        self._to_reserve: list[str] = []

    @property
    def _db(self) -> sqlite3.Connection:
        """The queue file, opened on first use: the kiosk makes the outbox before its first
        frame, and the file's set-up waits on the disk."""
        with self._opening:
            if self._connection is None:
                self._connection = _open(self._where())
            return self._connection

    # --- what the flows call ----------------------------------------------------------------

    def submit(
        self,
        kind: str,
        body: Mapping[str, object],
        *,
        token: str | None = None,
        send_now: bool = True,
    ) -> SubmissionReceipt:
        """Queue durably, then try once to send. Never raises for a platform failure.

        With a token, the item carries a delivery grant for its key: one reserved when the
        session opened, or one asked for now; without any (the platform was away all along),
        it goes out with the token while the session lasts."""
        if kind not in SUBMISSION_PATHS:
            raise ValueError(f"unknown submission kind {kind!r}")
        key, grant = self._key_and_grant(token)
        number = tracking_number(_PREFIX.get(kind, "R"), self._client.kiosk_id, key)
        with self._lock:
            self._db.execute(
                "INSERT INTO outbox (idempotency_key, tracking_number, kind, body, token,"
                " grant_value, state, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    number,
                    kind,
                    json.dumps(dict(body), ensure_ascii=False),
                    token,
                    grant,
                    OutboxState.QUEUED.value,
                    dt.datetime.now(dt.UTC).isoformat(),
                ),
            )
        log.info("queued %s %s", kind, mask_reference(number))
        # Send now only if nothing older waits (order matters: a lifting after its report) and
        # the background sender is not busy; the resident is not kept waiting behind a backlog.
        if send_now and self._older_pending(key) == 0 and self._sending.acquire(blocking=False):
            try:
                return self._deliver(key)
            finally:
                self._sending.release()
        self._wake.set()
        return SubmissionReceipt(number, OutboxState.QUEUED)

    def reserve(self, token: str) -> None:
        """A session has opened: ask, in the background, for a few keys' grants ahead."""
        with self._lock:
            if token and token not in self._reserved and token not in self._to_reserve:
                self._to_reserve.append(token)
        self._wake.set()

    def reserve_now(self, token: str) -> int:
        """Ask for the grants of RESERVED_PER_SESSION new keys; returns how many are held."""
        keys = [uuid.uuid4().hex for _ in range(RESERVED_PER_SESSION)]
        try:
            grants = self._client.delivery_grants(token, keys)
        except (PlatformUnavailable, PlatformAnswerInvalid, PlatformRejected) as failure:
            log.info("no grants reserved: %s", type(failure).__name__)
            return 0
        with self._lock:
            self._reserved[token] = list(grants.items())
            while len(self._reserved) > _RESERVED_SESSIONS:
                self._reserved.popitem(last=False)
            return len(self._reserved[token])

    def _key_and_grant(self, token: str | None) -> tuple[str, str | None]:
        if not token:
            return uuid.uuid4().hex, None
        with self._lock:
            held = self._reserved.get(token)
            if held:
                return held.pop(0)
        key = uuid.uuid4().hex
        try:
            return key, self._client.delivery_grants(token, [key])[key]
        except (PlatformUnavailable, PlatformAnswerInvalid, PlatformRejected) as failure:
            log.info("no grant for the submission: %s", type(failure).__name__)
            return key, None

    def receipt(self, tracking: str) -> SubmissionReceipt | None:
        with self._lock:
            row = self._db.execute(
                "SELECT tracking_number, state, reason FROM outbox WHERE tracking_number = ?",
                (tracking,),
            ).fetchone()
        if row is None:
            return None
        return SubmissionReceipt(row[0], OutboxState(row[1]), row[2])

    def pending_count(self) -> int:
        with self._lock:
            (count,) = self._db.execute(
                "SELECT COUNT(*) FROM outbox WHERE state = ?", (OutboxState.QUEUED.value,)
            ).fetchone()
        return int(count)

    def deliver_pending(self) -> int:
        """Send what waits, oldest first, until the platform stops answering. Returns how many
        reached a final state (delivered or rejected)."""
        done = 0
        with self._sending:
            now = self._clock()
            with self._lock:
                keys = [
                    k
                    for (k,) in self._db.execute(
                        "SELECT idempotency_key FROM outbox WHERE state = ? AND next_attempt <= ?"
                        " ORDER BY seq",
                        (OutboxState.QUEUED.value, now),
                    )
                ]
            for key in keys:
                receipt = self._deliver(key)
                if receipt.state is OutboxState.QUEUED:
                    break  # the platform is away again: keep the order, try later
                done += 1
        return done

    # --- the background sender --------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def close(self) -> None:
        self.stop()
        with self._lock, self._opening:
            if self._connection is not None:
                self._connection.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                waiting, self._to_reserve = self._to_reserve, []
            for token in waiting:
                self.reserve_now(token)
            try:
                self.deliver_pending()
            except Exception:  # the sender must outlive any surprise; the item stays queued
                log.exception("outbox delivery failed")
            self._wake.wait(self.retry_every_s)
            self._wake.clear()

    # --- one delivery -----------------------------------------------------------------------

    def _older_pending(self, key: str) -> int:
        with self._lock:
            (count,) = self._db.execute(
                "SELECT COUNT(*) FROM outbox WHERE state = ? AND seq < "
                "(SELECT seq FROM outbox WHERE idempotency_key = ?)",
                (OutboxState.QUEUED.value, key),
            ).fetchone()
        return int(count)

    def _deliver(self, key: str) -> SubmissionReceipt:
        with self._lock:
            row = self._db.execute(
                "SELECT tracking_number, kind, body, token, grant_value, state, attempts, reason"
                " FROM outbox WHERE idempotency_key = ?",
                (key,),
            ).fetchone()
        number, kind, body, token, grant, state, attempts, reason = row
        if state != OutboxState.QUEUED.value:
            return SubmissionReceipt(number, OutboxState(state), reason)
        try:
            answer = self._client.submit(
                kind, json.loads(body), idempotency_key=key, token=token, grant=grant, retry=False
            )
        except PlatformRejected as refusal:
            self._finish(key, OutboxState.REJECTED, refusal.code)
            log.warning(
                "the platform refused %s %s: %s", kind, mask_reference(number), refusal.code
            )
            return SubmissionReceipt(number, OutboxState.REJECTED, refusal.code)
        except (PlatformUnavailable, PlatformAnswerInvalid) as failure:
            # Not heard, or heard with an answer we cannot read: the key makes sending again
            # safe, so the item waits for the next try.
            backoff = min(self.max_backoff_s, self.retry_every_s * (2 ** min(attempts, 10)))
            with self._lock:
                self._db.execute(
                    "UPDATE outbox SET attempts = attempts + 1, next_attempt = ?"
                    " WHERE idempotency_key = ?",
                    (self._clock() + backoff, key),
                )
            log.info("%s %s waits: %s", kind, mask_reference(number), type(failure).__name__)
            return SubmissionReceipt(number, OutboxState.QUEUED)
        self._finish(key, OutboxState.DELIVERED, None)
        return SubmissionReceipt(number, OutboxState.DELIVERED, None, answer)

    def _finish(self, key: str, state: OutboxState, reason: str | None) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE outbox SET state = ?, reason = ?, delivered = ?, body = '{}', token = NULL,"
                " card = NULL, grant_value = NULL, attempts = attempts + 1"
                " WHERE idempotency_key = ?",
                (state.value, reason, dt.datetime.now(dt.UTC).isoformat(), key),
            )
            # The write-ahead log still holds the item as it was queued: fold the wiped pages
            # into the file and empty the log, so the personal data leaves the disk now.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")  # the row is on disk when submit() goes on
    db.execute("PRAGMA busy_timeout=5000")
    # A wiped value is overwritten with zeros, not left in the page's free space (Art. 12),
    # whatever the SQLite build's default.
    db.execute("PRAGMA secure_delete=ON")
    db.execute(_SCHEMA)
    columns = {row[1] for row in db.execute("PRAGMA table_info(outbox)")}
    if "grant_value" not in columns:  # a queue file from before delivery grants
        db.execute("ALTER TABLE outbox ADD COLUMN grant_value TEXT")
    # A restart is a good moment to try again: forget the backoff of the last run.
    db.execute("UPDATE outbox SET next_attempt = 0 WHERE state = 'queued'")
    return db
