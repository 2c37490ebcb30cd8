"""The coach warns before the real mistakes, never blocks them, and the ledger says what they cost."""

from __future__ import annotations

from helpers import Address, AfterSaleType, MerchantAction, Status
from helpers.engine.ledger import Goods, Verdict
from helpers.engine.scenarios import start_case, step
from helpers.lessons.coach import before, consequence, consequence_lines, message_warnings


def kinds(warnings) -> list[str]:
    return [w.kind for w in warnings]


def test_another_upstreams_address_is_warned_and_then_goes_through(suppliers):
    desk, case_id = start_case(AfterSaleType.RETURN_REFUND, strategies=[])  # S01 ships it
    other = suppliers["S02"].address
    assert kinds(before(desk, case_id, MerchantAction.AGREE_RETURN, address=other)) == ["wrong_upstream"]
    assert before(desk, case_id, MerchantAction.AGREE_RETURN, address=suppliers["S01"].address) == []
    step(desk, case_id, MerchantAction.AGREE_RETURN, address=other)
    assert desk.cases[case_id].status is Status.AWAIT_BUYER_RETURN
    step(desk, case_id, "买家寄回商品")
    assert kinds(before(desk, case_id, MerchantAction.CONFIRM_RETURN_RECEIVED)) == ["goods_not_back"]
    step(desk, case_id, MerchantAction.CONFIRM_RETURN_RECEIVED)
    book = consequence(desk, desk.cases[case_id].order_id)
    assert (book.goods, book.verdict) == (Goods.WRONG_PLACE, Verdict.BOTH_LOST) and book.lost


def test_an_invalid_address_is_the_engines_to_refuse_not_the_coachs():
    desk, case_id = start_case(AfterSaleType.RETURN_REFUND, strategies=[])
    broken = Address("", "1", "", "", "", "")
    assert before(desk, case_id, MerchantAction.AGREE_RETURN, address=broken) == []


def test_a_refund_with_the_parcel_out_is_warned_and_the_ledger_says_both_lost():
    desk, case_id = start_case(AfterSaleType.UNSHIPPED_REFUND, strategies=[])
    assert kinds(before(desk, case_id, MerchantAction.AGREE_PRESALE_REFUND)) == ["upstream_not_cancelled"]
    step(desk, case_id, "包裹已交给快递")
    assert kinds(before(desk, case_id, MerchantAction.AGREE_PRESALE_REFUND)) == ["parcel_out"]
    step(desk, case_id, MerchantAction.AGREE_PRESALE_REFUND)
    lines = consequence_lines(desk, desk.cases[case_id].order_id)
    assert "在快递路上" in lines[0] and "¥39.90" in lines[1] and "钱货两失" in lines[2]


def test_cancelling_the_upstreams_order_first_leaves_nothing_to_warn_about():
    desk, case_id = start_case(AfterSaleType.UNSHIPPED_REFUND, strategies=[])
    step(desk, case_id, MerchantAction.STOP_SHIPMENT)
    assert before(desk, case_id, MerchantAction.AGREE_PRESALE_REFUND) == []


def test_a_message_with_a_full_phone_number_is_warned():
    assert kinds(message_warnings("买家电话 13912345678，请联系")) == ["personal_data"]
    assert message_warnings("订单 DD20260305001 的退货已寄出，单号 SF8024782561913") == []
