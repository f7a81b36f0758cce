"""Secrets the platform hands out or checks: tokens, kiosk keys, e-codes, staff passwords.

Tokens, keys and e-codes are long random strings, so one SHA-256 is enough to store them; staff
passwords are chosen by people, so they get a slow, salted hash (Art. 12).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

PBKDF2_ITERATIONS = 120_000


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, PBKDF2_ITERATIONS)
    return f"pbkdf2_sha256${PBKDF2_ITERATIONS}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt_hex, digest_hex = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        digest = hashlib.pbkdf2_hmac(
            "sha256", password.encode("utf-8"), bytes.fromhex(salt_hex), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


_row_keys: dict[str, bytes] = {}


def row_key(db: Session) -> bytes:
    """The database's own secret for keyed hashes of values too few to hash plainly (ID numbers,
    user names): made once by a migration, so every process keys alike.

    Remembered per process after the first read: it never changes once made.
    """
    from sqlalchemy import select

    from kiosk.server import models as m

    bind = db.get_bind().engine.url.render_as_string(hide_password=True)
    key = _row_keys.get(bind)
    if key is None:
        value = db.scalar(select(m.Meta.value).where(m.Meta.key == "row_key"))
        if value is None:
            raise RuntimeError("the database has no row key: run `kiosk server migrate`")
        key = _row_keys[bind] = bytes.fromhex(value)
    return key


def keyed(db: Session, text: str) -> str:
    return hmac.new(row_key(db), text.encode("utf-8"), hashlib.sha256).hexdigest()
