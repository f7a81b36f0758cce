"""What each step of the resident's session shows and offers, as Content (kiosk.flows.view).

The session's own screens (the first screen and its idle loop, the PIN, home, the catalog, a
notice) are views of SessionFlow as the tasks' screens are views of the tasks: any face draws
or speaks them, and long lists are paged with the same Pager. The face tells them what they
cannot know themselves (kiosk.flows.view.Face): how many choices fit in the resident's print,
the resident's language, and its own switches. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from kiosk.domain.messages import N_, Message, msg
from kiosk.flows.home import HOME_TASKS
from kiosk.flows.privacy import privacy_notice
from kiosk.flows.steps import Step
from kiosk.flows.view import Content, Face, Pager, Panel, PinEntry, numbered_choices

if TYPE_CHECKING:
    from kiosk.domain.catalog import Catalog, CatalogCategory
    from kiosk.flows.session import SessionFlow
    from kiosk.flows.tasks import TaskFactory

T = TypeVar("T")

# Catalog items per page by size mode: each item is a paragraph, and large print needs room.
ITEMS_PER_PAGE = {"default": 3, "elderly": 2, "largest": 1}
# Items of a category on one slide of the idle loop: few, so the print stays large.
IDLE_ITEMS = 3


def published(text: str) -> Message:
    """A text the platform publishes already in the resident's language (a catalog name)."""
    return msg("published", text=text)


def home_page(pager: Pager, entries: Sequence[T], max_choices: int) -> Sequence[T]:
    """The entries one home page shows.

    A profile that allows fewer choices per screen (requirement 20's elderly mode, the largest
    print) pages home rather than dropping what does not fit: the people Art. 10 names first
    must reach every task, Art. 16's complaints among them. One tile of each page is kept for
    finishing, which the caller adds; 0 turns the page, as on every other list.
    """
    return pager.slice(entries, max(1, max_choices - 1))


def session_view(flow: SessionFlow, face: Face) -> Content:
    """The screen of the flow's step: the step and the values beside it decide what is offered."""
    view = _VIEWS.get(flow.step)
    return view(flow, face) if view is not None else Content(msg("error.generic"))


def _first_screen(flow: SessionFlow, face: Face) -> Content:
    if flow.showcase_on and flow.showcase is not None:
        return showcase_view(flow, flow.showcase, face.profile.language)
    return attract_view(flow, face)


def _pin(flow: SessionFlow, _face: Face) -> Content:
    return PinEntry(
        msg("pin.heading"),
        flow.pin_error or msg("pin.hint"),
        submit=flow.submit_pin,
        error=flow.pin_error,
    )


def _catalog(flow: SessionFlow, face: Face) -> Content:
    if flow.catalog is None:
        return Content(msg("error.generic"))
    return catalog_view(flow, flow.catalog, face)


def _category(flow: SessionFlow, face: Face) -> Content:
    if flow.category is None:
        return Content(msg("error.generic"))
    return category_view(flow, flow.category, face)


def _task(flow: SessionFlow, _face: Face) -> Content:
    return flow.task.view() if flow.task is not None else Content(msg("error.generic"))


def _saying(heading: str, hint: str) -> Callable[[SessionFlow, Face], Content]:
    """A step that only says what is going on."""
    return lambda _flow, _face: Content(msg(heading), msg(hint))


def _take_card(flow: SessionFlow, _face: Face) -> Content:
    # Why the session ended (timed out), when it did not end at the resident's word.
    return Content(msg("take_card.heading"), flow.notice or msg("take_card.hint"))


_VIEWS: dict[Step, Callable[[SessionFlow, Face], Content]] = {
    Step.ATTRACT: _first_screen,
    Step.READING: _saying("reading.heading", "reading.hint"),
    Step.PIN: _pin,
    Step.VERIFYING: _saying("verifying.heading", "verifying.hint"),
    Step.HOME: lambda flow, face: home_view(flow, face),
    Step.CATALOG: _catalog,
    Step.CATEGORY: _category,
    Step.NOTICE: lambda flow, _face: notice_view(flow),
    Step.TAKE_CARD: _take_card,
    Step.TASK: _task,
    Step.PRIVACY: lambda flow, _face: privacy_notice(flow),
}


def attract_view(flow: SessionFlow, face: Face) -> Content:
    profile = face.profile
    hint = msg("attract.hint")
    if flow.reader_available is False:
        hint = msg("error.card.reader_unavailable")
    elderly = N_("attract.choice.elderly_off") if profile.elderly else N_("attract.choice.elderly")
    offered: list[tuple[Message, Message, Callable[[], None]]] = [
        (msg(elderly), msg("attract.choice.elderly.examples"), face.toggle_elderly),
        (
            msg("attract.choice.language"),
            msg("attract.choice.language.examples"),
            face.toggle_language,
        ),
    ]
    if face.voice_mode is not None:
        voice = N_("header.voice_off") if face.voice_mode else N_("header.voice_on")
        offered.append((msg(voice), msg("attract.choice.voice.examples"), face.toggle_voice))
    # Art. 2: without the card in hand, sign in with the e-code or report the card lost.
    offered.append(
        (
            msg("attract.choice.no_card"),
            msg("attract.choice.no_card.examples"),
            flow.start_without_card,
        )
    )
    # Art. 15: what the card does, for anyone, without signing in.
    offered.append(
        (
            msg("attract.choice.services"),
            msg("attract.choice.services.examples"),
            flow.browse_catalog,
        )
    )
    if flow.busy:
        hint = msg("catalog.loading")
    # Requirement 15: the long debounce for unsteady hands, the resident's own choice.
    steady = (
        N_("attract.choice.long_debounce_off")
        if profile.long_debounce
        else N_("attract.choice.long_debounce")
    )
    seconds = f"{face.long_debounce_s:g}"
    offered.append(
        (
            msg(steady),
            msg("attract.choice.long_debounce.examples", seconds=seconds),
            face.toggle_long_debounce,
        )
    )
    # Fewer choices per screen in large print: the last ones go to a second page.
    choices = numbered_choices(flow.pager.slice(offered, face.theme.max_choices))
    content = Content(
        msg("attract.heading"),
        hint,
        choices,
        # One column reads best; four rows of large print do not fit the screen's height.
        columns=1 if len(choices) <= 3 else 2,
        illustration="insert-card.svg",
    )
    return flow.pager.apply(content)


def showcase_view(flow: SessionFlow, catalog: Catalog, language: str) -> Content:
    """The idle loop (Art. 15): one notice, or one category of what the card does, large and
    calm; any press brings "insert your card" back."""
    notices = flow.notices_now()
    total = len(notices) + len(catalog.categories)
    index = flow.slide % total
    footer = msg("attract.idle.footer", slide=index + 1, slides=total)
    if index < len(notices):
        notice = notices[index]
        return Content(
            published(notice.title.get(language)),
            msg("attract.idle.notice"),
            panels=[Panel(published(notice.body.get(language)), ())],
            pager=footer,
        )
    category = catalog.categories[index - len(notices)]
    return Content(
        published(category.name.get(language)),
        msg("attract.idle.heading"),
        panels=[
            Panel(
                published(item.name.get(language)),
                (msg("category.where", text=item.where.get(language)),),
            )
            for item in category.items[:IDLE_ITEMS]
        ],
        pager=footer,
    )


def home_view(flow: SessionFlow, face: Face) -> Content:
    offered: list[tuple[Message, Message, Callable[[], None]]] = [
        (msg("home.choice.services"), msg("home.choice.services.examples"), flow.open_catalog)
    ]
    offered += [
        (msg(task.label), msg(task.examples), _starter(flow, task.start)) for task in HOME_TASKS
    ]
    # Fewer choices per screen page home: no task disappears (home_page). Finishing stays
    # a choice of its own on every page; in large print the footer also offers it.
    shown = list(home_page(flow.pager, offered, face.theme.max_choices))
    shown.append((msg("home.choice.finish"), msg("home.choice.finish.examples"), flow.logout))
    heading = msg("home.heading", name=flow.greeting_name, private=("name",))
    hint = msg("catalog.loading") if flow.busy else msg("home.hint")
    return flow.pager.apply(Content(heading, hint, numbered_choices(shown), columns=2))


def catalog_view(flow: SessionFlow, catalog: Catalog, face: Face) -> Content:
    theme = face.theme
    language = face.profile.language
    separator = face.t("list.separator")
    examples = 2 if theme.large_print else 3
    categories = list(catalog.categories)
    shown = flow.pager.slice(categories, theme.max_choices)
    choices = numbered_choices(
        [
            (
                published(category.name.get(language)),
                published(separator.join(i.name.get(language) for i in category.items[:examples])),
                _chooser(flow, category.number),
            )
            for category in shown
        ]
    )
    content = Content(
        msg("catalog.heading"),
        msg("catalog.hint", count=len(categories)),
        choices,
        columns=theme.choice_columns,
    )
    return flow.pager.apply(content)


def category_view(flow: SessionFlow, category: CatalogCategory, face: Face) -> Content:
    language = face.profile.language
    panels = []
    for item in flow.pager.slice(list(category.items), ITEMS_PER_PAGE[face.theme.size_mode]):
        lines = [
            msg("category.where", text=item.where.get(language)),
            msg("category.how", text=item.how.get(language)),
        ]
        if item.needs_financial_account:
            # Art. 19: the financial functions work only once the account is activated;
            # whether they are for this holder, only the card can tell.
            if flow.browsing:
                lines.append(msg("category.financial_needs_card"))
            else:
                lines.append(
                    msg("category.open_financial")
                    if flow.financial_account_active
                    else msg("category.locked")
                )
        panels.append(Panel(published(item.name.get(language)), tuple(lines)))
    content = Content(published(category.name.get(language)), msg("category.hint"), panels=panels)
    return flow.pager.apply(content)


def notice_view(flow: SessionFlow) -> Content:
    offered: list[tuple[Message, Message | None, Callable[[], None]]] = []
    if flow.can_retry:
        offered.append((msg("notice.retry"), None, flow.retry))
    if flow.session is not None:
        offered.append((msg("footer.home"), None, flow.home))
    hint = msg("notice.take_card") if flow.session is None and flow.card_present else None
    return Content(flow.notice or msg("error.generic"), hint, numbered_choices(offered), columns=2)


def _starter(flow: SessionFlow, factory: TaskFactory) -> Callable[[], None]:
    return lambda: flow.start_task(factory)


def _chooser(flow: SessionFlow, number: int) -> Callable[[], None]:
    return lambda: flow.choose_category(number)
