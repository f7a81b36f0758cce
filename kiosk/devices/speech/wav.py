"""Small WAV helpers over the standard library's `wave`: length, joining, and repairing the
header of a WAV that was streamed to a pipe."""

from __future__ import annotations

import io
import struct
import wave
from dataclasses import dataclass


class WavError(ValueError):
    pass


@dataclass(frozen=True)
class PcmFormat:
    channels: int
    sample_width: int
    frame_rate: int


def _write(fmt: PcmFormat, frames: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(fmt.channels)
        out.setsampwidth(fmt.sample_width)
        out.setframerate(fmt.frame_rate)
        out.writeframes(frames)
    return buffer.getvalue()


def empty_wav(frame_rate: int = 22050) -> bytes:
    """A valid WAV with no samples: what a prompt of punctuation only, or a silent engine, says."""
    return _write(PcmFormat(1, 2, frame_rate), b"")


def read_pcm(data: bytes) -> tuple[PcmFormat, bytes]:
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            fmt = PcmFormat(wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
            return fmt, wav.readframes(wav.getnframes())
    except (wave.Error, EOFError, struct.error) as error:
        raise WavError(f"not a PCM WAV: {error}") from None


def wav_duration(data: bytes) -> float:
    """Seconds of audio in a WAV."""
    fmt, frames = read_pcm(data)
    frame_bytes = fmt.channels * fmt.sample_width
    return len(frames) / frame_bytes / fmt.frame_rate if frame_bytes and fmt.frame_rate else 0.0


def repair_streamed_wav(data: bytes) -> bytes:
    """A WAV written to a pipe has placeholder sizes in its header (its writer could not seek
    back to fill them in); rewrite it with the sizes of the samples that actually arrived."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise WavError("not a RIFF/WAVE stream")
    fmt: PcmFormat | None = None
    offset = 12
    while offset + 8 <= len(data):
        chunk_id = data[offset : offset + 4]
        (size,) = struct.unpack_from("<I", data, offset + 4)
        body = offset + 8
        if chunk_id == b"fmt ":
            if size < 16 or body + 16 > len(data):
                raise WavError("short fmt chunk")
            audio_format, channels, rate, _byte_rate, _align, bits = struct.unpack_from(
                "<HHIIHH", data, body
            )
            if audio_format != 1 or bits % 8 or not channels:
                raise WavError("not integer PCM")
            fmt = PcmFormat(channels, bits // 8, rate)
        elif chunk_id == b"data":
            if fmt is None:
                raise WavError("data before fmt")
            # The data chunk's stated size is a placeholder: take what is there, whole frames.
            frames = data[body:]
            frame_bytes = fmt.channels * fmt.sample_width
            return _write(fmt, frames[: len(frames) - len(frames) % frame_bytes])
        offset = body + size + (size & 1)
    raise WavError("no data chunk")


def concatenate(wavs: list[bytes]) -> bytes:
    """One WAV of several in a row; they must share one PCM format."""
    if not wavs:
        return empty_wav()
    fmt, frames = read_pcm(wavs[0])
    parts = [frames]
    for data in wavs[1:]:
        other, more = read_pcm(data)
        if other != fmt:
            raise WavError(f"cannot join {other} to {fmt}")
        parts.append(more)
    return _write(fmt, b"".join(parts))
