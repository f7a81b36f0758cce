"""Reading the platform's JSON answers without trusting them.

Every field is checked for presence and type before it becomes a domain value; any surprise
raises PlatformAnswerInvalid naming the field, never a KeyError or TypeError that a flow would
not know how to tell the resident about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import Enum
from typing import Any, TypeVar

from kiosk.domain.errors import PlatformAnswerInvalid

E = TypeVar("E", bound=Enum)

MAX_TEXT = 10_000


class Obj:
    """A JSON object from the platform, read field by field with the field's path in errors."""

    __slots__ = ("_data", "_path")

    def __init__(self, data: Any, path: str = "answer") -> None:
        if not isinstance(data, dict):
            raise PlatformAnswerInvalid(f"{path}: expected an object")
        self._data: dict[str, Any] = data
        self._path = path

    @property
    def raw(self) -> dict[str, Any]:
        return self._data

    def _get(self, key: str) -> Any:
        if key not in self._data:
            raise PlatformAnswerInvalid(f"{self._path}.{key}: missing")
        return self._data[key]

    def has(self, key: str) -> bool:
        return self._data.get(key) is not None

    def text(self, key: str, *, empty: bool = False, max_len: int = MAX_TEXT) -> str:
        value = self._get(key)
        if not isinstance(value, str) or (not empty and not value) or len(value) > max_len:
            raise PlatformAnswerInvalid(f"{self._path}.{key}: expected a text")
        return value

    def opt_text(self, key: str, *, max_len: int = MAX_TEXT) -> str | None:
        if self._data.get(key) is None:
            return None
        return self.text(key, empty=True, max_len=max_len)

    def number(self, key: str, *, low: int | None = None, high: int | None = None) -> int:
        value = self._get(key)
        # bool is an int to Python, but true is no amount of money
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            raise PlatformAnswerInvalid(f"{self._path}.{key}: expected a whole number in range")
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise PlatformAnswerInvalid(f"{self._path}.{key}: expected true or false")
        return value

    def choice(self, key: str, kind: type[E]) -> E:
        value = self.text(key)
        try:
            return kind(value)
        except ValueError:
            raise PlatformAnswerInvalid(f"{self._path}.{key}: unexpected value") from None

    def moment(self, key: str) -> dt.datetime:
        value = self.text(key, max_len=64)
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise PlatformAnswerInvalid(f"{self._path}.{key}: expected a date and time") from None
        if parsed.tzinfo is None:
            raise PlatformAnswerInvalid(f"{self._path}.{key}: a time without its zone")
        return parsed

    def opt_moment(self, key: str) -> dt.datetime | None:
        return None if self._data.get(key) is None else self.moment(key)

    def day(self, key: str) -> dt.date:
        value = self.text(key, max_len=32)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PlatformAnswerInvalid(f"{self._path}.{key}: expected a date") from None

    def child(self, key: str) -> Obj:
        return Obj(self._get(key), f"{self._path}.{key}")

    def items(self, key: str, *, max_items: int = 100_000) -> Iterator[Obj]:
        value = self._get(key)
        if not isinstance(value, list) or len(value) > max_items:
            raise PlatformAnswerInvalid(f"{self._path}.{key}: expected a list")
        for index, item in enumerate(value):
            yield Obj(item, f"{self._path}.{key}[{index}]")

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PlatformAnswerInvalid(f"{self._path}.{key}: expected a list of texts")
        return tuple(value)
