"""The console's plumbing: its cookie session over the staff sessions of the API, CSRF tokens,
the pages' language, and rendering.

The session cookie is HttpOnly, SameSite=Strict, and Secure when served over TLS; the session
itself is a staff session (kiosk.server.auth) opened "at" the console, so it ends after the same
idle time and a disabled account is signed out at its next request. Every form carries a CSRF
token derived from the session's secret; a form without the right one is refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypedDict

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from kiosk.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translations
from kiosk.server import departments
from kiosk.server import models as m
from kiosk.server.auth import staff_of_session
from kiosk.server.context import Platform, platform
from kiosk.server.departments import LOCAL
from kiosk.server.errors import ApiError

if TYPE_CHECKING:
    from jinja2 import Environment

HERE = Path(__file__).parent
STATIC = HERE / "static"
FONTS = HERE.parent.parent / "assets" / "fonts"
# Staff sessions of the console are opened "at" this place, which no kiosk id can be
# (kiosk ids are enrolled without "@"): a console cookie is not a counter's token.
CONSOLE_PLACE = "@console"
SESSION_COOKIE = "onecard_console"
# Before sign-in there is no session to derive a token from: the login form's token is a
# random value in a cookie of its own, which a page on another site can neither read nor set.
LOGIN_COOKIE = "onecard_console_login"
LANGUAGE_COOKIE = "onecard_console_lang"


@functools.cache
def _templates() -> Environment:
    # Made at the first page, not at import: the kiosk's embedded platform starts without it.
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


_translations = Translations()


class NotSignedIn(Exception):
    pass


class Forbidden(Exception):
    pass


class BadToken(Exception):
    pass


class NotFound(Exception):
    pass


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE, DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def csrf_for(token: str) -> str:
    return hmac.new(token.encode(), b"console-csrf", hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Visitor:
    """The signed-in member of staff, for one request."""

    staff: m.Staff
    token: str
    language: str
    idle_s: int
    request: Request

    @property
    def csrf(self) -> str:
        return csrf_for(self.token)


def signed_in(db: Session, request: Request, ctx: Platform) -> Visitor:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 128:
        raise NotSignedIn
    try:
        staff = staff_of_session(db, token, CONSOLE_PLACE, ctx)
    except ApiError:
        raise NotSignedIn from None
    return Visitor(staff, token, language_of(request), ctx.settings.staff_idle_s, request)


def require(visitor: Visitor, *roles: str) -> None:
    if visitor.staff.role not in roles:
        raise Forbidden


def check_form(visitor: Visitor, form: Mapping[str, str]) -> None:
    if not hmac.compare_digest(form.get("csrf_token", ""), visitor.csrf):
        raise BadToken


async def form_of(request: Request) -> dict[str, str]:
    """An urlencoded form's fields, the first value of each: the console's forms are plain."""
    if request.method != "POST":
        return {}
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        return {}
    body = (await request.body()).decode("utf-8", "replace")
    parsed = urllib.parse.parse_qs(body, keep_blank_values=True, max_num_fields=100)
    return {key: values[0] for key, values in parsed.items()}


Ctx = Annotated[Platform, Depends(platform)]
Form = Annotated[dict[str, str], Depends(form_of)]


class Said(TypedDict, total=False):
    """What a page says besides its content: the last form's outcome, or its problem."""

    done: str
    problem: str
    status_code: int


@contextmanager
def visit(
    request: Request,
    ctx: Platform,
    roles: Iterable[str] = (),
    form: Mapping[str, str] | None = None,
) -> Iterator[tuple[Session, Visitor]]:
    """One request of a page, as every page takes it: the database, and who is signed in,
    refused unless they hold one of the roles (any role when none is named); a posted form
    must carry the session's token before anything it asks is done."""
    with ctx.db() as db:
        visitor = signed_in(db, request, ctx)
        wanted = tuple(roles)
        if wanted:
            require(visitor, *wanted)
        if form is not None:
            check_form(visitor, form)
        yield db, visitor


def show(
    visitor: Visitor,
    name: str,
    *,
    done: str = "",
    known: Iterable[str] | None = (),
    problem: str = "",
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page for the signed-in visitor, saying what the last form did or what is wrong with
    it. The query string is the visitor's to type: only a known outcome is said (known=None:
    any, for a page that names what it acted on)."""
    return render(
        visitor.request,
        name,
        language=visitor.language,
        visitor=visitor,
        done=done if known is None or done in tuple(known) else "",
        problem=problem,
        status_code=status_code,
        **context,
    )


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def local_time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")


def ago(value: dt.datetime | None, now: dt.datetime, language: str) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    seconds = max(0, int((now - value).total_seconds()))
    text = _translations.get(language).text_with
    if seconds < 60:
        return text("console.ago.seconds", n=seconds)
    if seconds < 3600:
        return text("console.ago.minutes", n=seconds // 60)
    if seconds < 86400:
        return text("console.ago.hours", n=seconds // 3600)
    return text("console.ago.days", n=seconds // 86400)


def render(
    request: Request,
    name: str,
    *,
    language: str,
    visitor: Visitor | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    texts = _translations.get(language)

    def t(message_id: str, **params: object) -> str:
        return texts.text_with(message_id, **params) if params else texts.text(message_id)

    def department(code: str) -> str:
        return departments.name(code, language) if code else "—"

    html = (
        _templates()
        .get_template(name)
        .render(
            t=t,
            language=language,
            visitor=visitor,
            department=department,
            local_time=local_time,
            path=request.url.path,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    # The console's pages hold complaints and accounts: never cached, never framed.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'"
    )
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def redirect(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


def set_session(
    response: Response, request: Request, token: str, *, cookie: str = SESSION_COOKIE
) -> None:
    """A cookie that scripts cannot read and other sites cannot send: the session's, or the
    sign-in form's token."""
    response.set_cookie(
        cookie,
        token,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
        path="/console",
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/console")


Page = Callable[..., Response]
