"""Lesson 04 (已收货退换货) in a real JupyterLab: the address check refuses an empty form and another
supplier's address, then the right supplier's address carries the return through both reviews.

`LESSON` is the entry for LESSONS in test_lessons.py (same shape); this file runs it on its own.
Screenshots: tests/browser/screenshots/04_received_return_exchange.png (the finished return) and
04_received_return_exchange-address.png (the check naming the wrong supplier).
"""

from __future__ import annotations

import re

from helpers import BuyerAction, MerchantAction, Status, t
from tests.browser.lab import Lab
from tests.browser.test_lessons import Lesson, Step, quiz_step, run_lesson

NOTEBOOK = "04_received_return_exchange"


def agree_with_empty_form(lab: Lab) -> str:
    lab.click(MerchantAction.AGREE_RETURN.label, selector=".returns-action")
    return lab.wait_text(".returns-message", re.escape(t("returns.unchanged")))


def check_other_supplier(lab: Lab) -> str:
    lab.select(t("returns.book"), "义乌晨光日用品总店")
    lab.click(t("returns.check"))
    shown = lab.wait_text(".returns-address-check", "义乌晨光日用品总店")
    lab.screenshot(f"{NOTEBOOK}-address", focus=".returns-address-check")
    return shown


def agree_with_right_supplier(lab: Lab) -> str:
    lab.select(t("returns.book"), "广州花城服饰档口")
    lab.click(MerchantAction.AGREE_RETURN.label, selector=".returns-action")
    return lab.wait_text(".returns-state", re.escape(Status.AWAIT_BUYER_RETURN.label))


def move(label: str, status: Status):
    def act(lab: Lab) -> str:
        lab.click(label, selector=".returns-action")
        return lab.wait_text(".returns-state", re.escape(status.label))
    return act


LESSON = Lesson(NOTEBOOK, (
    Step("agreeing with an empty address form is refused", agree_with_empty_form,
         expect=r"缺少省份[\s\S]*售后单没有任何变化"),
    Step("another supplier's address is named as such", check_other_supplier,
         expect=r"你填的是「义乌晨光日用品总店」的地址"),
    Step("the right supplier's address is accepted", agree_with_right_supplier,
         expect=r"退货寄往：广州花城服饰档口"),
    Step("the buyer ships straight to the supplier; no refund yet",
         move(BuyerAction.SHIP_BACK.label, Status.AWAIT_SECOND_REVIEW), expect=r"已退款 ¥0\.00"),
    Step("the second review refunds the order",
         move(MerchantAction.CONFIRM_RETURN_RECEIVED.label, Status.SUCCESS), expect=r"已退款 ¥79\.00"),
    quiz_step(),
), focus=".returns-flow")


def test_lesson_04_in_browser(lab: Lab) -> None:
    run_lesson(lab, LESSON)
