"""alembic's migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kiosk.server.db import make_engine, sqlite_url, upgrade
from kiosk.server.models import Base


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "fresh.sqlite3"))
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    upgrade(engine)  # a second run is a no-op, not an error
