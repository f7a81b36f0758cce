"""`kiosk staff add|disable` and `kiosk kiosk enroll|disable`: the staff console's account and
fleet actions, for a deployment that runs without the console.

They work on the platform's database directly (--db URL, by default the reference service's
own), bringing its schema up to date first. A password is read from standard input, one line,
never from the command line where `ps` shows it; a kiosk's key is printed once and only its hash
is kept. Accounts made here sign in at once, and are in the audit log as made by themselves at
the command line; kiosk actions here have no member of staff to name and are not in it (whoever
runs them holds the database itself).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

EXIT_FAILED = 1
EXIT_USAGE = 2
AT_COMMAND_LINE = "@command-line"


def _two_actions(
    parser: argparse.ArgumentParser,
    first: tuple[str, str],
    second: tuple[str, str],
    *names: str,
    **naming: str,
) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The command's two actions, (name, help) each, both on a database and both naming what
    they act on by the option `names` (with `naming` for its add_argument)."""
    actions = parser.add_subparsers(dest="action", parser_class=type(parser))
    made = (
        actions.add_parser(first[0], help=first[1]),
        actions.add_parser(second[0], help=second[1]),
    )
    for sub in made:
        sub.add_argument(
            "--db", metavar="URL", help="the platform's database (default: the reference one)"
        )
        sub.add_argument(*names, required=True, **naming)
    return made


def add_staff_arguments(parser: argparse.ArgumentParser) -> None:
    add, _disable = _two_actions(
        parser,
        ("add", "add a staff account (password on standard input)"),
        ("disable", "disable a staff account and end its sessions"),
        "--username",
    )
    add.add_argument(
        "--role",
        required=True,
        choices=["counter", "supervisor", "auditor", "department", "operator"],
    )
    add.add_argument("--department", default="", metavar="CODE", help="a department account's")
    add.add_argument("--name", default="", help="the name shown in the console")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from standard input (one line)",
    )


def add_kiosk_arguments(parser: argparse.ArgumentParser) -> None:
    enroll, _disable = _two_actions(
        parser,
        ("enroll", "enroll a kiosk and print its key once"),
        ("disable", "switch a kiosk off"),
        "--id",
        dest="kiosk_id",
        metavar="ID",
    )
    enroll.add_argument("--place", required=True, help="where it stands, as staff know it")


def _fail(command: str, message: str, code: int = EXIT_FAILED) -> int:
    sys.stderr.write(f"kiosk {command}: {message}\n")
    return code


def _open(url: str | None) -> Any:
    from kiosk.server.db import default_db_url, make_engine, upgrade

    engine = make_engine(url or default_db_url())
    upgrade(engine)
    return engine


def _on_database(command: str, url: str | None, work: Callable[[Session], int]) -> int:
    """The work done in one session of the platform's database, its schema brought up to date
    first; a database that cannot be opened is one line, not a traceback."""
    from kiosk.server.db import sessions

    try:
        engine = _open(url)
    except Exception as exc:  # any driver's error
        return _fail(command, f"cannot open the database: {type(exc).__name__}")
    try:
        with sessions(engine)() as db:
            return work(db)
    finally:
        engine.dispose()


def run_staff(args: argparse.Namespace) -> int:
    if args.action is None:
        return _fail("staff", "choose add or disable", EXIT_USAGE)
    password = ""
    if args.action == "add":
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            return _fail("staff", "no password on standard input", EXIT_USAGE)
    from sqlalchemy import select

    from kiosk.server import models as m
    from kiosk.server.console.administration import AccountProblem, add_staff, disable_staff

    def add(db: Session) -> int:
        try:
            add_staff(
                db,
                by=None,
                username=args.username,
                role=args.role,
                department=args.department,
                password=password,
                name=args.name,
                where=AT_COMMAND_LINE,
            )
        except AccountProblem as problem:
            return _fail("staff", str(problem), EXIT_USAGE)
        print(f"added {args.username} ({args.role})")
        return 0

    def disable(db: Session) -> int:
        staff = db.scalar(select(m.Staff).where(m.Staff.username == args.username))
        if staff is None:
            return _fail("staff", f"no account is called {args.username}")
        if not staff.disabled:
            disable_staff(db, by=None, staff=staff, where=AT_COMMAND_LINE)
        print(f"disabled {args.username}")
        return 0

    return _on_database("staff", args.db, add if args.action == "add" else disable)


def run_kiosk(args: argparse.Namespace) -> int:
    if args.action is None:
        return _fail("kiosk", "choose enroll or disable", EXIT_USAGE)
    from kiosk.server import models as m
    from kiosk.server.console.administration import KIOSK_ID, enroll_kiosk

    if not KIOSK_ID.match(args.kiosk_id):
        return _fail("kiosk", "a kiosk id is 1-64 lower-case letters, digits and '-'", EXIT_USAGE)

    def enroll(db: Session) -> int:
        place = args.place.strip()
        if not place or len(place) > 128:
            return _fail("kiosk", "the place is 1-128 characters", EXIT_USAGE)
        if db.get(m.Kiosk, args.kiosk_id) is not None:
            return _fail("kiosk", f"a kiosk {args.kiosk_id} exists already")
        key = enroll_kiosk(db, args.kiosk_id, place)
        db.commit()
        # The one time the key is seen: for the kiosk's configuration, then gone.
        print(key)
        return 0

    def disable(db: Session) -> int:
        kiosk = db.get(m.Kiosk, args.kiosk_id)
        if kiosk is None:
            return _fail("kiosk", f"no kiosk has the id {args.kiosk_id}")
        kiosk.enabled = False
        db.commit()
        print(f"disabled {args.kiosk_id}")
        return 0

    return _on_database("kiosk", args.db, enroll if args.action == "enroll" else disable)
