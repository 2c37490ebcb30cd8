"""Lesson 00 (开始) in a real JupyterLab: the trainee types a name once, clicks the first button,
runs the checkpoint, answers the quiz, and the progress panel shows the name (never 「学员：root」).

`LESSON` is the entry for LESSONS in test_lessons.py (same shape); this file runs it on its own.
Screenshot: tests/browser/screenshots/00_start_here.png.
"""

from __future__ import annotations

import re

from helpers import MerchantAction, Status, t
from tests.browser.lab import Lab
from tests.browser.test_lessons import Lesson, Step, explorer_move, quiz_step, run_lesson

NAME = "林小雨"
STDOUT = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stdout"]'  # what a cell printed


def type_name(lab: Lab) -> str:
    box = lab.locator(".trainee-name-box input").first
    box.scroll_into_view_if_needed()
    box.fill(NAME)
    lab.click(t("trainee.use"), ".trainee-name-use")
    return lab.wait_text(".trainee-name-message", re.escape(NAME))


def progress_shows_the_name(lab: Lab) -> str:
    lab.click(t("progress.refresh"))
    return lab.wait_text(".progress-panel", re.escape(t("progress.trainee", trainee=NAME)))


LESSON = Lesson("00_start_here", (
    Step("the name typed once is taken", type_name, expect=re.escape(t("trainee.saved", name=NAME))),
    Step("the first case starts at 待商家同意",
         lambda lab: lab.text(".first-case .explorer-state"), expect=Status.AWAIT_MERCHANT.label),
    Step("同意售前退申请 ends the unshipped refund in 售后成功",
         explorer_move(MerchantAction.AGREE_PRESALE_REFUND), expect=Status.SUCCESS.label),
    Step("the checkpoint prints one ✓ line",
         lambda lab: lab.wait_text(STDOUT, "✓ 通过"), expect=r"^✓ 通过："),
    quiz_step(),
    Step("the progress panel names the trainee", progress_shows_the_name, expect=NAME),
), focus=".trainee-name")


def test_lesson_00_in_browser(lab: Lab) -> None:
    run_lesson(lab, LESSON)
