"""The first screen left alone, and the catalog anyone may browse there (Art. 15).

With nobody in front of it for a while, the first screen shows in turn the platform's notices
and what the card does, category by category; any press brings "insert your card" back. The
catalog behind it is public, so browsing it needs no card: only whether a financial service is
open to the holder does (Art. 19). Mixed into SessionFlow, whose state these steps change;
`_Session` is what of it they use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from kiosk.domain.errors import KioskError
from kiosk.flows.steps import SessionCore, Step

if TYPE_CHECKING:
    from kiosk.domain.catalog import Catalog, Notice

log = logging.getLogger(__name__)

# Art. 15: with nobody in front of it for this long, the first screen shows in turn what the
# card does and the platform's notices, each for SLIDE_S; any press brings "insert your card"
# back. The catalog behind it is fetched again after SHOWCASE_REFRESH_S.
IDLE_AFTER_S = 60.0
SLIDE_S = 8.0
SHOWCASE_REFRESH_S = 600.0


class _Session(SessionCore, Protocol):
    busy: bool
    showcase: Catalog | None
    showcase_on: bool
    slide: int
    _showcase_fetched: float
    _slide_since: float

    def _catalog_loaded(self, catalog: Catalog) -> None: ...
    def _notice(self, message_id: str, *, can_retry: bool = False) -> None: ...
    def _fetch_catalog(
        self, loaded: Callable[[Catalog], None], failed: Callable[[KioskError], None]
    ) -> None: ...
    def notices_now(self) -> tuple[Notice, ...]: ...
    def slides(self) -> int: ...
    def _showcase_loaded(self, catalog: Catalog) -> None: ...
    def _public_catalog_loaded(self, catalog: Catalog) -> None: ...
    def _public_catalog_failed(self, error: KioskError) -> None: ...


class IdleLoop:
    """SessionFlow's idle loop and its public catalog."""

    # Set here as well as by the flow: its type is the flow's.
    showcase: Catalog | None

    def notices_now(self: _Session) -> tuple[Notice, ...]:
        return self.showcase.notices_on(self._today()) if self.showcase is not None else ()

    def slides(self: _Session) -> int:
        """How many slides the idle loop has: today's notices, then the categories."""
        if self.showcase is None:
            return 0
        return len(self.notices_now()) + len(self.showcase.categories)

    def _idle(self: _Session) -> None:
        """On the first screen, nobody pressing anything: run the idle loop."""
        now = self._clock()
        if self.showcase_on:
            if now - self._slide_since >= SLIDE_S and self.slides() > 1:
                self.slide = (self.slide + 1) % self.slides()
                self._slide_since = now
                self._changed()
            return
        if now - self._last_activity < IDLE_AFTER_S:
            return
        if now - self._showcase_fetched >= SHOWCASE_REFRESH_S:
            self._showcase_fetched = now
            self._runner.run(
                self._platform.catalog,
                self._showcase_loaded,
                # Nothing to show but "insert your card", which is on screen already.
                lambda error: log.info("no catalog for the idle loop: %s", type(error).__name__),
            )
        if self.slides():
            self.showcase_on = True
            self.slide = 0
            self._slide_since = now
            self._changed()

    def _showcase_loaded(self: _Session, catalog: Catalog) -> None:
        self.showcase = catalog
        self.slide = 0 if self.slide >= self.slides() else self.slide

    def browse_catalog(self: _Session) -> None:
        """From the first screen, without signing in: what the card does, where and how. Only
        whether a financial service is open to this holder needs the card (Art. 19)."""
        if self.step is not Step.ATTRACT:
            return
        self.showcase_on = False
        self._last_activity = self._clock()
        if self.showcase is not None:
            self._catalog_loaded(self.showcase)
            return
        self._fetch_catalog(self._public_catalog_loaded, self._public_catalog_failed)

    def _public_catalog_loaded(self: _Session, catalog: Catalog) -> None:
        self.showcase = catalog
        self._showcase_fetched = self._clock()
        if self.step is Step.ATTRACT:
            self._catalog_loaded(catalog)

    def _public_catalog_failed(self: _Session, error: KioskError) -> None:
        self.busy = False
        if self.step is Step.ATTRACT:
            self._notice(error.message_id)

    @property
    def browsing(self: _Session) -> bool:
        """Looking at the catalog without signing in."""
        return self.session is None and self.step in (Step.CATALOG, Step.CATEGORY)
