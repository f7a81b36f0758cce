"""A4 documents: the certificate of insured status and the personal rights statement
(个人权益记录单) on a sheet, for employers, banks and visa offices.

The document is plain values; the A4 printer (kiosk.devices.a4printer) lays it out with Qt and
sends it to a CUPS queue or writes it as a PDF. Printed in Chinese, as the platform issues the
certificate. The holder appears as on the slip (the ID number masked) unless the document is
printed at a service counter, where staff have the card and the holder in front of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.domain import hall_time
from kiosk.domain.receipt import ISSUER, CertificateContent

CERTIFICATE, RIGHTS_STATEMENT = "certificate", "rights_statement"


@dataclass(frozen=True)
class A4Table:
    """One table of the document: a title above it, a header row, the rows."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class A4Document:
    kind: str
    title: str
    holder: tuple[tuple[str, str], ...]  # label, value
    tables: tuple[A4Table, ...]
    notes: tuple[str, ...]
    code: str  # the verification code, printed beside its QR code
    verify_url: str  # what the QR code carries
    issued: dt.datetime
    kiosk_id: str
    issuer: str = ISSUER
    sample: bool = False

    @property
    def file_stem(self) -> str:
        """A file name without personal data: what it is, its code and when."""
        return f"{self.kind}-{self.code}-{self.issued:%Y%m%d%H%M%S}"

    def __repr__(self) -> str:  # personal data: never in a log line
        return f"A4Document(kind={self.kind!r}, tables={len(self.tables)}, sample={self.sample})"


def _holder(
    content: CertificateContent | RightsContent, *, at_counter: bool, full_id: str | None
) -> tuple[tuple[str, str], ...]:
    shown_id = full_id if at_counter and full_id else content.holder_id_masked
    return (("姓名", content.holder_name), ("证件号码", shown_id))


def _document(
    kind: str,
    title: str,
    content: CertificateContent | RightsContent,
    holder: tuple[tuple[str, str], ...],
    tables: tuple[A4Table, ...],
    notes: tuple[str, ...],
) -> A4Document:
    """The document, with what its content says of how to verify it, when and where."""
    return A4Document(
        kind,
        title,
        holder,
        tables,
        notes,
        content.code,
        content.verify_url,
        hall_time.local(content.issued),
        content.kiosk_id,
        sample=content.sample,
    )


def _hall_day(moment: dt.datetime) -> str:
    # The platform's moment is UTC: dated in the hall, as the slip is, or a sheet printed
    # before 08:00 would carry yesterday's date.
    return hall_time.local(moment).strftime("%Y-%m-%d")


def certificate_document(
    content: CertificateContent, *, at_counter: bool = False, full_id: str | None = None
) -> A4Document:
    """社会保险参保证明 on A4: one row per insurance, with the months it speaks for."""
    rows = []
    for line in content.insurances:
        span = f"{line.first_month} 至 {line.last_month}" if line.first_month else "—"
        months = str(line.paid_months) if line.first_month else "—"
        rows.append((line.insurance, line.status, span, months))
    period = (
        (("证明期间", f"{content.period[0]} 至 {content.period[1]}"),)
        if content.period is not None
        else ()
    )
    return _document(
        CERTIFICATE,
        "社会保险参保证明",
        content,
        (
            *_holder(content, at_counter=at_counter, full_id=full_id),
            *period,
            ("出具日期", _hall_day(content.issued)),
            ("有效期至", content.valid_until.isoformat()),
        ),
        (A4Table("参保情况", ("险种", "参保状态", "缴费期间", "累计缴费月数"), tuple(rows)),),
        (
            "兹证明上述人员在本市参加社会保险，情况如上表。",
            "扫描右侧二维码，或在一卡通平台输入核验码，可核验本证明的真实性。",
            "本证明在有效期内有效，涂改无效。",
        ),
    )


@dataclass(frozen=True)
class YearLine:
    """One insurance in one year: months paid, the personal and the employer's part (fen)."""

    insurance: str
    year: int
    paid_months: int
    personal_fen: int
    employer_fen: int


@dataclass(frozen=True)
class RightsContent:
    """个人权益记录单: contributions by insurance and year, the medical account, pensions."""

    holder_name: str
    holder_id_masked: str
    years: tuple[YearLine, ...]
    medical_balance_fen: int | None
    medical_lines: tuple[tuple[str, str, int], ...]  # date, what, amount in fen (signed)
    pension_lines: tuple[tuple[str, int], ...]  # month, amount in fen
    code: str
    verify_url: str
    issued: dt.datetime
    kiosk_id: str
    sample: bool = False

    def __repr__(self) -> str:
        return f"RightsContent(years={len(self.years)}, sample={self.sample})"


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals and thousands separators, exact."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


# At most this many rows of the account and the pension: a statement, not a ledger.
RECENT_ROWS = 12


def rights_document(
    content: RightsContent, *, at_counter: bool = False, full_id: str | None = None
) -> A4Document:
    tables = [
        A4Table(
            "一、社会保险缴费记录（按险种和年度）",
            ("险种", "年度", "缴费月数", "个人缴费（元）", "单位缴费（元）"),
            tuple(
                (
                    line.insurance,
                    str(line.year),
                    str(line.paid_months),
                    yuan(line.personal_fen),
                    yuan(line.employer_fen),
                )
                for line in content.years
            ),
        )
    ]
    if content.medical_balance_fen is not None:
        tables.append(
            A4Table(
                f"二、医保个人账户（余额 {yuan(content.medical_balance_fen)} 元）",
                ("日期", "摘要", "金额（元）"),
                tuple(
                    (when, what, yuan(amount))
                    for when, what, amount in content.medical_lines[:RECENT_ROWS]
                ),
            )
        )
    if content.pension_lines:
        tables.append(
            A4Table(
                "三、养老金发放记录",
                ("月份", "发放金额（元）"),
                tuple(
                    (month, yuan(amount)) for month, amount in content.pension_lines[:RECENT_ROWS]
                ),
            )
        )
    return _document(
        RIGHTS_STATEMENT,
        "社会保险个人权益记录单",
        content,
        (
            *_holder(content, at_counter=at_counter, full_id=full_id),
            ("打印日期", _hall_day(content.issued)),
        ),
        tuple(tables),
        (
            "本记录单所列为截至打印日平台记载的个人社会保险权益，仅供本人查询使用。",
            "扫描二维码，或在一卡通平台输入核验码，可核验同时出具的参保证明。",
        ),
    )
