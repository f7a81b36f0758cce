"""The published list of one-card applications (Art. 7), as the platform serves it.

Art. 7 names thirteen categories of service; the platform publishes the items under them
(Art. 7, last paragraph) and the kiosk shows where and how each is used. An item that needs the
card's financial account is locked until that account is activated (Art. 19).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The thirteen categories of Art. 7, by their item number in the article.
ART7_CATEGORY_COUNT = 13


@dataclass(frozen=True)
class LocalText:
    """A text the platform publishes in both of the kiosk's languages."""

    zh: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.zh


@dataclass(frozen=True)
class ServiceItem:
    id: str
    category: int  # 1..13, the item of Art. 7
    name: LocalText
    where: LocalText
    how: LocalText
    needs_financial_account: bool  # Art. 19


@dataclass(frozen=True)
class CatalogCategory:
    number: int  # 1..13, the item of Art. 7
    name: LocalText
    items: tuple[ServiceItem, ...]


@dataclass(frozen=True)
class Notice:
    """A short notice the platform publishes for the kiosks to show from starts to ends, both
    days included (Art. 15: publicity of the card's services)."""

    id: int
    title: LocalText
    body: LocalText
    starts: dt.date
    ends: dt.date

    def in_force(self, day: dt.date) -> bool:
        return self.starts <= day <= self.ends


@dataclass(frozen=True)
class Catalog:
    categories: tuple[CatalogCategory, ...]
    published: dt.datetime
    # The notices in force when the platform answered; a kiosk shows those still in force.
    notices: tuple[Notice, ...] = ()

    def notices_on(self, day: dt.date) -> tuple[Notice, ...]:
        return tuple(n for n in self.notices if n.in_force(day))

    def category(self, number: int) -> CatalogCategory:
        for category in self.categories:
            if category.number == number:
                return category
        raise KeyError(number)

    @property
    def item_count(self) -> int:
        return sum(len(c.items) for c in self.categories)
