"""Lesson 02 (未发货仅退款) in a real JupyterLab: run the days both ways, play the race, answer the quiz.

Follows tests/browser/test_lessons.py: open the lesson, run all cells, act through the widgets,
read the result off the page by the app's CSS classes (helpers/ui/unshipped.py), no error output,
screenshots in tests/browser/screenshots/02_unshipped_refund.png (the race) and
02_unshipped_refund-days.png (the days' table).
"""

from __future__ import annotations

import re

from helpers import MerchantAction, OrderEvent, t
from tests.browser.lab import NOTEBOOKS, Lab
from tests.browser.test_lessons import Lesson, Step, quiz_step

LESSON = Lesson("02_unshipped_refund", (
    Step("the same orders run with the strategy off and on, side by side",
         lambda lab: lab.click_and_read(t("unshipped.run_both"), ".day-summary"),
         expect=r"策略开.*自动处理[\s\S]*从关到开"),
    Step("the table shows both runs",
         lambda lab: lab.text(".day-table"), expect=r"策略关[\s\S]*策略开[\s\S]*商家点击次数"),
    Step("agreeing while the parcel is with the courier is refused",
         lambda lab: lab.click_and_read(MerchantAction.AGREE_REFUND.label, ".race-message",
                                        selector=".race-action"),
         expect=re.escape("先「取消发货」或「申请快递拦截」")),
    Step("stopping the shipment brings the parcel back to the warehouse",
         lambda lab: lab.click_and_read(MerchantAction.STOP_SHIPMENT.label, ".race-state",
                                        selector=".race-action"),
         expect="未发货"),
    Step("then the refund goes through: money and goods straight",
         lambda lab: lab.click_and_read(MerchantAction.AGREE_REFUND.label, ".race-state",
                                        selector=".race-action"),
         expect="钱货两清"),
    Step("a refunded order cannot be shipped",
         lambda lab: lab.click_and_read(OrderEvent.HANDED_TO_COURIER.label, ".race-message",
                                        selector=".race-action"),
         expect="不能再发货"),
    quiz_step(),
), focus=".race-state")


def test_lesson_02_in_browser(lab: Lab) -> None:
    path = NOTEBOOKS / f"{LESSON.notebook}.ipynb"
    assert path.exists(), f"{path} is missing"
    lab.open(path.name)
    lab.run_all()
    for step in LESSON.steps:
        shown = step.do(lab)
        assert re.search(step.expect, shown), f"{LESSON.notebook}: {step.what}: expected /{step.expect}/, " \
                                              f"the page shows {shown!r}"
        lab.assert_no_errors()
    lab.screenshot(LESSON.notebook, focus=LESSON.focus)
    lab.screenshot(f"{LESSON.notebook}-days", focus=".day-table")
