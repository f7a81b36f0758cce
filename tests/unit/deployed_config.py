"""A deployed kiosk's config file for the start-up tests: the simulated card reader, no
printer, no speech engine, and a platform address that never answers (the kiosk still
starts, and says the platform is unavailable when a resident needs it)."""

from __future__ import annotations

from pathlib import Path

CONFIG = """
[kiosk]
id = "hall-test-01"
mode = "deployed"
{kiosk_extra}
[platform]
url = "https://127.0.0.1:9"
kiosk_key_file = "{key}"
[card_reader]
kind = "simulated"
[printer]
uri = "{printer_uri}"
[speech]
engine = "none"
"""


def write_deployed_config(folder: Path, *, admin_pin_hash: str = "", printer_uri: str = "") -> Path:
    key = folder / "kiosk.key"
    key.write_text("not-a-real-key\n", encoding="utf-8")
    extra = f'admin_pin_hash = "{admin_pin_hash}"' if admin_pin_hash else ""
    config = folder / "kiosk.toml"
    config.write_text(
        CONFIG.format(key=key, kiosk_extra=extra, printer_uri=printer_uri), encoding="utf-8"
    )
    return config
