"""What the kiosk sends with a platform call besides the session's token: the options of a query
and the heartbeat's report. Stated once here, for the flows' ports, the platform client and the
test kit's fake alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NotRequired, TypedDict


class ContributionsQuery(TypedDict, total=False):
    """Which contributions to ask for: every insurance when `insurance` is missing or None,
    from the first month when `since` ("YYYY-MM") is, and at most `limit` months (600)."""

    insurance: str | None
    since: str | None
    limit: int


class CertificateOptions(TypedDict, total=False):
    """What a certificate states: which insurances (all when missing or None) and which
    months, ("2025-01", "2025-12") (the whole record when missing or None)."""

    insurances: tuple[str, ...] | None
    period: tuple[str, str] | None


class Heartbeat(TypedDict):
    """The kiosk's health for the supervisors' fleet view: the software, how long it has run,
    each device's state ("ok", "absent", "fault"), the receipt paper ("ok", "near_end", "out",
    or "unknown", the default) and how many submissions wait in the outbox (0 by default)."""

    software_version: str
    uptime_s: int
    devices: Mapping[str, str]
    paper: NotRequired[str]
    outbox_pending: NotRequired[int]
