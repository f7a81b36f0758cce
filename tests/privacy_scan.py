"""Looks for residents' personal data in files and texts, and reports where without saying what.

Art. 12 and 13 of the order: a kiosk and its platform keep a resident's data only where the
service needs it. The privacy tests use this to sweep every file a run of the kiosk and the
server left behind (logs, caches, the outbox) and every text left on screen. A finding names the
place, the resident (by label, "demo_a") and the kind of datum, never the datum: a failing test's
output must not itself leak what it found.
"""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Datum:
    """One personal value of one resident. repr() leaves the value out."""

    owner: str  # a label, never the name: "demo_a", "resident 7"
    kind: str  # "name", "ssn", "card number", "phone", "pin", "e-code", ...
    value: str = field(repr=False)


@dataclass(frozen=True)
class Finding:
    where: str  # a file (relative to the scanned folder) or a widget
    owner: str
    kind: str
    form: str  # how it was written: "utf-8", "gbk", "json escape", ...

    def __str__(self) -> str:
        return f"{self.where}: {self.owner}'s {self.kind} ({self.form})"


def _forms(value: str) -> list[tuple[str, bytes]]:
    """The byte sequences a value takes in the files a program commonly writes."""
    forms = [("utf-8", value.encode("utf-8"))]
    if not value.isascii():
        forms.append(("gbk", value.encode("gbk")))
        forms.append(("utf-16", value.encode("utf-16-le")))
        # json.dumps with ensure_ascii (the default), and a Python repr of the UTF-8 bytes.
        forms.append(("json escape", json.dumps(value)[1:-1].encode("ascii")))
        forms.append(
            ("bytes repr", "".join(f"\\x{b:02x}" for b in value.encode("utf-8")).encode("ascii"))
        )
        forms.append(("url encoding", urllib.parse.quote(value).encode("ascii")))
    return forms


def find_in_bytes(data: bytes, data_list: Iterable[Datum]) -> Iterator[tuple[Datum, str]]:
    """Every datum found in `data`, with the form it was found in. ASCII values are matched
    without regard to case (an ID number's X, an e-code's letters), the bytes of a file too."""
    lowered = data.lower()
    for datum in data_list:
        for form, needle in _forms(datum.value):
            if needle.lower() in lowered:
                yield datum, form
                break


def find_in_text(text: str, data_list: Iterable[Datum]) -> Iterator[Datum]:
    folded = text.casefold()
    for datum in data_list:
        if datum.value.casefold() in folded:
            yield datum


def scan_folder(
    root: Path, data_list: Iterable[Datum], allowed: dict[Path, str] | None = None
) -> list[Finding]:
    """Every file under `root`, whole, as bytes. `allowed` maps a file or folder that may hold
    personal data to the reason it may; everything else must hold none."""
    data = list(data_list)
    allowed = {path.resolve(): why for path, why in (allowed or {}).items()}
    findings: list[Finding] = []
    for folder, _dirs, files in os.walk(root):
        for name in sorted(files):
            path = Path(folder, name)
            resolved = path.resolve()
            if any(resolved == a or a in resolved.parents for a in allowed):
                continue
            try:
                content = path.read_bytes()
            except OSError:  # a socket or a file gone meanwhile
                continue
            where = str(path.relative_to(root))
            findings += [
                Finding(where, d.owner, d.kind, form) for d, form in find_in_bytes(content, data)
            ]
    return findings


def report(findings: Iterable[Finding | str]) -> str:
    return "personal data found:\n" + "\n".join(f"  {f}" for f in findings)


# --- the demo residents ---------------------------------------------------------------------


def demo_residents(platform_db: Path, cards: dict[str, str]) -> dict[str, list[Datum]]:
    """The residents holding these cards ({label: card number}), as the platform's database has
    them: name, ID number, card number, card identifier, phone and demo e-code, by label."""
    from kiosk.server.demo import demo_ecode

    # Read-only: the platform's database is the one place this data belongs.
    db = sqlite3.connect(f"file:{platform_db}?mode=ro", uri=True)
    try:
        found: dict[str, list[Datum]] = {}
        for owner, number in cards.items():
            row = db.execute(
                "SELECT r.name, r.ssn, r.phone, c.identifier FROM residents r"
                " JOIN cards c ON c.resident_id = r.id WHERE c.number = ?",
                (number,),
            ).fetchone()
            if row is None:
                raise LookupError(f"no demo resident with card {number}")
            name, ssn, phone, identifier = row
            found[owner] = [
                Datum(owner, "name", name),
                Datum(owner, "ssn", ssn),
                Datum(owner, "card number", number),
                Datum(owner, "card identifier", identifier),
                Datum(owner, "phone", phone),
                Datum(owner, "e-code", demo_ecode(number)),
            ]
        return found
    finally:
        db.close()
