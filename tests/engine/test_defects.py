"""Regression tests for the engine defects an independent check found (issue 9, point 5)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpers import (
    ActionNotAllowed,
    AfterSaleType,
    BuyerAction,
    ClockEvent,
    Desk,
    Event,
    MerchantAction,
    Order,
    OrderEvent,
    ParcelState,
    Request,
    Status,
    set_language,
    shanghai,
)
from helpers.engine.machine import actor_of
from helpers.strings import DEFAULT_LANGUAGE

START = shanghai(2026, 11, 26, 9)
ALL_OFF = dict(unshipped_auto_refund=False, refund_after_refusal=False,
               intercept_auto_refund=False, auto_agree_return=False)


def place(desk: Desk, order_id: str, at, paid: int = 9900, supplier: str = "S02") -> None:
    order = Order(order_id, "P04", supplier, paid, "林*", "138****0000")
    desk.apply(Event(at, OrderEvent.ORDER_PLACED, actor_of(OrderEvent.ORDER_PLACED), order_id,
                     order=order))


def apply(desk: Desk, at, move, order_id: str, **fields) -> list[Event]:
    return desk.apply(Event(at, move, actor_of(move), order_id, **fields))


@pytest.fixture
def desk(policy, suppliers):
    return Desk(policy.with_strategies(**ALL_OFF), suppliers)


def test_bare_deadline_on_a_later_case_does_not_jam_the_desk(desk):
    """Case A's deadline passes first; a bare 超过处理时限 on the later case B used to jump the
    clock past A's deadline, and every later event (even a new order) was refused."""
    place(desk, "A", START)
    place(desk, "B", START)
    first = apply(desk, START, OrderEvent.APPLY, "A",
                  request=Request(AfterSaleType.UNSHIPPED_REFUND, 9900))[0].case_id
    second = apply(desk, START + timedelta(hours=1), OrderEvent.APPLY, "B",
                   request=Request(AfterSaleType.UNSHIPPED_REFUND, 9900))[0].case_id
    later = desk.cases[second].deadline
    assert desk.cases[first].deadline < later

    recorded = apply(desk, later, ClockEvent.DEADLINE_PASSED, "B", case_id=second)

    assert [e.case_id for e in recorded] == [first, second], "A's deadline expires first"
    assert not desk.cases[first].is_open and not desk.cases[second].is_open
    place(desk, "C", later + timedelta(minutes=1))  # the desk still takes a new order
    assert "C" in desk.orders


def test_refused_move_lists_what_would_be_accepted_not_the_rule_table(desk):
    """After 203 the rule table still lists 同意仅退款 and 拒绝仅退款; the engine refuses both."""
    place(desk, "O1", START)
    apply(desk, START, OrderEvent.HANDED_TO_COURIER, "O1")
    case_id = apply(desk, START, OrderEvent.APPLY, "O1",
                    request=Request(AfterSaleType.SHIPPED_REFUND, 9900))[0].case_id
    apply(desk, START, MerchantAction.AGREE_REFUND_AFTER_REFUSAL, "O1", case_id=case_id)

    with pytest.raises(ActionNotAllowed) as refused:
        apply(desk, START, MerchantAction.AGREE_RETURN, "O1", case_id=case_id)

    listed = str(refused.value).split("：", 1)[1].split("、")
    assert listed == [m.label for m in desk.possible_moves(case_id)]
    assert MerchantAction.AGREE_REFUND.label not in listed
    assert MerchantAction.REFUSE_REFUND.label not in listed


def test_english_error_lists_use_english_separators(desk):
    place(desk, "O1", START)
    case_id = apply(desk, START, OrderEvent.APPLY, "O1",
                    request=Request(AfterSaleType.UNSHIPPED_REFUND, 9900))[0].case_id
    set_language("en")
    try:
        with pytest.raises(ActionNotAllowed) as refused:
            apply(desk, START, MerchantAction.CONFIRM_RETURN_RECEIVED, "O1", case_id=case_id)
    finally:
        set_language(DEFAULT_LANGUAGE)
    message = str(refused.value)
    assert ", " in message
    assert not {"、", "；", "："} & set(message)


def test_replay_ends_on_the_same_clock(desk, policy, suppliers):
    """A clock move with no deadline on the way used to leave no trace in the log."""
    place(desk, "O1", START)
    desk.advance_to(START + timedelta(hours=5))

    replayed = Desk.replay(desk.log, desk.policy, suppliers)

    assert replayed.now == desk.now == START + timedelta(hours=5)
    assert replayed.snapshot() == desk.snapshot()


def test_exchange_turned_into_refund_refunds_what_the_goods_cost(desk):
    """An exchange asks for goods, not money: ¥1.00 typed into it must not become the refund."""
    place(desk, "O1", START, paid=7900)
    apply(desk, START, OrderEvent.HANDED_TO_COURIER, "O1")
    apply(desk, START, ParcelState.SIGNED_BY_BUYER, "O1")
    case_id = apply(desk, START, OrderEvent.APPLY, "O1",
                    request=Request(AfterSaleType.EXCHANGE, 100))[0].case_id
    assert desk.cases[case_id].requested_fen == 7900
    address = desk.supplier_of("O1").address
    apply(desk, START, MerchantAction.AGREE_EXCHANGE, "O1", case_id=case_id, address=address)
    apply(desk, START, BuyerAction.SHIP_BACK, "O1", case_id=case_id)
    apply(desk, START, MerchantAction.EXCHANGE_TO_REFUND, "O1", case_id=case_id)

    assert desk.cases[case_id].status is Status.SUCCESS
    assert desk.cases[case_id].refunded_fen == 7900


def test_two_deadlines_at_the_same_moment_replay_in_the_order_they_were_logged(policy, suppliers):
    """Found by the lesson 09 property tests: two cases due at the same minute expired in
    (deadline, case id) order, but replaying the first expiry let the second one pass first,
    so the logged second expiry then met a closed case."""
    from datetime import timedelta

    from helpers import Desk, Event, Order, OrderEvent, ParcelState, Request, shanghai
    from helpers.engine.machine import actor_of

    desk = Desk(policy.with_strategies(unshipped_auto_refund=False, refund_after_refusal=False,
                                       intercept_auto_refund=False, auto_agree_return=False),
                suppliers)
    at = shanghai(2026, 11, 26, 8)
    for n in range(2):
        order = Order(f"O{n}", "P01", "S01", 3990, "测*", "138****0000")
        for move in (OrderEvent.ORDER_PLACED, OrderEvent.HANDED_TO_COURIER, ParcelState.SIGNED_BY_BUYER):
            desk.apply(Event(at, move, actor_of(move), order.id, order=order))
    for n in range(2):
        desk.apply(Event(at, OrderEvent.APPLY, actor_of(OrderEvent.APPLY), f"O{n}",
                         request=Request(AfterSaleType.SHIPPED_REFUND, 100)))
    desk.advance_to(at + timedelta(days=3))
    replayed = Desk.replay(desk.log, desk.policy, suppliers)
    assert replayed.snapshot() == desk.snapshot()
