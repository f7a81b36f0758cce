"""投诉与建议 (Art. 16, 18): file a complaint, a report or a suggestion without typing, and see
the department's reply.

Everyone may make suggestions and complain of unlawful conduct (Art. 16); the four wrongs Art. 18
names (an overlapping card or code issued, leaking or unlawfully querying personal data, shirking
or delaying a service, other neglect or abuse of power) are offered as categories of their own,
filed as reports, and their slip cites the item. What happened is chosen from preset phrases, so
nothing needs typing; the text the department reads is the phrase in Chinese, the catalog's
source of truth. A complaint is answered to its author (Art. 16, para. 2): by mobile, by
landline, or, for a resident who leaves no number, at a kiosk with the slip's tracking number;
the contact screen says the number is asked for the answer and nothing else (Art. 13). A
suggestion may be anonymous. Filing shows a summary first and can be cancelled until
it is sent (requirement 19); it goes through the outbox, so it is on disk before it is sent, and
ends with a slip carrying the tracking number and a QR code.

Who wants to say it in their own words types it on the on-screen keyboard (pinyin or Latin
letters; kiosk.flows.text_entry); the preset phrases stay the way that needs no typing. Art. 16
also says the result is fed back to the complainant: besides "mine" (signed in), anyone holding
a slip can look a complaint up by its tracking number, typed on the keypad. That shows what the
platform shows for a number (status, dates, subject, the reply), never the text or contact;
the reply is shown but read aloud only in a headset, as it may hold personal details (Art. 13).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.errors import PlatformRejected
from kiosk.domain.messages import Message, msg
from kiosk.domain.receipt import ComplaintContent, complaint_receipt
from kiosk.flows.complaint_words import (
    AT_KIOSK,
    COMPLAINT_TOPICS,
    LANDLINE,
    LANDLINE_MAX_DIGITS,
    LANDLINE_MIN_DIGITS,
    MOBILE,
    PHONE_DIGITS,
    PRINTED_CATEGORY,
    SUGGESTION_TOPICS,
    TRACKING_ALPHABET,
    TRACKING_CHARS,
    TYPED_MAX,
    Topic,
    department_text,
    mask_phone,
    status_panel,
)
from kiosk.flows.machine import Screens
from kiosk.flows.task_kit import (
    ChoiceEntry,
    DigitEntry,
    Pager,
    Slip,
    error_view,
    file_request,
    kiosk_id,
    loading_view,
    numbered,
    paged_choices,
    paged_panels,
    platform_url,
    receipt_outcome,
    sent_view,
)
from kiosk.flows.text_entry import LATIN, PINYIN, TextEditor, warm_up_pinyin
from kiosk.flows.view import Choice, Content, Panel

if TYPE_CHECKING:
    from kiosk.domain.catalog import Catalog
    from kiosk.domain.complaints import ComplaintView
    from kiosk.domain.errors import KioskError
    from kiosk.domain.submission import SubmissionReceipt
    from kiosk.flows.tasks import TaskContext


class Screen(StrEnum):
    MENU = "menu"
    TOPIC = "topic"
    PLACE = "place"
    PHRASE = "phrase"
    TYPED = "typed"  # what happened, in the resident's own words
    CONTACT = "contact"
    PHONE = "phone"
    LANDLINE = "landline"
    REVIEW = "review"
    SENDING = "sending"
    SENT = "sent"
    STATUS = "status"
    LOOKUP = "lookup"
    FOUND = "found"


class ComplaintsTask:
    def __init__(self, context: TaskContext) -> None:
        self._context = context
        # What was sent cannot be taken back: back from there leaves the task.
        self._screens = Screens(Screen.MENU, context.changed, stuck=(Screen.SENDING, Screen.SENT))
        self._suggestion = False
        self._topic: Topic | None = None
        self._place: tuple[int, str, str] | None = None  # Art. 7 item, zh name, shown name
        self._phrase: str | None = None
        self._phone = ""
        self._contact_kind = MOBILE
        self._anonymous = False
        self._error: Message | None = None
        self._catalog: Catalog | None = None
        self._loading = False
        self._receipt_state = ""
        self._tracking = ""
        self._slip: Slip | None = None
        self._mine: tuple[ComplaintView, ...] | None = None
        # What happened in the resident's own words (instead of a preset phrase).
        self._typed: str | None = None
        self._editor: TextEditor | None = None
        self._found: ComplaintView | None = None
        self._pager = Pager(context.changed)

    # --- Task ------------------------------------------------------------------------------

    def screen_key(self) -> tuple[object, ...]:
        slip = self._slip.key if self._slip else None
        return (
            self._screens.current,
            self._topic,
            self._place,
            self._phrase,
            self._error,
            self._loading,
            self._pager.page,
            slip,
            len(self._phone),
            self._contact_kind,
            self._typed,
            self._editor.revision if self._editor else None,
            self._found,
        )

    def back(self) -> bool:
        self._error = None
        self._pager.reset()
        return self._screens.back()

    def close(self) -> None:
        self._phone = ""
        self._mine = None
        self._slip = None
        self._typed, self._editor, self._found = None, None, None

    # --- actions ---------------------------------------------------------------------------

    def start(self, suggestion: bool) -> None:
        self._pager.reset()
        self._suggestion = suggestion
        self._topic = self._place = self._phrase = None
        self._typed = None
        self._phone, self._anonymous, self._error = "", False, None
        self._contact_kind = MOBILE
        self._screens.go(Screen.TOPIC)

    def choose_topic(self, topic: Topic) -> None:
        self._topic = topic
        self._pager.reset()
        if self._catalog is None and not self._loading:
            self._loading = True
            self._context.runner.run(
                self._context.platform.catalog, self._catalog_loaded, self._catalog_failed
            )
        self._screens.go(Screen.PLACE)

    def _catalog_loaded(self, catalog: Catalog) -> None:
        self._catalog, self._loading = catalog, False
        self._context.changed()

    def _catalog_failed(self, _error: KioskError) -> None:
        # Without the catalog a complaint can still be filed, just not tied to a service.
        self._loading = False
        self._context.changed()

    def choose_place(self, place: tuple[int, str, str] | None) -> None:
        self._pager.reset()
        self._place = place
        self._screens.go(Screen.PHRASE)

    def choose_phrase(self, phrase: str) -> None:
        self._phrase, self._typed = phrase, None
        self._screens.go(Screen.CONTACT)

    def type_text(self) -> None:
        """In the resident's own words: pinyin first for Chinese, Latin letters for English."""
        first = (LATIN, PINYIN) if self._context.language() == "en" else (PINYIN, LATIN)
        self._editor = TextEditor(
            changed=self._context.changed,
            submit=self.enter_text,
            layouts=first,
            max_length=TYPED_MAX,
            private=True,  # what happened may name people, places, numbers
            text=self._typed or "",
        )
        self._screens.go(Screen.TYPED)
        warm_up_pinyin(self._context.runner)

    def enter_text(self, text: str) -> None:
        self._typed, self._phrase, self._editor = text.strip()[:TYPED_MAX], None, None
        # In place of the keyboard: back from the contact goes to the phrases, as after one.
        self._screens.go(Screen.CONTACT, remember=False)

    def want_phone(self) -> None:
        self._error = None
        self._screens.go(Screen.PHONE)

    def want_landline(self) -> None:
        self._error = None
        self._screens.go(Screen.LANDLINE)

    def answer_at_kiosk(self) -> None:
        """No number: the answer is read at a kiosk with the slip's tracking number (Art. 16
        feeds the result back; a resident without a phone is not turned away)."""
        self._phone, self._anonymous, self._contact_kind = "", False, AT_KIOSK
        self._error = None
        self._to_review()

    def stay_anonymous(self) -> None:
        if not self._suggestion:
            return  # only a suggestion may be anonymous (Art. 16: a complaint is answered)
        self._anonymous, self._phone = True, ""
        self._to_review()

    def enter_phone(self, digits: str) -> None:
        digits = digits.strip()
        valid = len(digits) == PHONE_DIGITS and digits.isdigit() and digits.startswith("1")
        self._enter_number(
            digits, MOBILE, valid, msg("complaints.error.phone", digits=PHONE_DIGITS)
        )

    def enter_landline(self, digits: str) -> None:
        digits = digits.strip()
        valid = (
            digits.isdigit()
            and digits.startswith("0")
            and LANDLINE_MIN_DIGITS <= len(digits) <= LANDLINE_MAX_DIGITS
        )
        self._enter_number(digits, LANDLINE, valid, msg("complaints.error.landline"))

    def _enter_number(self, digits: str, kind: str, valid: bool, error: Message) -> None:
        if not valid:
            self._error = error
            self._context.changed()
            return
        self._phone, self._anonymous, self._error = digits, False, None
        self._contact_kind = kind
        self._to_review()

    def _to_review(self) -> None:
        """The summary: back from it returns to the choice of contact."""
        self._screens.go(Screen.REVIEW, back_to=Screen.CONTACT)

    def change_text(self) -> None:
        self._screens.rewind(Screen.PHRASE)

    def cancel(self) -> None:
        """Nothing was sent: the draft is dropped (requirement 19)."""
        self._phone, self._phrase, self._topic, self._place = "", None, None, None
        self._typed, self._editor = None, None
        self._screens.start(Screen.MENU)

    def body(self) -> dict[str, object]:
        topic = self._topic
        assert topic is not None and (self._phrase is not None or self._typed)
        subject = department_text(topic.label)
        if self._place is not None:
            subject = f"{subject}：{self._place[1]}"
        body: dict[str, object] = {
            "kind": topic.kind,
            "category": topic.category,
            "subject": subject[:100],
            "text": self._typed or department_text(self._phrase or ""),
        }
        if self._anonymous:
            body["anonymous"] = True
        elif self._contact_kind == AT_KIOSK:
            body["contact_kind"] = AT_KIOSK
        elif self._phone:
            body["contact"] = self._phone
            body["contact_kind"] = self._contact_kind
        return body

    def submit(self) -> None:
        if self._screens.current is not Screen.REVIEW or self._topic is None:
            return
        body = self.body()
        token = None if self._anonymous else self._context.session.token
        file_request(
            self._context,
            self._screens,
            Screen.SENDING,
            lambda outbox: outbox.submit("complaint", body, token=token),
            self._submitted,
            self._failed,
        )

    def _submitted(self, receipt: SubmissionReceipt) -> None:
        self._receipt_state, self._tracking = receipt_outcome(receipt)
        topic = self._topic
        assert topic is not None
        created = hall_time.now()
        content = ComplaintContent(
            tracking_number=self._tracking,
            suggestion=topic.kind == "suggestion",
            category=topic.printed or PRINTED_CATEGORY[topic.category],
            subject=str(self.body()["subject"]),
            created=created,
            contact_masked=None if self._anonymous else mask_phone(self._phone),
            answer_at_kiosk=self._contact_kind == AT_KIOSK and not self._anonymous,
            article=topic.article,
            status_url=f"{platform_url(self._context)}/v1/complaints/{self._tracking}",
            kiosk_id=kiosk_id(self._context),
        )
        self._phone = ""  # on the slip, masked; not kept any longer than that
        # The slip may print at once (a runner that does not wait) and redraw before it is
        # kept here, so the sent screen comes only once it is.
        self._slip = Slip(self._context, complaint_receipt(content))
        self._screens.go(Screen.SENT, remember=False)

    def _failed(self, error: KioskError) -> None:
        self._error = msg(error.message_id)
        self._to_review()

    def show_mine(self) -> None:
        self._error, self._loading = None, True
        self._pager.reset()
        self._screens.go(Screen.STATUS)
        token = self._context.session.token
        self._context.runner.run(
            lambda: self._context.platform.complaints(token), self._mine_loaded, self._mine_failed
        )

    def _mine_loaded(self, complaints: tuple[ComplaintView, ...]) -> None:
        self._mine, self._loading = complaints, False
        self._context.changed()

    def _mine_failed(self, error: KioskError) -> None:
        self._loading, self._error = False, msg(error.message_id)
        self._context.changed()

    def start_lookup(self) -> None:
        """By the number on a slip: the stage for anyone with the number; the subject and the
        reply too when the filer is signed in."""
        self._editor = TextEditor(
            changed=self._context.changed,
            submit=self.look_up,
            layouts=(LATIN,),
            alphabet=TRACKING_ALPHABET,
            upper=True,
            max_length=TRACKING_CHARS,
            min_length=TRACKING_CHARS,
            private=True,  # the number opens the record, so it is not read out loud
        )
        self._error, self._found = None, None
        self._screens.rewind(Screen.LOOKUP)  # asked again after an answer: back still to the menu

    def look_up(self, code: str) -> None:
        code = code.upper().replace("-", "")
        if len(code) == TRACKING_CHARS + 1 and code.startswith("C"):
            code = code[1:]  # typed with the slip's C- in front ("C" is also a character)
        tracking = f"C-{code[0:4]}-{code[4:8]}-{code[8:12]}"
        self._error, self._loading, self._found = None, True, None
        self._screens.go(Screen.FOUND)
        # In the filer's own session the platform shows the whole complaint; by the number
        # alone, only that it exists and its stage (Art. 12).
        token = self._context.session.token or None
        self._context.runner.run(
            lambda: self._context.platform.complaint(tracking, token),
            self._looked_up,
            self._lookup_failed,
        )

    def _looked_up(self, found: ComplaintView) -> None:
        self._found, self._loading = found, False
        self._context.changed()

    def _lookup_failed(self, error: KioskError) -> None:
        self._loading = False
        unknown = isinstance(error, PlatformRejected) and error.code == "tracking_unknown"
        self._error = msg("complaints.lookup.unknown") if unknown else msg(error.message_id)
        self._context.changed()

    # --- screens ---------------------------------------------------------------------------

    def view(self) -> Content:
        screen = self._screens.current
        if screen is Screen.MENU:
            choices = numbered(
                [
                    (
                        "complaints.menu.complaint",
                        "complaints.menu.complaint.ex",
                        lambda: self.start(False),
                    ),
                    (
                        "complaints.menu.suggestion",
                        "complaints.menu.suggestion.ex",
                        lambda: self.start(True),
                    ),
                    ("complaints.menu.status", "complaints.menu.status.ex", self.show_mine),
                    ("complaints.menu.lookup", "complaints.menu.lookup.ex", self.start_lookup),
                ]
            )
            # Two by two: four tiles in one column do not fit the largest print.
            heading, hint = msg("complaints.heading"), msg("complaints.hint.menu")
            return Content(heading, hint, choices, columns=2)
        if screen is Screen.TOPIC:
            topics = SUGGESTION_TOPICS if self._suggestion else COMPLAINT_TOPICS
            entries: list[ChoiceEntry] = [
                (
                    msg(topic.label),
                    None,
                    lambda topic=topic: self.choose_topic(topic),  # type: ignore[misc]
                )
                for topic in topics
            ]
            choices = paged_choices(self._pager, entries)
            content = Content(self._heading(), msg("complaints.hint.topic"), choices, columns=2)
            return self._pager.apply(content)
        if screen is Screen.PLACE:
            return self._places()
        if screen is Screen.PHRASE:
            topic = self._topic
            assert topic is not None
            choices = numbered(
                [
                    *(
                        (phrase, None, lambda phrase=phrase: self.choose_phrase(phrase))
                        for phrase in topic.phrases
                    ),
                    ("complaints.phrase.own", "complaints.phrase.own.ex", self.type_text),
                ]
            )
            return Content(self._heading(), msg("complaints.hint.phrase"), choices, columns=1)
        if screen in (Screen.TYPED, Screen.LOOKUP) and self._editor is not None:
            if screen is Screen.TYPED:
                heading = msg("complaints.typed.heading")
                return self._editor.view(heading, msg("complaints.typed.hint"))
            return self._editor.view(
                msg("complaints.lookup.heading"),
                msg("complaints.lookup.hint", count=TRACKING_CHARS),
            )
        if screen is Screen.FOUND:
            return self._lookup_view()
        if screen is Screen.CONTACT:
            return self._contact()
        if screen is Screen.PHONE:
            return DigitEntry(
                msg("complaints.phone.heading"),
                self._error or msg("complaints.phone.hint", digits=PHONE_DIGITS),
                submit=self.enter_phone,
                max_digits=PHONE_DIGITS,
            )
        if screen is Screen.LANDLINE:
            return DigitEntry(
                msg("complaints.landline.heading"),
                self._error or msg("complaints.landline.hint"),
                submit=self.enter_landline,
                max_digits=LANDLINE_MAX_DIGITS,
            )
        if screen is Screen.REVIEW:
            return self._review()
        if screen is Screen.SENDING:
            return Content(self._heading(), msg("complaints.sending"))
        if screen is Screen.SENT:
            return self._sent()
        return self._status()

    def _contact(self) -> Content:
        """How the answer reaches the resident. The hint says why a number is asked (Art. 13:
        what personal data is for): the department answers by it, and for nothing else."""
        offered = [
            ("complaints.contact.phone", "complaints.contact.phone.ex", self.want_phone),
            ("complaints.contact.landline", "complaints.contact.landline.ex", self.want_landline),
            ("complaints.contact.at_kiosk", "complaints.contact.at_kiosk.ex", self.answer_at_kiosk),
        ]
        hint = msg("complaints.hint.contact_needed")
        if self._suggestion:
            offered.append(
                (
                    "complaints.contact.anonymous",
                    "complaints.contact.anonymous.ex",
                    self.stay_anonymous,
                )
            )
            hint = msg("complaints.hint.contact_optional")
        choices = numbered(offered)
        return Content(self._heading(), hint, choices, columns=2)

    def _heading(self) -> Message:
        if self._suggestion:
            return msg("complaints.heading.suggestion")
        return msg("complaints.heading")

    def _places(self) -> Content:
        if self._loading:
            return loading_view(self._heading())
        language = self._context.language()
        categories = list(self._catalog.categories) if self._catalog else []
        entries: list[ChoiceEntry] = [
            (msg("complaints.place.none"), None, lambda: self.choose_place(None))
        ]
        for category in categories:
            place = (category.number, category.name.zh, category.name.get(language))
            entries.append(
                (
                    msg("published", text=place[2]),
                    None,
                    lambda place=place: self.choose_place(place),  # type: ignore[misc]
                )
            )
        choices = paged_choices(self._pager, entries)
        content = Content(self._heading(), msg("complaints.hint.place"), choices, columns=2)
        return self._pager.apply(content)

    def _review(self) -> Content:
        topic = self._topic
        assert topic is not None
        what = [msg(topic.label)]
        if self._place is not None:
            what.append(msg("complaints.review.place", place=self._place[2]))
        if self._anonymous:
            contact = msg("complaints.review.anonymous")
        elif self._contact_kind == AT_KIOSK:
            contact = msg("complaints.review.at_kiosk")
        else:
            contact = msg(
                "complaints.review.phone", phone=mask_phone(self._phone), private=("phone",)
            )
        panels = [
            Panel(msg("complaints.review.about"), tuple(what)),
            Panel(msg("complaints.review.text"), (self._what_happened(),)),
            Panel(msg("complaints.review.contact"), (contact,)),
        ]
        choices = numbered(
            [
                ("complaints.review.submit", None, self.submit),
                ("complaints.review.change_text", None, self.change_text),
                ("complaints.review.cancel", None, self.cancel),
            ]
        )
        hint = self._error or msg("complaints.hint.review")
        return Content(msg("complaints.review.heading"), hint, choices, panels=panels)

    def _what_happened(self) -> Message:
        if self._typed:
            return msg("published", text=self._typed, private=("text",))
        return msg(self._phrase or "complaints.phrase.own")

    def _lookup_view(self) -> Content:
        heading = msg("complaints.lookup.heading")
        if self._loading:
            return loading_view(heading)
        again = [Choice("1", msg("complaints.lookup.again"), None, self.start_lookup)]
        found = self._found
        if found is None:
            return Content(heading, self._error or msg("error.generic"), again, columns=1)
        panel = status_panel(found, self._context.language(), subject=True)
        return Content(heading, msg("complaints.lookup.found"), again, [panel], columns=1)

    def _sent(self) -> Content:
        assert self._slip is not None
        return sent_view(
            self._heading(),
            self._slip,
            self._tracking,
            self._receipt_state,
            self._context,
        )

    def _status(self) -> Content:
        heading = msg("complaints.status.heading")
        if self._loading:
            return loading_view(heading)
        if self._mine is None:
            return error_view(heading, self._error)
        language = self._context.language()
        return paged_panels(
            self._pager,
            heading,
            msg("complaints.status.summary", count=len(self._mine)),
            self._mine,
            lambda item: status_panel(item, language),
            empty=msg("complaints.status.none"),
        )
