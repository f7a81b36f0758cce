"""Real-time status (DLE EOT n): the four questions and what the answers mean.

A printer answers each with one byte at once, even while it is offline for want of paper, so
the kiosk can ask before a receipt, between its sections and after it. Each answer byte has
fixed bits (bit 1 and bit 4 set, bits 0 and 7 clear) by which a real answer is told from noise.
"""

from __future__ import annotations

from enum import IntEnum

from kiosk.domain.receipt import PaperLevel, PrinterStatus

DLE_EOT = b"\x10\x04"
_FIXED_MASK = 0b1001_0011
_FIXED_BITS = 0b0001_0010


class Query(IntEnum):
    PRINTER = 1  # bit 3: offline
    OFFLINE_CAUSE = 2  # bit 2: cover open; bit 5: stopped at paper end; bit 6: an error
    ERROR_CAUSE = 3  # bit 3: autocutter error; bit 5: unrecoverable; bit 6: auto-recoverable
    PAPER = 4  # bits 2-3: paper near end; bits 5-6: paper end


QUERIES = tuple(Query)
ALL_QUERIES = b"".join(DLE_EOT + bytes([q]) for q in QUERIES)


def is_answer(value: int) -> bool:
    return value & _FIXED_MASK == _FIXED_BITS


def status_from_answers(answers: bytes) -> PrinterStatus:
    """The status from the answers to ALL_QUERIES, in order. Fewer valid answers than queries
    leave the unanswered parts unknown; none at all means the printer does not answer."""
    valid = [b for b in answers[: len(QUERIES)] if is_answer(b)]
    if len(valid) != min(len(answers), len(QUERIES)) or not valid:
        return PrinterStatus(answered=False)
    known = dict(zip(QUERIES, valid, strict=False))
    printer = known.get(Query.PRINTER, 0)
    offline = known.get(Query.OFFLINE_CAUSE, 0)
    errors = known.get(Query.ERROR_CAUSE, 0)
    paper_byte = known.get(Query.PAPER)
    paper_end = bool(offline & 0x20) or (paper_byte is not None and bool(paper_byte & 0x60))
    if paper_end:
        paper = PaperLevel.OUT
    elif paper_byte is None:
        paper = PaperLevel.UNKNOWN
    elif paper_byte & 0x0C:
        paper = PaperLevel.NEAR_END
    else:
        paper = PaperLevel.OK
    return PrinterStatus(
        answered=True,
        online=not printer & 0x08,
        paper=paper,
        cover_open=bool(offline & 0x04),
        error=bool(offline & 0x40) or bool(errors & 0x68),
    )


def answer_byte(
    query: int, *, offline: bool, cover_open: bool, paper: PaperLevel, cutter_error: bool
) -> int:
    """What a printer in this state answers: used by the simulated printer."""
    value = _FIXED_BITS
    if query == Query.PRINTER and offline:
        value |= 0x08
    elif query == Query.OFFLINE_CAUSE:
        value |= (0x04 if cover_open else 0) | (0x20 if paper is PaperLevel.OUT else 0)
        value |= 0x40 if cutter_error else 0
    elif query == Query.ERROR_CAUSE and cutter_error:
        value |= 0x08
    elif query == Query.PAPER:
        # A roll at its end has passed the near-end sensor too.
        value |= 0x0C if paper in (PaperLevel.NEAR_END, PaperLevel.OUT) else 0
        value |= 0x60 if paper is PaperLevel.OUT else 0
    return value
