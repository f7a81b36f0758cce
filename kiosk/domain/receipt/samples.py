"""Fictional content of every kind, marked as a sample on the paper and in speech: the printer's
test and demo prints, and the golden bytes the printer's tests compare with."""

from __future__ import annotations

import datetime as dt

from kiosk.domain.receipt.documents import (
    CardSlipContent,
    CertificateContent,
    ComplaintContent,
    InsuranceLine,
    PinBlockedContent,
    PinContent,
    card_life_receipt,
    certificate_receipt,
    complaint_receipt,
    pin_blocked_receipt,
    pin_change_receipt,
    pin_reset_receipt,
    printer_test_receipt,
)
from kiosk.domain.receipt.model import Receipt, ReceiptKind

__all__ = [
    "SAMPLE_SITE",
    "sample_receipt",
]

SAMPLE_SITE = "https://onecard.example.cn"
SAMPLE_HOLDER = "张示例"
SAMPLE_CARD = "A1****789"


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
                holder_name=SAMPLE_HOLDER,
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
    if kind is ReceiptKind.CARD_REQUEST:
        replacement = _card_slip("R-K7Q2-M9XT-2B4N", "v1/card/requests", kiosk_id, now)
        return card_life_receipt(
            replacement, "replacement", pickup="金水区服务大厅", reason="damaged"
        )
    if kind in (ReceiptKind.PIN_CHANGE, ReceiptKind.PIN_RESET):
        pin = PinContent(SAMPLE_HOLDER, SAMPLE_CARD, now, kiosk_id, sample=True)
        changed = kind is ReceiptKind.PIN_CHANGE
        return pin_change_receipt(pin) if changed else pin_reset_receipt(pin)
    if kind is ReceiptKind.PIN_BLOCKED:
        return pin_blocked_receipt(
            PinBlockedContent(
                card_number_masked=SAMPLE_CARD,
                printed=now,
                kiosk_id=kiosk_id,
                halls=("郑州市民服务中心", "金水区服务大厅"),
                halls_url=f"{SAMPLE_SITE}/v1/catalog",
                sample=True,
            )
        )
    loss = _card_slip("GS20250501-000456", "card-requests", kiosk_id, now)
    return card_life_receipt(loss, "loss_report", formal=False)


def _card_slip(number: str, path: str, kiosk_id: str, now: dt.datetime) -> CardSlipContent:
    """The sample holder's card, and where a phone follows the request (path/number)."""
    return CardSlipContent(
        tracking_number=number,
        card_number_masked=SAMPLE_CARD,
        holder_name=SAMPLE_HOLDER,
        filed=now,
        status_url=f"{SAMPLE_SITE}/{path}/{number}",
        kiosk_id=kiosk_id,
        sample=True,
    )
