"""Masking of personal data for the screen (Art. 12, 13): shown whole only when asked for."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """王秀英 -> 王**: the surname stays so the resident knows the greeting is for them."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name


def mask_number(number: str, keep_start: int = 4, keep_end: int = 4) -> str:
    """4101**********1234: the first and last four stay, the rest is hidden."""
    number = number.strip()
    if len(number) <= keep_start + keep_end:
        return "*" * len(number)
    return number[:keep_start] + "*" * (len(number) - keep_start - keep_end) + number[-keep_end:]
