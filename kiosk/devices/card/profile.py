"""Card profiles: a fictional card described in TOML, for the simulator and the virtual card.

The format is documented in docs/card-profile.md. The reference platform seeds its demo residents
from the same files (kiosk/assets/demo_cards/), so the keys there must keep their meaning.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from kiosk.domain.card import CardInfo, CardVersion, Holder

DEMO_CARDS_PACKAGE = "kiosk"
DEMO_CARDS_FOLDER = ("assets", "demo_cards")

DEFAULT_ATR = "3B6C00000A2D4B484E54364E1012F03D"
DEFAULT_PIN_TRIES = 3


class ProfileError(ValueError):
    """A profile that cannot describe a card; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Faults:
    """How the card misbehaves. Counts are of command APDUs since the card was powered on."""

    remove_after: int | None = None  # answers this many, then is pulled out
    garbage_after: int | None = None  # answers this many properly, then random bytes
    delay_ms: int = 0  # before every answer
    not_social_security_card: bool = False  # no SSSE application
    application_locked: bool = False  # 9303 to SELECT

    @property
    def any(self) -> bool:
        return self != Faults()


@dataclass(frozen=True, slots=True)
class CardProfile:
    """One fictional card: what its chip holds and how it behaves. Demo data only."""

    label: str
    version: CardVersion
    pin: str
    pin_tries_left: int
    atr: str  # upper-case hex
    card: CardInfo
    holder: Holder
    faults: Faults = Faults()
    pin_tries_max: int = DEFAULT_PIN_TRIES
    # Answer 61xx first, as a T=0 card does, so the reader must send GET RESPONSE.
    t0_get_response: bool = False
    # (sfi, tag) -> raw record value, replacing what the fields above would encode.
    raw_records: tuple[tuple[tuple[int, int], bytes], ...] = field(default=())
    source: str = ""

    def __repr__(self) -> str:  # the holder's data stays out of logs
        return f"CardProfile({self.label!r}, version={self.version.value})"


def load_profile(path: str | Path) -> CardProfile:
    path = Path(path)
    try:
        with path.open("rb") as fp:
            data = tomllib.load(fp)
    except OSError as error:
        raise ProfileError(f"{path}: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path}: not valid TOML: {error}") from None
    return parse_profile(data, str(path))


def parse_profile(data: dict[str, Any], source: str = "<profile>") -> CardProfile:
    reader = _Reader(data, source)
    version_text = reader.string("version", default="2.00")
    try:
        version = CardVersion(version_text)
    except ValueError:
        raise ProfileError(f"{source}: version must be 1.00, 2.00 or 3.00") from None
    card = reader.table("card")
    holder = reader.table("holder")
    faults = reader.table("faults", required=False)

    pin = reader.string("pin", default="123456")
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise ProfileError(f"{source}: pin must be 4 to 12 digits")
    tries_max = reader.integer("pin_tries_max", default=DEFAULT_PIN_TRIES, low=1, high=15)
    tries = reader.integer("pin_tries_left", default=tries_max, low=0, high=tries_max)
    atr = reader.hex("atr", default=DEFAULT_ATR, low=2, high=33)

    info = CardInfo(
        identifier=card.hex("identifier", low=16, high=16),
        type=card.string("type", default="3", length=(1, 1)),
        version=version,
        issuer=card.hex("issuer", low=12, high=12),
        issued=card.date("issued"),
        expires=card.date("expires"),
        number=card.string("number", length=(1, 9)),
    )
    person = Holder(
        ssn=holder.string("ssn", length=(1, 18)),
        name=holder.string("name", length=(1, 50)),
        sex=holder.string("sex", default="0", length=(1, 1)),
        ethnicity=holder.digits("ethnicity", default="01", length=2),
        birthplace=holder.digits("birthplace", length=6),
        birth_date=holder.date("birth_date"),
    )
    name_bytes = _gbk(person.name, source)
    limit = 30 if version is CardVersion.V1 else 50
    if len(name_bytes) > limit:
        raise ProfileError(
            f"{source}: holder.name is {len(name_bytes)} GBK bytes; a {version.value} card "
            f"holds {limit}"
        )
    return CardProfile(
        label=reader.string("label", default=Path(source).stem),
        version=version,
        pin=pin,
        pin_tries_left=tries,
        atr=atr,
        card=info,
        holder=person,
        faults=Faults(
            remove_after=faults.optional_integer("remove_after"),
            garbage_after=faults.optional_integer("garbage_after"),
            delay_ms=faults.integer("delay_ms", default=0, low=0, high=60_000),
            not_social_security_card=faults.boolean("not_social_security_card"),
            application_locked=faults.boolean("application_locked"),
        ),
        pin_tries_max=tries_max,
        t0_get_response=reader.boolean("t0_get_response"),
        raw_records=_raw_records(reader.table("records", required=False), source),
        source=source,
    )


def load_demo_profiles() -> dict[str, CardProfile]:
    """The demo cards shipped with the kiosk, keyed by file stem ("demo_a", "demo_b")."""
    folder = resources.files(DEMO_CARDS_PACKAGE).joinpath(*DEMO_CARDS_FOLDER)
    profiles: dict[str, CardProfile] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            source = f"demo_cards/{entry.name}"
            try:
                data = tomllib.loads(entry.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as error:
                raise ProfileError(f"{source}: not valid TOML: {error}") from None
            profiles[entry.name.removesuffix(".toml")] = parse_profile(data, source)
    return profiles


def _gbk(text: str, source: str) -> bytes:
    try:
        return text.encode("gbk")
    except UnicodeEncodeError:
        raise ProfileError(f"{source}: holder.name has characters GBK cannot encode") from None


def _raw_records(table: _Reader, source: str) -> tuple[tuple[tuple[int, int], bytes], ...]:
    records: list[tuple[tuple[int, int], bytes]] = []
    for key in table.keys():  # noqa: SIM118 - a _Reader, not a dict
        try:
            sfi_text, tag_text = key.split(".")
            address = (int(sfi_text, 16), int(tag_text, 16))
        except ValueError:
            raise ProfileError(f"{source}: records key {key!r} is not 'SFI.TAG' in hex") from None
        records.append((address, bytes.fromhex(table.hex(key, low=0, high=253))))
    return tuple(records)


class _Reader:
    """Typed access to one TOML table, with errors that name the file and the key."""

    def __init__(self, data: dict[str, Any], source: str, prefix: str = "") -> None:
        self._data = data
        self._source = source
        self._prefix = prefix

    def keys(self) -> list[str]:
        return list(self._data)

    def _fail(self, key: str, what: str) -> ProfileError:
        return ProfileError(f"{self._source}: {self._prefix}{key} {what}")

    def table(self, key: str, required: bool = True) -> _Reader:
        value = self._data.get(key)
        if value is None:
            if required:
                raise self._fail(key, "is missing (a [table])")
            value = {}
        if not isinstance(value, dict):
            raise self._fail(key, "must be a [table]")
        return _Reader(value, self._source, f"{key}.")

    def string(
        self, key: str, default: str | None = None, length: tuple[int, int] | None = None
    ) -> str:
        value = self._data.get(key, default)
        if value is None:
            raise self._fail(key, "is missing")
        if not isinstance(value, str):
            raise self._fail(key, "must be a string")
        if length is not None and not length[0] <= len(value) <= length[1]:
            raise self._fail(key, f"must be {length[0]} to {length[1]} characters")
        return value

    def digits(self, key: str, length: int, default: str | None = None) -> str:
        value = self.string(key, default)
        if not value.isdigit() or len(value) != length:
            raise self._fail(key, f"must be {length} digits")
        return value

    def hex(self, key: str, low: int, high: int, default: str | None = None) -> str:
        value = self.string(key, default).replace(" ", "").upper()
        try:
            size = len(bytes.fromhex(value))
        except ValueError:
            raise self._fail(key, "must be hex") from None
        if not low <= size <= high:
            raise self._fail(key, f"must be {low} to {high} bytes")
        return value

    def date(self, key: str) -> dt.date | None:
        value = self._data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self._fail(key, "must be a date, YYYY-MM-DD")

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self._data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._fail(key, f"must be a whole number from {low} to {high}")
        return value

    def optional_integer(self, key: str) -> int | None:
        if key not in self._data:
            return None
        return self.integer(key, default=0, low=0, high=1_000_000)

    def boolean(self, key: str) -> bool:
        value = self._data.get(key, False)
        if not isinstance(value, bool):
            raise self._fail(key, "must be true or false")
        return value
