"""Receipts the kiosk prints, laid out in printer columns and put into words for speech.

What a resident takes home is paper: a certificate of insured status with a code anyone can
verify, a loss-report slip (Art. 2), a complaint slip with its tracking number (Art. 16). This
module is the Qt-free, device-free part: the receipt as values, its layout for 58 mm (32
columns) and 80 mm (48 columns) paper, the spoken form read in voice mode before it prints
(Art. 10), and the values a printer returns (status, outcome) so that a caller can keep a job
that did not print and print it again.

Columns are counted the way a Chinese ESC/POS printer counts them in its GB18030 text mode: an
ASCII character takes one column (12 dots), every other character is printed from the two-byte
font and takes two (24 dots), whatever Unicode's East Asian Width calls it ("·", "—" and "“"
included).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any

from kiosk.domain import hall_time

ISSUER = "郑州市居民服务一卡通"
SAMPLE_MARK = "※ 样例 · 非正式凭证 ※"
SAMPLE_SPOKEN = "这是一张样例凭条，不是正式凭证。"


class PaperWidth(Enum):
    """Thermal paper widths, with the printable columns and dots of a 203 dpi head."""

    MM58 = 58
    MM80 = 80

    @property
    def columns(self) -> int:
        return 32 if self is PaperWidth.MM58 else 48

    @property
    def dots(self) -> int:
        return self.columns * CELL_DOTS

    @classmethod
    def from_mm(cls, millimetres: int) -> PaperWidth:
        for width in cls:
            if width.value == millimetres:
                return width
        raise ValueError(f"paper is 58 or 80 mm wide, not {millimetres}")


# One column of Font A: 12 dots wide, 24 high.
CELL_DOTS = 12


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class Size(StrEnum):
    """The printer's own character sizes (GS !): no scaling that a printer could not do."""

    NORMAL = "normal"
    TALL = "tall"  # double height
    DOUBLE = "double"  # double width and height

    @property
    def width_factor(self) -> int:
        return 2 if self is Size.DOUBLE else 1

    @property
    def height_factor(self) -> int:
        return 1 if self is Size.NORMAL else 2


# --- the receipt ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A paragraph, wrapped to the paper. `private` marks personal data (never read aloud)."""

    text: str
    bold: bool = False
    size: Size = Size.NORMAL
    align: Align = Align.LEFT
    private: bool = False


@dataclass(frozen=True)
class Columns:
    """A label and its value: the label on the left, the value against the right edge."""

    left: str
    right: str
    bold: bool = False
    private: bool = False
    # How the value is read aloud when that differs from print (a code spelled out).
    spoken: str | None = None


@dataclass(frozen=True)
class Separator:
    heavy: bool = False


@dataclass(frozen=True)
class QrCode:
    """A QR code, centred. `spoken` says what it is for, since a code cannot be read aloud."""

    payload: str
    spoken: str = ""
    module_dots: int = 6


@dataclass(frozen=True)
class Feed:
    lines: int = 1


Block = Text | Columns | Separator | QrCode | Feed


class ReceiptKind(StrEnum):
    TEST = "test"
    CERTIFICATE = "certificate"
    COMPLAINT = "complaint"
    LOSS = "loss"


@dataclass(frozen=True)
class Receipt:
    """One document. `reference` is what makes it retrievable without the paper (a certificate's
    verification code, a tracking number); `sample` marks fictional content on the paper itself.
    """

    kind: ReceiptKind
    title: str
    blocks: tuple[Block, ...]
    footer: tuple[str, ...] = ()
    issuer: str = ""
    reference: str = ""
    sample: bool = False

    @property
    def qr_payload(self) -> str | None:
        """The first QR code's content: what the kiosk shows on screen when paper fails."""
        for block in self.blocks:
            if isinstance(block, QrCode):
                return block.payload
        return None

    def __repr__(self) -> str:  # a stray repr in a log must not carry the receipt's content
        return f"Receipt(kind={self.kind.value}, blocks={len(self.blocks)}, sample={self.sample})"


# --- columns and wrapping ------------------------------------------------------------------

# Characters that must not start a line: they hang on the line before (Chinese line breaking).
_NO_LINE_START = frozenset("，。、；：！？）》」』】〕”’…·,.;:!?)]%")


def char_columns(char: str) -> int:
    """1 for ASCII, 2 for everything else: the printer's single- and double-byte fonts."""
    return 1 if ord(char) < 0x80 else 2


def text_columns(text: str) -> int:
    return sum(char_columns(c) for c in text)


def printable(text: str) -> str:
    """Drops control characters (a stray ESC in content must not become a printer command)."""
    return "".join(c for c in text if c == "\n" or (c >= " " and c != "\x7f"))


def wrap(text: str, columns: int) -> list[str]:
    """Breaks text into lines of at most `columns`, never splitting a short ASCII word and
    never starting a line with closing punctuation. "\\n" forces a break."""
    if columns < 2:
        raise ValueError("a line needs at least two columns")
    lines: list[str] = []
    for paragraph in printable(text).split("\n"):
        lines.extend(_wrap_paragraph(paragraph.rstrip(), columns))
    return lines


def _wrap_paragraph(paragraph: str, columns: int) -> list[str]:
    lines: list[str] = []
    line = ""
    used = 0
    for char in paragraph:
        width = char_columns(char)
        if used + width <= columns:
            line += char
            used += width
            continue
        if char == " ":
            lines.append(line.rstrip())
            line, used = "", 0
            continue
        carry = ""
        if char.isascii() and char.isalnum():
            # Move the word begun on this line down, if it fits on a line of its own.
            start = len(line)
            while start > 0 and line[start - 1].isascii() and line[start - 1].isalnum():
                start -= 1
            if 0 < start < len(line) and text_columns(line[start:]) + width <= columns:
                line, carry = line[:start], line[start:]
        elif char in _NO_LINE_START and len(line) > 1:
            line, carry = line[:-1], line[-1]
        lines.append(line.rstrip())
        line = carry + char
        used = text_columns(line)
    if line or not lines:
        lines.append(line.rstrip())
    return lines


def _aligned(text: str, columns: int, align: Align) -> str:
    room = columns - text_columns(text)
    if room <= 0 or align is Align.LEFT:
        return text
    if align is Align.CENTER:
        return " " * (room // 2) + text
    return " " * room + text


def _columns_lines(left: str, right: str, columns: int) -> list[str]:
    left, right = printable(left).replace("\n", " "), printable(right).replace("\n", " ")
    left_width, right_width = text_columns(left), text_columns(right)
    if left_width + 1 + right_width <= columns:
        return [left + " " * (columns - left_width - right_width) + right]
    indent = left_width + 1
    if indent <= columns // 2:
        # A long value wraps in the room right of its label, so the label stays alone on the left.
        values = wrap(right, columns - indent)
        return [left + " " + values[0]] + [" " * indent + v for v in values[1:]]
    return wrap(left, columns) + [_aligned(v, columns, Align.RIGHT) for v in wrap(right, columns)]


# --- layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintLine:
    """One printed line: the text already padded for its alignment, without trailing spaces."""

    text: str
    bold: bool = False
    size: Size = Size.NORMAL


@dataclass(frozen=True)
class PrintQr:
    payload: str
    module_dots: int


@dataclass(frozen=True)
class PrintFeed:
    lines: int


PrintItem = PrintLine | PrintQr | PrintFeed


@dataclass(frozen=True)
class Layout:
    """A receipt laid out for one paper width, in sections: the title, each block, the footer.
    A printer checks its status between sections, so paper running out is noticed mid-receipt.
    """

    width: PaperWidth
    sections: tuple[tuple[PrintItem, ...], ...]

    @property
    def items(self) -> tuple[PrintItem, ...]:
        return tuple(item for section in self.sections for item in section)


def layout(receipt: Receipt, width: PaperWidth) -> Layout:
    columns = width.columns
    sections: list[tuple[PrintItem, ...]] = []
    header: list[PrintItem] = []
    if receipt.issuer and receipt.issuer != receipt.title:
        header += _text_lines(Text(receipt.issuer, align=Align.CENTER), columns)
    header += _text_lines(_title_block(receipt.title, columns), columns)
    if receipt.sample:
        header += _text_lines(Text(SAMPLE_MARK, bold=True, align=Align.CENTER), columns)
    header.append(PrintFeed(1))
    sections.append(tuple(header))
    for block in receipt.blocks:
        sections.append(tuple(_block_items(block, columns)))
    footer: list[PrintItem] = []
    if receipt.footer:
        footer += _text_lines(Separator(), columns)
        for line in receipt.footer:
            footer += _text_lines(Text(line, align=Align.CENTER), columns)
    if receipt.sample:
        footer += _text_lines(Text(SAMPLE_MARK, align=Align.CENTER), columns)
    if footer:
        sections.append(tuple(footer))
    return Layout(width, tuple(s for s in sections if s))


def _title_block(title: str, columns: int) -> Text:
    # The title is as large as the paper allows: double size if it fits on one line, else tall.
    size = Size.DOUBLE if text_columns(title) * 2 <= columns else Size.TALL
    return Text(title, bold=True, size=size, align=Align.CENTER)


def _block_items(block: Block, columns: int) -> list[PrintItem]:
    if isinstance(block, QrCode):
        return [PrintQr(block.payload, block.module_dots)]
    if isinstance(block, Feed):
        return [PrintFeed(block.lines)]
    return _text_lines(block, columns)


def _text_lines(block: Text | Columns | Separator, columns: int) -> list[PrintItem]:
    if isinstance(block, Separator):
        return [PrintLine(("=" if block.heavy else "-") * columns)]
    if isinstance(block, Columns):
        return [
            PrintLine(t.rstrip(), block.bold)
            for t in _columns_lines(block.left, block.right, columns)
        ]
    room = columns // block.size.width_factor
    return [
        PrintLine(_aligned(line, room, block.align).rstrip(), block.bold, block.size)
        for line in wrap(block.text, room)
    ]


# --- speech --------------------------------------------------------------------------------

PRIVATE_SPOKEN = "（个人信息，不朗读）"


def spoken_lines(receipt: Receipt, *, include_private: bool = False) -> list[str]:
    """The receipt as plain sentences to read aloud before it prints (voice mode, Art. 10).

    Layout is dropped (separators, padding, line breaks inside a paragraph); codes are spelled
    out where the receipt says how. Personal data is left out unless `include_private` (a
    handset rather than a loudspeaker): its label is read with a note that it is not.
    """
    lines: list[str] = []
    if receipt.issuer and receipt.issuer != receipt.title:
        lines.append(receipt.issuer)
    lines.append(receipt.title)
    if receipt.sample:
        lines.append(SAMPLE_SPOKEN)
    for block in receipt.blocks:
        if isinstance(block, Text):
            if block.private and not include_private:
                continue
            lines.append(_one_line(block.text))
        elif isinstance(block, Columns):
            label = _one_line(block.left).rstrip("：:")
            if block.private and not include_private:
                lines.append(f"{label}{PRIVATE_SPOKEN}")
            else:
                value = block.spoken if block.spoken is not None else _one_line(block.right)
                lines.append(f"{label}：{value}")
        elif isinstance(block, QrCode) and block.spoken:
            lines.append(block.spoken)
    lines.extend(_one_line(line) for line in receipt.footer)
    return [line for line in lines if line]


def _one_line(text: str) -> str:
    return "".join(part.strip() for part in printable(text).split("\n"))


def spell(code: str) -> str:
    """7K3M-Q9XT -> "7 K 3 M，Q 9 X T": a code read one character at a time, groups apart."""
    return "，".join(" ".join(group) for group in code.split("-") if group)


# --- the documents ---------------------------------------------------------------------------


def _when(moment: dt.datetime) -> str:
    return hall_time.local(moment).strftime("%Y-%m-%d %H:%M")


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
    return Receipt(
        kind=ReceiptKind.CERTIFICATE,
        issuer=ISSUER,
        title="社会保险参保证明",
        blocks=tuple(blocks),
        footer=(f"打印时间 {_when(content.issued)}", f"终端 {content.kiosk_id}"),
        reference=content.code,
        sample=content.sample,
    )


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
        Columns(
            "受理编号", content.tracking_number, bold=True, spoken=spell(content.tracking_number)
        ),
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
        QrCode(content.status_url, spoken="凭条上印有查询二维码，扫码可查询办理进度。"),
    ]
    return Receipt(
        kind=ReceiptKind.COMPLAINT,
        issuer=ISSUER,
        title=f"{what}受理回执",
        blocks=tuple(blocks),
        footer=(f"打印时间 {_when(content.created)}", f"终端 {content.kiosk_id}"),
        reference=content.tracking_number,
        sample=content.sample,
    )


@dataclass(frozen=True)
class LossContent:
    """A loss report on the card (Art. 2: 挂失, by national and provincial rules)."""

    tracking_number: str
    formal: bool  # False: a temporary report (临时挂失), lifted by the holder
    card_number_masked: str
    holder_name: str
    filed: dt.datetime
    status_url: str
    kiosk_id: str
    sample: bool = False

    def __repr__(self) -> str:
        return f"LossContent(formal={self.formal}, sample={self.sample})"


def loss_receipt(content: LossContent) -> Receipt:
    kind = "正式挂失" if content.formal else "临时挂失"
    advice = (
        "正式挂失后原卡不能再用，请携带本人有效身份证件到社保卡服务网点补领新卡。"
        if content.formal
        else "临时挂失期间社保卡暂停使用。找回社保卡后，可在服务终端或服务网点办理解挂；"
        "确认遗失的，请办理正式挂失并补领新卡。"
    )
    blocks: list[Block] = [
        Columns(
            "受理编号", content.tracking_number, bold=True, spoken=spell(content.tracking_number)
        ),
        Columns("挂失类型", kind, bold=True),
        Columns("持卡人", content.holder_name, private=True),
        Columns("社会保障卡号", content.card_number_masked, private=True),
        Columns("挂失时间", _when(content.filed)),
        Separator(),
        Text(advice),
        Text("金融账户的挂失，请同时联系合作银行办理。"),
        QrCode(content.status_url, spoken="凭条上印有查询二维码，扫码可查询办理进度。"),
    ]
    return Receipt(
        kind=ReceiptKind.LOSS,
        issuer=ISSUER,
        title="社会保障卡挂失回执",
        blocks=tuple(blocks),
        footer=(f"打印时间 {_when(content.filed)}", f"终端 {content.kiosk_id}"),
        reference=content.tracking_number,
        sample=content.sample,
    )


# --- samples, until the platform supplies real content ---------------------------------------

SAMPLE_SITE = "https://onecard.example.cn"


def sample_receipt(kind: ReceiptKind, kiosk_id: str, now: dt.datetime) -> Receipt:
    """Fictional content, marked as a sample on the paper and in speech."""
    if kind is ReceiptKind.TEST:
        return printer_test_receipt(kiosk_id, now)
    if kind is ReceiptKind.CERTIFICATE:
        code = "7K3M-Q9XT-2B4N"
        return certificate_receipt(
            CertificateContent(
                code=code,
                issued=now,
                valid_until=(now + dt.timedelta(days=90)).date(),
                holder_name="张示例",
                holder_id_masked="4101**********0000",
                insurances=(
                    InsuranceLine("城镇职工基本养老保险", "正常参保", "2015-03", "2025-04", 122),
                    InsuranceLine("职工基本医疗保险", "正常参保", "2015-03", "2025-04", 122),
                    InsuranceLine("失业保险", "暂停缴费", "2015-03", "2021-12", 82),
                    InsuranceLine("工伤保险", "未参保", None, None, 0),
                ),
                verify_url=f"{SAMPLE_SITE}/verify/{code}",
                kiosk_id=kiosk_id,
                sample=True,
            )
        )
    if kind is ReceiptKind.COMPLAINT:
        number = "TS20250501-000123"
        return complaint_receipt(
            ComplaintContent(
                tracking_number=number,
                suggestion=False,
                category="服务态度与效率",
                subject="窗口排队时间过长，希望增加自助终端",
                created=now,
                contact_masked="139****0000",
                status_url=f"{SAMPLE_SITE}/complaints/{number}",
                kiosk_id=kiosk_id,
                sample=True,
            )
        )
    number = "GS20250501-000456"
    return loss_receipt(
        LossContent(
            tracking_number=number,
            formal=False,
            card_number_masked="A1****789",
            holder_name="张示例",
            filed=now,
            status_url=f"{SAMPLE_SITE}/card-requests/{number}",
            kiosk_id=kiosk_id,
            sample=True,
        )
    )


# --- keeping a receipt as data (a job that did not print is kept, not lost) ------------------

_BLOCK_TYPES: dict[str, type[Block]] = {
    "text": Text,
    "columns": Columns,
    "separator": Separator,
    "qr": QrCode,
    "feed": Feed,
}
_BLOCK_NAMES = {cls: name for name, cls in _BLOCK_TYPES.items()}


def receipt_to_data(receipt: Receipt) -> dict[str, Any]:
    """JSON-ready form. It holds whatever the receipt holds, personal data included: keep it
    in memory for the session, or on disk only for sample content."""
    return {
        "kind": receipt.kind.value,
        "title": receipt.title,
        "issuer": receipt.issuer,
        "reference": receipt.reference,
        "sample": receipt.sample,
        "footer": list(receipt.footer),
        "blocks": [_block_to_data(block) for block in receipt.blocks],
    }


def _block_to_data(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = {"type": _BLOCK_NAMES[type(block)]}
    for name, value in vars(block).items():
        data[name] = value.value if isinstance(value, Enum) else value
    return data


def receipt_from_data(data: Mapping[str, Any]) -> Receipt:
    """The inverse of receipt_to_data; ValueError on anything that is not such data."""
    try:
        blocks = tuple(_block_from_data(item) for item in data["blocks"])
        footer = data.get("footer", [])
        if not isinstance(footer, list) or not all(isinstance(x, str) for x in footer):
            raise ValueError("footer must be a list of strings")
        return Receipt(
            kind=ReceiptKind(data["kind"]),
            title=_string(data["title"]),
            blocks=blocks,
            footer=tuple(footer),
            issuer=_string(data.get("issuer", "")),
            reference=_string(data.get("reference", "")),
            sample=bool(data.get("sample", False)),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"not a receipt: {error!r}") from None


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    return value


def _block_from_data(item: Mapping[str, Any]) -> Block:
    fields = dict(item)
    cls = _BLOCK_TYPES.get(str(fields.pop("type", "")))
    if cls is None:
        raise ValueError(f"unknown block type {item.get('type')!r}")
    if "size" in fields:
        fields["size"] = Size(fields["size"])
    if "align" in fields:
        fields["align"] = Align(fields["align"])
    return cls(**fields)


# --- printing: what a printer reports and returns ---------------------------------------------


class PaperLevel(StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"
    UNKNOWN = "unknown"  # the printer does not answer status queries (or cannot: a file)


@dataclass(frozen=True)
class PrinterStatus:
    """The printer's real-time status (DLE EOT), as the heartbeat and the flows see it."""

    answered: bool
    online: bool | None = None
    paper: PaperLevel = PaperLevel.UNKNOWN
    cover_open: bool = False
    error: bool = False  # cutter jam or an unrecoverable error

    @property
    def can_print(self) -> bool:
        """False only on a known reason; a printer that does not answer is given the benefit."""
        return not (
            self.paper is PaperLevel.OUT or self.cover_open or self.error or self.online is False
        )

    @property
    def needs_attention(self) -> bool:
        """For the fleet's operators: paper to load soon, or a fault to clear now."""
        return not self.can_print or self.paper is PaperLevel.NEAR_END

    def as_dict(self) -> dict[str, object]:
        return {
            "answered": self.answered,
            "online": self.online,
            "paper": self.paper.value,
            "cover_open": self.cover_open,
            "error": self.error,
        }


UNKNOWN_STATUS = PrinterStatus(answered=False)


@dataclass(frozen=True)
class PrintJob:
    """A receipt to print, with an id that stays the same across retries."""

    receipt: Receipt
    job_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def reference(self) -> str:
        return self.receipt.reference

    @property
    def qr_payload(self) -> str | None:
        return self.receipt.qr_payload


class PrintState(StrEnum):
    PRINTED = "printed"
    NOT_STARTED = "not_started"  # nothing reached the paper: print it when the printer is ready
    INTERRUPTED = "interrupted"  # part of it may be on paper: print it again, whole


@dataclass(frozen=True)
class PrintOutcome:
    """What became of a job. Returned when it printed; carried by the PrinterError otherwise,
    so the caller still holds the job to show as a QR code and to print again."""

    job: PrintJob
    state: PrintState
    status: PrinterStatus
    bytes_sent: int = 0

    @property
    def printed(self) -> bool:
        return self.state is PrintState.PRINTED


def summarise(items: Iterable[PrintItem]) -> dict[str, int]:
    """Counts by kind, for logs that must not carry a receipt's content."""
    counts = {"lines": 0, "qr": 0, "feeds": 0}
    for item in items:
        key = (
            "lines"
            if isinstance(item, PrintLine)
            else "qr"
            if isinstance(item, PrintQr)
            else "feeds"
        )
        counts[key] += 1
    return counts


def lines_text(items: Sequence[PrintItem]) -> list[str]:
    """The text of the printed lines: what tests and the spoken check compare with."""
    return [item.text for item in items if isinstance(item, PrintLine)]
