"""The receipt model: columns as a Chinese printer counts them, wrapping, layout, speech, data."""

from __future__ import annotations

import pytest
from printer_helpers import KINDS, WIDTHS, fixed_receipt, laid_out_lines

from kiosk.domain.receipt import (
    PRIVATE_SPOKEN,
    SAMPLE_MARK,
    Align,
    Columns,
    PaperWidth,
    PrintLine,
    PrintQr,
    Receipt,
    ReceiptKind,
    Separator,
    Size,
    Text,
    layout,
    lines_text,
    receipt_from_data,
    receipt_to_data,
    spell,
    spoken_lines,
    text_columns,
    wrap,
)


def one_block(block, width: PaperWidth = PaperWidth.MM58) -> list[str]:
    receipt = Receipt(ReceiptKind.TEST, "T", (block,))
    return lines_text(layout(receipt, width).sections[1])


def test_paper_widths_are_32_and_48_columns_of_12_dots() -> None:
    assert (PaperWidth.MM58.columns, PaperWidth.MM58.dots) == (32, 384)
    assert (PaperWidth.MM80.columns, PaperWidth.MM80.dots) == (48, 576)
    assert PaperWidth.from_mm(80) is PaperWidth.MM80
    with pytest.raises(ValueError, match="58 or 80"):
        PaperWidth.from_mm(76)


def test_chinese_characters_and_full_width_punctuation_take_two_columns() -> None:
    assert text_columns("abc") == 3
    assert text_columns("郑州") == 4
    # Ambiguous-width characters are two-byte GB18030 codes: full width on the printer.
    assert text_columns("·—“”") == 8
    assert text_columns("A1、") == 4


def test_wrapping_counts_columns_not_characters() -> None:
    lines = wrap("一卡通用一码通城" * 3, 10)
    assert lines == ["一卡通用一", "码通城一卡", "通用一码通", "城一卡通用", "一码通城"]
    assert all(text_columns(line) <= 10 for line in lines)


def test_wrapping_keeps_a_short_ascii_word_whole() -> None:
    assert wrap("扫码 verify-code ABCDEFG now", 16) == ["扫码 verify-code", "ABCDEFG now"]
    assert wrap("no room for supercalifragilistic", 10)[1] == "for"


def test_closing_punctuation_never_starts_a_line() -> None:
    lines = wrap("一二三四五，六七", 10)
    assert lines == ["一二三四", "五，六七"]
    assert not any(line.startswith(("，", "。", "）")) for line in wrap("（第十六条）。" * 5, 8))


def test_control_characters_never_reach_the_paper() -> None:
    assert wrap("abc\x1b@\x1dV\x00def", 32) == ["abc@Vdef"]


def test_two_columns_fill_the_line_exactly() -> None:
    for width in WIDTHS:
        [line] = one_block(Columns("姓名", "张示例"), width)
        assert text_columns(line) == width.columns
        assert line.startswith("姓名") and line.endswith("张示例")


def test_a_long_value_wraps_beside_its_label() -> None:
    lines = one_block(Columns("地址", "郑州市金水区花园路街道一卡通服务大厅二楼东侧"))
    assert lines[0].startswith("地址 郑州")
    assert all(line.startswith(" " * 5) for line in lines[1:])
    assert "".join(line.strip() for line in lines).replace("地址 ", "") == (
        "郑州市金水区花园路街道一卡通服务大厅二楼东侧"
    )


def test_the_title_is_double_size_when_it_fits_and_tall_when_not() -> None:
    def title(text: str, width: PaperWidth) -> PrintLine:
        item = layout(Receipt(ReceiptKind.TEST, text, ()), width).sections[0][0]
        assert isinstance(item, PrintLine)
        return item

    assert title("社会保险参保证明", PaperWidth.MM58).size is Size.DOUBLE  # 8 x 4 = 32
    assert title("郑州市居民服务一卡通", PaperWidth.MM58).size is Size.TALL
    assert title("郑州市居民服务一卡通", PaperWidth.MM80).size is Size.DOUBLE
    centred = title("参保证明", PaperWidth.MM80)
    assert centred.bold and centred.text == " " * 8 + "参保证明"  # 24 columns at double width


def test_centred_and_right_aligned_text() -> None:
    assert one_block(Text("居中", align=Align.CENTER)) == [" " * 14 + "居中"]
    assert one_block(Text("靠右", align=Align.RIGHT)) == [" " * 28 + "靠右"]


def test_separators_span_the_paper() -> None:
    assert one_block(Separator(), PaperWidth.MM80) == ["-" * 48]
    assert one_block(Separator(heavy=True)) == ["=" * 32]


# A new PIN is done when the slip prints: there is no progress to follow, so no QR code.
NOTHING_TO_LOOK_UP = (ReceiptKind.PIN_CHANGE, ReceiptKind.PIN_RESET)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w.value}mm")
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_every_receipt_fits_its_paper_and_has_one_qr_code_or_none_to_look_up(
    kind: ReceiptKind, width: PaperWidth
) -> None:
    laid = layout(fixed_receipt(kind), width)
    for item in laid.items:
        if isinstance(item, PrintLine):
            assert text_columns(item.text) * item.size.width_factor <= width.columns, item
    qrs = [item for item in laid.items if isinstance(item, PrintQr)]
    if kind in NOTHING_TO_LOOK_UP:
        assert qrs == [] and fixed_receipt(kind).qr_payload is None
    else:
        assert len(qrs) == 1 and qrs[0].payload == fixed_receipt(kind).qr_payload


@pytest.mark.parametrize("kind", [k for k in KINDS if k is not ReceiptKind.TEST])
def test_sample_content_is_marked_as_a_sample_on_paper(kind: ReceiptKind) -> None:
    receipt = fixed_receipt(kind)
    assert receipt.sample
    text = laid_out_lines(receipt, PaperWidth.MM58)
    assert sum(SAMPLE_MARK in line for line in text) == 2  # under the title and at the foot


def test_the_test_receipt_has_the_title_kiosk_date_and_time() -> None:
    text = "\n".join(laid_out_lines(fixed_receipt(ReceiptKind.TEST), PaperWidth.MM80))
    assert "郑州市居民服务一卡通" in text
    for fact in ("ZZ-JINSHUI-007", "2025-05-01", "09:30:15"):
        assert fact in text


def test_speech_drops_layout_and_keeps_the_words() -> None:
    lines = spoken_lines(fixed_receipt(ReceiptKind.COMPLAINT))
    assert lines[:3] == ["郑州市居民服务一卡通", "投诉受理回执", "这是一张样例凭条，不是正式凭证。"]
    assert not any(set(line) <= set("-= ") for line in lines)
    assert "类别：服务态度与效率" in lines
    assert any("第十六条" in line for line in lines)
    assert "凭条上印有查询二维码，扫码可查询办理进度。" in lines


def test_speech_spells_out_codes() -> None:
    assert spell("7K3M-Q9XT-2B4N") == "7 K 3 M，Q 9 X T，2 B 4 N"
    lines = spoken_lines(fixed_receipt(ReceiptKind.CERTIFICATE))
    assert "核验码：7 K 3 M，Q 9 X T，2 B 4 N" in lines


def test_speech_leaves_personal_data_out_unless_asked() -> None:
    receipt = fixed_receipt(ReceiptKind.CERTIFICATE)
    aloud = "\n".join(spoken_lines(receipt))
    assert "张示例" not in aloud and "4101" not in aloud
    assert f"姓名{PRIVATE_SPOKEN}" in aloud
    private = "\n".join(spoken_lines(receipt, include_private=True))
    assert "姓名：张示例" in private and "证件号码：4101**********0000" in private


def test_the_complaint_subject_and_contact_are_private() -> None:
    aloud = "\n".join(spoken_lines(fixed_receipt(ReceiptKind.COMPLAINT)))
    assert "139" not in aloud and "窗口排队" not in aloud


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_a_receipt_survives_being_kept_as_data(kind: ReceiptKind) -> None:
    receipt = fixed_receipt(kind)
    assert receipt_from_data(receipt_to_data(receipt)) == receipt


@pytest.mark.parametrize(
    "data",
    [{}, {"kind": "test", "title": "t", "blocks": [{"type": "bomb"}]}, {"kind": "nope"}],
)
def test_data_that_is_not_a_receipt_is_refused(data: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        receipt_from_data(data)


def test_a_receipt_repr_carries_no_content() -> None:
    text = repr(fixed_receipt(ReceiptKind.CERTIFICATE))
    assert "张示例" not in text and "7K3M" not in text
