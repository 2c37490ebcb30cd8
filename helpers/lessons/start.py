"""Lesson 00 (开始): its one checkpoint, on the same case the lesson's first widget shows.

The check plays the 未发货仅退款 the trainee clicks in lesson 00 on a fresh desk of its own, so it
means the same whether or not the widget above it was used.
"""

from __future__ import annotations

from ..checkpoints import Verdict, check
from ..engine.codes import AfterSaleType, MerchantAction, Status
from ..engine.scenarios import SAMPLE_ORDER, start_case, step


@check("00-1", "商品还没发出，商家同意售前退申请：售后成功，钱全额退回买家")
def agree_presale_refund() -> Verdict:
    desk, case_id = start_case(AfterSaleType.UNSHIPPED_REFUND, strategies=[], order=SAMPLE_ORDER)
    if desk.cases[case_id].status is not Status.AWAIT_MERCHANT:
        return Verdict(False, "刚申请的售后单应该是「待商家同意」")
    step(desk, case_id, MerchantAction.AGREE_PRESALE_REFUND)
    case = desk.cases[case_id]
    if case.status is not Status.SUCCESS:
        return Verdict(False, f"同意以后应该是「售后成功」，现在是「{case.status.label}」")
    if case.refunded_fen != SAMPLE_ORDER.paid_fen:
        return Verdict(False, "售后成功了，钱却没有全额退回")
    return Verdict(True)
