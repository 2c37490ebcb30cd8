"""Lesson 02 (未发货仅退款) in a real JupyterLab: run the days both ways, play the race, answer the quiz.

The race walks the real mistake: agreeing the refund after the parcel was handed to the courier.
The coach warns (02_unshipped_refund-coach.png), the trainee goes ahead, the refund goes through
and the ledger shows the parcel still travelling: 钱货两失 (02_unshipped_refund-consequence.png);
then an interception fetches the goods back.

Follows tests/browser/test_lessons.py: open the lesson, run all cells, act through the widgets,
read the result off the page by the app's CSS classes (helpers/ui/unshipped.py), no error output,
screenshots in tests/browser/screenshots/02_unshipped_refund.png (the race) and
02_unshipped_refund-days.png (the days' table).
"""

from __future__ import annotations

import re

from helpers import MerchantAction, ParcelState, t
from tests.browser.lab import NOTEBOOKS, Lab
from tests.browser.test_lessons import LAPTOP, Lesson, Step, layout_problems, quiz_step


def coach_warns(lab: Lab) -> str:
    lab.wait_kernel_idle()
    lab.click(MerchantAction.AGREE_PRESALE_REFUND.label, selector=".race-action")
    shown = lab.wait_text(".coach-warning", re.escape(t("coach.title")))
    lab.screenshot("02_unshipped_refund-coach", focus=".coach-warning")
    return shown


def go_ahead(lab: Lab) -> str:
    lab.wait_kernel_idle()
    before = lab.text(".race-ledger")
    lab.click(t("coach.go_ahead"), selector=".coach-go-ahead")
    shown = lab.wait_text_change(".race-ledger", before)
    lab.wait_text(".race-message", re.escape("撤不回"))
    lab.screenshot("02_unshipped_refund-consequence", focus=".race-ledger")
    return shown


def parcel_home(lab: Lab) -> str:
    lab.click_and_read(ParcelState.RETURNING.label, ".race-state", selector=".race-action")
    return lab.click_and_read(ParcelState.SIGNED_BY_MERCHANT.label, ".race-ledger",
                              selector=".race-action")


def blue_buttons(lab: Lab) -> str:
    """The race's buttons that are blue (what can be done now, as lesson 00 teaches)."""
    lab.wait_kernel_idle()
    return "、".join(lab.texts(".race-action.mod-primary"))


LESSON = Lesson("02_unshipped_refund", (
    Step("the moves possible now are blue: intercept or agree, not cancel (the parcel is out)",
         blue_buttons, expect=rf"^(?!.*{MerchantAction.STOP_SHIPMENT.label}).*"
                              rf"{MerchantAction.INTERCEPT_PARCEL.label}.*{MerchantAction.AGREE_PRESALE_REFUND.label}"),
    Step("the same orders run with the strategy off and on, side by side",
         lambda lab: lab.click_and_read(t("unshipped.run_both"), ".day-summary"),
         expect=r"策略开.*自动处理[\s\S]*从关到开"),
    Step("the table shows both runs",
         lambda lab: lab.text(".day-table"), expect=r"策略关[\s\S]*策略开[\s\S]*商家点击次数"),
    Step("the coach warns before agreeing while the parcel is with the courier",
         coach_warns, expect=r"包裹已经交给快递了。后台不会拦[\s\S]*钱货两失[\s\S]*撤不回"),
    Step("the trainee goes ahead: the refund goes through and the parcel still travels",
         go_ahead, expect=r"货在哪：在快递路上，正送往买家[\s\S]*已退 ¥39\.90[\s\S]*钱货两失"),
    Step("what it cost is said on the race's state too",
         lambda lab: lab.text(".race-state"), expect=r"售后成功[\s\S]*钱货两失"),
    Step("too late to cancel the upstream's order once the parcel is out",
         lambda lab: lab.click_and_read(MerchantAction.STOP_SHIPMENT.label, ".race-message",
                                        selector=".race-action"),
         expect="停不住"),
    Step("intercepting fetches the goods back",
         lambda lab: lab.click_and_read(MerchantAction.INTERCEPT_PARCEL.label, ".race-state",
                                        selector=".race-action"),
         expect="已申请拦截：是"),
    Step("the parcel comes back to the upstream: money and goods settled",
         parcel_home, expect="钱货两清"),
    quiz_step(),
), focus=".race-state", laptop=True)


def test_lesson_02_in_browser(lab: Lab) -> None:
    path = NOTEBOOKS / f"{LESSON.notebook}.ipynb"
    assert path.exists(), f"{path} is missing"
    lab.page.set_viewport_size(LAPTOP)
    lab.open(path.name)
    lab.run_all()
    for step in LESSON.steps:
        shown = step.do(lab)
        assert re.search(step.expect, shown), f"{LESSON.notebook}: {step.what}: expected /{step.expect}/, " \
                                              f"the page shows {shown!r}"
        lab.assert_no_errors()
    assert layout_problems(lab) == [], f"{LESSON.notebook}: does not fit 1366×650"
    lab.screenshot(LESSON.notebook, focus=LESSON.focus)
    lab.screenshot(f"{LESSON.notebook}-days", focus=".day-table")
