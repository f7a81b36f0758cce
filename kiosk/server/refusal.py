"""The one exception a refusal is raised as, anywhere in the platform: its status, reason code
and detail. The handlers that answer it are in kiosk.server.errors, with the web stack; this
module has no imports beyond the standard library, so `kiosk staff` and the other commands
that share the platform's rules start without loading FastAPI."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra
