"""Lesson 08 (数据复盘) in a real JupyterLab: the sample's summary and a chart, a filter that
updates the figures at once, a broken export that shows the importer's report, and the upload
of a real-sized export (72,000 rows, about 16 MB: beyond tornado's default websocket message limit
of 10 MiB, which `make install` raises; see helpers/course/lab_settings.py).

Screenshots in tests/browser/screenshots/: 08_data_review.png (the summary and the first chart,
Chinese labels in the SVG), 08_data_review-report.png (the report of the broken export).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from helpers import AfterSaleType, t
from tests.browser.lab import Lab
from tests.browser.test_lessons import Lesson, Step, quiz_step, run_lesson
from tests.make_corpus import normal_export

REAL_SIZE_ROWS = 72_000


def filter_returns(lab: Lab) -> str:
    before = lab.text(".dr-summary")
    lab.select(t("data_review.type"), AfterSaleType.RETURN_REFUND.label)
    return lab.wait_text_change(".dr-summary", before)


def load_broken(lab: Lab) -> str:
    lab.click(t("data_review.try_broken"))
    return lab.wait_text(".dr-report", r"第 \d+ 行")


def upload_real_size(lab: Lab) -> str:
    path = normal_export(Path(tempfile.mkdtemp(prefix="lesson08-")), REAL_SIZE_ROWS)
    # The widget makes its file input only when clicked: answer the file chooser it opens.
    with lab.page.expect_file_chooser() as chooser:
        lab.page.click(".widget-upload")
    chooser.value.set_files(str(path))
    return lab.wait_text(".dr-report", rf"读取 {REAL_SIZE_ROWS} 行", timeout=180)


LESSON = Lesson("08_data_review", (
    Step("the sample export is summarised", lambda lab: lab.text(".dr-summary"),
         expect=r"3,000"),
    Step("the answer-time chart is drawn with Chinese labels",
         lambda lab: lab.text(".dr-chart-answer"), expect=re.escape(AfterSaleType.RETURN_REFUND.label)),
    Step("filtering to 退货退款 updates the summary at once", filter_returns,
         expect=r"^(?![\s\S]*3,000)"),
    Step("a broken export shows the importer's report, row by row", load_broken,
         expect=r"拒绝 \d+ 行"),
    Step("a real-sized export (72,000 rows, 16 MB) uploads and is read", upload_real_size,
         expect=rf"保留 {REAL_SIZE_ROWS} 行"),
    quiz_step(),
), focus=".dr-chart-answer")


def test_lesson_08_in_browser(lab: Lab) -> None:
    run_lesson(lab, LESSON)
    lab.screenshot(f"{LESSON.notebook}-report", focus=".dr-report")
