"""The one module that imports python-escpos.

python-escpos does transports, raster images and QR codes well; it does not do Chinese: it
never selects the printer's Chinese mode (FS &), its double sizes (ESC !) do not enlarge Chinese
characters, and a line without an ideograph (a line of CJK punctuation) goes through its code
pages and comes out as "?". So the encoder sends text itself through the raw interface, and asks
the library only for the rest. The library
is untyped: this module gives the rest of the package typed functions over it.

Importing escpos.capabilities has two side effects the kiosk does not want: it configures the
root logger (logging.basicConfig), and it makes a fresh temporary folder for its profile cache on
every import. The first is undone here. For the second, the cache is pointed at the kiosk's cache
folder, but the library makes the temporary folder all the same: it is the default of
`environ.get`, and Python evaluates that default even when the variable is set. So that folder
is made in a scratch folder of the kiosk's cache and removed at once. Otherwise every start of a
kiosk, and every process of the test suite, left an empty folder in /tmp.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

_cache = Path(platformdirs.user_cache_dir("onecard-kiosk")) / "escpos"
_cache.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(_cache))

_root = logging.getLogger()
_handlers = list(_root.handlers)
_level = _root.level
_scratch = _cache / "import-scratch"
_scratch.mkdir(exist_ok=True)
_tempdir = tempfile.tempdir
tempfile.tempdir = str(_scratch)
try:
    from escpos import exceptions as escpos_exceptions  # type: ignore[import-untyped]
    from escpos.capabilities import Profile  # type: ignore[import-untyped]
    from escpos.escpos import Escpos  # type: ignore[import-untyped]
    from escpos.printer import Dummy, File, Network, Serial, Usb  # type: ignore[import-untyped]
finally:
    tempfile.tempdir = _tempdir
    for handler in list(_root.handlers):
        if handler not in _handlers:
            _root.removeHandler(handler)
    _root.setLevel(_level)
    # Only the library's unused folders: empty, and named as tempfile names them. Another
    # kiosk process sharing the cache may be importing at the same moment; its folder is
    # unused too.
    for _made in _scratch.glob("tmp*"):
        with contextlib.suppress(OSError):
            _made.rmdir()

DeviceNotFoundError: type[Exception] = escpos_exceptions.DeviceNotFoundError

__all__ = [
    "DeviceNotFoundError",
    "Dummy",
    "Escpos",
    "File",
    "Network",
    "Serial",
    "Usb",
    "profile_for",
]


def profile_for(dots: int, columns: int) -> Any:
    """The library's default profile, told the paper's printable width in dots: image() then
    knows the width to centre on and does not print a warning to stdout about not knowing it."""
    defaults = Profile().profile_data
    profile = Profile(columns=columns, features=dict(defaults["features"]))
    # An instance attribute, so the class the library caches for every user stays as it was.
    profile.profile_data = {
        **defaults,
        "media": {"dpi": 203, "width": {"mm": "Unknown", "pixels": dots}},
    }
    return profile
