"""Lesson 08 (数据复盘) in a real JupyterLab: the sample's summary and a chart, a filter that
updates the figures at once, and a broken export that shows the importer's report.

Screenshots in tests/browser/screenshots/: 08_data_review.png (the summary and the first chart,
Chinese labels in the SVG), 08_data_review-report.png (the report of the broken export).
"""

from __future__ import annotations

import re

from helpers import AfterSaleType, t
from tests.browser.lab import Lab
from tests.browser.test_lessons import Lesson, Step, quiz_step, run_lesson


def filter_returns(lab: Lab) -> str:
    before = lab.text(".dr-summary")
    lab.select(t("data_review.type"), AfterSaleType.RETURN_REFUND.label)
    return lab.wait_text_change(".dr-summary", before)


def load_broken(lab: Lab) -> str:
    lab.click(t("data_review.try_broken"))
    return lab.wait_text(".dr-report", r"第 \d+ 行")


LESSON = Lesson("08_data_review", (
    Step("the sample export is summarised", lambda lab: lab.text(".dr-summary"),
         expect=r"3,000"),
    Step("the answer-time chart is drawn with Chinese labels",
         lambda lab: lab.text(".dr-chart-answer"), expect=re.escape(AfterSaleType.RETURN_REFUND.label)),
    Step("filtering to 退货退款 updates the summary at once", filter_returns,
         expect=r"^(?![\s\S]*3,000)"),
    Step("a broken export shows the importer's report, row by row", load_broken,
         expect=r"拒绝 \d+ 行"),
    quiz_step(),
), focus=".dr-chart-answer")


def test_lesson_08_in_browser(lab: Lab) -> None:
    run_lesson(lab, LESSON)
    lab.screenshot(f"{LESSON.notebook}-report", focus=".dr-report")
