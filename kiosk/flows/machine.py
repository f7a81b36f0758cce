"""A task's screens as a state machine: where it is, the way back, and the view told of each move.

Each task names its screens in a StrEnum; the enum member is the state. Moving forward remembers
the screen left, so "back" (the keypad's back key) retraces the resident's own path instead of
rules written per screen. A step that replaces the screen it stands on (a PIN pad asked again,
the summary after a number was typed) moves without remembering, so back skips it. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from enum import StrEnum
from typing import Generic, TypeVar

S = TypeVar("S", bound=StrEnum)


class Screens(Generic[S]):
    """The current screen and the screens behind it. `stuck` are the screens back cannot leave:
    work under way, or a request already sent (what was sent cannot be taken back)."""

    def __init__(
        self,
        first: S,
        changed: Callable[[], None],
        *,
        stuck: Collection[S] = (),
        to_root: Collection[S] = (),
    ) -> None:
        self.current = first
        self._behind: list[S] = []
        self._changed = changed
        self._stuck = frozenset(stuck)
        # Summaries: back from one drops the whole request, to the task's first screen, while
        # the path stays known for a failure to return along.
        self._to_root = frozenset(to_root)

    def go(
        self, screen: S, *, remember: bool = True, back_to: S | None = None, tell: bool = True
    ) -> None:
        """To `screen`; back returns to the screen left, unless `remember` is False, or to
        `back_to` on the path. `tell` False: the caller redraws (a task not shown yet)."""
        if back_to is not None:
            path = [*self._behind, self.current]
            kept = path.index(back_to) if back_to in path else 0
            self._behind = [*path[:kept], back_to]
        elif remember and screen != self.current:
            self._behind.append(self.current)
        self.current = screen
        if tell:
            self._changed()

    def start(self, screen: S) -> None:
        """To `screen` with nothing behind it: the task's root (its menu)."""
        self._behind.clear()
        self.current = screen
        self._changed()

    def rewind(self, screen: S) -> None:
        """Back along the path to `screen` (to change an earlier answer, to ask again); forward
        to it if the path did not pass it."""
        if screen in self._behind:
            while self._behind and self.current != screen:
                self.current = self._behind.pop()
            self._changed()
        else:
            self.go(screen)

    def back(self) -> bool:
        """One screen back along the path; False at the root or on a stuck screen. The caller
        (the session, on the back key) redraws, so this does not notify the view."""
        if self.current in self._stuck or not self._behind:
            return False
        if self.current in self._to_root:
            del self._behind[1:]
        self.current = self._behind.pop()
        return True
