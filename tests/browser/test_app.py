"""App mode (`make app`, Voilà) in a real browser at 1366×768, as a trainee would use it.

One server, preheating only the pages this test opens: the course index, then lesson 00 through
the index's link (a widget clicked, the whole quiz answered), lesson 01 (a widget clicked), and
the index again, which must now show lesson 00 done with its score. Every request of every page
is logged: none may leave 127.0.0.1. Screenshots: tests/browser/screenshots/app-*.png, and the
request log app-requests.txt beside them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from helpers import MerchantAction, Status, t
from helpers.course.quiz import load_bank
from helpers.course.workspace import lessons
from tests.browser.lab import SCREENSHOTS, in_ci
from tests.browser.voila import AppPage, VoilaServer, voila_missing

INDEX = "app/index.ipynb"
PAGES = (INDEX, "00_start_here.ipynb", "01_aftersales_basics.ipynb")
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def app_server(chromium_ready: None) -> Iterator[VoilaServer]:
    reason = voila_missing()
    if reason:
        if in_ci():
            pytest.fail(f"CI=true: the app-mode test must run, but {reason}", pytrace=False)
        pytest.skip(f"app-mode test skipped: {reason}")
    with VoilaServer(preheat=PAGES) as server:
        server.wait_pools_filled(len(PAGES))
        yield server


@pytest.fixture
def app(browser: Any, app_server: VoilaServer) -> Iterator[AppPage]:
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    context.set_default_timeout(30_000)
    page = AppPage(context.new_page(), app_server)
    yield page
    context.close()


def _text(app: AppPage, selector: str) -> str:
    return re.sub(r"\s+", " ", app.page.locator(selector).first.text_content() or "").strip()


def _click(app: AppPage, label: str, selector: str = "button") -> None:
    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    app.page.locator(f"{selector}:not([disabled])").filter(has_text=exact).first.click()


def _answer_all_right(app: AppPage, lesson: str) -> None:
    """Answer every question of the lesson's quiz right, by the text of the right choice (the
    order is shuffled per trainee)."""
    for number, question in enumerate(load_bank(lesson).questions):
        block = app.page.locator(".quiz .quiz-question").nth(number)
        block.scroll_into_view_if_needed()
        right = question.choice(question.answer).text
        block.locator(".widget-radio-box label").filter(has_text=right).first.click()
        block.locator("button").filter(has_text=t("quiz.check")).first.click()
        feedback = block.locator(".quiz-feedback")
        feedback.filter(has_text=t("quiz.right")).wait_for()


def test_app_mode_index_lessons_progress_and_no_request_off_loopback(app: AppPage) -> None:
    app.open(INDEX)
    links = app.page.locator(".course-index-table a.course-index-lesson")
    assert links.count() == len(lessons()), _text(app, ".course-index")
    assert f"0 / {len(lessons())}" in _text(app, ".course-index-summary")
    app.screenshot("app-index")
    config = app.page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    assert (config["fullMathjaxUrl"], config["mathjaxConfig"]) == ("null", "null")
    assert not re.search(r"""(src|href)=["']https?://|import\(["']https?://""", app.page.content())

    links.first.click()  # the index's own link to lesson 00
    app.wait_interactive()
    assert app.page.url.endswith("/voila/render/00_start_here.ipynb")
    assert Status.AWAIT_MERCHANT.label in _text(app, ".explorer-state")
    _click(app, MerchantAction.AGREE_PRESALE_REFUND.label, ".explorer-action")
    app.page.locator(".explorer-state").filter(has_text=Status.SUCCESS.label).first.wait_for()
    _answer_all_right(app, "00_start_here")
    app.page.locator(".quiz-progress").filter(has_text=t("quiz.saved")).first.wait_for()
    app.screenshot("app-00")

    app.open("01_aftersales_basics.ipynb")
    state = app.page.locator(".explorer-state").first
    state.scroll_into_view_if_needed()
    before = _text(app, ".explorer-state")
    app.page.locator(".explorer-action:not([disabled])").first.click()
    app.page.wait_for_function(
        "(old) => document.querySelector('.explorer-state').textContent.replace(/\\s+/g, ' ').trim() !== old",
        arg=before)
    app.screenshot("app-01")

    app.open(INDEX)  # the index reads the progress when it is opened, not when it was preheated
    row = app.page.locator(".course-index-table tr").filter(has_text="00 ")
    assert t("app.done_yes") in (row.first.text_content() or "")
    assert "2 / 2" in (row.first.text_content() or "")
    assert f"1 / {len(lessons())}" in _text(app, ".course-index-summary")
    app.screenshot("app-index-after")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "app-requests.txt").write_text("\n".join(app.requests) + "\n", encoding="utf-8")
    assert app.errors == []
    assert len(app.requests) > 0
    assert app.off_loopback() == [], "requests left 127.0.0.1"
