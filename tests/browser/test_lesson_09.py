"""Lesson 09 (日常售后) in a real JupyterLab: one case of each kind answered through the workbench,
the engine's consequence read off the page. Screenshot: tests/browser/screenshots/
09_everyday_cases.png (the last case: 客服介入 ruled for the seller after the packing video).

`LESSON` is the entry for LESSONS in test_lessons.py (same shape); this file runs it on its own.
"""

from __future__ import annotations

import re

from helpers import t
from helpers.lessons.everyday import stories
from tests.browser.lab import Lab
from tests.browser.test_lessons import Lesson, Step, quiz_step, run_lesson

NOTEBOOK = "09_everyday_cases"
STORIES = stories()


def answer(key: str, answer_id: str, expect: str):
    """Pick the story and the answer in the widgets, click, and wait for the engine's result."""
    story = STORIES[key]

    def act(lab: Lab) -> str:
        lab.wait_kernel_idle()
        lab.select(t("everyday.pick_story"), story.title)
        label = story.answer(answer_id).label
        lab.wait_text(".widget-radio-box", re.escape(label))
        lab.toggle(label)
        lab.wait_kernel_idle()
        lab.click(t("everyday.go"), selector=".everyday-go")
        return lab.wait_text(".everyday-result", expect)
    return Step(f"{key}: {answer_id}", act, expect=expect)


LESSON = Lesson(NOTEBOOK, (
    answer("broken", "agree", r"已退 ¥29\.90[\s\S]*货留在买家手里[\s\S]*✓"),
    answer("missing", "propose", r"已退 ¥45\.80（实付 ¥91\.60；部分退）"),
    answer("no_reason", "agree", r"待买家退货[\s\S]*退货运费：买家出"),
    answer("lost", "resend", r"补寄，状态「换货成功」[\s\S]*已退 ¥0\.00"),
    answer("evidence", "refuse_bare", r"后台没接受「拒绝仅退款」[\s\S]*需要上传凭证[\s\S]*✗"),
    answer("platform", "silent", r"仲裁结束-支持买家，商责；平台退款 ¥39\.90"),
    answer("platform", "video", r"仲裁结束-支持卖家，非商责"),
    quiz_step(),
), focus=".everyday-result")


def test_lesson_09_in_browser(lab: Lab) -> None:
    run_lesson(lab, LESSON)
