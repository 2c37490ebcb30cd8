"""Lesson 06 (注意事项) in a real JupyterLab: let a deadline pass in the queue, agree a return with a
colleague's wrong address (the back office agrees: a mistake that can't be undone), delete the
buyer's data from a message and send it to the upstream supplier, look up a return in
这单该怎么处理？, answer the quiz.

`LESSON` is this lesson's entry (see test_lessons.py); `run_lesson` opens the lesson, runs all
cells, does the steps and keeps the main screenshot.
Screenshots in tests/browser/screenshots/: 06_good_practice.png (the queue after the clock ran),
06_good_practice-privacy.png (the sent message, without the buyer's data),
06_good_practice-decide.png (the steps).
"""

from __future__ import annotations

import re

from helpers import MerchantAction, Stage, t
from helpers.lessons.decide import BuyerAsk
from tests.browser.lab import Lab
from tests.browser.test_lessons import Lesson, Step, quiz_step, run_lesson


def delete_and_send(lab: Lab) -> str:
    lab.click_and_read(t("practice.privacy_load"), ".privacy-result")
    lab.click_and_read(t("practice.privacy_delete"), ".privacy-result")
    return lab.click_and_read(t("practice.privacy_send"), ".privacy-result")


def look_up_a_return(lab: Lab) -> str:
    lab.select(t("decide.stage"), Stage.RECEIVED.label)
    lab.select(t("decide.ask"), BuyerAsk.RETURN.label)
    # 已收货 + 只要退钱 has steps of its own now: wait for the return's, not just any of yours.
    return lab.wait_text(".decide-result", re.escape(MerchantAction.AGREE_RETURN.label))


LESSON = Lesson("06_good_practice", (
    Step("the clock passes the most urgent deadline: the platform refunds, counted as missed",
         lambda lab: lab.click_and_read(t("practice.queue_advance"), ".queue-message"),
         expect=re.escape(t("practice.queue_missed").lstrip("，"))),
    Step("the summary counts the missed case",
         lambda lab: lab.text(".queue-summary"), expect=r"超时 1 单"),
    Step("agreeing with the colleague's 'usual' address goes through, and is a mistake",
         lambda lab: lab.click_and_read(t("practice.address_agree"), ".address-result"),
         expect=r"后台照样同意了[\s\S]*后台不会拦"),
    Step("a message without the buyer's data is sent to the upstream supplier",
         delete_and_send, expect=re.escape(t("practice.privacy_sent"))),
    Step("what the upstream sees: order, item and tracking number, no buyer data at all",
         lambda lab: lab.text(".privacy-sent"), expect=r"^(?![\s\S]*\*)[\s\S]*SF8\d{12}"),
    Step("a received order the buyer returns: the first step is yours, with the supplier's address",
         look_up_a_return, expect=r"同意退货申请[\s\S]*义乌晨光日用品总店"),
    quiz_step(),
), focus=".queue-table")


def test_lesson_06_in_browser(lab: Lab) -> None:
    run_lesson(lab, LESSON)
    lab.screenshot(f"{LESSON.notebook}-privacy", focus=".privacy-sent")
    lab.screenshot(f"{LESSON.notebook}-decide", focus=".decide-result")
