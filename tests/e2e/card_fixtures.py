"""The real PC/SC stack for the card's end-to-end tests: pcscd with vsmartcard-vpcd.

pcscd is started here (`pcscd --foreground`) when it is not already running, and stopped at the
end of the test run if it was started here. Without the pcscd binary the tests skip, except in
CI (CI=true), where that is a failure: CI must run them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import waiting
from helpers.processes import stop

from kiosk.devices.card.profile import CardProfile, load_profile
from kiosk.devices.card.virtual_card import VirtualSocialSecurityCard
from kiosk.devices.card.vpcd import VpcdCardEmulator

VPCD_READER = "Virtual PCD 00 00"
VPCD_PORT = 35963
ROOT = Path(__file__).resolve().parents[2]
CARDS = ROOT / "tests" / "data" / "cards"
DEMO_CARDS = ROOT / "kiosk" / "assets" / "demo_cards"

# pcscd polls a vpcd reader every 400 ms: a removal shows within about that, an insertion too.
EVENT_TIMEOUT = 3.0


def card_profile(stem: str) -> CardProfile:
    path = DEMO_CARDS / f"{stem}.toml"
    return load_profile(path if path.exists() else CARDS / f"{stem}.toml")


def profile_path(stem: str) -> Path:
    path = DEMO_CARDS / f"{stem}.toml"
    return path if path.exists() else CARDS / f"{stem}.toml"


def _pcscd_binary() -> str | None:
    found = shutil.which("pcscd")
    if found:
        return found
    for folder in ("/usr/sbin", "/sbin", "/usr/local/sbin"):
        candidate = Path(folder) / "pcscd"
        if candidate.exists():
            return str(candidate)
    return None


def _readers() -> list[str] | None:
    """The PC/SC reader names, or None when there is no PC/SC service."""
    from kiosk.devices.card.pcsc import listed_readers

    return listed_readers()


def _vpcd_port_free() -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("0.0.0.0", VPCD_PORT))
        except OSError:
            return False
    return True


def card_present(reader: str = VPCD_READER) -> bool:
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return False
    try:
        hresult, states = scard.SCardGetStatusChange(
            context, 0, [(reader, scard.SCARD_STATE_UNAWARE)]
        )
        return hresult == scard.SCARD_S_SUCCESS and bool(states[0][1] & scard.SCARD_STATE_PRESENT)
    finally:
        scard.SCardReleaseContext(context)


def wait_until(
    condition: Callable[[], object], timeout: float = EVENT_TIMEOUT, what: str = ""
) -> None:
    waiting.wait_until(condition, timeout, what)


class PcscStack:
    """pcscd (ours or the system's) with the vpcd reader listed."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.process: subprocess.Popen[bytes] | None = None
        self.owned = False  # started by the tests, so theirs to stop and restart
        self.log = Path(tempfile.mkstemp(prefix="pcscd-", suffix=".log")[1])

    def ensure(self) -> None:
        readers = _readers()
        if readers is None:
            self.owned = True
            self.start()
        try:
            self.wait_for_reader()
        except RuntimeError:
            if not self.owned or self.process is None or self.process.poll() is not None:
                raise
            # vpcd's port lies in the kernel's range of ephemeral ports: when another
            # connection on the machine was given it, pcscd starts without the reader ("Address
            # already in use"). scripts/setup.sh reserves the port where it may; elsewhere wait
            # for the connection to end (TIME_WAIT lasts a minute) and start pcscd once more.
            # The failure, if any, carries pcscd's own log.
            self.stop()
            if "Address already in use" in self.log.read_text(errors="replace"):
                wait_until(_vpcd_port_free, timeout=90, what=f"port {VPCD_PORT} to be free")
            self.start()
            self.wait_for_reader()

    def start(self) -> None:
        assert self.owned and self.process is None
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "--foreground"], stdout=log, stderr=subprocess.STDOUT
            )

    def wait_for_reader(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            readers = _readers()
            if readers is not None and VPCD_READER in readers:
                return
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"pcscd exited with {self.process.returncode}; log: "
                    f"{self.log.read_text(errors='replace')[-2000:]}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"pyscard does not list {VPCD_READER!r} (readers: {readers}); is "
                    "vsmartcard-vpcd installed, and its port reserved (scripts/setup.sh "
                    "--test as root)? pcscd's log: "
                    f"{self.log.read_text(errors='replace')[-1000:]}"
                )
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop our pcscd (the reader "unplugged"); start() brings it back."""
        process, self.process = self.process, None
        if process is None:
            return
        stop(process, timeout=5)
        wait_until(lambda: _readers() is None, what="pcscd to stop")

    def close(self) -> None:
        self.stop()
        self.log.unlink(missing_ok=True)


_STACK: PcscStack | None = None


@pytest.fixture(name="pcsc_stack")
def pcsc_stack_fixture(request: pytest.FixtureRequest) -> Iterator[PcscStack]:
    """pcscd running with the vpcd reader empty; shared by every card e2e test of the run."""
    global _STACK
    if _STACK is None:
        binary = _pcscd_binary()
        if binary is None:
            reason = "pcscd is not installed (apt-get install pcscd vsmartcard-vpcd)"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"{reason}: CI must run the card end-to-end tests")
            pytest.skip(reason)
        stack = PcscStack(binary)
        try:
            stack.ensure()
        except RuntimeError:
            # A pcscd of ours that never listed the reader must not outlive the run: left
            # running, it fails every card test after it on this machine, whoever runs them.
            stack.close()
            raise
        # Stopped once, at the end of the whole run, not after each module.
        request.config.add_cleanup(stack.close)
        _STACK = stack
    _STACK.wait_for_reader()
    wait_until(lambda: not card_present(), what="the vpcd reader to be empty")
    yield _STACK
    wait_until(lambda: not card_present(), what="the vpcd reader to be empty after the test")


@contextmanager
def inserted(
    profile: CardProfile, card: VirtualSocialSecurityCard | None = None
) -> Iterator[VpcdCardEmulator]:
    """A virtual card in the vpcd reader, in this process, taken out (and gone) on exit."""
    emulator = VpcdCardEmulator(card or VirtualSocialSecurityCard(profile), port=VPCD_PORT)
    emulator.insert()
    try:
        wait_until(card_present, what="pcscd to see the card")
        yield emulator
    finally:
        emulator.remove()
        wait_until(lambda: not card_present(), what="pcscd to see the card leave")


@contextmanager
def emulated(profile_file: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`kiosk card emulate --profile FILE` as a process, the card seen by pcscd."""
    process = subprocess.Popen(
        [*kiosk_command(), "card", "emulate", "--profile", str(profile_file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        wait_until(
            lambda: card_present() or process.poll() is not None,
            timeout=15,
            what="the emulated card",
        )
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        yield process
    finally:
        stop(process, timeout=5)
        if process.stderr is not None:
            process.stderr.close()
        wait_until(lambda: not card_present(), what="pcscd to see the card leave")


def kiosk_command() -> list[str]:
    return [sys.executable, "-m", "kiosk"]
