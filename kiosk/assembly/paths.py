"""The kiosk program's name and where it keeps its cache, for every part of the start."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "onecard-kiosk"


def cache_folder() -> Path:
    """The kiosk's cache folder, as platformdirs names it. On Linux the XDG rule is applied
    here, which is all platformdirs does there, because importing it costs the first frame
    some 7 ms (tests/unit/test_cache_folder.py holds the two to the same answer)."""
    if sys.platform.startswith("linux"):
        # The XDG rule: $XDG_CACHE_HOME when it is an absolute path, else ~/.cache.
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):
            base = os.path.expanduser("~/.cache")
        return Path(base) / APP_NAME
    # Elsewhere the rule is platformdirs' own, and the first frame pays for its import.
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME)
