"""What the routes take from a request besides its body: the platform, who is calling, and a
submission's headers. Declared once, so every route names them, and documents them, alike."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from kiosk.api_contract import GRANT_HEADER, IDEMPOTENCY_HEADER
from kiosk.server.auth import (
    KioskCredentials,
    ResidentCredentials,
    StaffCredentials,
    kiosk_credentials,
    resident_credentials,
    staff_credentials,
)
from kiosk.server.context import Platform, platform

Ctx = Annotated[Platform, Depends(platform)]
KioskCreds = Annotated[KioskCredentials, Depends(kiosk_credentials)]
ResidentCreds = Annotated[ResidentCredentials, Depends(resident_credentials)]
StaffCreds = Annotated[StaffCredentials, Depends(staff_credentials)]

IdemKey = Annotated[
    str,
    Header(
        alias=IDEMPOTENCY_HEADER,
        description="16-64 characters, unique per submission; a repeat gets the first answer",
        pattern=r"^[A-Za-z0-9_-]{16,64}$",
    ),
]
Grant = Annotated[
    str | None,
    Header(
        alias=GRANT_HEADER,
        description="instead of X-Session-Token, after the resident has left: the delivery grant"
        " given for this very Idempotency-Key while the session was live",
        max_length=128,
    ),
]
