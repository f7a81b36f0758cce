"""查找服务 (Art. 7, 8, 19): find a one-card application by Chinese, pinyin or its initials.

Typing "dt" finds 地铁. Each result says where and how the card or its e-code is used, and
whether this holder's card can use it now: a financial service stays locked, with why and how
to activate it, until the card's financial account is activated (Art. 19). Common searches are
offered as choices so that a resident on the keypad alone can search without letters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.domain.messages import N_, Message, msg
from kiosk.flows.pinyin import pinyin_matches
from kiosk.flows.task_kit import (
    PANELS_PER_PAGE,
    ChoiceEntry,
    Pager,
    error_view,
    loading_view,
    paged_choices,
)
from kiosk.flows.view import Content, Panel

if TYPE_CHECKING:
    from kiosk.domain.catalog import Catalog, ServiceItem
    from kiosk.domain.errors import KioskError
    from kiosk.flows.tasks import TaskContext

# Searches offered without typing: the applications residents ask for most.
QUICK_SEARCHES = (
    (N_("services.quick.metro"), "dt"),
    (N_("services.quick.bus"), "公交"),
    (N_("services.quick.hospital"), "医"),
    (N_("services.quick.library"), "tsg"),
)


@dataclass(frozen=True)
class SearchEntry(Content):
    """Asks for a search on the on-screen keyboard (letters, pinyin input or handwriting are
    the face's; kiosk.flows.pinyin is the engine). The face shows `query` in a text field and
    hands the text to `submit` on Enter."""

    query: str = ""
    submit: Callable[[str], None] = field(default=lambda text: None)


def search(catalog: Catalog, query: str, language: str) -> list[ServiceItem]:
    """Items whose name (either language) or Art. 7 category matches; names first."""
    by_name: list[ServiceItem] = []
    by_category: list[ServiceItem] = []
    for category in catalog.categories:
        in_category = pinyin_matches(query, category.name.zh) or pinyin_matches(
            query, category.name.en
        )
        for item in category.items:
            if pinyin_matches(query, item.name.zh) or pinyin_matches(query, item.name.en):
                by_name.append(item)
            elif in_category:
                by_category.append(item)
    by_name.sort(key=lambda item: len(item.name.get(language)))
    return by_name + by_category


class ServiceSearchTask:
    def __init__(self, context: TaskContext) -> None:
        self._context = context
        self._catalog: Catalog | None = None
        self._error: Message | None = None
        self._query = ""
        self._results: list[ServiceItem] | None = None
        self._pager = Pager(context.changed)
        context.runner.run(context.platform.catalog, self._loaded, self._failed)

    def _loaded(self, catalog: Catalog) -> None:
        self._catalog = catalog
        if self._query:
            self.find(self._query)
        self._context.changed()

    def _failed(self, error: KioskError) -> None:
        self._error = msg(error.message_id)
        self._context.changed()

    def screen_key(self) -> tuple[object, ...]:
        results = None if self._results is None else len(self._results)
        return (self._catalog is not None, self._error, self._query, results, self._pager.page)

    def back(self) -> bool:
        if self._results is not None:
            self._results, self._query = None, ""
            self._pager.reset()
            return True
        return False

    def close(self) -> None:
        self._results = None

    def find(self, query: str) -> None:
        self._query = query.strip()[:20]
        self._pager.reset()
        if self._catalog is not None and self._query:
            self._results = search(self._catalog, self._query, self._context.language())
        self._context.changed()

    def view(self) -> Content:
        heading = msg("services.heading")
        if self._catalog is None:
            return error_view(heading, self._error) if self._error else loading_view(heading)
        if self._results is None:
            entries: list[ChoiceEntry] = [
                (msg(label), None, lambda query=query: self.find(query))  # type: ignore[misc]
                for label, query in QUICK_SEARCHES
            ]
            choices = paged_choices(self._pager, entries)
            entry = SearchEntry(
                heading, msg("services.hint"), choices, columns=2, query="", submit=self.find
            )
            return self._pager.apply(entry)
        if not self._results:
            return Content(
                msg("services.results", query=self._query, count=0), msg("services.none")
            )
        language = self._context.language()
        active = self._context.session.financial_account_active
        panels = [
            item_panel(item, language, active)
            for item in self._pager.slice(self._results, PANELS_PER_PAGE)
        ]
        content = Content(
            msg("services.results", query=self._query, count=len(self._results)),
            msg("services.results.hint"),
            panels=panels,
        )
        return self._pager.apply(content)


def item_panel(item: ServiceItem, language: str, financial_active: bool) -> Panel:
    lines = [
        msg("category.where", text=item.where.get(language)),
        msg("category.how", text=item.how.get(language)),
    ]
    if item.needs_financial_account:
        # Art. 19: financial functions work only once the card's financial account is active.
        lines.append(msg("category.open_financial") if financial_active else msg("category.locked"))
    else:
        lines.append(msg("services.usable_now"))
    return Panel(msg("published", text=item.name.get(language)), tuple(lines))
