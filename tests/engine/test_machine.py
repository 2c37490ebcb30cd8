"""The state machine, flow by flow: what each type allows, what it refuses, and why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpers import (
    ActionNotAllowed,
    Actor,
    Address,
    AfterSaleType,
    AutoAuditKind,
    BuyerAction,
    ClockEvent,
    Desk,
    Event,
    MerchantAction,
    Order,
    OrderEvent,
    ParcelState,
    RefundStatus,
    Request,
    Stage,
    Status,
    Strategy,
    shanghai,
)
from helpers.engine.codes import REFUSING_ACTIONS
from helpers.engine.ledger import Goods, Verdict, ledger
from helpers.engine.machine import actor_of, default_refusal

START = shanghai(2026, 11, 26, 9)
PAID = 12900


class Shop:
    """A desk with one order of a product shipped by supplier S02, and a ticking clock."""

    def __init__(self, policy, suppliers, **strategies: bool) -> None:
        self.desk = Desk(policy.with_strategies(**strategies), suppliers)
        self.at = START
        order = Order("O1", "P04", "S02", PAID, "林*", "138****0000")
        self.event(OrderEvent.ORDER_PLACED, order=order)

    def event(self, move, **fields):
        self.at += timedelta(minutes=5)
        fields.setdefault("case_id", "AS00001" if self.desk.cases else None)
        if move in REFUSING_ACTIONS and "reason_code" not in fields:
            code, evidence = default_refusal(self.desk.policy, self.desk.cases[fields["case_id"]])
            fields.update(reason_code=code, evidence=evidence)
        return self.desk.apply(Event(self.at, move, actor_of(move), "O1", **fields))

    def ship(self):
        return self.event(OrderEvent.HANDED_TO_COURIER)

    def apply_for(self, type_, amount=PAID):
        return self.event(OrderEvent.APPLY, request=Request(type_, amount))

    @property
    def case(self):
        return self.desk.cases["AS00001"]

    def supplier_address(self, supplier_id="S02"):
        return self.desk.suppliers[supplier_id].address


ALL_OFF = dict(unshipped_auto_refund=False, refund_after_refusal=False,
               intercept_auto_refund=False, auto_agree_return=False)


def test_unshipped_refund_is_agreed_by_the_assistant(policy, suppliers):
    shop = Shop(policy, suppliers)
    recorded = shop.apply_for(AfterSaleType.UNSHIPPED_REFUND)
    assert [e.actor for e in recorded] == [Actor.BUYER, Actor.ASSISTANT]
    assert shop.case.status is Status.SUCCESS
    assert shop.case.auto is AutoAuditKind.PRE_SHIP_FAST_REFUND
    assert shop.case.refund_status is RefundStatus.SUCCESS
    assert shop.desk.orders["O1"].refunded_fen == PAID


def test_unshipped_refund_waits_for_a_person_when_the_strategy_is_off(policy, suppliers):
    shop = Shop(policy, suppliers, **ALL_OFF)
    shop.apply_for(AfterSaleType.UNSHIPPED_REFUND)
    assert shop.case.status is Status.AWAIT_MERCHANT
    assert shop.case.deadline == shop.at + policy.deadline_for(Status.AWAIT_MERCHANT).duration
    shop.event(MerchantAction.AGREE_PRESALE_REFUND)
    assert shop.case.status is Status.SUCCESS and shop.case.answered_by is Actor.MERCHANT


def test_unshipped_refund_has_no_refuse_code_and_201_202_are_for_type_1(policy, suppliers):
    shop = Shop(policy, suppliers, **ALL_OFF)
    shop.apply_for(AfterSaleType.UNSHIPPED_REFUND)
    for move in (MerchantAction.REFUSE_REFUND, MerchantAction.AGREE_REFUND):
        with pytest.raises(ActionNotAllowed):
            shop.event(move)
    assert MerchantAction.AGREE_PRESALE_REFUND in shop.desk.possible_moves("AS00001")


def test_agreeing_after_the_parcel_left_goes_through_and_the_parcel_travels(policy, suppliers):
    """A refund agreed after the hand-over is paid; the parcel still reaches the buyer."""
    shop = Shop(policy, suppliers, **ALL_OFF)
    shop.apply_for(AfterSaleType.UNSHIPPED_REFUND)
    shop.ship()
    shop.event(MerchantAction.AGREE_PRESALE_REFUND)
    assert shop.case.status is Status.SUCCESS and shop.desk.orders["O1"].refunded_fen == PAID
    assert ledger(shop.desk, "O1").goods is Goods.TO_BUYER
    shop.event(ParcelState.SIGNED_BY_BUYER)
    assert ledger(shop.desk, "O1").verdict is Verdict.BOTH_LOST


def test_a_refunded_parcel_can_still_be_intercepted(policy, suppliers):
    shop = Shop(policy, suppliers, **ALL_OFF)
    shop.apply_for(AfterSaleType.UNSHIPPED_REFUND)
    shop.ship()
    shop.event(MerchantAction.AGREE_PRESALE_REFUND)
    shop.event(MerchantAction.INTERCEPT_PARCEL)
    shop.event(ParcelState.RETURNING)
    assert ledger(shop.desk, "O1").verdict is Verdict.COMING_BACK
    shop.event(ParcelState.SIGNED_BY_MERCHANT)
    assert ledger(shop.desk, "O1").verdict is Verdict.CLEAR


def test_shipping_answers_a_presale_refund_and_the_buyer_may_apply_again(policy, suppliers):
    shop = Shop(policy, suppliers, **ALL_OFF)
    shop.apply_for(AfterSaleType.UNSHIPPED_REFUND)
    with pytest.raises(ActionNotAllowed, match="还没交给快递"):
        shop.event(MerchantAction.SHIP_ORDER)
    shop.ship()
    shop.event(MerchantAction.SHIP_ORDER)
    assert not shop.case.is_open and shop.case.refunded_fen == 0
    assert not shop.case.missed_deadline
    recorded = shop.event(OrderEvent.APPLY, case_id=None,
                          request=Request(AfterSaleType.SHIPPED_REFUND, PAID))
    assert shop.desk.cases[recorded[0].case_id].type is AfterSaleType.SHIPPED_REFUND


def test_cancelling_the_upstreams_order_in_time_means_no_parcel(policy, suppliers):
    shop = Shop(policy, suppliers, **ALL_OFF)
    shop.apply_for(AfterSaleType.UNSHIPPED_REFUND)
    shop.event(MerchantAction.STOP_SHIPMENT)
    with pytest.raises(ActionNotAllowed, match="拍单已经取消"):
        shop.ship()
    shop.event(MerchantAction.AGREE_PRESALE_REFUND)
    assert ledger(shop.desk, "O1").verdict is Verdict.CLEAR


def test_too_late_to_cancel_once_the_parcel_is_with_the_courier(policy, suppliers):
    shop = Shop(policy, suppliers, **ALL_OFF)
    shop.apply_for(AfterSaleType.UNSHIPPED_REFUND)
    shop.ship()
    with pytest.raises(ActionNotAllowed, match="停不住"):
        shop.event(MerchantAction.STOP_SHIPMENT)


def test_stopping_the_shipment_lets_the_assistant_refund(policy, suppliers):
    shop = Shop(policy, suppliers, unshipped_auto_refund=True)
    shop.ship()
    shop.event(OrderEvent.APPLY, request=Request(AfterSaleType.SHIPPED_REFUND, PAID))
    assert shop.case.type is AfterSaleType.SHIPPED_REFUND


def test_refusal_strategy_refunds_only_once_the_parcel_comes_back(policy, suppliers):
    shop = Shop(policy, suppliers, refund_after_refusal=True)
    shop.ship()
    shop.apply_for(AfterSaleType.SHIPPED_REFUND)
    assert shop.case.refusal_agreed and shop.case.auto is AutoAuditKind.ASSISTANT_AUTO_REFUSAL_REFUND
    with pytest.raises(ActionNotAllowed, match="拒签"):
        shop.event(MerchantAction.AGREE_REFUND)
    assert shop.case.refunded_fen == 0
    shop.event(ParcelState.REFUSED_BY_BUYER)
    assert shop.case.status is Status.SUCCESS and shop.case.refunded_fen == PAID


def test_buyer_signs_after_all_and_the_case_becomes_a_return(policy, suppliers):
    shop = Shop(policy, suppliers, refund_after_refusal=True)
    shop.ship()
    shop.apply_for(AfterSaleType.SHIPPED_REFUND)
    shop.event(ParcelState.SIGNED_BY_BUYER)
    assert shop.case.type is AfterSaleType.RETURN_REFUND
    assert shop.case.status is Status.AWAIT_MERCHANT and shop.case.refunded_fen == 0
    assert shop.case.auto is None  # the assistant's 拒签后退款 no longer applies to a return
    assert shop.desk.orders["O1"].stage is Stage.RECEIVED


def test_intercepted_parcel_refunds_automatically(policy, suppliers):
    shop = Shop(policy, suppliers, **{**ALL_OFF, "intercept_auto_refund": True})
    shop.ship()
    shop.apply_for(AfterSaleType.SHIPPED_REFUND)
    shop.event(MerchantAction.INTERCEPT_PARCEL)
    assert shop.case.status is Status.AWAIT_MERCHANT
    shop.event(ParcelState.RETURNING)
    assert shop.case.status is Status.SUCCESS
    assert shop.case.auto is AutoAuditKind.INTERCEPT_SUCCESS_REFUND


def received(policy, suppliers, **strategies) -> Shop:
    shop = Shop(policy, suppliers, **{**ALL_OFF, **strategies})
    shop.ship()
    shop.event(ParcelState.SIGNED_BY_BUYER)
    return shop


def test_return_with_both_reviews(policy, suppliers):
    shop = received(policy, suppliers)
    shop.apply_for(AfterSaleType.RETURN_REFUND)
    shop.event(MerchantAction.AGREE_RETURN, address=shop.supplier_address())
    assert shop.case.status is Status.AWAIT_BUYER_RETURN
    assert shop.case.return_address == shop.supplier_address()
    shop.event(BuyerAction.SHIP_BACK)
    assert shop.case.status is Status.AWAIT_SECOND_REVIEW
    shop.event(MerchantAction.CONFIRM_RETURN_RECEIVED)
    assert shop.case.status is Status.SUCCESS and shop.case.refunded_fen == PAID


def test_return_to_another_suppliers_address_goes_through_and_the_goods_go_astray(policy, suppliers):
    """The platform cannot know which upstream ships an item: the agree goes through."""
    shop = received(policy, suppliers)
    shop.apply_for(AfterSaleType.RETURN_REFUND)
    shop.event(MerchantAction.AGREE_RETURN, address=shop.supplier_address("S01"))
    assert shop.case.status is Status.AWAIT_BUYER_RETURN
    shop.event(BuyerAction.SHIP_BACK)
    assert shop.desk.orders["O1"].returned_to == "S01"
    assert ledger(shop.desk, "O1").verdict is Verdict.GOODS_LOST
    shop.event(MerchantAction.CONFIRM_RETURN_RECEIVED)
    assert ledger(shop.desk, "O1").goods is Goods.WRONG_PLACE
    assert ledger(shop.desk, "O1").verdict is Verdict.BOTH_LOST


def test_incomplete_address_names_every_problem(policy, suppliers):
    shop = received(policy, suppliers)
    shop.apply_for(AfterSaleType.RETURN_REFUND)
    bad = Address("王**", "12345", "", "广州市", "白云区", "")
    with pytest.raises(ActionNotAllowed) as error:
        shop.event(MerchantAction.AGREE_RETURN, address=bad)
    message = str(error.value)
    assert "缺少省份" in message and "缺少详细地址" in message and "12345" in message


def test_auto_agree_return_uses_the_right_suppliers_address(policy, suppliers):
    shop = received(policy, suppliers, auto_agree_return=True)
    shop.apply_for(AfterSaleType.RETURN_REFUND)
    assert shop.case.status is Status.AWAIT_BUYER_RETURN
    assert shop.case.return_address == shop.supplier_address("S02")
    assert shop.case.auto is AutoAuditKind.ASSISTANT_AUTO_RETURN


def test_exchange_flow(policy, suppliers):
    shop = received(policy, suppliers)
    shop.apply_for(AfterSaleType.EXCHANGE)
    for move, status in [
        (MerchantAction.AGREE_EXCHANGE, Status.AWAIT_BUYER_RETURN),
        (BuyerAction.SHIP_BACK, Status.AWAIT_SECOND_REVIEW),
        (MerchantAction.RESHIP_EXCHANGE, Status.AWAIT_BUYER_RECEIVE),
        (BuyerAction.CONFIRM_RECEIPT, Status.EXCHANGE_SUCCESS),
    ]:
        address = shop.supplier_address() if move is MerchantAction.AGREE_EXCHANGE else None
        shop.event(move, address=address)
        assert shop.case.status is status
    assert shop.desk.orders["O1"].refunded_fen == 0


def test_illegal_action_names_the_state_and_the_allowed_actions(policy, suppliers):
    shop = received(policy, suppliers)
    shop.apply_for(AfterSaleType.RETURN_REFUND)
    shop.event(MerchantAction.AGREE_RETURN, address=shop.supplier_address())
    before, log_length = shop.desk.snapshot(), len(shop.desk.log)
    with pytest.raises(ActionNotAllowed) as error:
        shop.event(MerchantAction.AGREE_REFUND)
    assert str(error.value) == (
        "状态「待买家退货」下不能执行「同意仅退款」；"
        "可执行：买家寄回商品、退货转退款、买家撤销申请、超过处理时限"
    )
    assert shop.desk.snapshot() == before and len(shop.desk.log) == log_length


def test_terminal_case_takes_nothing(policy, suppliers):
    shop = received(policy, suppliers)
    shop.apply_for(AfterSaleType.RETURN_REFUND)
    shop.event(MerchantAction.REFUSE_RETURN)
    assert shop.case.status is Status.REFUSED_FIRST and shop.desk.possible_moves("AS00001") == []
    with pytest.raises(ActionNotAllowed, match="售后已结束"):
        shop.event(BuyerAction.CANCEL)


def test_missed_merchant_deadline_refunds_for_the_buyer(policy, suppliers):
    shop = received(policy, suppliers)
    shop.apply_for(AfterSaleType.RETURN_REFUND)
    with pytest.raises(ActionNotAllowed, match="还没到处理时限"):
        shop.event(ClockEvent.DEADLINE_PASSED)
    shop.desk.advance_to(shop.case.deadline + timedelta(minutes=1))
    assert shop.case.status is Status.SUCCESS and shop.case.missed_deadline
    assert shop.desk.log[-1].actor is Actor.PLATFORM


def test_buyer_who_never_ships_back_fails_the_case(policy, suppliers):
    shop = received(policy, suppliers)
    shop.apply_for(AfterSaleType.RETURN_REFUND)
    shop.event(MerchantAction.AGREE_RETURN, address=shop.supplier_address())
    shop.desk.advance_to(shop.at + timedelta(days=30))
    assert shop.case.status is Status.FAILED and shop.case.refunded_fen == 0


def test_request_must_fit_the_stage_and_the_money_left(policy, suppliers):
    shop = Shop(policy, suppliers, **ALL_OFF)
    with pytest.raises(ActionNotAllowed, match="只能在订单「已收货」时申请"):
        shop.apply_for(AfterSaleType.RETURN_REFUND)
    with pytest.raises(ActionNotAllowed, match="不超过还可退的 ¥129.00"):
        shop.apply_for(AfterSaleType.UNSHIPPED_REFUND, amount=PAID + 1)
    assert shop.desk.cases == {}


def test_second_request_after_a_partial_refund_is_capped(policy, suppliers):
    shop = received(policy, suppliers)
    shop.apply_for(AfterSaleType.RETURN_REFUND, amount=5000)
    shop.event(MerchantAction.RETURN_TO_REFUND)
    with pytest.raises(ActionNotAllowed, match="不超过还可退的 ¥79.00"):
        shop.event(OrderEvent.APPLY, request=Request(AfterSaleType.RETURN_REFUND, PAID),
                   case_id=None)
    assert "AS00002" not in shop.desk.cases
    shop.event(OrderEvent.APPLY, request=Request(AfterSaleType.RETURN_REFUND, PAID - 5000),
               case_id=None)
    assert shop.desk.cases["AS00002"].requested_fen == PAID - 5000


def test_replay_rebuilds_the_same_desk(policy, suppliers):
    shop = Shop(policy, suppliers)
    shop.ship()
    shop.apply_for(AfterSaleType.SHIPPED_REFUND)
    shop.event(ParcelState.REFUSED_BY_BUYER)
    replayed = Desk.replay(shop.desk.log, shop.desk.policy, suppliers)
    assert replayed.snapshot() == shop.desk.snapshot()


def test_possible_moves_for_a_fresh_return(policy, suppliers):
    shop = received(policy, suppliers)
    shop.apply_for(AfterSaleType.RETURN_REFUND)
    assert shop.desk.possible_moves("AS00001") == [
        MerchantAction.AGREE_RETURN, MerchantAction.REFUSE_RETURN,
        MerchantAction.RETURN_TO_REFUND, MerchantAction.PROPOSE_PARTIAL, BuyerAction.CANCEL,
        ClockEvent.DEADLINE_PASSED,
    ]


def test_strategy_switch_does_not_touch_the_original_policy(policy):
    off = policy.with_strategy(Strategy.UNSHIPPED_AUTO_REFUND, False)
    assert policy.is_on(Strategy.UNSHIPPED_AUTO_REFUND) and not off.is_on(Strategy.UNSHIPPED_AUTO_REFUND)


def test_a_refunded_order_still_ships_unless_the_upstreams_order_is_cancelled(policy, suppliers):
    """The auto refund does not stop the upstream: it ships from its own 拍单 order."""
    shop = Shop(policy, suppliers)
    shop.apply_for(AfterSaleType.UNSHIPPED_REFUND)
    assert shop.case.status is Status.SUCCESS
    shop.ship()
    assert shop.desk.orders["O1"].stage is Stage.SHIPPED
    assert ledger(shop.desk, "O1").verdict is Verdict.BOTH_LOST


def test_after_agreeing_refusal_refund_the_merchant_cannot_refuse_or_wait_out(policy, suppliers):
    shop = Shop(policy, suppliers, refund_after_refusal=True)
    shop.ship()
    shop.apply_for(AfterSaleType.SHIPPED_REFUND)
    with pytest.raises(ActionNotAllowed, match="不能再「拒绝仅退款」"):
        shop.event(MerchantAction.REFUSE_REFUND)
    with pytest.raises(ActionNotAllowed, match="没有处理时限"):
        shop.event(ClockEvent.DEADLINE_PASSED)
    assert shop.case.status is Status.AWAIT_MERCHANT
