"""Lesson 04 (已收货退换货) in a real JupyterLab: the engine refuses an empty form; another upstream's
valid address is the real mistake: the coach warns, the trainee goes ahead, the back office agrees,
the goods go to the wrong warehouse and the ledger ends 钱货两失 (screenshots
04_received_return_exchange-coach.png and -consequence.png). Then, after 重新开始, the right
supplier's address carries the return through both reviews.

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


def coach_warns_on_another_upstream(lab: Lab) -> str:
    lab.wait_kernel_idle()
    lab.click(MerchantAction.AGREE_RETURN.label, selector=".returns-action")
    shown = lab.wait_text(".coach-warning", re.escape(t("coach.title")))
    lab.screenshot(f"{NOTEBOOK}-coach", focus=".coach-warning")
    return shown


def go_ahead(read: str, pattern: str):
    def act(lab: Lab) -> str:
        lab.wait_kernel_idle()
        lab.click(t("coach.go_ahead"), selector=".coach-go-ahead")
        return lab.wait_text(read, pattern)
    return act


def confirm_goods_not_back(lab: Lab) -> str:
    lab.wait_kernel_idle()
    lab.click(MerchantAction.CONFIRM_RETURN_RECEIVED.label, selector=".returns-action")
    return lab.wait_text(".coach-warning", "没有收到这件退货")


def consequence(lab: Lab) -> str:
    shown = go_ahead(".returns-ledger", "钱货两失")(lab)
    lab.screenshot(f"{NOTEBOOK}-consequence", focus=".returns-ledger")
    return shown + " " + lab.text(".returns-state")


def restart(lab: Lab) -> str:
    return lab.click_and_read(t("returns.restart"), ".returns-state")


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
    Step("the coach warns before agreeing with another upstream's address",
         coach_warns_on_another_upstream,
         expect=r"这是「义乌晨光日用品总店」的地址，可这件商品是「广州花城服饰档口」发的货。后台不会拦"),
    Step("the trainee goes ahead: the back office agrees",
         go_ahead(".returns-state", re.escape(Status.AWAIT_BUYER_RETURN.label)),
         expect=r"待买家退货[\s\S]*退货寄往：义乌晨光日用品总店"),
    Step("the buyer mails the goods to the wrong warehouse",
         move(BuyerAction.SHIP_BACK.label, Status.AWAIT_SECOND_REVIEW),
         expect=r"寄到了别的上家那里：发货的上家没收到"),
    Step("the coach warns again before confirming goods that never came back",
         confirm_goods_not_back, expect=r"「广州花城服饰档口」没有收到这件退货"),
    Step("going ahead refunds without the goods: the ledger says 钱货两失", consequence,
         expect=r"货在哪：寄到了别的地址[\s\S]*已退 ¥79\.00[\s\S]*钱货两失[\s\S]*售后成功"),
    Step("a fresh request", restart, expect=re.escape(Status.AWAIT_MERCHANT.label)),
    Step("the right supplier's address is accepted", agree_with_right_supplier,
         expect=r"退货寄往：广州花城服饰档口"),
    Step("the buyer ships straight to the supplier; no refund yet",
         move(BuyerAction.SHIP_BACK.label, Status.AWAIT_SECOND_REVIEW), expect=r"已退款 ¥0\.00"),
    Step("the second review refunds the order",
         move(MerchantAction.CONFIRM_RETURN_RECEIVED.label, Status.SUCCESS), expect=r"已退款 ¥79\.00"),
    quiz_step(),
), focus=".returns-flow", laptop=True)


def test_lesson_04_in_browser(lab: Lab) -> None:
    run_lesson(lab, LESSON)
