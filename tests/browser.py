"""A real headless Chromium (Debian's chromium + chromium-driver) driven by Selenium, for page tests.

Skips only when no browser is installed and CI is not set; on CI a missing browser fails the test. On a failed
assertion, `checked_page` saves a screenshot under MUBIAO_TEST_ARTIFACTS (default test-artifacts/).
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ARTIFACTS = Path(os.environ.get("MUBIAO_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"))
_BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _executable(names: tuple[str, ...], env: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    return next((path for name in names if (path := shutil.which(name))), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A headless Chromium WebDriver that records the console (browser log)."""
    binary = _executable(_BROWSERS, "MUBIAO_CHROMIUM")
    driver_path = _executable(("chromedriver",), "MUBIAO_CHROMEDRIVER")
    if not binary or not driver_path:
        missing = "chromium" if not binary else "chromedriver"
        message = (f"no headless browser: {missing} not found (install Debian's chromium and chromium-driver, "
                   "as .ci/run does)")
        if os.environ.get("CI"):
            pytest.fail(message + " — CI must run the browser tests")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1800"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


@contextmanager
def checked_page(driver, name: str) -> Iterator[None]:  # noqa: ANN001 - a selenium WebDriver
    """Run page assertions; on failure save a screenshot named after the test and re-raise."""
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{name}.png"
        driver.save_screenshot(str(shot))
        print(f"screenshot of the failing page: {shot}")
        raise


def console_errors(driver) -> list[str]:  # noqa: ANN001 - a selenium WebDriver
    """Messages the page logged at SEVERE level (script errors, failed loads)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
