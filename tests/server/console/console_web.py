"""The staff console over real HTTP, as a browser without JavaScript uses it: sign in with the
login form, read a page, post its forms with the CSRF token the page carries."""

from __future__ import annotations

import datetime as dt
import html
import re

import requests

from kiosk.server.departments import LOCAL
from kiosk.server.testing import LivePlatform

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token_in(page: str) -> str:
    found = TOKEN.search(page)
    assert found, "the page has no form with a CSRF token"
    return html.unescape(found.group(1))


def sign_in(
    live: LivePlatform, username: str, password: str | None = None
) -> tuple[requests.Session, requests.Response]:
    browser = requests.Session()
    form = browser.get(f"{live.url}/console/login", timeout=5)
    assert form.status_code == 200
    answer = browser.post(
        f"{live.url}/console/login",
        data={
            "username": username,
            "password": password if password is not None else f"{username}-pass",
            "csrf_token": token_in(form.text),
        },
        timeout=5,
    )
    return browser, answer


def signed_in(live: LivePlatform, username: str) -> requests.Session:
    browser, answer = sign_in(live, username)
    assert answer.status_code == 200 and "/console/login" not in answer.url, answer.text[:400]
    return browser


def post_form(
    browser: requests.Session, live: LivePlatform, page: str, action: str, **fields: str
) -> requests.Response:
    """Open the page, then send one of its forms with the page's token."""
    shown = browser.get(f"{live.url}{page}", timeout=5)
    assert shown.status_code == 200, shown.text[:400]
    return browser.post(
        f"{live.url}{action}", data={"csrf_token": token_in(shown.text), **fields}, timeout=5
    )


def publish_notice(
    operator: requests.Session,
    live: LivePlatform,
    title: tuple[str, str],
    body: tuple[str, str],
    days: int,
) -> requests.Response:
    """A notice from today for that many days, in Chinese and English, as an operator posts it."""
    today = dt.datetime.now(LOCAL).date()
    return post_form(
        operator,
        live,
        "/console/notices",
        "/console/notices",
        title_zh=title[0],
        title_en=title[1],
        body_zh=body[0],
        body_en=body[1],
        starts=today.isoformat(),
        ends=(today + dt.timedelta(days=days)).isoformat(),
    )
