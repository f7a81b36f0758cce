"""A whole kiosk for the privacy tests: the real window, session flow, card service (simulated
reader, real card protocol), platform client, outbox, simulated printer and voice guide with a
prompt cache, against the real reference server in its own process, driven by the keypad.

It keeps the folders the kiosk writes to where the kiosk puts them (the XDG folders the test
suite points at a temporary home), so a sweep of that home sees every file a real kiosk would
leave. The server's standard output and error (its logs) are copied to files there as well.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_rig import make_window, press, show_window

from kiosk.accessibility.voice import InlineWorker, VoiceGuide
from kiosk.assembly.paths import APP_NAME, cache_folder
from kiosk.backend.client import PlatformClient
from kiosk.backend.outbox import Outbox
from kiosk.devices.card.profile import CardProfile, load_demo_profiles
from kiosk.devices.card.service import CardService
from kiosk.devices.card.simulated import SimulatedCardReader
from kiosk.devices.printer.factory import make_receipt_printer
from kiosk.devices.speech.cache import PromptCache
from kiosk.devices.speech.simulated import RecordingEngine, RecordingPlayer
from kiosk.flows.services import ServiceSearchTask
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.server.embedded import EmbeddedServer
from kiosk.testing.clock import ManualClock
from kiosk.ui.bridge import QtDispatcher, QtTaskRunner
from kiosk.ui.window import KioskWindow

WAIT_MS = 20_000


def start_server(log_folder: Path) -> EmbeddedServer:
    """The embedded platform at DEBUG, its standard output and error copied to files."""
    log_folder.mkdir(parents=True, exist_ok=True)

    def tee(stream: IO[str], name: str) -> Iterator[str]:
        with open(log_folder / name, "a", encoding="utf-8") as copy:
            for line in stream:
                copy.write(line)
                copy.flush()
                yield line

    class LoggedServer(EmbeddedServer):
        def _read_stdout(self, stream: IO[str]) -> None:
            super()._read_stdout(tee(stream, "server-stdout.log"))

        def _read_stderr(self, stream: IO[str]) -> None:
            super()._read_stderr(tee(stream, "server-stderr.log"))

    server = LoggedServer.start(log_level="debug")
    server.wait_ready(timeout_s=90)
    return server


@dataclass(repr=False)  # a failing test's output must not show what it saw
class SeenInSession:
    """What a session showed that holds personal data, as drawn (masked greeting, balances),
    and weak references to the objects that carried it."""

    texts: set[str] = field(default_factory=set)
    objects: list[tuple[str, weakref.ref[Any]]] = field(default_factory=list)
    _ids: set[int] = field(default_factory=set)

    def keep(self, what: str, obj: object | None) -> None:
        if obj is not None and id(obj) not in self._ids:
            self._ids.add(id(obj))
            self.objects.append((what, weakref.ref(obj)))


@dataclass(repr=False)
class Kiosk:
    window: KioskWindow
    flow: SessionFlow
    reader: SimulatedCardReader
    profiles: dict[str, CardProfile]
    runner: QtTaskRunner
    clock: ManualClock
    guide: VoiceGuide
    engine: RecordingEngine
    player: RecordingPlayer
    speech_cache: Path
    outbox: Outbox
    client: PlatformClient
    translations: Translations
    qtbot: Any
    seen: SeenInSession = field(default_factory=SeenInSession)

    # --- driving --------------------------------------------------------------------------

    def press(self, *keys: Qt.Key) -> None:
        press(self.qtbot, self.window, *keys)
        self.settle()

    def settle(self) -> None:
        """Waits for every platform answer to reach the screen, then notes what it shows."""
        self.qtbot.waitUntil(lambda: self.runner.pending == 0, timeout=WAIT_MS)
        QApplication.processEvents()
        self._note()

    def wait_for(self, step: Step) -> None:
        self.qtbot.waitUntil(lambda: self.flow.step is step, timeout=WAIT_MS)
        self.settle()

    def choose(self, digit: str) -> None:
        self.press(getattr(Qt.Key, f"Key_{digit}"))

    def choose_label(self, label_id: str) -> None:
        """Presses the digit of the choice with this label, as a resident reading it would."""
        for _page in range(5):
            offered = {c.label.id: c.digit for c in self.window.content.choices}
            if label_id in offered:
                self.choose(offered[label_id])
                return
            if not self.window.content.pager_actions:
                break
            self.choose("0")  # the next page
        raise AssertionError(f"{label_id} is not offered: {sorted(offered)}")

    def type_digits(self, digits: str) -> None:
        self.press(*(getattr(Qt.Key, f"Key_{d}") for d in digits), Qt.Key.Key_Return)

    def back(self) -> None:
        self.press(Qt.Key.Key_Backspace)

    def home(self) -> None:
        self.press(Qt.Key.Key_Escape)
        assert self.flow.step is Step.HOME

    def sign_in_with_card(self, key: str) -> None:
        profile = self.profiles[key]
        self.reader.insert(profile)
        self.wait_for(Step.PIN)
        self.type_digits(profile.pin)
        self.wait_for(Step.HOME)

    def sign_in_with_ecode(self, code: str) -> None:
        self.flow.ecode_scanned(code)
        self.wait_for(Step.HOME)

    # --- the tasks ------------------------------------------------------------------------

    def visit_records(self, *, certificate: bool = True) -> None:
        self.choose_label("home.choice.records")
        self.choose_label("records.menu.contributions")
        self.choose("1")  # the first insurance's years
        self.back()
        self.back()
        for menu in ("medical", "pension", "subsidies", "card_use"):
            self.choose_label(f"records.menu.{menu}")
            self.back()
        if certificate:
            self.choose_label("records.menu.certificate")
            self.choose("1")  # all insurances
            self.choose("1")  # the whole period
            self.choose("1")  # print it
        self.home()

    def visit_card_life(self) -> None:
        self.choose_label("home.choice.card")
        assert self.flow.task is not None
        self.home()

    def card_request(self, item: str, *digits: str) -> None:
        """From home, this item of the card's menu, the digits pressed on it, and home again."""
        self.choose_label("home.choice.card")
        self.choose_label(f"card_life.menu.{item}")
        for digit in digits:
            self.choose(digit)
        self.home()

    def report_loss_and_lift(self) -> None:
        """A temporary loss report, lifted again: two submissions through the outbox."""
        self.card_request("loss", "1", "1")  # temporary, confirmed
        self.card_request("lift", "1")

    def reissue_after_formal_loss(self) -> None:
        """A formal loss report, a new card asked for, and its progress looked at."""
        self.card_request("loss", "2", "1")  # formal, confirmed
        self.card_request("reissue", "3", "1")
        self.card_request("progress")

    def change_pin(self, old: str, new: str) -> None:
        self.choose_label("home.choice.card")
        self.choose_label("card_life.menu.pin")
        for pin in (old, new, new):
            self.type_digits(pin)
        self.choose_label("card_life.pin.confirm")  # the summary before the chip is written
        # The card writes the new PIN on its own thread.
        self.qtbot.waitUntil(lambda: self._offers("task.done"), timeout=WAIT_MS)
        self.settle()
        self.home()

    def report_lost_without_card(self, id_number: str) -> None:
        """没带卡 -> 挂失 by the ID number and the code texted to the phone on record (Art. 2)."""
        assert self.flow.step is Step.ATTRACT
        self.choose_label("attract.choice.no_card")
        self.choose_label("lost_card.menu.report")
        self.choose_label("lost_card.way.id")
        # The keypad has no X: such a number is typed as its first 17 digits.
        self.type_digits(id_number[:17] if id_number.upper().endswith("X") else id_number)
        sent = self.client.demo_loss_code()  # the resident's phone, in the demo
        assert sent is not None
        self.type_digits(sent.code)
        self.choose_label("card_life.confirm")
        self.qtbot.waitUntil(lambda: self._offers("task.done"), timeout=WAIT_MS)
        self.choose_label("task.done")
        self.wait_for(Step.ATTRACT)

    def _offers(self, label_id: str) -> bool:
        QApplication.processEvents()
        return any(c.label.id == label_id for c in self.window.content.choices)

    def start_complaint(self) -> None:
        """Up to the screen where the resident types a phone number for the answer."""
        self.choose_label("home.choice.complaints")
        for digit in "12111":  # a report of leaked personal data (Art. 18)
            self.choose(digit)

    def file_complaint(self, phone: str) -> None:
        self.start_complaint()
        self.type_digits(phone)
        self.choose("1")  # send
        hint = self.window.content.hint
        assert hint is not None and hint.id == "submit.delivered", hint
        self.home()

    def search_services(self) -> None:
        self.choose_label("home.choice.search")
        task = self.flow.task
        assert isinstance(task, ServiceSearchTask)
        task.find("dt")  # what the pinyin keyboard hands over: 地铁, the metro
        self.settle()
        self.home()

    def open_catalog(self) -> None:
        self.choose_label("home.choice.services")
        self.choose("6")
        self.home()

    # --- what a session leaves --------------------------------------------------------------

    def _note(self) -> None:
        flow, seen = self.flow, self.seen
        seen.keep("the resident session", flow.session)
        seen.keep("the card snapshot", flow.snapshot)
        if flow.snapshot is not None:
            seen.keep("the card holder", flow.snapshot.holder)
        seen.keep(f"the task {type(flow.task).__name__}", flow.task)
        for message in self.window.content.spoken():
            if message.has_personal_data:
                seen.texts.add(self.window.t(message))

    def dead_objects(self) -> list[str]:
        """The session's objects still alive after a garbage collection."""
        import gc

        gc.collect()
        return [what for what, ref in self.seen.objects if ref() is not None]

    def repeat_said(self) -> list[str]:
        """What the help/repeat key says now (it says the last screen again)."""
        before = len(self.player.events)
        self.guide.repeat()
        return [e.clip.utterance.text for e in self.player.events[before:] if e.clip is not None]


def widget_texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every text any widget of the application holds, shown or not."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QPlainTextEdit,
        QTextEdit,
    )

    for widget in QApplication.allWidgets():
        where = f"{type(widget).__name__} {widget.objectName() or '(unnamed)'}"
        texts = [
            widget.toolTip(),
            widget.statusTip(),
            widget.whatsThis(),
            widget.accessibleName(),
            widget.accessibleDescription(),
            widget.windowTitle(),
        ]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        if isinstance(widget, QTextEdit | QPlainTextEdit):
            texts += [widget.toPlainText(), widget.placeholderText()]
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
        for text in texts:
            if text:
                yield where, text


def clipboard_texts() -> list[str]:
    clipboard = QApplication.clipboard()
    mime = clipboard.mimeData()
    found = [clipboard.text()]
    if mime is not None:
        found += [bytes(mime.data(f).data()).decode("utf-8", "replace") for f in mime.formats()]
    return [t for t in found if t]


def fixed_prompt_files(cache: PromptCache, translations: Translations) -> set[str]:
    """The file names the prompt cache may hold: every message without parameters, in every
    language, at every rate. A file outside this set was made from a dynamic prompt."""
    from kiosk.accessibility.voice import RATE_STEPS
    from kiosk.i18n import LANGUAGES

    names = set()
    for language in LANGUAGES:
        texts = translations.get(language)
        for message_id in translations.fixed_message_ids():
            text = texts.text(message_id).strip()
            for rate in RATE_STEPS:
                names.add(cache.path(text, language, rate).name)
    return names


def build(qtbot: Any, server: EmbeddedServer) -> tuple[Kiosk, Callable[[], None]]:
    """The kiosk, in the folders the app uses, and how to take it down."""
    from platformdirs import user_data_path

    cache_dir = cache_folder()
    dispatcher = QtDispatcher()
    # It counts the calls whose answer has not reached the screen yet (`pending`).
    runner = QtTaskRunner(dispatcher)
    reader = SimulatedCardReader()
    card_service = CardService(dispatcher.post)
    client = PlatformClient(
        server.url, server.kiosk_id, server.kiosk_key, cache_dir=cache_dir / "platform"
    )
    outbox = Outbox(user_data_path(APP_NAME) / "outbox.sqlite3", client)
    outbox.start()
    clock = ManualClock()
    flow = SessionFlow(
        card_service,
        client,
        runner,
        clock,
        printer=make_receipt_printer("sim"),
        outbox=outbox,
    )
    translations = Translations(cache_dir / "translations")
    window = make_window(flow, translations, clock=lambda: dt.datetime(2026, 11, 27, 9, 30))
    window.setWindowTitle(translations.get("zh_CN").text("header.title"))
    engine, player = RecordingEngine(), RecordingPlayer()
    speech_cache = cache_dir / "speech"
    guide = VoiceGuide(
        translations,
        engine,
        player,
        cache=PromptCache(engine, speech_cache),
        worker=InlineWorker(),
        voice_mode=True,
        # A headset: personal data is spoken too, so the guide has some to forget.
        headset=True,
    )
    show_window(qtbot, window, activate=False)
    window.attach_guide(guide)
    card_service.start(reader, flow)
    kiosk = Kiosk(
        window,
        flow,
        reader,
        load_demo_profiles(),
        runner,
        clock,
        guide,
        engine,
        player,
        speech_cache,
        outbox,
        client,
        translations,
        qtbot,
    )

    def close() -> None:
        card_service.close()
        runner.shutdown()
        outbox.close()

    return kiosk, close


def leftover_texts(data: Iterable[Any], shown: Iterable[str] = ()) -> list[str]:
    """Widgets and clipboard holding a datum, or one of the texts `shown` (drawn from personal
    data during a session). Says where and which kind, never the text."""
    from privacy_scan import find_in_text

    data, shown = list(data), list(shown)
    found = []
    for where, text in [*widget_texts(), *(("clipboard", t) for t in clipboard_texts())]:
        found += [f"{where}: {d.owner}'s {d.kind}" for d in find_in_text(text, data)]
        if any(drawn in text for drawn in shown):
            found.append(f"{where}: a text drawn from personal data")
    return found
