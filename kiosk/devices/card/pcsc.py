"""The resident's card through PC/SC (pcscd on Linux, WinSCard on Windows), with pyscard.

Two threads touch PC/SC here, each with its own context, as PC/SC wants:
- a monitor thread waits in SCardGetStatusChange for readers and cards coming and going, and
  only tells the listener (the card service queues the events for the UI);
- the card worker (kiosk.devices.card.service), the only thread that calls read(), verify_pin()
  and change_pin(), and so the only one that sends APDUs.

With no PC/SC service or no matching reader the reader still starts: it says
reader_changed(False, None) and keeps looking, so a reader plugged in later, or pcscd started
later, is picked up. A reader whose name says SAM/PSAM is never used for the resident's card.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from kiosk.devices.card import protocol
from kiosk.devices.card.chip import ChipPinOperations, SilentListener
from kiosk.devices.card.interface import CardReaderListener
from kiosk.devices.card.protocol import PinReset, SecureAccess
from kiosk.domain.card import CardSnapshot
from kiosk.domain.errors import CardError, CardMisread, CardRemoved, ReaderUnavailable

scard: ModuleType | None
try:
    import smartcard.scard as _scard_module
except ImportError:  # the kiosk runs on the simulator without pyscard
    scard = None
else:
    scard = _scard_module

log = logging.getLogger(__name__)

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"
# Secure access modules sit in slots named like "... SAM 00 00": never the resident's card.
SAM_SLOT = re.compile(r"(?<![A-Za-z])P?SAM(?![A-Za-z])", re.IGNORECASE)

_S_SUCCESS = 0
_E_CANCELLED = 0x80100002
_E_INVALID_HANDLE = 0x80100003
_E_UNKNOWN_READER = 0x80100009
_E_TIMEOUT = 0x8010000A
_E_SHARING_VIOLATION = 0x8010000B
_E_NO_SMARTCARD = 0x8010000C
_F_COMM_ERROR = 0x80100013
_E_READER_UNAVAILABLE = 0x80100017
_E_NO_SERVICE = 0x8010001D
_E_SERVICE_STOPPED = 0x8010001E
_E_NO_READERS_AVAILABLE = 0x8010002E
_W_RESET_CARD = 0x80100068
_W_REMOVED_CARD = 0x80100069

_STATE_UNAWARE = 0x0
_STATE_CHANGED = 0x2
_STATE_PRESENT = 0x20

_SERVICE_GONE = {_E_NO_SERVICE, _E_SERVICE_STOPPED, _E_INVALID_HANDLE, _F_COMM_ERROR}
_CARD_GONE = {_W_REMOVED_CARD, _E_NO_SMARTCARD}
_READER_GONE = {_E_READER_UNAVAILABLE, _E_UNKNOWN_READER}

# How long to watch a reader after an unclear transmission failure: pcscd polls a reader about
# every 400 ms, so a card pulled mid-APDU shows as removed within this.
_REMOVAL_GRACE_MS = 900


def _code(hresult: int) -> int:
    return hresult & 0xFFFFFFFF


def _message(hresult: int) -> str:
    if scard is None:
        return f"{_code(hresult):08X}"
    return f"{scard.SCardGetErrorMessage(hresult)} ({_code(hresult):08X})"


def pcsc_importable() -> bool:
    return scard is not None


def select_readers(names: list[str], pattern: str | None) -> list[str]:
    """The readers the resident's card may be in: matching `pattern`, never a SAM slot."""
    wanted = re.compile(pattern, re.IGNORECASE) if pattern else None
    return [
        name
        for name in names
        if name != PNP_NOTIFICATION
        and not SAM_SLOT.search(name)
        and (wanted is None or wanted.search(name))
    ]


def listed_readers() -> list[str] | None:
    """Every reader PC/SC lists now, SAM slots included; None with no pyscard or no PC/SC
    service (pcscd not running), which is not the same as a service with no reader."""
    if scard is None:
        return None
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if _code(hresult) != _S_SUCCESS:
        return None
    try:
        hresult, names = scard.SCardListReaders(context, [])
        return list(names) if _code(hresult) == _S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(context)


def matching_readers(pattern: str | None) -> list[str]:
    """The matching readers present now; [] with no pyscard or no PC/SC service."""
    return select_readers(listed_readers() or [], pattern)


@dataclass
class _Connection:
    reader: str
    handle: Any
    protocol: int
    atr: str


class PcscCardReader(ChipPinOperations):
    """Implements CardReader over PC/SC. See the module's docstring for its threads."""

    def __init__(
        self,
        reader_pattern: str | None = None,
        secure_access: SecureAccess | None = None,
        retry_interval: float = 0.5,
        pin_reset: PinReset | None = None,
    ) -> None:
        if reader_pattern:
            re.compile(reader_pattern)  # a bad pattern fails here, at configuration
        self._pattern = reader_pattern
        self._secure_access = secure_access
        self._pin_reset = pin_reset
        self._retry_interval = retry_interval
        self._listener: CardReaderListener = SilentListener()
        self._name = ""
        self._io_lock = threading.RLock()
        self._context: Any = None
        self._connection: _Connection | None = None
        self._monitor: threading.Thread | None = None
        self._monitor_context: Any = None
        self._monitor_lock = threading.Lock()
        self._stopping = threading.Event()

    # --- CardReader ----------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    def start(self, listener: CardReaderListener) -> None:
        self._listener = listener
        self._stopping.clear()
        if scard is None:
            log.warning("pyscard is not installed: no PC/SC card reader")
            listener.reader_changed(False, None)
            return
        self._monitor = threading.Thread(target=self._watch, name="pcsc-monitor", daemon=True)
        self._monitor.start()

    def stop(self) -> None:
        self._stopping.set()
        with self._monitor_lock:
            if self._monitor_context is not None and scard is not None:
                scard.SCardCancel(self._monitor_context)
        if self._monitor is not None:
            self._monitor.join(timeout=5.0)
            self._monitor = None
        self._listener = SilentListener()
        with self._io_lock:
            self._disconnect()
            self._release_context()

    def read(self) -> CardSnapshot:
        with self._io_lock, self._transaction() as connection:
            info, holder = protocol.read_card(_PcscTransport(self, connection), self._secure_access)
            return CardSnapshot(
                reader=connection.reader, atr=connection.atr, card=info, holder=holder
            )

    @contextmanager
    def _chip(self) -> Iterator[protocol.Transport]:
        with self._io_lock, self._transaction() as connection:
            yield _PcscTransport(self, connection)

    # --- for the command line: no monitor thread, the caller's thread does it all -----------

    def wait_for_card(self, timeout: float) -> str:
        """The name of a matching reader with a card, waiting up to `timeout` seconds.

        Raises ReaderUnavailable (no PC/SC service or no matching reader by then) or
        CardRemoved (readers, but no card by then).
        """
        deadline = time.monotonic() + timeout
        with self._io_lock:
            saw_reader = False
            while True:
                remaining = deadline - time.monotonic()
                try:
                    readers = self._readers()
                except ReaderUnavailable:
                    readers = []
                if readers:
                    saw_reader = True
                    present = self._present(readers, wait_ms=int(max(0.0, remaining) * 1000))
                    if present:
                        self._name = present[0]
                        return present[0]
                elif remaining > 0:
                    time.sleep(min(remaining, 0.2))
                if time.monotonic() >= deadline:
                    if saw_reader:
                        raise CardRemoved("no card in the reader")
                    raise ReaderUnavailable("no PC/SC service or no matching reader")

    # --- the worker's side: contexts, connections, transmission --------------------------

    def _require_scard(self) -> ModuleType:
        if scard is None:
            raise ReaderUnavailable("pyscard is not installed")
        return scard

    def _worker_context(self) -> Any:
        sc = self._require_scard()
        if self._context is None:
            hresult, context = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
            if _code(hresult) != _S_SUCCESS:
                raise ReaderUnavailable(f"no PC/SC service: {_message(hresult)}")
            self._context = context
        return self._context

    def _release_context(self) -> None:
        if self._context is not None and scard is not None:
            scard.SCardReleaseContext(self._context)
        self._context = None

    def _service_lost(self) -> ReaderUnavailable:
        self._connection = None  # its handle died with the service
        self._release_context()
        return ReaderUnavailable("the PC/SC service went away")

    def _readers(self) -> list[str]:
        sc = self._require_scard()
        for attempt in range(2):
            hresult, names = sc.SCardListReaders(self._worker_context(), [])
            code = _code(hresult)
            if code == _S_SUCCESS:
                return select_readers(list(names), self._pattern)
            if code == _E_NO_READERS_AVAILABLE:
                return []
            if code in _SERVICE_GONE:
                error = self._service_lost()
                if attempt == 1:
                    raise error
                continue
            raise ReaderUnavailable(f"cannot list readers: {_message(hresult)}")
        return []

    def _present(self, readers: list[str], wait_ms: int = 0) -> list[str]:
        """Of `readers`, those holding a card; waiting up to `wait_ms` for one to arrive."""
        sc = self._require_scard()
        states = [(name, _STATE_UNAWARE) for name in readers]
        hresult, result = sc.SCardGetStatusChange(self._worker_context(), 0, states)
        code = _code(hresult)
        deadline = time.monotonic() + wait_ms / 1000
        while True:
            if code in _SERVICE_GONE:
                raise self._service_lost()
            if code not in (_S_SUCCESS, _E_TIMEOUT):
                if code in _READER_GONE:
                    return []
                raise ReaderUnavailable(f"cannot watch the readers: {_message(hresult)}")
            if code == _S_SUCCESS:
                present = [name for name, state, _ in result if state & _STATE_PRESENT]
                if present:
                    return present
                states = [(name, state & ~_STATE_CHANGED) for name, state, _ in result]
            remaining = int((deadline - time.monotonic()) * 1000)
            if remaining <= 0:
                return []
            hresult, changed = sc.SCardGetStatusChange(
                self._worker_context(), min(remaining, 1000), states
            )
            code = _code(hresult)
            if code == _S_SUCCESS:
                result = changed

    def _connect(self) -> _Connection:
        """The connection to the card now in a matching reader, reused while it stays in."""
        sc = self._require_scard()
        if self._connection is not None:
            # Kept while the card stays in; a pulled or swapped card makes its handle fail at
            # the next SCardBeginTransaction, which then connects afresh.
            return self._connection
        readers = self._readers()
        if not readers:
            raise ReaderUnavailable("no matching card reader")
        present = self._present(readers)
        if not present:
            raise CardRemoved("no card in the reader")
        reader = present[0]
        hresult, handle, active = sc.SCardConnect(
            self._worker_context(),
            reader,
            sc.SCARD_SHARE_SHARED,
            sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1,
        )
        code = _code(hresult)
        if code != _S_SUCCESS:
            raise self._failure(code, reader, "connect")
        hresult, _, _, _, atr = sc.SCardStatus(handle)
        if _code(hresult) != _S_SUCCESS:
            sc.SCardDisconnect(handle, sc.SCARD_LEAVE_CARD)
            raise self._failure(_code(hresult), reader, "status")
        self._connection = _Connection(reader, handle, active, bytes(atr).hex().upper())
        self._name = reader
        return self._connection

    @contextmanager
    def _transaction(self) -> Iterator[_Connection]:
        """Keeps other programs' APDUs out of one sequence (SELECT, then reads or VERIFY)."""
        sc = self._require_scard()
        connection = self._connect()
        hresult = sc.SCardBeginTransaction(connection.handle)
        if _code(hresult) in _CARD_GONE | {_W_RESET_CARD, _E_INVALID_HANDLE}:
            # The handle is from a card that has left since: whatever is in now is new.
            self._disconnect()
            connection = self._connect()
            hresult = sc.SCardBeginTransaction(connection.handle)
        if _code(hresult) != _S_SUCCESS:
            raise self._failure(_code(hresult), connection.reader, "begin transaction")
        try:
            yield connection
        finally:
            if self._connection is connection:
                sc.SCardEndTransaction(connection.handle, sc.SCARD_LEAVE_CARD)

    def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and scard is not None:
            scard.SCardDisconnect(connection.handle, scard.SCARD_LEAVE_CARD)

    def _failure(self, code: int, reader: str, what: str) -> CardError:
        """The typed error for a failed PC/SC call on `reader`; drops the connection."""
        log.info("PC/SC %s failed: %08X", what, code)
        self._disconnect()
        if code in _SERVICE_GONE - {_F_COMM_ERROR}:
            return self._service_lost()
        if code in _CARD_GONE:
            return CardRemoved()
        if code in _READER_GONE:
            return ReaderUnavailable("the card reader went away")
        if code == _E_SHARING_VIOLATION:
            return CardMisread("the card is in use by another program")
        if code == _W_RESET_CARD:
            return CardMisread("the card was reset by another program")
        # A card pulled mid-APDU first shows as a transmission error; pcscd notices the
        # removal at its next poll of the reader. Wait that long before calling it a misread.
        try:
            if not self._present([reader]):
                return CardRemoved()
            if not self._still_present(reader, _REMOVAL_GRACE_MS):
                return CardRemoved()
        except ReaderUnavailable as error:
            return error
        return CardMisread(f"PC/SC {what} failed ({code:08X})")

    def _still_present(self, reader: str, wait_ms: int) -> bool:
        sc = self._require_scard()
        hresult, result = sc.SCardGetStatusChange(
            self._worker_context(), 0, [(reader, _STATE_UNAWARE)]
        )
        if _code(hresult) != _S_SUCCESS:
            return False
        state = result[0][1] & ~_STATE_CHANGED
        if not state & _STATE_PRESENT:
            return False
        hresult, result = sc.SCardGetStatusChange(
            self._worker_context(), wait_ms, [(reader, state)]
        )
        if _code(hresult) == _E_TIMEOUT:
            return True
        return _code(hresult) == _S_SUCCESS and bool(result[0][1] & _STATE_PRESENT)

    def _after_failed_transmit(
        self, connection: _Connection, hresult: int, response: list[int]
    ) -> bytes:
        """The slow path of _PcscTransport.transmit: an error, or a response too short."""
        code = _code(hresult)
        if self._connection is not connection:
            raise CardRemoved()
        if code != _S_SUCCESS:
            raise self._failure(code, connection.reader, "transmit")
        # vpcd, and some drivers, answer "nothing" for a card pulled mid-APDU.
        try:
            gone = not self._still_present(connection.reader, _REMOVAL_GRACE_MS)
        except ReaderUnavailable:
            gone = True
        if gone:
            self._disconnect()
            raise CardRemoved()
        return bytes(response)

    # --- the monitor thread ----------------------------------------------------------------

    def _watch(self) -> None:
        sc = self._require_scard()
        available: tuple[bool, str | None] | None = None
        known: dict[str, int] = {}
        pnp_state = _STATE_UNAWARE
        context: Any = None

        def report(now: tuple[bool, str | None]) -> None:
            nonlocal available
            if now != available:
                available = now
                if now[1] is not None:
                    self._name = now[1]
                self._listener.reader_changed(*now)

        def forget(readers: list[str]) -> None:
            for name in readers:
                if known.pop(name, 0) & _STATE_PRESENT:
                    self._listener.card_removed()

        def service_gone(lost: Any) -> None:
            """pcscd has gone (stopped, restarted): every reader and card with it."""
            self._drop_monitor_context(lost)
            forget(list(known))
            report((False, None))

        while not self._stopping.is_set():
            if context is None:
                hresult, new_context = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
                if _code(hresult) != _S_SUCCESS:
                    forget(list(known))
                    report((False, None))
                    self._stopping.wait(self._retry_interval)
                    continue
                context = new_context
                with self._monitor_lock:
                    self._monitor_context = context
                pnp_state = _STATE_UNAWARE
            hresult, names = sc.SCardListReaders(context, [])
            code = _code(hresult)
            if code in _SERVICE_GONE:
                service_gone(context)
                context = None
                continue
            readers = select_readers(list(names), self._pattern) if code == _S_SUCCESS else []
            forget([name for name in known if name not in readers])
            report((True, readers[0]) if readers else (False, None))
            states = [(name, known.get(name, _STATE_UNAWARE)) for name in readers]
            states.append((PNP_NOTIFICATION, pnp_state))
            hresult, result = sc.SCardGetStatusChange(context, 1000, states)
            code = _code(hresult)
            if code in (_E_TIMEOUT, _E_CANCELLED):
                continue
            if code in _SERVICE_GONE:
                service_gone(context)
                context = None
                continue
            if code != _S_SUCCESS:
                # A reader vanished between listing and waiting: list again, after a breath.
                self._stopping.wait(0.05)
                continue
            for name, state, _ in result:
                state &= ~_STATE_CHANGED
                if name == PNP_NOTIFICATION:
                    pnp_state = state
                    continue
                was = known.get(name, _STATE_UNAWARE) & _STATE_PRESENT
                known[name] = state
                if state & _STATE_PRESENT and not was:
                    self._listener.card_inserted()
                elif was and not state & _STATE_PRESENT:
                    self._listener.card_removed()
        if context is not None:
            self._drop_monitor_context(context)

    def _drop_monitor_context(self, context: Any) -> None:
        with self._monitor_lock:
            self._monitor_context = None
        if scard is not None:
            scard.SCardReleaseContext(context)


class _PcscTransport:
    """APDUs over one connection. Kept lean: it runs once per APDU on the read's hot path."""

    def __init__(self, reader: PcscCardReader, connection: _Connection) -> None:
        assert scard is not None
        self._transmit = scard.SCardTransmit
        self._reader = reader
        self._connection = connection

    def transmit(self, apdu: bytes | bytearray) -> bytes:
        connection = self._connection
        command = list(apdu)
        try:
            hresult, response = self._transmit(connection.handle, connection.protocol, command)
        finally:
            # The list may hold PIN digits; clearing it is the little Python lets us do.
            command.clear()
        if hresult == _S_SUCCESS and len(response) >= 2 and self._reader._connection is connection:
            return bytes(response)
        return self._reader._after_failed_transmit(connection, hresult, response)
