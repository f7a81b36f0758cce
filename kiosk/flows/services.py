"""查找服务 (Art. 7, 8, 19): find a one-card application by Chinese, pinyin or its initials.

Typing "dt" finds 地铁. Each result says where and how the card or its e-code is used, and
whether this holder's card can use it now: a financial service stays locked, with why and how
to activate it, until the card's financial account is activated (Art. 19). Common searches are
offered as choices so that a resident on the keypad alone can search without letters; any other
is typed on the on-screen keyboard (kiosk.flows.text_entry: pinyin, its initials, characters
chosen from the candidates, or English), by touch or with the keypad.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.domain.messages import N_, Message, msg
from kiosk.flows.pinyin import pinyin_matches
from kiosk.flows.task_kit import (
    ChoiceEntry,
    Pager,
    error_view,
    loading_view,
    paged_choices,
    paged_panels,
)
from kiosk.flows.text_entry import LATIN, PINYIN, TextEditor, warm_up_pinyin
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
# A search is a few characters or letters; the field is no longer than a name in the catalog.
QUERY_MAX = 20


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
        self._editor: TextEditor | None = None
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
        typing = self._editor.revision if self._editor is not None else None
        return (
            self._catalog is not None,
            self._error,
            self._query,
            results,
            self._pager.page,
            typing,
        )

    def back(self) -> bool:
        if self._results is not None:
            # Back from typed results to the keyboard, with the search still in it.
            self._results, self._query = None, ""
            self._pager.reset()
            return True
        if self._editor is not None:
            self._editor = None
            return True
        return False

    def close(self) -> None:
        self._results = None
        self._editor = None

    def type_search(self) -> None:
        """The keyboard: pinyin first in Chinese (where "dt" finds 地铁), letters in English."""
        language = self._context.language()
        self._editor = TextEditor(
            changed=self._context.changed,
            submit=self.find,
            layouts=(LATIN, PINYIN) if language == "en" else (PINYIN, LATIN),
            max_length=QUERY_MAX,
            private=False,  # a search for a service says nothing about the resident
        )
        self._context.changed()
        warm_up_pinyin(self._context.runner)

    def find(self, query: str) -> None:
        self._query = query.strip()[:QUERY_MAX]
        self._pager.reset()
        if self._catalog is not None and self._query:
            self._results = search(self._catalog, self._query, self._context.language())
        self._context.changed()

    def view(self) -> Content:
        heading = msg("services.heading")
        if self._catalog is None:
            return error_view(heading, self._error) if self._error else loading_view(heading)
        if self._results is None and self._editor is not None:
            return self._editor.view(msg("services.typing.heading"), msg("services.typing.hint"))
        if self._results is None:
            entries: list[ChoiceEntry] = [
                (msg(label), None, lambda query=query: self.find(query))  # type: ignore[misc]
                for label, query in QUICK_SEARCHES
            ]
            # Typing is on the first page, before the least asked-for quick search.
            entries.insert(3, (msg("services.type"), msg("services.type.ex"), self.type_search))
            choices = paged_choices(self._pager, entries)
            return self._pager.apply(Content(heading, msg("services.hint"), choices, columns=2))
        if not self._results:
            return Content(
                msg("services.results", query=self._query, count=0), msg("services.none")
            )
        language = self._context.language()
        active = self._context.session.financial_account_active
        return paged_panels(
            self._pager,
            msg("services.results", query=self._query, count=len(self._results)),
            msg("services.results.hint"),
            self._results,
            lambda item: item_panel(item, language, active),
        )


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
