"""The customer window's consent screen: who asks to see what, and why; allow or refuse (Art. 13).

A task of the resident's session (kiosk.flows.tasks), so it is drawn, spoken and audited like
every other screen, and ends with the session. It shows the request as the platform holds it
(GET /v1/consents/{id}), not as the staff console describes it, so the resident agrees to what
will really be shown. Leaving the screen any way but "allow" is no consent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from kiosk.counter.purposes import PURPOSE_NAMES, field_name
from kiosk.domain.messages import Message, msg
from kiosk.flows.task_kit import error_view, loading_view
from kiosk.flows.view import Choice, Content, Panel

if TYPE_CHECKING:
    from kiosk.domain.errors import KioskError
    from kiosk.domain.staff import ConsentView
    from kiosk.flows.tasks import TaskContext

# What the staff console is told: the resident's answer, or that no answer will come.
GRANTED, REFUSED, LEFT, FAILED = "granted", "refused", "left", "failed"


class ConsentDesk(Protocol):
    """The resident's side of a consent request (kiosk.backend.client.PlatformClient fits).
    Blocking: call it through the TaskRunner."""

    def consent_request(self, token: str, consent_id: str) -> ConsentView: ...

    def answer_consent(self, token: str, consent_id: str, *, granted: bool) -> ConsentView: ...


class ConsentTask:
    """One consent request put to the resident; `answered` hears the outcome once."""

    def __init__(
        self,
        context: TaskContext,
        desk: ConsentDesk,
        consent_id: str,
        answered: Callable[[str], None],
    ) -> None:
        self._context = context
        self._desk = desk
        self._consent_id = consent_id
        self._answered: Callable[[str], None] | None = answered
        self._request: ConsentView | None = None
        self._state = "loading"  # loading, asking, sending, granted, refused, withdrawn, failed
        self._error: Message | None = None
        token = context.session.token
        context.runner.run(
            lambda: desk.consent_request(token, consent_id), self._loaded, self._failed
        )

    @property
    def state(self) -> str:
        return self._state

    # --- the Task protocol ------------------------------------------------------------------

    def view(self) -> Content:
        heading = msg("consent.heading")
        if self._state == "loading":
            return loading_view(heading)
        if self._state == "failed":
            return error_view(heading, self._error)
        done = Choice("1", msg("consent.choice.done"), None, self._context.finish)
        if self._state == "granted" and self._request is not None:
            # What was allowed stays in view while the member of staff looks at it.
            return Content(
                msg("consent.granted.heading"),
                msg("consent.granted.hint"),
                [done],
                panels=[_what(self._request)],
            )
        if self._state == "refused":
            return Content(msg("consent.refused.heading"), msg("consent.refused.hint"), [done])
        if self._state == "withdrawn":
            return Content(msg("consent.withdrawn.heading"), msg("consent.withdrawn.hint"), [done])
        request = self._request
        assert request is not None
        # Two blocks, so the question fits the screen in the largest print: who asks and why,
        # then what they will see.
        panels = [
            Panel(
                msg("consent.who_title"),
                (
                    msg("consent.who", name=request.staff_name, staff_id=request.staff_username),
                    msg(PURPOSE_NAMES[request.purpose]),
                ),
            ),
            _what(request),
        ]
        if self._state == "sending":
            return Content(heading, msg("consent.sending"), panels=panels)
        minutes = max(1, round((request.expires - request.asked) / dt.timedelta(minutes=1)))
        return Content(
            heading,
            msg("consent.hint", minutes=minutes),
            choices=[
                Choice("1", msg("consent.choice.grant"), None, lambda: self.answer(True)),
                Choice("2", msg("consent.choice.refuse"), None, lambda: self.answer(False)),
            ],
            panels=panels,
            columns=2,
        )

    def screen_key(self) -> tuple[object, ...]:
        return ("consent", self._state, self._request.id if self._request else "")

    def back(self) -> bool:
        """Back on the question is a refusal; after the answer it leaves the task."""
        if self._state == "asking":
            self.answer(False)
            return True
        return False

    def close(self) -> None:
        # The session ended (card out, timed out) before an answer: no consent.
        self._tell(LEFT)
        self._request = None

    # --- actions ----------------------------------------------------------------------------

    def answer(self, granted: bool) -> None:
        if self._state != "asking":
            return
        self._state = "sending"
        self._context.changed()
        token = self._context.session.token
        desk, consent_id = self._desk, self._consent_id
        self._context.runner.run(
            lambda: desk.answer_consent(token, consent_id, granted=granted),
            self._sent,
            self._failed,
        )

    def withdraw(self) -> None:
        """The member of staff withdrew the request before the resident answered."""
        if self._state in ("loading", "asking"):
            self._answered = None
            self._state = "withdrawn"
            self._context.changed()

    # --- answers ----------------------------------------------------------------------------

    def _loaded(self, request: ConsentView) -> None:
        if self._state != "loading":
            return
        self._request = request
        if request.status != "pending":
            self._state = "withdrawn"
            self._tell(FAILED)
        else:
            self._state = "asking"
        self._context.changed()

    def _sent(self, request: ConsentView) -> None:
        self._request = request
        self._state = "granted" if request.status == "granted" else "refused"
        self._tell(GRANTED if request.status == "granted" else REFUSED)
        self._context.changed()

    def _failed(self, error: KioskError) -> None:
        self._state = "failed"
        self._error = msg(error.message_id)
        self._tell(FAILED)
        self._context.changed()

    def _tell(self, outcome: str) -> None:
        answered, self._answered = self._answered, None
        if answered is not None:
            answered(outcome)


def _what(request: ConsentView) -> Panel:
    return Panel(msg("consent.what_title"), tuple(msg(field_name(f)) for f in request.fields))
