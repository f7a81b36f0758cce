"""Receipts the kiosk prints, laid out in printer columns and put into words for speech.

What a resident takes home is paper (kiosk.domain.receipt.documents). The package is the
Qt-free, device-free part: the receipt as values (model), its layout for 58 mm and 80 mm paper
(layout), the spoken form read in voice mode before it prints (speech, Art. 10), the documents
and their samples, and the values a printer returns (printing), so that a caller can keep a job
that did not print and print it again. Callers import from here.
"""

from __future__ import annotations

# Each part names what it offers in its __all__; callers take it all from here.
from kiosk.domain.receipt.documents import *  # noqa: F403
from kiosk.domain.receipt.layout import *  # noqa: F403
from kiosk.domain.receipt.model import *  # noqa: F403
from kiosk.domain.receipt.printing import *  # noqa: F403
from kiosk.domain.receipt.samples import *  # noqa: F403
from kiosk.domain.receipt.speech import *  # noqa: F403
