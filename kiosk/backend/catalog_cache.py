"""The catalog, parsed from the platform's JSON, and kept on disk for when the platform is away.

The catalog changes rarely (the department publishes it, Art. 7), so a kiosk that cannot reach
the platform still shows where and how the card is used, with the copy's age beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from kiosk.backend.wire import Obj
from kiosk.domain.catalog import (
    ART7_CATEGORY_COUNT,
    Catalog,
    CatalogCategory,
    LocalText,
    Notice,
    ServiceItem,
)
from kiosk.domain.errors import PlatformAnswerInvalid

log = logging.getLogger("kiosk.backend")

_FORMAT = 1


def _text(obj: Obj, key: str) -> LocalText:
    value = obj.child(key)
    return LocalText(zh=value.text("zh", max_len=1000), en=value.text("en", max_len=2000))


def parse_catalog(data: Obj) -> Catalog:
    categories = []
    seen: set[int] = set()
    for raw in data.items("categories", max_items=ART7_CATEGORY_COUNT):
        number = raw.number("number", low=1, high=ART7_CATEGORY_COUNT)
        if number in seen:
            raise PlatformAnswerInvalid(f"catalog: category {number} appears twice")
        seen.add(number)
        items = []
        for item in raw.items("items", max_items=1000):
            category = item.number("category", low=1, high=ART7_CATEGORY_COUNT)
            if category != number:
                raise PlatformAnswerInvalid(f"catalog: an item of {category} under {number}")
            items.append(
                ServiceItem(
                    id=item.text("id", max_len=100),
                    category=category,
                    name=_text(item, "name"),
                    where=_text(item, "where"),
                    how=_text(item, "how"),
                    needs_financial_account=item.flag("needs_financial_account"),
                )
            )
        categories.append(CatalogCategory(number, _text(raw, "name"), tuple(items)))
    notices = []
    # A platform from before notices sends none.
    if data.has("notices"):
        for raw in data.items("notices", max_items=100):
            notices.append(
                Notice(
                    id=raw.number("id", low=0),
                    title=_text(raw, "title"),
                    body=_text(raw, "body"),
                    starts=raw.day("starts"),
                    ends=raw.day("ends"),
                )
            )
    return Catalog(tuple(categories), data.moment("published"), tuple(notices))


class CatalogCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path

    @classmethod
    def for_platform(cls, base_url: str, folder: str | Path | None) -> CatalogCache:
        if folder is None:
            import platformdirs

            folder = Path(platformdirs.user_cache_dir("onecard-kiosk", appauthor=False))
        name = hashlib.sha256(base_url.encode()).hexdigest()[:16]
        return cls(Path(folder) / f"catalog-{name}.json")

    def store(self, raw: dict[str, Any], fetched: dt.datetime) -> None:
        if self.path is None:
            return
        document = {"format": _FORMAT, "fetched_at": fetched.isoformat(), "catalog": raw}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(document, out, ensure_ascii=False)
            os.replace(temp, self.path)
        except OSError as exc:  # a full disk must not break the resident's session
            log.warning("cannot keep the catalog for offline use: %s", exc.strerror)

    def load(self) -> tuple[Catalog, dt.datetime] | None:
        if self.path is None:
            return None
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            wrapper = Obj(document, "cache")
            if wrapper.number("format") != _FORMAT:
                return None
            return parse_catalog(wrapper.child("catalog")), wrapper.moment("fetched_at")
        except (OSError, ValueError, PlatformAnswerInvalid):
            return None
