"""`kiosk audit-log verify` and `kiosk audit-log export --since --until`: the look-up log checked
and handed over (Art. 13, 18).

Both read the platform's database directly (--db URL, by default the reference service's own),
not its API: a check of the log must not depend on the service whose log it checks, and it
works while that service is down. They never write to the database, not even a migration.
`verify` names the first entry that fails and exits 1; `export` writes one period as JSON,
residents as opaque references, with the whole chain's check beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

EXIT_BROKEN = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", parser_class=type(parser))
    verify = actions.add_parser("verify", help="check the hash chain; name the first bad entry")
    export = actions.add_parser("export", help="write one period of the log as JSON")
    for sub in (verify, export):
        sub.add_argument(
            "--db", metavar="URL", help="the platform's database (default: the reference one)"
        )
    export.add_argument(
        "--since", required=True, metavar="WHEN", help="from (ISO 8601 date or time; UTC if bare)"
    )
    export.add_argument(
        "--until", required=True, metavar="WHEN", help="up to, not including (ISO 8601)"
    )
    export.add_argument("--out", type=Path, metavar="FILE", help="write here, not to stdout")


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"kiosk audit-log: {message}\n")
    return code


def _moment(text: str, name: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--{name} {text!r} is not an ISO 8601 date or time") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def run(args: argparse.Namespace) -> int:
    if args.action is None:
        return _fail("choose verify or export", EXIT_USAGE)
    since = until = None
    if args.action == "export":
        try:
            since, until = _moment(args.since, "since"), _moment(args.until, "until")
        except ValueError as error:
            return _fail(str(error), EXIT_USAGE)
        if until <= since:
            return _fail("--until must come after --since", EXIT_USAGE)

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from kiosk.server import audit
    from kiosk.server.db import default_db_url, make_engine, sessions
    from kiosk.server.service import describe

    url = args.db or default_db_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        return _fail("--db is not a database URL (sqlite:///FILE, postgresql+psycopg://...)", 2)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        # SQLite would make an empty database there: an empty log that verifies, wrongly.
        return _fail(f"no database at {describe(url)}", EXIT_UNREADABLE)
    engine = make_engine(url)
    try:
        with sessions(engine)() as db:
            if args.action == "verify":
                problem = audit.first_problem(db)
                count = db.scalar(_count_query())
                if problem is None:
                    print(f"audit log intact: {count} entries")
                    return 0
                where = (
                    f"entry {problem.entry_id}" if problem.entry_id is not None else "the log's end"
                )
                print(f"audit log BROKEN at {where} ({problem.kind}): {problem.detail}")
                return EXIT_BROKEN
            assert since is not None and until is not None
            from kiosk.server.routes.staff import export_of

            export = export_of(db, since, until)
    except SQLAlchemyError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return _fail(f"cannot read the audit log in {describe(url)}: {first}", EXIT_UNREADABLE)
    finally:
        engine.dispose()
    document = export.model_dump(mode="json")
    text = json.dumps(document, ensure_ascii=False, indent=1)
    if args.out is not None:
        try:
            args.out.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            return _fail(f"cannot write {args.out}: {error.strerror or error}", EXIT_UNREADABLE)
        sys.stderr.write(f"kiosk audit-log: {len(document['entries'])} entries -> {args.out}\n")
    else:
        print(text)
    return 0 if export.chain_intact else EXIT_BROKEN


def _count_query() -> Any:
    from sqlalchemy import func, select

    from kiosk.server import models as m

    return select(func.count()).select_from(m.AuditEntry)
