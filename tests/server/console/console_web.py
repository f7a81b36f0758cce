"""The staff console over real HTTP, as a browser without JavaScript uses it: sign in with the
login form, read a page, post its forms with the CSRF token the page carries."""

from __future__ import annotations

import html
import re
import secrets

import requests

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


def file_complaint(
    live: LivePlatform,
    headers: dict[str, str],
    *,
    category: str = "card",
    kind: str = "complaint",
    item: str | None = None,
    subject: str = "补卡进度慢",
) -> dict[str, object]:
    body: dict[str, object] = {
        "kind": kind,
        "category": category,
        "subject": subject,
        "text": "两周前申请补卡，至今没有消息。",
    }
    if item is not None:
        body["item"] = item
    key = {"Idempotency-Key": secrets.token_hex(12)}
    answer = requests.post(f"{live.url}/v1/complaints", json=body, headers=headers | key, timeout=5)
    assert answer.status_code == 201, answer.text
    result: dict[str, object] = answer.json()
    return result
