"""The doctor's checks beyond the machine: the platform over its TLS endpoint and the clock
against it, and the disk the outbox writes to."""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import os
import re
import shutil
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.config import Config
from kiosk.doctor.finding import Check, Status, error_name

# Beyond these, dates printed on certificates and the TLS handshake go wrong.
CLOCK_WARNING_S = 30.0
CLOCK_FAULT_S = 300.0
# The outbox keeps what residents file while the platform is unreachable (Art. 16).
DISK_FAULT_BYTES = 100 * 1024 * 1024
DISK_WARNING_BYTES = 1024 * 1024 * 1024
# A certificate that ends this soon is a warning: renewing it takes the operators time.
CERT_WARNING_DAYS = 30


# --- the platform --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformLook:
    reachable: Check
    clock: Check


def check_platform(
    config: Config, now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
) -> PlatformLook:
    """The platform's health endpoint over the configured transport (TLS verified against the
    configured CA), its certificate's expiry, and the clock against the platform's Date."""
    url = config.platform.url
    if url == "embedded":
        absent = "platform.url is 'embedded' (the demo's own platform)"
        return PlatformLook(Check("platform", "absent", absent), Check("clock", "absent", absent))
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        bad = f"platform.url {url!r} is not an http(s) address"
        return PlatformLook(Check("platform", "fault", bad), Check("clock", "absent", bad))
    if parts.scheme == "http" and not _loopback(host):
        bad = "plain http is refused except to this machine; use https"
        return PlatformLook(Check("platform", "fault", bad), Check("clock", "absent", bad))
    import requests

    from kiosk.api_contract import API_PREFIX

    health = url.rstrip("/") + API_PREFIX + "/health"
    ca_file = config.platform.ca_file
    if ca_file and not Path(ca_file).is_file():
        bad = f"platform.ca_file {ca_file} is not there: TLS cannot be verified"
        return PlatformLook(Check("platform", "fault", bad), Check("clock", "absent", bad))
    verify: bool | str = ca_file or True
    try:
        answer = requests.get(health, timeout=config.platform.timeout_s, verify=verify)
        received = now()
    except requests.exceptions.SSLError as error:
        tls = f"{host}: the TLS certificate is not trusted ({_ssl_reason(error)})"
        return PlatformLook(Check("platform", "fault", tls), Check("clock", "absent", tls))
    except requests.RequestException as error:
        down = f"{health}: not reachable ({type(error).__name__})"
        return PlatformLook(Check("platform", "fault", down), Check("clock", "absent", down))
    if answer.status_code != 200:
        said = f"{health}: answered HTTP {answer.status_code}"
        return PlatformLook(Check("platform", "fault", said), Check("clock", "absent", said))
    detail = f"{health}: reachable"
    status: Status = "ok"
    if parts.scheme == "https":
        tls_status, tls_detail = _tls_look(host, parts.port or 443, config, received)
        detail += f"; {tls_detail}"
        status = tls_status
    else:
        detail += " (plain http on this machine)"
    return PlatformLook(Check("platform", status, detail), _clock_check(answer, received))


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _ssl_reason(error: BaseException) -> str:
    text = str(error)
    match = re.search(r"certificate verify failed: ([^(')]*)", text)
    return match[1].strip() if match else type(error).__name__


def _tls_look(host: str, port: int, config: Config, now: dt.datetime) -> tuple[Status, str]:
    context = ssl.create_default_context(cafile=config.platform.ca_file or None)
    try:
        with (
            socket.create_connection((host, port), timeout=config.platform.timeout_s) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            version = tls.version() or "TLS"
            cert = tls.getpeercert() or {}
    except (OSError, ssl.SSLError) as error:
        return "fault", f"TLS: {error_name(error)}"
    not_after = cert.get("notAfter")
    if not isinstance(not_after, str):
        return "ok", f"{version}, certificate verified"
    ends = dt.datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), dt.UTC)
    days = (ends - now).days
    text = f"{version}, certificate verified, valid until {ends:%Y-%m-%d} ({days} days)"
    return ("warning" if days < CERT_WARNING_DAYS else "ok"), text


def _clock_check(answer: Any, received: dt.datetime) -> Check:
    date = answer.headers.get("Date")
    if not date:
        return Check("clock", "warning", "the platform sent no Date: the clock is not checked")
    try:
        theirs = email.utils.parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return Check("clock", "warning", f"the platform's Date {date!r} cannot be read")
    # Date has whole seconds: up to a second of difference is the header's rounding.
    difference = (received - theirs).total_seconds()
    size = abs(difference)
    side = "ahead of" if difference > 0 else "behind"
    text = f"{size:.0f} s {side} the platform" if size >= 1.5 else "agrees with the platform"
    if size >= CLOCK_FAULT_S:
        return Check("clock", "fault", f"{text}: set the time (NTP) before opening")
    if size >= CLOCK_WARNING_S:
        return Check("clock", "warning", text)
    return Check("clock", "ok", text)


# --- the outbox ----------------------------------------------------------------------------


def outbox_folder() -> Path:
    from platformdirs import user_data_path

    from kiosk.assembly.paths import APP_NAME

    return user_data_path(APP_NAME)


def check_disk(folder: Path | None = None) -> Check:
    """Free space where the outbox keeps what residents file while the platform is away."""
    name = "outbox_disk"
    target = folder or outbox_folder()
    existing = target
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        usage = shutil.disk_usage(existing)
    except OSError as error:
        return Check(name, "fault", f"{target}: {error_name(error)}")
    free_mb = usage.free // (1024 * 1024)
    writable = os.access(existing, os.W_OK)
    text = f"{target}: {free_mb} MB free"
    if not writable:
        return Check(name, "fault", f"{text}, but not writable by this user")
    if usage.free < DISK_FAULT_BYTES:
        return Check(name, "fault", f"{text}: under {DISK_FAULT_BYTES // 2**20} MB")
    if usage.free < DISK_WARNING_BYTES:
        return Check(name, "warning", f"{text}: under {DISK_WARNING_BYTES // 2**20} MB")
    return Check(name, "ok", text)
