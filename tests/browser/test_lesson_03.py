"""Lesson 03 (已发货未收到) in a real JupyterLab: look up the supplier, save the 售后小助手 form,
let the buyer sign for the parcel, and read the money/goods ledger off the page.

The app's CSS classes are its browser contract (helpers/ui/shipped.py); the screenshot is
tests/browser/screenshots/03_shipped_not_received.png, scrolled to the ledger.
"""

from __future__ import annotations

import re

from helpers import ParcelState, t
from helpers.lessons.shipped import Verdict
from tests.browser.lab import Lab
from tests.browser.test_lessons import Lesson, Step, quiz_step, run_lesson

LESSON = Lesson("03_shipped_not_received", (
    Step("按商品查上家 finds the Guangzhou supplier",
         lambda lab: lab.click_and_read(t("shipped.lookup_button"), ".shipped-lookup"),
         expect="广州花城服饰档口"),
    Step("the SMS preview passes the privacy check",
         lambda lab: lab.text(".shipped-sms"), expect=re.escape(t("shipped.sms_clean"))),
    Step("saving lets the request in and the assistant agrees 拒签后退款",
         lambda lab: lab.click_and_read(t("shipped.save"), ".shipped-state"),
         expect=re.escape(t("shipped.refusal_waiting"))),
    Step("the buyer signs: refunding at once would have lost money and goods",
         lambda lab: lab.click_and_read(ParcelState.SIGNED_BY_BUYER.label, ".shipped-ledger",
                                        selector=".shipped-action"),
         expect=re.escape(Verdict.LOSS.label)),
    quiz_step(),
), focus=".shipped-ledger")


def test_lesson_03_in_browser(lab: Lab) -> None:
    run_lesson(lab, LESSON)
