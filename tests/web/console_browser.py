"""Steps a member of staff takes in the console, by keyboard and mouse in the real browser."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from kiosk.server.testing import LivePlatform

Driver = Any


def sign_in(driver: Driver, live: LivePlatform, username: str) -> None:
    driver.delete_all_cookies()
    driver.get(f"{live.url}/console/")
    field = driver.find_element(By.NAME, "username")
    assert driver.switch_to.active_element == field  # the form is ready for the keyboard
    field.send_keys(username)
    field.send_keys(Keys.TAB)
    driver.switch_to.active_element.send_keys(f"{username}-pass", Keys.ENTER)
    WebDriverWait(driver, 10).until(
        lambda d: d.current_url.removeprefix(live.url) not in ("/console/", "/console/login")
    )


def wait_for_text(driver: Driver, text: str, timeout: float = 10) -> None:
    WebDriverWait(driver, timeout).until(
        ec.text_to_be_present_in_element((By.TAG_NAME, "body"), text)
    )


def screenshot(driver: Driver, name: str, folder: Path) -> Path:
    """Into the test's folder, and into CONSOLE_SCREENSHOTS too when it is set (to look at)."""
    target = folder / f"{name}.png"
    driver.save_screenshot(str(target))
    keep = os.environ.get("CONSOLE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(keep) / f"{name}.png"))
    assert target.stat().st_size > 10_000
    return target
