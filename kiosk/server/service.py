"""Getting a database ready to serve: migrated, seeded when new, and the demo kiosk registered.

The demo's database is seeded once into a template in the user's cache directory, named by the
seed, the as-of month and the demo data version; each demo run then starts from a fresh copy of
it, so the embedded platform is ready in well under the time seeding takes, and what one demo
run files (a loss report...) does not carry over to the next.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import Engine, func, select, text

from kiosk.server import demo
from kiosk.server import models as m
from kiosk.server.db import (
    APP_NAME,
    make_engine,
    pending_migration,
    sessions,
    sqlite_url,
    upgrade,
)
from kiosk.server.security import hash_secret

_DEMO_COPY_PREFIX = "onecard-demo-"
_OWNER_FILE = "owner.pid"


class NotAtHead(RuntimeError):
    """The database is not at the schema this version serves; the message says what to run."""


def open_for_serving(url: str) -> Engine:
    """Open a database that `kiosk server migrate` has brought to the head; refuse any other."""
    engine = make_engine(url)
    problem = pending_migration(engine)
    if problem is not None:
        engine.dispose()
        raise NotAtHead(problem)
    return engine


def prepare(url: str, *, demo_seed: int | None = demo.DEFAULT_SEED) -> Engine:
    """Open, migrate and, if it holds no residents yet, seed the database at url: the work of
    `kiosk server migrate`, and of the embedded demo on its own throwaway copy."""
    engine = make_engine(url)
    upgrade(engine)
    with sessions(engine)() as db:
        empty = db.scalar(select(func.count()).select_from(m.Resident)) == 0
        if empty and demo_seed is not None:
            demo.seed(db, seed=demo_seed)
        elif db.scalar(select(func.count()).select_from(m.CatalogCategory)) == 0:
            demo.seed_catalog(db)  # a pilot without demo residents still publishes the catalog
        db.commit()
    return engine


def register_kiosk(engine: Engine, kiosk_id: str, key: str, label: str = "") -> None:
    """Add the kiosk, or give it this key; the key itself is never stored."""
    if not 1 <= len(kiosk_id) <= 64 or len(key) < 16:
        raise ValueError("a kiosk id is 1-64 characters and its key at least 16")
    from sqlalchemy.exc import IntegrityError

    for _ in range(3):  # replicas starting together may register the same kiosk at once
        with sessions(engine)() as db:
            kiosk = db.get(m.Kiosk, kiosk_id)
            if kiosk is None:
                db.add(m.Kiosk(id=kiosk_id, key_hash=hash_secret(key), label=label, enabled=True))
            else:
                kiosk.key_hash = hash_secret(key)
                kiosk.enabled = True
            try:
                db.commit()
                return
            except IntegrityError:
                db.rollback()
    raise RuntimeError(f"could not register kiosk {kiosk_id}")


def demo_template(
    seed: int = demo.DEFAULT_SEED, as_of: dt.date | None = None, folder: Path | None = None
) -> Path:
    """The cached, fully seeded demo database; built on first use."""
    as_of = as_of or demo.default_as_of()
    if folder is None:
        import platformdirs

        folder = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "demo-platform"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"demo-{demo.content_hash(seed, as_of)}.sqlite3"
    if path.exists():
        return path
    # Build beside it and move into place, so two kiosks starting at once never see half a file.
    fd, building = tempfile.mkstemp(dir=folder, suffix=".building")
    os.close(fd)
    try:
        engine = make_engine(sqlite_url(building))
        upgrade(engine)
        with sessions(engine)() as db:
            demo.seed(db, seed=seed, as_of=as_of)
            db.commit()
        with engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(building + suffix).unlink(missing_ok=True)
        os.replace(building, path)
    finally:
        Path(building).unlink(missing_ok=True)
    for old in folder.glob("demo-*.sqlite3"):  # earlier months and versions
        if old != path:
            old.unlink(missing_ok=True)
    return path


def fresh_demo_copy(seed: int = demo.DEFAULT_SEED) -> tuple[str, Path]:
    """A private copy of the demo database: (its URL, the folder to remove afterwards)."""
    template = demo_template(seed)
    folder = Path(tempfile.mkdtemp(prefix=_DEMO_COPY_PREFIX))
    # Who owns the copy: a server killed outright cannot remove it, the next one will.
    (folder / _OWNER_FILE).write_text(str(os.getpid()))
    target = folder / "platform.sqlite3"
    shutil.copyfile(template, target)
    return sqlite_url(target), folder


def remove_stale_demo_copies(folder: Path | None = None) -> int:
    """Remove the throwaway demo copies whose server has ended; returns how many went."""
    removed = 0
    for copy in Path(folder or tempfile.gettempdir()).glob(f"{_DEMO_COPY_PREFIX}*"):
        try:
            owner = int((copy / _OWNER_FILE).read_text().strip())
        except (OSError, ValueError):
            continue  # not ours, or being made this very moment
        if _alive(owner):
            continue
        shutil.rmtree(copy, ignore_errors=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - os.kill(pid, 0) would end the process there
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def describe(url: str) -> str:
    """The URL without its password, for a log line."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        rendered: str = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"
    return rendered
