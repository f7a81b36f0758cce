"""The printer's ESC/POS bytes and golden files, checked against the ESC/POS reference's own bytes.

The golden files (golden/*.bin) were made by the project's own encoder: test_printer_golden.py
proves only that the encoder still agrees with itself. This module checks it, once, against
independent sources, with every reference byte written out literally here, not computed by the
project's code or by python-escpos:

- Epson's ESC/POS Command Reference (the TM series' "ESC/POS Application Programming Guide" and
  the command pages of the TM-T88/TM-T81 specifications): ESC @, FS &, ESC E, GS !, ESC d,
  ESC a, GS V, GS v 0, and the QR Code functions of GS ( k: <Function 165> select the model,
  <Function 167> module size, <Function 169> error correction level, <Function 180> store the
  data, <Function 181> print the symbol.
- GB 2312-80's code table, by 区位 (row and cell), which GB 18030 keeps as its two-byte part
  (byte = 0xA0 + row, 0xA0 + cell), and GB 18030's four-byte code points for the first and last
  characters of its linear ranges.
- The card reference's GBK bytes of 社会保障 (ssc-card.md, "The SSSE application").
"""

from __future__ import annotations

import pytest
from printer_helpers import GOLDEN

from kiosk.devices.printer.encoder import EscposEncoder, fits_text_mode
from kiosk.domain.receipt import Layout, PaperWidth, PrintFeed, PrintLine, PrintQr, Size

# --- the reference's commands, literally -------------------------------------------------------

ESC_AT = bytes.fromhex("1B 40")  # ESC @: initialise the printer
FS_AMPERSAND = bytes.fromhex("1C 26")  # FS &: select Kanji (here GB) character mode
ESC_E_ON = bytes.fromhex("1B 45 01")  # ESC E n: emphasised on (n's low bit 1)
ESC_E_OFF = bytes.fromhex("1B 45 00")  # ESC E n: emphasised off
GS_BANG_NORMAL = bytes.fromhex("1D 21 00")  # GS ! n: width x1 (bits 4-7), height x1 (0-3)
GS_BANG_TALL = bytes.fromhex("1D 21 01")  # GS ! n: height x2
GS_BANG_DOUBLE = bytes.fromhex("1D 21 11")  # GS ! n: width x2 and height x2
ESC_A_CENTRE = bytes.fromhex("1B 61 01")  # ESC a n: n = 1 centres
ESC_A_LEFT = bytes.fromhex("1B 61 00")  # ESC a n: n = 0 left-justifies
LF = bytes.fromhex("0A")  # LF: print and feed one line
GS_V_FULL_CUT = bytes.fromhex("1D 56 00")  # GS V m, function A: m = 0 full cut


def esc_d(lines: int) -> bytes:
    """ESC d n: print and feed n lines."""
    return bytes.fromhex("1B 64") + bytes([lines])


# GS ( k, cn = 49 (QR Code): 1D 28 6B pL pH cn fn [parameters], (pL + pH * 256) counting the
# bytes after pH.
QR_MODEL_2 = bytes.fromhex("1D 28 6B 04 00 31 41 32 00")  # <Fn 165>: n1 = 50 model 2, n2 = 0
QR_EC_M = bytes.fromhex("1D 28 6B 03 00 31 45 31")  # <Fn 169>: n = 49, level M (15 %)
QR_PRINT = bytes.fromhex("1D 28 6B 03 00 31 51 30")  # <Fn 181>: m = 48, print the symbol


def qr_module_size(dots: int) -> bytes:
    """<Fn 167>: the module is n dots, 1 <= n <= 16."""
    return bytes.fromhex("1D 28 6B 03 00 31 43") + bytes([dots])


def qr_store(data: bytes) -> bytes:
    """<Fn 180>: 1D 28 6B pL pH 31 50 30 d1...dk, with pL + pH * 256 = k + 3."""
    size = len(data) + 3
    return bytes.fromhex("1D 28 6B") + bytes([size % 256, size // 256]) + b"\x31\x50\x30" + data


# GB 2312-80, by 区位 code: (row, cell). EUC / GB 18030 bytes are 0xA0 + row, 0xA0 + cell.
GB2312_CELLS = {
    "郑": (54, 3),
    "州": (54, 61),
    "社": (41, 71),
    "会": (27, 65),
    "保": (17, 3),
    "障": (53, 47),
    "卡": (31, 8),
    "中": (54, 48),
    "国": (25, 90),
    "一": (50, 27),
    "·": (1, 4),  # the middle dot of a long (Uyghur) name
    "、": (1, 2),
    "。": (1, 3),
}
# The card reference's GBK bytes of 社会保障, from its SELECT APDU.
CARD_REFERENCE_SHEHUI_BAOZHANG = bytes.fromhex("C9 E7 BB E1 B1 A3 D5 CF")
# GB 18030's four-byte codes at the ends of its linear ranges.
GB18030_FOUR_BYTE = {
    "\u0080": bytes.fromhex("81 30 81 30"),  # the first four-byte code of the BMP
    "\uffff": bytes.fromhex("84 31 A4 39"),  # the last of the BMP
    "\U00010000": bytes.fromhex("90 30 81 30"),  # the first beyond the BMP
    "\U0010ffff": bytes.fromhex("E3 32 9A 35"),  # the last of Unicode
}


def gb2312(character: str) -> bytes:
    row, cell = GB2312_CELLS[character]
    return bytes((0xA0 + row, 0xA0 + cell))


# --- a receipt built byte by byte from the reference ------------------------------------------


def test_a_small_receipt_is_exactly_the_references_commands() -> None:
    laid_out = Layout(
        PaperWidth.MM58,
        (
            (PrintLine("社会保障卡", bold=True, size=Size.DOUBLE), PrintLine("No. 1")),
            (PrintFeed(2), PrintQr("ABC", module_dots=4)),
        ),
    )
    expected = b"".join(
        [
            ESC_AT,
            FS_AMPERSAND,
            ESC_E_ON,
            GS_BANG_DOUBLE,
            CARD_REFERENCE_SHEHUI_BAOZHANG + gb2312("卡"),
            LF,
            ESC_E_OFF,
            GS_BANG_NORMAL,
            b"No. 1",
            LF,
            esc_d(2),
            ESC_A_CENTRE,
            QR_MODEL_2,
            qr_module_size(4),
            QR_EC_M,
            qr_store(b"ABC"),
            QR_PRINT,
            LF,
            ESC_A_LEFT,
            esc_d(6),
            GS_V_FULL_CUT,
        ]
    )
    assert EscposEncoder(PaperWidth.MM58).encode_layout(laid_out).data == expected


def test_a_tall_line_is_gs_bang_1() -> None:
    laid_out = Layout(PaperWidth.MM80, ((PrintLine("中国", size=Size.TALL),),))
    data = EscposEncoder(PaperWidth.MM80).encode_layout(laid_out).data
    assert data.startswith(ESC_AT + FS_AMPERSAND + GS_BANG_TALL + gb2312("中") + gb2312("国") + LF)


# --- GB 18030 against the standard's code points ---------------------------------------------


@pytest.mark.parametrize("character", sorted(GB2312_CELLS))
def test_text_bytes_are_the_gb2312_code_table(character: str) -> None:
    laid_out = Layout(PaperWidth.MM58, ((PrintLine(character),),))
    data = EscposEncoder(PaperWidth.MM58).encode_layout(laid_out).data
    assert data.startswith(ESC_AT + FS_AMPERSAND + gb2312(character) + LF)
    assert character.encode("gb18030") == gb2312(character)


def test_the_card_references_gbk_bytes_are_what_the_encoder_prints() -> None:
    laid_out = Layout(PaperWidth.MM58, ((PrintLine("社会保障"),),))
    data = EscposEncoder(PaperWidth.MM58).encode_layout(laid_out).data
    assert CARD_REFERENCE_SHEHUI_BAOZHANG in data


@pytest.mark.parametrize("character", sorted(GB18030_FOUR_BYTE))
def test_four_byte_codes_are_the_standards_and_never_sent_as_text(character: str) -> None:
    """Python's codec gives the standard's four-byte codes; printer fonts stop at two bytes, so
    the encoder prints such a line as a raster image (GS v 0), never as those codes."""
    assert character.encode("gb18030") == GB18030_FOUR_BYTE[character]
    assert not fits_text_mode(character)
    laid_out = Layout(PaperWidth.MM58, ((PrintLine("王" + character),),))
    data = EscposEncoder(PaperWidth.MM58).encode_layout(laid_out).data
    assert GB18030_FOUR_BYTE[character] not in data
    assert data.startswith(ESC_AT + FS_AMPERSAND + bytes.fromhex("1D 76 30 00"))


# --- every golden file, read with the reference's command table --------------------------------


def _parse(data: bytes) -> list[tuple[str, bytes]]:
    """The stream as (command, parameters) in order; text as ("text", bytes). Fails on any byte
    that is no command of the reference and no GB 18030 one- or two-byte character."""
    fixed = {  # prefix -> (name, parameter bytes after it)
        ESC_AT: ("ESC @", 0),
        FS_AMPERSAND: ("FS &", 0),
        bytes.fromhex("1B 45"): ("ESC E", 1),
        bytes.fromhex("1D 21"): ("GS !", 1),
        bytes.fromhex("1B 64"): ("ESC d", 1),
        bytes.fromhex("1B 61"): ("ESC a", 1),
        bytes.fromhex("1D 56"): ("GS V", 1),
    }
    out: list[tuple[str, bytes]] = []
    at = 0
    while at < len(data):
        two = data[at : at + 2]
        if two in fixed:
            name, count = fixed[two]
            out.append((name, data[at + 2 : at + 2 + count]))
            at += 2 + count
        elif data[at : at + 3] == bytes.fromhex("1D 28 6B"):
            size = data[at + 3] + 256 * data[at + 4]
            out.append(("GS ( k", data[at + 5 : at + 5 + size]))
            at += 5 + size
        elif data[at : at + 3] == bytes.fromhex("1D 76 30"):
            x = data[at + 4] + 256 * data[at + 5]  # bytes per row
            y = data[at + 6] + 256 * data[at + 7]  # rows of dots
            out.append(("GS v 0", data[at + 3 : at + 8 + x * y]))
            at += 8 + x * y
        elif data[at] == 0x0A:
            out.append(("LF", b""))
            at += 1
        elif 0x20 <= data[at] <= 0x7E:
            out.append(("text", data[at : at + 1]))
            at += 1
        elif 0x81 <= data[at] <= 0xFE and 0x40 <= data[at + 1] <= 0xFE and data[at + 1] != 0x7F:
            out.append(("text", data[at : at + 2]))  # a GB 18030 two-byte character
            at += 2
        else:
            raise AssertionError(f"byte {at}: {data[at : at + 8].hex(' ')} is no command")
    return out


GOLDEN_FILES = sorted(path.name for path in GOLDEN.glob("*.bin"))


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_every_golden_file_is_made_of_the_references_commands(name: str) -> None:
    commands = _parse((GOLDEN / name).read_bytes())
    names = [command for command, _ in commands]
    assert names[:2] == ["ESC @", "FS &"], "initialise, then Chinese mode, before any text"
    assert commands[-2:] == [("ESC d", b"\x06"), ("GS V", b"\x00")], "feed, then a full cut"
    for command, parameters in commands:
        if command == "ESC E":
            assert parameters in (b"\x00", b"\x01")
        elif command == "GS !":
            assert parameters in (b"\x00", b"\x01", b"\x11")  # normal, tall, double
        elif command == "ESC a":
            assert parameters in (b"\x00", b"\x01")
    text = b"".join(p for c, p in commands if c == "text")
    assert text.decode("gb18030").isprintable()


# A new PIN's slips have nothing to look up later, so no QR code; every other slip has one.
QR_GOLDEN_FILES = [
    name for name in GOLDEN_FILES if not name.startswith(("pin_change", "pin_reset"))
]


@pytest.mark.parametrize("name", QR_GOLDEN_FILES)
def test_each_golden_qr_code_is_the_references_sequence(name: str) -> None:
    """Every slip with a QR code carries one: model 2, a module of 1 to 16 dots, level M, the data
    stored with its length, then printed: <Fn 165>, <Fn 167>, <Fn 169>, <Fn 180>, <Fn 181> in
    that order, centred."""
    data = (GOLDEN / name).read_bytes()
    commands = _parse(data)
    qr = [p for c, p in commands if c == "GS ( k"]
    assert len(qr) == 5, f"{name}: {len(qr)} GS ( k commands"
    assert data.count(QR_MODEL_2) == 1 and data.count(QR_EC_M) == 1 and data.count(QR_PRINT) == 1
    model, size, level, store, show = qr
    assert b"\x1d\x28\x6b\x04\x00" + model == QR_MODEL_2
    assert size[:2] == b"\x31\x43" and 1 <= size[2] <= 16 and len(size) == 3
    assert b"\x1d\x28\x6b\x03\x00" + level == QR_EC_M
    assert store[:3] == b"\x31\x50\x30"
    assert qr_store(store[3:]) in data, "pL pH do not count the stored data"
    assert b"\x1d\x28\x6b\x03\x00" + show == QR_PRINT
    start = data.index(QR_MODEL_2)
    assert data[start - len(ESC_A_CENTRE) : start] == ESC_A_CENTRE
