"""Fixtures of the real-browser tests: one JupyterLab and one Chromium per session, a page per test.

Without Chromium the tests skip with the reason (`pytest -rs` prints it); with CI=true they fail
instead, so CI can never pass without having run them. COURSE_CHROMIUM points at another browser
binary (or at a missing one, to check that behaviour).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
# The test files import `lab` and `test_lessons` by name, whatever pytest's import mode.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from tests.browser.lab import SCREENSHOTS, Lab, LabServer, chromium_missing, in_ci, launch_chromium  # noqa: E402

VIEWPORT = {"width": 1400, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)  # the `lab` fixture screenshots a failure
    return report


@pytest.fixture(scope="session")
def chromium_ready() -> None:
    reason = chromium_missing()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"CI=true: the browser tests must run, but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def lab_server(chromium_ready: None) -> Iterator[LabServer]:
    with LabServer() as server:
        yield server


@pytest.fixture(scope="session")
def browser(chromium_ready: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def lab(request: pytest.FixtureRequest, browser: Any, lab_server: LabServer) -> Iterator[Lab]:
    """A fresh browser page on the session's JupyterLab; kernels are shut down afterwards."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    driver = Lab(page, lab_server, SCREENSHOTS)
    yield driver
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        name = "FAILED-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
        try:
            print(f"screenshot of the failure: {driver.screenshot(name)}")
        except Exception as error:  # a crashed page must not hide the test's own failure
            print(f"no screenshot of the failure: {error}")
        print("browser console errors:", *driver.console[-20:], sep="\n  ")
        print("jupyter lab log (tail):", lab_server.log_tail(), sep="\n")
    context.close()
    lab_server.shutdown_kernels()
