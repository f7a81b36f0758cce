"""The resident's accessibility choices for one session (language, print size, contrast, elderly).

Requirement 17: when a session ends every setting returns to the kiosk's default, so the next
person is not handed the last one's large print or language.
"""

from __future__ import annotations

from typing import NamedTuple


# A named tuple rather than a frozen dataclass: as immutable, and made before every first
# frame for a tenth of the CPU (kiosk.config says the same of its sections).
class Profile(NamedTuple):
    language: str = "zh_CN"
    colour_mode: str = "default"
    size_mode: str = "default"
    # 长辈模式 (requirement 20): bigger print, fewer choices, doubled timeouts.
    elderly: bool = False
    # Requirement 15's long debounce for unsteady hands: a second press of the same key or
    # button soon after the first is taken as a tremor. The resident's choice, on with the
    # elderly mode; off by default, where only a key's mechanical bounce is ignored, so a PIN
    # like 112233 or a phone number typed briskly keeps every digit.
    long_debounce: bool = False

    @property
    def timeout_scale(self) -> float:
        return 2.0 if self.elderly else 1.0

    def with_language(self, language: str) -> Profile:
        return self._replace(language=language)

    def toggled_elderly(self) -> Profile:
        on = not self.elderly
        return self._replace(elderly=on, long_debounce=on)

    def toggled_long_debounce(self) -> Profile:
        return self._replace(long_debounce=not self.long_debounce)
