"""Lesson 05 (退货后的评价) in a real JupyterLab: write replies to the fair negative review, read the
checklist off the page, and decide that an honest bad review may not be reported.

`LESSON` is the entry for LESSONS in test_lessons.py (same shape); this file runs it on its own.
Screenshot: tests/browser/screenshots/05_reviews_after_return.png (the checklist of a failed reply).
"""

from __future__ import annotations

import re

from helpers import t
from tests.browser.lab import Lab
from tests.browser.test_lessons import Lesson, Step, quiz_step, run_lesson

NOTEBOOK = "05_reviews_after_return"
PRESSING = "很抱歉！已经给您退款了，麻烦您改成好评，再送您一个红包。"
GOOD = "很抱歉保温杯没让您满意。您寄回的杯子已经收到，¥59.00 已经退款。"


def pick_fair_negative(lab: Lab) -> str:
    lab.toggle(t("reviews.kind_fair_negative"))
    return lab.wait_text(".review-card", "保温效果一般")


def reply(text: str, pattern: str):
    def write_and_check(lab: Lab) -> str:
        box = lab.locator(".review-reply textarea").first
        box.scroll_into_view_if_needed()
        box.fill(text)
        lab.click(t("reviews.check"))
        return lab.wait_text(".review-check", pattern)
    return write_and_check


def report_honest_review(lab: Lab) -> str:
    lab.toggle(t("reviews.report_no"))
    lab.click(t("reviews.report_check"))
    return lab.wait_text(".review-report", re.escape(t("reviews.report_right_no")[:8]))


LESSON = Lesson(NOTEBOOK, (
    Step("the fair negative review shows the engine's record", pick_fair_negative,
         expect=r"退货退款 · 售后成功 · 已退款 ¥59\.00"),
    Step("a reply with facts and an apology passes",
         reply(GOOD, re.escape(t("reviews.passed")[:3])), expect=r"✓"),
    Step("a reply that asks for a better review is stopped",
         reply(PRESSING, "改成好评"), expect=r"还不能发[\s\S]*✗ 不要在回复里谈改评价或好处"),
    Step("an honest bad review may not be reported", report_honest_review, expect=r"不能举报"),
    quiz_step(),
), focus=".review-check")


def test_lesson_05_in_browser(lab: Lab) -> None:
    run_lesson(lab, LESSON)
