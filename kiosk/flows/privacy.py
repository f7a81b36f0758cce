"""The privacy notice a session opens with (Art. 13): what the kiosk reads, for what, and how
long it is kept, shown and spoken, accepted with one press.

The notice comes before the session's first personal data: after the card is read and before
its PIN, or once the e-code has signed the resident in, or before the ID number is typed for a
loss report without the card. It is asked once per session (kiosk.flows.session), not on every
screen. No Qt here: the screen draws this Content and the voice guide reads it whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.domain.messages import msg
from kiosk.domain.privacy import COMPLAINT_CONTACT_DAYS, SESSION_RECORD_DAYS
from kiosk.flows.view import Choice, Content, Panel

if TYPE_CHECKING:
    from kiosk.flows.session import SessionFlow


def privacy_notice(flow: SessionFlow) -> Content:
    panels = (
        Panel(msg("notice.privacy.read.title"), (msg("notice.privacy.read"),)),
        Panel(msg("notice.privacy.purpose.title"), (msg("notice.privacy.purpose"),)),
        Panel(
            msg("notice.privacy.kept.title"),
            (
                msg(
                    "notice.privacy.kept",
                    days=SESSION_RECORD_DAYS,
                    contact_days=COMPLAINT_CONTACT_DAYS,
                ),
            ),
        ),
    )
    choices = (
        Choice("1", msg("notice.privacy.accept"), None, flow.accept_privacy),
        Choice("2", msg("notice.privacy.decline"), None, flow.decline_privacy),
    )
    return Content(
        msg("notice.privacy.heading"),
        msg("notice.privacy.hint"),
        choices,
        panels,
        columns=2,
    )
