"""The documents a resident takes home, each its own kind: a certificate of insured status with a
code anyone can verify, a complaint slip with its tracking number (Art. 16), the slips of the
card's life (Art. 2: a loss report, a lifting, reissue or replacement, a new PIN), and what to
bring to a counter when the PIN is blocked. Every slip is built here; a flow hands over the
content and prints what comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from kiosk.domain import hall_time
from kiosk.domain.receipt.model import (
    ISSUER,
    Align,
    Block,
    Columns,
    Feed,
    QrCode,
    Receipt,
    ReceiptKind,
    Separator,
    Text,
)
from kiosk.domain.receipt.speech import spell

__all__ = [
    "PRINTED_TO_BRING",
    "PROGRESS_QR_SPOKEN",
    "REASON_PRINTED",
    "REQUEST_PRINTED",
    "CardRequestContent",
    "CardSlipContent",
    "CertificateContent",
    "ComplaintContent",
    "InsuranceLine",
    "LossContent",
    "PinBlockedContent",
    "PinContent",
    "card_life_receipt",
    "card_request_receipt",
    "certificate_receipt",
    "complaint_receipt",
    "loss_receipt",
    "pin_blocked_receipt",
    "pin_change_receipt",
    "pin_reset_receipt",
    "printer_test_receipt",
]

# What a progress QR code is for, said since a code cannot be read aloud.
PROGRESS_QR_SPOKEN = "凭条上印有查询二维码，扫码可查询办理进度。"


def _when(moment: dt.datetime) -> str:
    return hall_time.local(moment).strftime("%Y-%m-%d %H:%M")


class _Made(Protocol):
    """What every document's content says of where it was made: the kiosk, and whether it is
    a sample (marked so on the paper and in speech)."""

    @property
    def kiosk_id(self) -> str: ...

    @property
    def sample(self) -> bool: ...


def _slip(
    kind: ReceiptKind,
    title: str,
    blocks: list[Block],
    made: _Made,
    printed: dt.datetime,
    reference: str = "",
) -> Receipt:
    """A slip of the One-Card's, with the time it was made and the kiosk at its foot."""
    return Receipt(
        kind=kind,
        issuer=ISSUER,
        title=title,
        blocks=tuple(blocks),
        footer=(f"打印时间 {_when(printed)}", f"终端 {made.kiosk_id}"),
        reference=reference,
        sample=made.sample,
    )


def _tracking(number: str) -> Columns:
    return Columns("受理编号", number, bold=True, spoken=spell(number))


def _on_card(
    what: Columns, holder_name: str, card: str, when_label: str, when: dt.datetime
) -> list[Block]:
    """The head of a slip about the card itself: what was done, to whose card, and when."""
    return [
        what,
        Columns("持卡人", holder_name, private=True),
        Columns("社会保障卡号", card, private=True),
        Columns(when_label, _when(when)),
    ]


def printer_test_receipt(kiosk_id: str, now: dt.datetime) -> Receipt:
    """The printer test page: the title, the kiosk, the date and time, a QR code, and a line of
    Chinese punctuation, which is what a printer without GB18030 text mode gets wrong."""
    stamp = now.strftime("%Y%m%dT%H%M%S")
    return Receipt(
        kind=ReceiptKind.TEST,
        title=ISSUER,
        blocks=(
            Text("打印机测试页", bold=True, align=Align.CENTER),
            Separator(heavy=True),
            Columns("终端编号", kiosk_id),
            Columns("日期", now.strftime("%Y-%m-%d")),
            Columns("时间", now.strftime("%H:%M:%S")),
            Separator(),
            Text("一卡通用、一码通城。"),
            Text("标点：，。、；：？！“”‘’（）《》【】—…·"),
            Text("ASCII: 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz"),
            Feed(),
            QrCode(f"onecard-kiosk:test:{kiosk_id}:{stamp}", spoken="凭条末尾印有测试二维码。"),
        ),
        footer=("测试页，无需保留",),
        reference=f"TEST-{kiosk_id}-{stamp}",
    )


# --- the certificate of insured status --------------------------------------------------------


@dataclass(frozen=True)
class InsuranceLine:
    insurance: str  # 城镇职工基本养老保险 ...
    status: str  # 正常参保 / 暂停缴费 / 未参保
    first_month: str | None  # "2015-03"
    last_month: str | None
    paid_months: int


@dataclass(frozen=True)
class CertificateContent:
    """A certificate of insured status as the platform issues it (holder already masked where
    the platform masks it, Art. 12). `verify_url` is what the QR code carries."""

    code: str
    issued: dt.datetime
    valid_until: dt.date
    holder_name: str
    holder_id_masked: str
    insurances: tuple[InsuranceLine, ...]
    verify_url: str
    kiosk_id: str
    sample: bool = False
    # The months the certificate speaks for ("2025-01", "2025-12"); None: the whole record.
    period: tuple[str, str] | None = None

    def __repr__(self) -> str:
        return f"CertificateContent(code=<{len(self.code)} chars>, sample={self.sample})"


def certificate_receipt(content: CertificateContent) -> Receipt:
    blocks: list[Block] = [
        Columns("姓名", content.holder_name, private=True),
        Columns("证件号码", content.holder_id_masked, private=True),
        Columns("出具日期", hall_time.local(content.issued).strftime("%Y-%m-%d")),
        Columns("有效期至", content.valid_until.isoformat()),
    ]
    if content.period is not None:
        blocks.append(Columns("证明期间", f"{content.period[0]} 至 {content.period[1]}"))
    blocks.append(Separator(heavy=True))
    for line in content.insurances:
        blocks.append(Columns(line.insurance, line.status, bold=True))
        if line.first_month and line.last_month:
            span = f"{line.first_month} 至 {line.last_month}，累计{line.paid_months}个月"
            blocks.append(Text(span, align=Align.RIGHT))
    blocks += [
        Separator(heavy=True),
        Columns("核验码", content.code, bold=True, spoken=spell(content.code)),
        QrCode(content.verify_url, spoken="凭条上印有核验二维码，扫码即可核验本证明。"),
        Text("扫描二维码，或在一卡通平台输入核验码，可核验本证明的真实性。"),
    ]
    return _slip(
        ReceiptKind.CERTIFICATE, "社会保险参保证明", blocks, content, content.issued, content.code
    )


# --- a complaint, a report or a suggestion (Art. 16, 18) ---------------------------------------


@dataclass(frozen=True)
class ComplaintContent:
    """A complaint or suggestion as filed (Art. 16): the slip proves it was received."""

    tracking_number: str
    suggestion: bool
    category: str
    subject: str
    created: dt.datetime
    contact_masked: str | None  # None: filed anonymously
    status_url: str
    kiosk_id: str
    sample: bool = False
    # No number left: the answer is read at a kiosk with the tracking number (Art. 16).
    answer_at_kiosk: bool = False
    # The item of Art. 18 a report is made under ("第十八条第（二）项"); "" for the rest.
    article: str = ""

    def __repr__(self) -> str:
        return f"ComplaintContent(suggestion={self.suggestion}, sample={self.sample})"


def complaint_receipt(content: ComplaintContent) -> Receipt:
    # A report of an Art. 18 wrong is a 举报, as its slip cites the item.
    what = "建议" if content.suggestion else ("举报" if content.article else "投诉")
    blocks: list[Block] = [
        _tracking(content.tracking_number),
        Columns("类型", what),
        Columns("类别", content.category),
    ]
    if content.article:
        blocks.append(Text(f"举报依据：《郑州市居民服务一卡通规定》{content.article}"))
    if content.answer_at_kiosk:
        contact = Columns("联系电话", "未留（凭受理编号在终端查看答复）")
    else:
        contact = Columns(
            "联系电话",
            content.contact_masked or "匿名提交",
            private=content.contact_masked is not None,
        )
    blocks += [
        Columns("提交时间", _when(content.created)),
        contact,
        Text(f"主题：{content.subject}", private=True),
        Separator(),
        Text(
            f"您的{what}已受理。有关部门将依法及时处理，并将处理结果反馈给您"
            "（《郑州市居民服务一卡通规定》第十六条）。"
        ),
        Text("凭受理编号可在一卡通服务终端或扫描下方二维码查询办理进度。"),
        QrCode(content.status_url, spoken=PROGRESS_QR_SPOKEN),
    ]
    return _slip(
        ReceiptKind.COMPLAINT,
        f"{what}受理回执",
        blocks,
        content,
        content.created,
        content.tracking_number,
    )


# --- the card's life (Art. 2: 挂失、解挂、补领、换领, by national and provincial rules) -------


@dataclass(frozen=True, kw_only=True)
class CardSlipContent:
    """What every slip of the card's life carries: the request's number, whose card, when, where
    a phone follows its progress, and which kiosk took it."""

    tracking_number: str
    card_number_masked: str
    holder_name: str
    filed: dt.datetime
    status_url: str
    kiosk_id: str
    sample: bool = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}(sample={self.sample})"


@dataclass(frozen=True, kw_only=True)
class LossContent(CardSlipContent):
    """A loss report on the card (Art. 2: 挂失, by national and provincial rules)."""

    formal: bool  # False: a temporary report (临时挂失), lifted by the holder


def _card_life_slip(
    kind: ReceiptKind,
    title: str,
    content: CardSlipContent,
    what: Columns,
    when_label: str,
    details: Sequence[Block],
    advice: Sequence[str],
) -> Receipt:
    """A request on the card's life: its number, the card, the request's details, what the
    resident does next, and the QR code a phone follows its progress with."""
    blocks: list[Block] = [
        _tracking(content.tracking_number),
        *_on_card(what, content.holder_name, content.card_number_masked, when_label, content.filed),
        *details,
        Separator(),
        *(Text(line) for line in advice),
        QrCode(content.status_url, spoken=PROGRESS_QR_SPOKEN),
    ]
    return _slip(kind, title, blocks, content, content.filed, content.tracking_number)


def loss_receipt(content: LossContent) -> Receipt:
    kind = "正式挂失" if content.formal else "临时挂失"
    advice = (
        "正式挂失后原卡不能再用，请携带本人有效身份证件到社保卡服务网点补领新卡。"
        if content.formal
        else "临时挂失期间社保卡暂停使用。找回社保卡后，可在服务终端或服务网点办理解挂；"
        "确认遗失的，请办理正式挂失并补领新卡。"
    )
    return _card_life_slip(
        ReceiptKind.LOSS,
        "社会保障卡挂失回执",
        content,
        Columns("挂失类型", kind, bold=True),
        "挂失时间",
        (),
        (advice, "金融账户的挂失，请同时联系合作银行办理。"),
    )


# The requests after a loss or on a worn card, as printed; the platform's names are the keys.
REQUEST_PRINTED = {"loss_lifting": "解除挂失", "reissue": "补领新卡", "replacement": "换领新卡"}
REASON_PRINTED = {"damaged": "卡片损坏", "expired": "卡片到期", "information_changed": "信息变更"}


@dataclass(frozen=True, kw_only=True)
class CardRequestContent(CardSlipContent):
    """A lifting, reissue or replacement as filed. `pickup` is the hall's printed name where a
    new card is collected ("" for a lifting); `reason` a replacement's (REASON_PRINTED's key)."""

    request: str  # loss_lifting, reissue, replacement
    pickup: str = ""
    reason: str = ""


def card_life_receipt(
    content: CardSlipContent,
    request: str,
    *,
    formal: bool = False,
    pickup: str = "",
    reason: str = "",
) -> Receipt:
    """The slip of any request on the card's life: a loss report or one of the others."""
    if request == "loss_report":
        return loss_receipt(LossContent(**vars(content), formal=formal))
    return card_request_receipt(
        CardRequestContent(**vars(content), request=request, pickup=pickup, reason=reason)
    )


def card_request_receipt(content: CardRequestContent) -> Receipt:
    what = REQUEST_PRINTED[content.request]
    details: list[Block] = []
    if content.reason:
        details.append(Columns("换领原因", REASON_PRINTED[content.reason]))
    if content.pickup:
        details.append(Columns("领卡地点", content.pickup))
    advice = (
        "新卡制作完成后请携带本人有效身份证件到领卡地点领取。"
        if content.pickup
        else "挂失已解除，社保卡恢复正常使用。"
    )
    return _card_life_slip(
        ReceiptKind.CARD_REQUEST,
        f"社会保障卡{what}回执",
        content,
        Columns("业务类型", what, bold=True),
        "受理时间",
        details,
        (advice,),
    )


# --- the card's PIN: changed at the kiosk, reset at a counter, or what to do when blocked ------


@dataclass(frozen=True)
class PinContent:
    """A new PIN on the chip: when, and on which card; never a digit of any PIN."""

    holder_name: str
    card_number_masked: str
    done: dt.datetime
    kiosk_id: str
    sample: bool = False

    def __repr__(self) -> str:
        return f"PinContent(sample={self.sample})"


# The PIN's slips: the title, the request as printed, and what the resident should know.
_PIN_SLIPS = {
    # The resident changed the PIN at the kiosk, the old one proving them.
    ReceiptKind.PIN_CHANGE: (
        "社会保障卡密码修改回执",
        "修改社保卡密码",
        (
            "新密码已写入社保卡芯片，即时生效。请牢记新密码，不要告诉他人。",
            "如非本人操作，请立即挂失并到服务网点办理。",
        ),
    ),
    # Staff checked the identity card at a counter and the resident set a new PIN.
    ReceiptKind.PIN_RESET: (
        "社会保障卡密码重置回执",
        "社保卡密码重置（柜台）",
        (
            "工作人员已核对本人身份证件，新密码已写入社保卡芯片，锁定已解除，即时生效。",
            "请牢记新密码，不要告诉他人。如非本人办理，请立即挂失。",
        ),
    ),
}


def _pin_slip(kind: ReceiptKind, content: PinContent) -> Receipt:
    title, what, advice = _PIN_SLIPS[kind]
    blocks: list[Block] = [
        *_on_card(
            Columns("业务类型", what, bold=True),
            content.holder_name,
            content.card_number_masked,
            "办理时间",
            content.done,
        ),
        Separator(),
        *(Text(line) for line in advice),
    ]
    # Nothing to look up later: no reference and no QR code.
    return _slip(kind, title, blocks, content, content.done)


def pin_change_receipt(content: PinContent) -> Receipt:
    return _pin_slip(ReceiptKind.PIN_CHANGE, content)


def pin_reset_receipt(content: PinContent) -> Receipt:
    return _pin_slip(ReceiptKind.PIN_RESET, content)


PRINTED_TO_BRING = (
    "本人社会保障卡（就是这张卡）",
    "本人有效居民身份证原件",
    "他人代办的，另带代办人身份证原件和委托书",
)


@dataclass(frozen=True)
class PinBlockedContent:
    """What to bring to a counter for a blocked PIN, and where: no name, the card masked."""

    card_number_masked: str
    printed: dt.datetime
    kiosk_id: str
    halls: tuple[str, ...]  # the service halls' printed names
    halls_url: str  # where a phone finds the halls
    sample: bool = False


def pin_blocked_receipt(content: PinBlockedContent) -> Receipt:
    blocks: list[Block] = [
        Columns("业务类型", "社保卡密码重置", bold=True),
        Columns("社会保障卡号", content.card_number_masked, private=True),
        Text("社保卡密码连续输错，已被锁定。请到任一社保服务窗口，由工作人员核对身份后重置密码。"),
        Separator(),
        Text("请携带：", bold=True),
        *(Text(f"{number}. {line}") for number, line in enumerate(PRINTED_TO_BRING, start=1)),
        Separator(),
        Text("办理地点："),
        *(Text(name) for name in content.halls),
        QrCode(content.halls_url, spoken="凭条上印有二维码，扫码可查看服务网点。"),
    ]
    return _slip(
        ReceiptKind.PIN_BLOCKED, "社会保障卡密码锁定办理须知", blocks, content, content.printed
    )
