"""helpers.lessons.decide: the decision helper agrees with the engine in every situation it offers."""

from __future__ import annotations

import itertools

import pytest

from helpers import (
    Actor,
    AfterSaleType,
    BuyerAction,
    MerchantAction,
    ParcelState,
    Stage,
    Status,
    Strategy,
    load_products,
)
from helpers.engine.codes import EVERYDAY_TYPES, MODELLED_TYPES
from helpers.engine.machine import STAGE_FOR_TYPE
from helpers.engine.scenarios import outcome, policy_with
from helpers.lessons.decide import (
    BuyerAsk,
    Situation,
    case_type,
    decide,
    how,
    strategy_of,
    types_at,
)
from helpers.strings import catalog

T = AfterSaleType
STRATEGY_SETS = [frozenset(c) for n in range(len(Strategy) + 1)
                 for c in itertools.combinations(Strategy, n)]
MODELLED = [(stage, ask) for stage in Stage for ask in BuyerAsk if case_type(stage, ask)]
# A 补寄 is only for a lost parcel; a lost parcel can also be refunded.
SITUATIONS = [Situation(stage, ask, on, lost=ask is BuyerAsk.RESEND)
              for (stage, ask) in MODELLED for on in STRATEGY_SETS] + [
    Situation(Stage.SHIPPED, BuyerAsk.REFUND, on, lost=True) for on in STRATEGY_SETS]


def _id(situation: Situation) -> str:
    on = "+".join(sorted(s.value for s in situation.strategies)) or "none"
    lost = "-lost" if situation.lost else ""
    return f"{situation.stage.value}-{situation.ask.value}{lost}-{on}"


def _started(situation: Situation) -> dict:
    """How decide() started the case: after receipt, or with the parcel lost."""
    return {"received": situation.stage is Stage.RECEIVED and situation.ask is BuyerAsk.REFUND,
            "stalled": situation.lost}


def test_every_modelled_type_is_reachable_from_a_situation():
    reached = {case_type(stage, ask) for stage, ask in MODELLED}
    assert reached == set(MODELLED_TYPES) | set(EVERYDAY_TYPES)
    for stage, ask in MODELLED:
        if (stage, ask) != (Stage.RECEIVED, BuyerAsk.REFUND):
            assert STAGE_FOR_TYPE[case_type(stage, ask)] is stage


def test_received_and_only_money_back_is_a_refund_with_the_goods_kept():
    """已收货 + 只要退钱 (破损, with photos): no 「找店长」 — check the photos, agree, no return."""
    decision = decide(Situation(Stage.RECEIVED, BuyerAsk.REFUND, product_id="P07"))
    assert decision.type is T.SHIPPED_REFUND and decision.assistant is None
    assert decision.your_moves == [MerchantAction.AGREE_REFUND]
    assert "照片" in decision.steps[0].text and "不用寄回" in decision.steps[0].text
    assert decision.final.status is Status.SUCCESS and decision.final.got_pkg
    assert decision.final.refunded_fen == load_products()["P07"].price_fen


def test_the_stage_decides_which_refund_it_is():
    assert case_type(Stage.UNSHIPPED, BuyerAsk.REFUND) is T.UNSHIPPED_REFUND
    assert case_type(Stage.SHIPPED, BuyerAsk.REFUND) is T.SHIPPED_REFUND
    assert case_type(Stage.RECEIVED, BuyerAsk.RETURN) is T.RETURN_REFUND
    assert case_type(Stage.RECEIVED, BuyerAsk.EXCHANGE) is T.EXCHANGE


@pytest.mark.parametrize(("stage", "ask"), [(Stage.UNSHIPPED, BuyerAsk.RETURN),
                                            (Stage.SHIPPED, BuyerAsk.EXCHANGE),
                                            (Stage.UNSHIPPED, BuyerAsk.RESEND)])
def test_a_request_the_stage_cannot_carry_offers_the_types_it_can(stage, ask):
    decision = decide(Situation(stage, ask))
    assert decision.type is None
    assert decision.steps == ()
    assert decision.types_at_stage == types_at(stage)
    assert all(STAGE_FOR_TYPE[x] is stage or x is T.SHIPPED_REFUND
               for x in decision.types_at_stage)


@pytest.mark.parametrize("situation", SITUATIONS, ids=_id)
def test_the_path_ends_the_case_and_replays_to_the_same_outcome(situation):
    decision = decide(situation)
    assert decision.final is not None and not decision.final.is_open
    # The same moves through scenarios.outcome (what quizzes use) end the same way.
    played = [s.move for s in decision.steps if s.actor is not Actor.ASSISTANT]
    again = outcome(decision.type, played, strategies=situation.strategies, **_started(situation))
    assert again.accepted, again.message
    assert (again.status, again.refunded_fen) == (decision.final.status, decision.final.refunded_fen)
    assert not decision.final.missed_deadline


@pytest.mark.parametrize("situation", SITUATIONS, ids=_id)
def test_the_assistant_forecast_is_what_the_assistant_then_does(situation):
    decision = decide(situation)
    first = decision.steps[0]
    if decision.assistant is None:
        assert first.actor is Actor.MERCHANT
    else:
        assert (first.actor, first.move, first.auto) == (
            Actor.ASSISTANT, decision.assistant.move, decision.assistant.kind)
        assert decision.assistant.strategy in situation.strategies


@pytest.mark.parametrize("situation", SITUATIONS, ids=_id)
def test_the_late_outcome_is_the_engines_deadline(situation):
    decision = decide(situation)
    if decision.assistant is not None:
        return  # the assistant answered at once: no merchant clock left to miss
    late = outcome(decision.type, ["超过处理时限"], strategies=situation.strategies,
                   **_started(situation))
    assert decision.late is not None
    assert decision.late.missed and late.missed_deadline
    assert (decision.late.status, decision.late.refunded_fen) == (late.status, late.refunded_fen)
    assert decision.late.deadline.status is Status.AWAIT_MERCHANT


def test_unshipped_refund_with_the_strategy_is_done_by_the_assistant():
    decision = decide(Situation(Stage.UNSHIPPED, BuyerAsk.REFUND,
                                frozenset({Strategy.UNSHIPPED_AUTO_REFUND})))
    assert decision.assistant.strategy is Strategy.UNSHIPPED_AUTO_REFUND
    # The refund does not stop the upstream: yours is to cancel its 拍单.
    assert decision.your_moves == [MerchantAction.STOP_SHIPMENT]
    assert decision.final.status is Status.SUCCESS
    assert decision.late is None


def test_unshipped_refund_without_the_strategy_is_yours_and_can_run_late():
    decision = decide(Situation(Stage.UNSHIPPED, BuyerAsk.REFUND))
    assert decision.assistant is None
    assert decision.your_moves == [MerchantAction.STOP_SHIPMENT, MerchantAction.AGREE_PRESALE_REFUND]
    assert decision.late.missed


def test_shipped_refund_waits_for_the_parcel_before_the_money_goes():
    decision = decide(Situation(Stage.SHIPPED, BuyerAsk.REFUND))
    moves = [s.move for s in decision.steps]
    assert moves[:2] == [MerchantAction.AGREE_REFUND_AFTER_REFUSAL, ParcelState.REFUSED_BY_BUYER]
    assert decision.steps[0].status is Status.AWAIT_MERCHANT  # agreed, nothing paid yet
    assert decision.steps[1].status is Status.SUCCESS
    assert ParcelState.SIGNED_BY_MERCHANT in moves  # the goods come home: 钱货两清
    assert decision.final.refunded_fen == load_products()["P01"].price_fen
    # If the buyer signs for the parcel after all, the engine turns the request into a return.
    branches = [(b.move, b.type) for b in decision.steps[1].branches]
    assert branches == [(ParcelState.SIGNED_BY_BUYER, T.RETURN_REFUND)]


@pytest.mark.parametrize("product_id", ["P03", "P09"])
def test_a_return_is_agreed_with_the_items_own_supplier(product_id):
    decision = decide(Situation(Stage.RECEIVED, BuyerAsk.RETURN, product_id=product_id))
    assert decision.needs_address
    agree = decision.steps[0]
    assert agree.move is MerchantAction.AGREE_RETURN and agree.yours
    supplier = decision.supplier
    assert supplier.id == load_products()[product_id].supplier_id
    assert supplier.name in agree.text and supplier.address.detail in agree.text
    assert decision.final.return_address == supplier.address
    assert [s.move for s in decision.steps] == [
        MerchantAction.AGREE_RETURN, BuyerAction.SHIP_BACK, MerchantAction.CONFIRM_RETURN_RECEIVED]


def test_an_exchange_goes_all_the_way_to_the_buyers_new_item():
    decision = decide(Situation(Stage.RECEIVED, BuyerAsk.EXCHANGE))
    assert decision.final.status is Status.EXCHANGE_SUCCESS
    assert decision.final.refunded_fen == 0
    assert decision.your_moves == [MerchantAction.AGREE_EXCHANGE, MerchantAction.RESHIP_EXCHANGE]


def test_a_parcel_scan_at_the_warehouse_is_not_a_click_of_yours():
    decision = decide(Situation(Stage.SHIPPED, BuyerAsk.REFUND))
    scan = next(s for s in decision.steps if s.move is ParcelState.SIGNED_BY_MERCHANT)
    assert scan.actor is Actor.MERCHANT and not scan.yours


def test_the_strategy_is_found_by_its_auto_audit_kind(policy):
    for strategy in Strategy:
        assert strategy_of(policy, policy.strategies[strategy].auto_audit) is strategy


def test_every_move_has_its_how_text():
    keys = catalog()
    from helpers.engine.machine import OrderEvent
    from helpers.engine.scenarios import MOVE_KINDS
    for kind in MOVE_KINDS:
        for move in kind:
            assert f"decide.how_{move.name.lower()}" in keys, move
    assert how(OrderEvent.HANDED_TO_COURIER)
    assert "¥1.00" in how(MerchantAction.AGREE_REFUND, amount="¥1.00")


def test_the_policy_of_the_situation_is_used_not_the_files(policy):
    # policy.toml may have strategies on; the situation's switches win.
    decision = decide(Situation(Stage.RECEIVED, BuyerAsk.RETURN), policy=policy_with(list(Strategy)))
    assert decision.assistant is None
    assert decision.steps[0].actor is Actor.MERCHANT
