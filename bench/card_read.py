"""Reading a card through pcscd and vpcd, against a bare pyscard loop in the same run.

- card_insert_to_holder: from the virtual card connecting to vpcd (the card "inserted") to the
  holder's data parsed, through PcscCardReader's monitor and read(); baseline: a bare
  SCardGetStatusChange wait, SCardConnect and the same APDUs with SCardTransmit.
- card_read_sequence: PcscCardReader.read() with the card already in, against the same APDUs in
  a bare SCardTransmit loop (goal: ratio at most 1.2).

Medians of 30. The virtual card runs in a process of its own, as `kiosk card emulate` would.
Needs pcscd and vsmartcard-vpcd; starts pcscd if it is installed but not running.
"""

from __future__ import annotations

import multiprocessing
import shutil
import signal
import subprocess
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from bench import Result

ROUNDS = 30
READER = "Virtual PCD 00 00"
PORT = 35963


def _card_process(commands: Connection) -> None:
    """The virtual card: "insert" connects to vpcd (answering when it did), "remove" leaves."""
    from kiosk.devices.card.profile import load_demo_profiles
    from kiosk.devices.card.virtual_card import VirtualSocialSecurityCard
    from kiosk.devices.card.vpcd import VpcdCardEmulator

    emulator = VpcdCardEmulator(
        VirtualSocialSecurityCard(load_demo_profiles()["demo_a"]), port=PORT
    )
    while True:
        command = commands.recv()
        if command == "insert":
            started = time.monotonic()
            emulator.insert()
            commands.send(started)
        elif command == "remove":
            emulator.remove()
            commands.send(True)
        else:
            emulator.remove()
            return


def _sequence() -> list[bytes]:
    from kiosk.devices.card import protocol

    return [protocol.select_ssse()] + [
        protocol.read_record_by_tag(f) for f in (*protocol.CARD_FIELDS, *protocol.HOLDER_FIELDS)
    ]


class _Stack:
    def __init__(self) -> None:
        from smartcard import scard

        self.scard = scard
        self.pcscd: subprocess.Popen[bytes] | None = None

    def readers(self) -> list[str] | None:
        from kiosk.devices.card.pcsc import listed_readers

        return listed_readers()

    def __enter__(self) -> _Stack:
        if self.readers() is None:
            binary = shutil.which("pcscd") or next(
                (p for p in ("/usr/sbin/pcscd", "/sbin/pcscd") if Path(p).exists()), None
            )
            if binary is None:
                raise RuntimeError(
                    "card_read needs pcscd and vsmartcard-vpcd: no PC/SC service is running "
                    "and pcscd is not installed (apt-get install pcscd vsmartcard-vpcd)"
                )
            self.pcscd = subprocess.Popen(
                [binary, "--foreground"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        deadline = time.monotonic() + 10
        while READER not in (self.readers() or []):
            if time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"card_read: pcscd does not list {READER!r}; is vpcd installed?")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        if self.pcscd is not None:
            self.pcscd.send_signal(signal.SIGTERM)
            self.pcscd.wait(timeout=5)
            self.pcscd = None

    def present(self, context: int) -> bool:
        sc = self.scard
        hresult, states = sc.SCardGetStatusChange(context, 0, [(READER, sc.SCARD_STATE_UNAWARE)])
        return hresult == sc.SCARD_S_SUCCESS and bool(states[0][1] & sc.SCARD_STATE_PRESENT)

    def wait_empty(self, context: int) -> None:
        while self.present(context):
            time.sleep(0.01)


class _Inserted:
    def __init__(self) -> None:
        self.event = threading.Event()

    def reader_changed(self, available: bool, name: str | None) -> None:
        pass

    def card_inserted(self) -> None:
        self.event.set()

    def card_removed(self) -> None:
        pass


def run() -> list[Result]:
    from kiosk.devices.card.pcsc import PcscCardReader

    with _Stack() as stack:
        sc = stack.scard
        apdus = [list(a) for a in _sequence()]
        ctx_process = multiprocessing.get_context("spawn")
        ours, theirs = ctx_process.Pipe()
        card = ctx_process.Process(target=_card_process, args=(theirs,), daemon=True)
        card.start()
        hresult, context = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
        if hresult != sc.SCARD_S_SUCCESS:
            raise RuntimeError("card_read: no PC/SC context")
        reader = PcscCardReader(reader_pattern=READER)
        inserted = _Inserted()
        reader.start(inserted)
        try:
            ours_insert: list[float] = []
            bare_insert: list[float] = []
            for _ in range(ROUNDS):
                # Ours: the monitor notices, then read() on this thread (the card worker).
                stack.wait_empty(context)
                inserted.event.clear()
                ours.send("insert")
                started = ours.recv()
                inserted.event.wait(5)
                snapshot = reader.read()
                done = time.monotonic()
                assert snapshot.holder is not None
                ours_insert.append(done - started)
                ours.send("remove")
                ours.recv()

                # Bare: wait for the card, connect, send the same APDUs.
                stack.wait_empty(context)
                ours.send("insert")
                started = ours.recv()
                state = sc.SCARD_STATE_UNAWARE
                while True:
                    hresult, states = sc.SCardGetStatusChange(context, 5000, [(READER, state)])
                    state = states[0][1] & ~sc.SCARD_STATE_CHANGED
                    if state & sc.SCARD_STATE_PRESENT:
                        break
                hresult, handle, proto = sc.SCardConnect(
                    context,
                    READER,
                    sc.SCARD_SHARE_SHARED,
                    sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1,
                )
                for apdu in apdus:
                    hresult, response = sc.SCardTransmit(handle, proto, apdu)
                done = time.monotonic()
                sc.SCardDisconnect(handle, sc.SCARD_LEAVE_CARD)
                bare_insert.append(done - started)
                ours.send("remove")
                ours.recv()

            # The read sequence alone, the card staying in.
            stack.wait_empty(context)
            inserted.event.clear()
            ours.send("insert")
            ours.recv()
            inserted.event.wait(5)
            reader.read()  # connect once, as the kiosk does for a card that stays in
            hresult, handle, proto = sc.SCardConnect(
                context, READER, sc.SCARD_SHARE_SHARED, sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1
            )
            ours_read: list[float] = []
            bare_read: list[float] = []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                reader.read()
                ours_read.append(time.perf_counter() - started)
                started = time.perf_counter()
                for apdu in apdus:
                    hresult, response = sc.SCardTransmit(handle, proto, apdu)
                    if hresult != sc.SCARD_S_SUCCESS or response[-2:] != [0x90, 0x00]:
                        raise RuntimeError("card_read: the bare loop's card did not answer")
                bare_read.append(time.perf_counter() - started)
            sc.SCardDisconnect(handle, sc.SCARD_LEAVE_CARD)
        finally:
            reader.stop()
            ours.send("quit")
            card.join(timeout=5)
            sc.SCardReleaseContext(context)

    return [
        Result.median_ms(
            "card_insert_to_holder",
            ours_insert,
            bare_insert,
            f"median of {ROUNDS}; pcscd polls vpcd every 400 ms; baseline: bare pyscard",
        ),
        Result.median_ms(
            "card_read_sequence",
            ours_read,
            bare_read,
            f"median of {ROUNDS}; {len(apdus)} APDUs; baseline: bare SCardTransmit loop",
        ),
    ]
