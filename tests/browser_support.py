"""Headless Chromium for the browser tests: Debian's chromium + chromium-driver (installed by .ci/run), driven
by Selenium, with the internet blocked, console errors collected and a screenshot saved when a test fails."""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(os.environ.get("MUBIAO_SCREENSHOTS", PROJECT / "test-screenshots"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/lib/chromium/chromedriver"
PAGE_TIMEOUT_S = 60


def _require_browser() -> None:
    if CHROMIUM and Path(CHROMEDRIVER).exists():
        return
    message = "Debian's chromium and chromium-driver are not installed (.ci/run installs them; see README)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def chromium(allow_local_http: bool = False) -> Iterator[object]:
    """A headless Chromium that loads nothing from the internet (file:// always, http://127.0.0.1 if allowed)."""
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--no-proxy-server", "--allow-file-access-from-files"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(PAGE_TIMEOUT_S)
    blocked = ["https://*"] + ([] if allow_local_http else ["http://*"])
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": blocked})
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: object) -> list[str]:
    """Console messages of level SEVERE since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]  # type: ignore[attr-defined]


@contextmanager
def screenshot_on_failure(driver: object, name: str) -> Iterator[None]:
    """Save a screenshot (and the page source) under test-screenshots/ when the block raises."""
    try:
        yield
    except BaseException:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))  # type: ignore[attr-defined]
        (SCREENSHOTS / f"{name}.html").write_text(driver.page_source, encoding="utf-8")  # type: ignore[attr-defined]
        raise
