"""A complaint in words: what a complaint, report or suggestion is about (Art. 16, 18), how its
stage is said, and the text as the department reads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.privacy import mask_number
from kiosk.flows.task_kit import moment
from kiosk.flows.view import Panel

if TYPE_CHECKING:
    from kiosk.domain.complaints import ComplaintView
    from kiosk.i18n import Translator


@dataclass(frozen=True)
class Topic:
    """A category the resident can choose: what it is called, how the platform files it, and
    the preset phrases that describe the common cases."""

    label: str  # message id
    kind: str  # complaint, report, suggestion
    category: str  # the platform's category
    phrases: tuple[str, ...]  # message ids
    # The item of Art. 18 a report is made under, as the slip prints it; "" for others.
    article: str = ""
    # The slip's category where the platform's would name another wrong (two of Art. 18's
    # items share a category with a different one); "" prints the platform's.
    printed: str = ""


COMPLAINT_TOPICS = (
    # Art. 18's four wrongs, each a report of its own, in the article's order.
    # (1) another card or e-code issued whose functions overlap the One-Card's (Art. 9, para. 1).
    Topic(
        N_("complaints.topic.overlapping_card"),
        "report",
        "card",
        (N_("complaints.phrase.overlap_card"), N_("complaints.phrase.overlap_code")),
        "第十八条第（一）项",
        "另发功能重叠的卡或码",
    ),
    # (2) leaking, unlawfully querying or using personal data.
    Topic(
        N_("complaints.topic.privacy_leak"),
        "report",
        "privacy",
        (N_("complaints.phrase.leak_calls"), N_("complaints.phrase.leak_shown")),
        "第十八条第（二）项",
    ),
    Topic(
        N_("complaints.topic.privacy_query"),
        "report",
        "privacy",
        (N_("complaints.phrase.query_unrelated"), N_("complaints.phrase.query_no_reason")),
        "第十八条第（二）项",
    ),
    # (3) shirking or delaying a service.
    Topic(
        N_("complaints.topic.delay"),
        "report",
        "staff",
        (N_("complaints.phrase.delay_sent_away"), N_("complaints.phrase.delay_no_result")),
        "第十八条第（三）项",
    ),
    # (4) other neglect of duty, abuse of power, or favouritism and fraud.
    Topic(
        N_("complaints.topic.misconduct"),
        "report",
        "staff",
        (N_("complaints.phrase.misconduct_favour"), N_("complaints.phrase.misconduct_fee")),
        "第十八条第（四）项",
        "失职、滥用职权或徇私舞弊",
    ),
    Topic(
        N_("complaints.topic.service"),
        "complaint",
        "service",
        (N_("complaints.phrase.wait_long"), N_("complaints.phrase.rude")),
    ),
    Topic(
        N_("complaints.topic.card"),
        "complaint",
        "card",
        (N_("complaints.phrase.card_refused"), N_("complaints.phrase.card_fee")),
    ),
    Topic(
        N_("complaints.topic.kiosk"),
        "complaint",
        "kiosk",
        (N_("complaints.phrase.kiosk_broken"), N_("complaints.phrase.kiosk_hard")),
    ),
)
SUGGESTION_TOPICS = (
    Topic(
        N_("complaints.topic.kiosk"),
        "suggestion",
        "kiosk",
        (N_("complaints.phrase.bigger_text"), N_("complaints.phrase.more_kiosks")),
    ),
    Topic(
        N_("complaints.topic.service"),
        "suggestion",
        "service",
        (N_("complaints.phrase.longer_hours"), N_("complaints.phrase.more_windows")),
    ),
    Topic(
        N_("complaints.topic.card"),
        "suggestion",
        "card",
        (N_("complaints.phrase.more_places"), N_("complaints.phrase.ecode_everywhere")),
    ),
)
STATUS_TEXT = {
    "received": N_("complaints.status.received"),
    "in_progress": N_("complaints.status.in_progress"),
    "replied": N_("complaints.status.replied"),
    "closed": N_("complaints.status.closed"),
}
# Categories on the slip, in Chinese like the rest of the paper.
PRINTED_CATEGORY = {
    "service": "服务态度与效率",
    "staff": "推诿拖延",
    "card": "用卡问题",
    "kiosk": "自助终端",
    "privacy": "个人信息保护",
    "other": "其他",
}


def status_panel(item: ComplaintView, language: str, *, subject: bool = False) -> Panel:
    """A complaint under its tracking number: its stage, when it was filed, and the department's
    reply when there is one (Art. 16), as it wrote it, so it may name the resident: a loudspeaker
    does not read it (requirement 5), a headset does. With `subject`, what it is about first (by
    the number alone the platform keeps that to the filer, Art. 12)."""
    lines: list[Message] = []
    if subject:
        lines.append(
            msg("complaints.lookup.subject", text=item.subject)
            if item.subject is not None
            else msg("complaints.lookup.filer_only")
        )
    lines += [
        msg(STATUS_TEXT[item.status]),
        msg("complaints.status.filed", when=moment(item.created, language)),
    ]
    if item.reply:
        lines.append(msg("complaints.status.reply", text=item.reply, private=("text",)))
    return Panel(msg("complaints.tracking", tracking=item.tracking_number), tuple(lines))


# --- how the department answers, and how a complaint is found again ---------------------------

PHONE_DIGITS = 11
# A landline typed on the keypad, area code first (010 12345678, 0371 6666 8888): 10 to 12
# digits starting with 0; the keypad has no dash.
LANDLINE_MIN_DIGITS, LANDLINE_MAX_DIGITS = 10, 12
# How the department answers (Art. 16, para. 2): by mobile, by landline, or at a kiosk, where the
# resident reads the answer with the slip's tracking number.
MOBILE, LANDLINE, AT_KIOSK = "mobile", "landline", "none"
# What the department reads when the resident types it: enough for a paragraph, short enough to
# type on a screen (the platform takes up to 2000).
TYPED_MAX = 200
# A tracking number is C- and twelve characters of this alphabet (kiosk.api_contract): the
# keyboard offers only these, so I/L/O/U, easily misread on a slip, cannot be typed by mistake.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_CHARS = 12


def mask_phone(phone: str) -> str:
    """139****0000: enough for the resident to recognise the number."""
    return mask_number(phone, keep_start=3, keep_end=4) if phone else ""


_zh_translator: Translator | None = None


def department_text(message_id: str) -> str:
    """The text as the department reads it: the zh_CN catalog, the source of truth."""
    global _zh_translator
    if _zh_translator is None:
        from kiosk.i18n import Translations

        _zh_translator = Translations().get("zh_CN")
    return _zh_translator.text(message_id)
