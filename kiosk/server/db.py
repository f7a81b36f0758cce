"""The platform's database: where it lives, how it is opened, and how its schema is kept current.

SQLite by default (a file in the user's data directory), PostgreSQL by URL. The schema is
owned by alembic's migrations; `upgrade()` brings any database to the current head. Migrating
is a step of its own (`kiosk server migrate`): a server refuses a database that is not at the
head (`pending_migration()`), so replicas starting together never race to alter the schema.

Engines never log a statement's bound parameters (hide_parameters): a failing INSERT would
otherwise write a phone or ID number into the server's log (Art. 12).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

APP_NAME = "onecard-kiosk"
MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration's revision (tests/server/test_shared_state.py holds it to the migrations
# folder). Every start but a database's first finds it already recorded, and then loads no
# alembic at all: reading its scripts was an eighth of a server's start, paid by each replica.
HEAD_REVISION = "0006"
# Endpoints that touch the database run in this many threads (kiosk.server.routing's pool;
# anyio's, for the little else that blocks, is held to the same; its default is 40). More
# threads than this only wait for the GIL and SQLite's single writer, and stretch the tail.
WORKER_THREADS = 12


def default_db_url() -> str:
    import platformdirs

    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return sqlite_url(folder / "platform.sqlite3")


def sqlite_url(path: str | os.PathLike[str]) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str) -> Engine:
    if is_sqlite(url):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            # One connection per worker thread (WORKER_THREADS), kept open: a new SQLite
            # connection costs its PRAGMAs, and under load the pool's overflow would churn.
            pool_size=WORKER_THREADS + 2,
            max_overflow=8,
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No pre-ping: it costs a round trip on every request. After a database restart or a
    # failover, the first statement on each stale connection fails (a 500 the kiosk retries)
    # and SQLAlchemy then drops the whole pool; connections are also renewed every half hour.
    return create_engine(
        url, pool_size=10, max_overflow=20, pool_recycle=1800, hide_parameters=True
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers go on while one writer commits; NORMAL is durable across a process
    # crash, which is the failure this service must survive on a pilot's single machine.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


# What an operation shared by several endpoints runs its statements on: an ORM session, or a
# plain connection where the endpoint reads columns, not objects (Platform.rows).
Database = Session | Connection


def dialect_name(db: Database) -> str:
    return db.dialect.name if isinstance(db, Connection) else db.get_bind().dialect.name


def single_statements(engine: Engine) -> Engine:
    """The engine whose statements each commit on their own (autocommit), for the requests of a
    resident's visit that read, or write only what one statement holds.

    On PostgreSQL a transaction costs two round trips (BEGIN, and COMMIT or ROLLBACK) around
    what is often two or three short statements: a third of such a request's time on the wire
    and in the database. The reads of one request then see no common snapshot, which none of
    them needs: a resident's records change in batches from the source systems, not under one
    look-up. SQLite's driver already begins a transaction only for a write, so it keeps the
    ordinary sessions.
    """
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # A literal % in a password must not be read as interpolation by configparser.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration; a no-op on a current database."""
    if recorded_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def recorded_revision(engine: Engine) -> str | None:
    """The revision alembic recorded in this database, read without loading alembic; None when
    it has recorded none (a single head: the migrations never branch)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        revisions = list(rows)
    return revisions[0] if len(revisions) == 1 else None


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def pending_migration(engine: Engine) -> str | None:
    """Why this database cannot be served as it is, in one line; None when it is at the head."""
    current = recorded_revision(engine)
    if current == HEAD_REVISION:
        return None
    if current is None:
        return "the database has no schema yet: run `kiosk server migrate --db URL` first"
    return (
        f"the database schema is at {current}, this version needs {HEAD_REVISION}:"
        " run `kiosk server migrate --db URL` first"
    )
