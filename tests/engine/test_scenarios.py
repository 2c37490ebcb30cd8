"""helpers.engine.scenarios: one order, one case, moves by label, on a reproducible clock."""

from __future__ import annotations

import pytest

from helpers import (
    ActionNotAllowed,
    AfterSaleType,
    AutoAuditKind,
    BuyerAction,
    ClockEvent,
    MerchantAction,
    ParcelState,
    Stage,
    Status,
    Strategy,
)
from helpers.engine.machine import Desk, OrderEvent
from helpers.engine.scenarios import (
    SAMPLE_ORDER,
    START,
    STEP,
    candidate_moves,
    fork,
    outcome,
    parse_move,
    play,
    policy_with,
    possible_moves,
    start_case,
    step,
    trail,
)

T = AfterSaleType


@pytest.mark.parametrize(("case_type", "stage"), [
    (T.UNSHIPPED_REFUND, Stage.UNSHIPPED),
    (T.SHIPPED_REFUND, Stage.SHIPPED),
    (T.RETURN_REFUND, Stage.RECEIVED),
    (T.EXCHANGE, Stage.RECEIVED),
])
def test_start_case_brings_the_order_to_the_stage_the_type_needs(case_type, stage):
    desk, case_id = start_case(case_type, strategies=[])
    case = desk.cases[case_id]
    assert case.type is case_type
    assert case.status is Status.AWAIT_MERCHANT
    assert case.requested_fen == SAMPLE_ORDER.paid_fen
    assert desk.orders[SAMPLE_ORDER.id].stage is stage


def test_strategies_list_exactly_the_ones_on():
    policy = policy_with([Strategy.REFUND_AFTER_REFUSAL])
    assert [s for s in Strategy if policy.is_on(s)] == [Strategy.REFUND_AFTER_REFUSAL]
    assert policy_with(["unshipped_auto_refund"]).is_on(Strategy.UNSHIPPED_AUTO_REFUND)
    assert not policy_with([]).is_on(Strategy.UNSHIPPED_AUTO_REFUND)


def test_none_keeps_the_policy_file():
    from helpers import load_policy

    assert policy_with(None) == load_policy()


def test_the_assistant_may_act_on_the_request_itself():
    desk, case_id = start_case(T.UNSHIPPED_REFUND, strategies=[Strategy.UNSHIPPED_AUTO_REFUND])
    case = desk.cases[case_id]
    assert case.status is Status.SUCCESS
    assert case.auto is AutoAuditKind.PRE_SHIP_FAST_REFUND


def test_play_takes_labels_and_moves_alike():
    desk, case_id = start_case(T.RETURN_REFUND, strategies=[])
    case = play(desk, case_id, ["同意退货申请", BuyerAction.SHIP_BACK, "确认收到退货并退款"])
    assert case.status is Status.SUCCESS
    assert case.refunded_fen == SAMPLE_ORDER.paid_fen


def test_each_move_is_one_step_later_and_a_deadline_jumps_to_the_deadline():
    desk, case_id = start_case(T.RETURN_REFUND, strategies=[])
    step(desk, case_id, MerchantAction.AGREE_RETURN)
    assert desk.now == START + STEP
    deadline = desk.cases[case_id].deadline
    step(desk, case_id, ClockEvent.DEADLINE_PASSED)
    assert desk.now == deadline
    assert desk.cases[case_id].status is Status.FAILED


def test_a_refused_move_raises_and_changes_nothing():
    desk, case_id = start_case(T.RETURN_REFUND, strategies=[])
    before = desk.snapshot()
    with pytest.raises(ActionNotAllowed, match="待商家同意"):
        step(desk, case_id, "买家寄回商品")
    assert desk.snapshot() == before


def test_agreeing_uses_the_right_supplier_by_default_and_lets_another_through(suppliers):
    desk, case_id = start_case(T.RETURN_REFUND, strategies=[])
    step(desk, case_id, "同意退货申请")
    assert desk.cases[case_id].return_address == suppliers["S01"].address
    wrong, wrong_id = start_case(T.RETURN_REFUND, strategies=[])
    step(wrong, wrong_id, "同意退货申请", address=suppliers["S02"].address)
    assert wrong.cases[wrong_id].return_address == suppliers["S02"].address


def test_parse_move_knows_every_label_and_refuses_others():
    for kind in (MerchantAction, BuyerAction, ParcelState, ClockEvent):
        for member in kind:
            assert parse_move(member.label) is member
    assert parse_move(OrderEvent.HANDED_TO_COURIER.label) is OrderEvent.HANDED_TO_COURIER
    with pytest.raises(KeyError):
        parse_move("随便点点")


def test_fork_is_independent():
    desk, case_id = start_case(T.RETURN_REFUND, strategies=[])
    copy = fork(desk)
    step(copy, case_id, "同意退货申请")
    assert desk.cases[case_id].status is Status.AWAIT_MERCHANT
    assert len(desk.log) < len(copy.log)


def test_possible_moves_agree_with_the_engine():
    desk, case_id = start_case(T.RETURN_REFUND, strategies=[])
    possible = possible_moves(desk, case_id)
    assert set(possible) <= set(candidate_moves(T.RETURN_REFUND))
    assert set(possible) == set(desk.possible_moves(case_id))
    for move in candidate_moves(T.RETURN_REFUND):
        copy = fork(desk)
        try:
            step(copy, case_id, move)
            accepted = True
        except ActionNotAllowed:
            accepted = False
        assert accepted == (move in possible), move


def test_candidate_moves_offer_parcel_events_only_before_receipt():
    assert not any(isinstance(m, ParcelState) for m in candidate_moves(T.RETURN_REFUND))
    assert ParcelState.REFUSED_BY_BUYER in candidate_moves(T.SHIPPED_REFUND)
    assert OrderEvent.HANDED_TO_COURIER in candidate_moves(T.UNSHIPPED_REFUND)


def test_trail_is_rebuilt_from_the_log():
    desk, case_id = start_case(T.RETURN_REFUND, strategies=[])
    play(desk, case_id, ["同意退货申请", "买家寄回商品"])
    marks = trail(desk, case_id)
    assert [m.event.move for m in marks] == [
        OrderEvent.APPLY, MerchantAction.AGREE_RETURN, BuyerAction.SHIP_BACK]
    assert [m.status for m in marks] == [
        Status.AWAIT_MERCHANT, Status.AWAIT_BUYER_RETURN, Status.AWAIT_SECOND_REVIEW]
    replayed = Desk.replay(desk.log, desk.policy, desk.suppliers)
    assert replayed.snapshot() == desk.snapshot()


def test_outcome_stops_at_the_first_refusal():
    result = outcome(T.RETURN_REFUND, ["同意退货申请", "确认收到退货并退款", "买家寄回商品"],
                     strategies=[])
    assert not result.accepted
    assert result.refused is MerchantAction.CONFIRM_RETURN_RECEIVED
    assert result.status is Status.AWAIT_BUYER_RETURN
    assert "待买家退货" in result.message


def test_outcome_of_refusal_then_refund():
    result = outcome(T.SHIPPED_REFUND, ["买家已拒签"],
                     strategies=[Strategy.REFUND_AFTER_REFUSAL])
    assert result.accepted
    assert result.status is Status.SUCCESS
    assert result.auto is AutoAuditKind.ASSISTANT_AUTO_REFUSAL_REFUND
    assert result.parcel is ParcelState.REFUSED_BY_BUYER


def test_the_same_scenario_gives_the_same_outcome():
    moves = ["同意换货申请", "买家寄回商品", "确认收到换货并补发新品", "超过处理时限"]
    first = outcome(T.EXCHANGE, moves, strategies=[])
    assert first == outcome(T.EXCHANGE, moves, strategies=[])
    assert first.status is Status.EXCHANGE_SUCCESS


def test_a_merchant_deadline_passing_is_recorded():
    result = outcome(T.SHIPPED_REFUND, ["超过处理时限"], strategies=[])
    assert result.status is Status.SUCCESS
    assert result.missed_deadline
