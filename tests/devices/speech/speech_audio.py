"""Audio for the speech tests: a short tone as a WAV, like a clip an engine would make."""

from __future__ import annotations

import io
import math
import struct
import wave


def short_wav(seconds: float = 0.2, rate: int = 22050) -> bytes:
    frames = int(seconds * rate)
    samples = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(frames))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{frames}h", *samples))
    return buffer.getvalue()
