"""Lesson 09's flows under DESIGN.md's invariants, over random sequences.

Random programs mix what the everyday cases add (已收货仅退款, 协商 proposals accepted or
declined, partial refunds and re-applications, lost parcels and 补寄, refusals with and without
a fitting reason or evidence, 客服介入 with or without 举证) with the older moves. Illegal steps
must raise and change nothing.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import event, given
from hypothesis import strategies as st

from helpers import (
    ActionNotAllowed,
    Actor,
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
    Stage,
    load_policy,
    load_suppliers,
    shanghai,
)
from helpers.engine.codes import REFUSING_ACTIONS, ArbitrateStatus, Evidence, ReturnReason
from helpers.engine.machine import actor_of, default_refusal

POLICY = load_policy()
SUPPLIERS = load_suppliers()
START = shanghai(2026, 11, 26, 8)
PRODUCTS = ("P07", "P08", "P01")  # two foods outside 七天无理由, one item inside it
T, M, B = AfterSaleType, MerchantAction, BuyerAction
NEW_MOVES = (M.PROPOSE_PARTIAL, B.ACCEPT_PROPOSAL, B.DECLINE_PROPOSAL, M.AGREE_RESEND,
             M.REFUSE_RESEND, M.SHIP_RESEND, M.REFUSE_REFUND, M.REFUSE_RETURN, M.AGREE_REFUND,
             B.ASK_PLATFORM, M.SUBMIT_EVIDENCE, OrderEvent.PARCEL_STALLED,
             ParcelState.SIGNED_BY_BUYER, OrderEvent.HANDED_TO_COURIER, OrderEvent.APPLY,
             ClockEvent.DEADLINE_PASSED, B.CONFIRM_RECEIPT)
REASON_CODES = (None, 9999, *sorted(POLICY.reject_reasons))

step = st.tuples(
    st.integers(0, len(PRODUCTS) - 1),                          # which order
    st.sampled_from(NEW_MOVES),                                 # what happens
    st.sampled_from([T.SHIPPED_REFUND, T.RETURN_REFUND, T.RESEND, T.EXCHANGE]),
    st.integers(1, 6000),                                       # a request's or proposal's amount
    st.sampled_from(REASON_CODES),                              # a refusal's reason
    st.sets(st.sampled_from(list(Evidence)), max_size=2),       # the evidence it carries
    st.booleans(),                                              # 七天无理由?
    st.booleans(),                                              # is the buyer's claim true?
    st.one_of(st.integers(0, 120), st.integers(0, 120), st.integers(0, 120),
              st.integers(0, 60 * 24 * 9)),                      # minutes the clock moves
    st.one_of(st.none(), st.just(0), st.integers(0, 12), st.integers(0, 12)),  # follow a possible move
)
programs = st.tuples(
    st.lists(st.sampled_from(["received", "shipped", "stalled"]), min_size=3, max_size=3),
    st.lists(step, min_size=4, max_size=30),
)
# Where an order is → what may happen to it next with no open case.
NEXT_FOR_STAGE = {
    "received": (T.SHIPPED_REFUND, T.RETURN_REFUND, T.EXCHANGE),
    "shipped": (T.SHIPPED_REFUND, OrderEvent.PARCEL_STALLED, ParcelState.SIGNED_BY_BUYER),
    "stalled": (T.RESEND, T.SHIPPED_REFUND),
}


def _where(desk: Desk, order_id: str) -> str:
    order = desk.orders[order_id]
    if order.stage is Stage.RECEIVED:
        return "received"
    return "stalled" if order.stalled else "shipped"


def run(program) -> Desk:
    stages, steps = program
    desk = Desk(POLICY, SUPPLIERS)
    products = {p.id: p for p in _products()}
    for n, product_id in enumerate(PRODUCTS):
        product = products[product_id]
        order = Order(f"O{n}", product.id, product.supplier_id, product.price_fen, "测*", "138****0000")
        desk.apply(Event(START, OrderEvent.ORDER_PLACED, actor_of(OrderEvent.ORDER_PLACED),
                         order.id, order=order))
        desk.apply(Event(START, OrderEvent.HANDED_TO_COURIER, Actor.COURIER, order.id))
        if stages[n] == "received":
            desk.apply(Event(START, ParcelState.SIGNED_BY_BUYER, Actor.BUYER, order.id))
        elif stages[n] == "stalled":
            desk.apply(Event(START, OrderEvent.PARCEL_STALLED, Actor.COURIER, order.id))
    at = START
    for index, move, type_, amount, reason, evidence, no_reason, claim_true, minutes, guided \
            in steps:
        order_id = f"O{index}"
        at += timedelta(minutes=minutes)
        cases = [c for c in desk.cases.values() if c.order_id == order_id]
        case = desk.open_case_of(order_id) or (cases[-1] if cases else None)
        if guided is not None and case is not None and case.is_open:
            possible = desk.possible_moves(case.id)
            if possible:
                move = possible[guided % len(possible)]
        elif guided is not None:
            # Mostly the way forward: 客服介入 on a refusal, else a new request or a scan.
            possible = desk.arbitration_moves(case.id) if case is not None else []
            possible = possible or list(NEXT_FOR_STAGE[_where(desk, order_id)])
            move = possible[guided % len(possible)]
            if isinstance(move, AfterSaleType):
                move, type_ = OrderEvent.APPLY, move
        if move is ClockEvent.DEADLINE_PASSED:
            desk.advance_to(at)
            continue
        if guided is not None and move in REFUSING_ACTIONS and case:
            reason, evidence = default_refusal(POLICY, case)  # the careful refusal, often
        if move is M.PROPOSE_PARTIAL and case is not None and case.requested_fen > 1:
            amount = 1 + amount % (case.requested_fen - 1)
        address = desk.supplier_of(order_id).address if move in (M.AGREE_RETURN, M.AGREE_EXCHANGE) \
            else None
        request = Request(type_, amount, reason_kind=ReturnReason.NO_REASON if no_reason
                          else ReturnReason.OTHER, claim_true=claim_true) \
            if move is OrderEvent.APPLY else None
        before, log_length = desk.snapshot(), len(desk.log)
        try:
            desk.apply(Event(at, move, actor_of(move), order_id,
                             case_id=case.id if case and move is not OrderEvent.APPLY else None,
                             address=address, request=request, reason_code=reason,
                             evidence=tuple(sorted(evidence, key=lambda e: e.value)),
                             amount_fen=amount))
        except ActionNotAllowed:
            assert desk.snapshot() == before and len(desk.log) == log_length, \
                "a refused step changed the desk"
    return desk


def _products():
    from helpers import load_products

    return load_products().values()


@given(programs)
def test_refunds_never_exceed_what_was_paid_across_partial_refunds_and_reapplications(program):
    desk = run(program)
    for order_id, order in desk.orders.items():
        cases = [c for c in desk.cases.values() if c.order_id == order_id]
        by_platform = sum(a.refunded_fen for a in desk.arbitrations.values()
                          if desk.cases[a.case_id].order_id == order_id)
        assert order.refunded_fen == sum(c.refunded_fen for c in cases) + by_platform, \
            "a refund was paid twice"
        assert 0 <= order.refunded_fen <= order.order.paid_fen
        for case in cases:
            assert case.refunded_fen in (0, case.requested_fen)
            assert case.requested_fen <= case.asked_fen
        event(f"refunds on one order: {sum(1 for c in cases if c.refunded_fen) + bool(by_platform)}")
        if any(c.part_type.value for c in cases if c.refunded_fen):
            event("a partial refund was paid")


@given(programs)
def test_a_refusal_always_carries_a_fitting_reason_and_the_evidence_it_needs(program):
    desk = run(program)
    for logged in desk.log:
        if logged.move in REFUSING_ACTIONS:
            case = desk.cases[logged.case_id]
            reason = POLICY.reject_reasons[logged.reason_code]
            assert reason.fits(case.type, case.got_pkg)
            if reason.evidence_need:
                assert set(logged.evidence) & reason.evidence, "refused without evidence"
            event(f"refused with reason {reason.code}")
        if logged.move is M.SUBMIT_EVIDENCE:
            assert logged.evidence
    for arbitration in desk.arbitrations.values():
        event(f"客服介入: {arbitration.status.zh}")
        if arbitration.status is ArbitrateStatus.FOR_SELLER:
            assert arbitration.refunded_fen == 0


@given(programs)
def test_a_lost_parcel_is_never_both_resent_and_refunded(program):
    desk = run(program)
    for order_id, order in desk.orders.items():
        not_received = [c for c in desk.cases.values()
                        if c.order_id == order_id and not c.got_pkg and c.type is not T.RESEND]
        refunded = any(c.refunded_fen for c in not_received) or any(
            a.refunded_fen for a in desk.arbitrations.values()
            if desk.cases[a.case_id].order_id == order_id and not desk.cases[a.case_id].got_pkg)
        if order.resent:
            event("a lost parcel was resent")
            assert not refunded, "a resent parcel was refunded too"
        if order.stage is Stage.RECEIVED and order.received_at is None:
            raise AssertionError("received without a date")


@given(programs)
def test_the_everyday_log_replays_and_the_desk_is_never_stuck(program):
    desk = run(program)
    replayed = Desk.replay(desk.log, desk.policy, SUPPLIERS)
    assert replayed.snapshot() == desk.snapshot()
    later = (desk.now or START) + timedelta(minutes=1)
    order = Order("NEW", "P01", "S01", 5000, "新*", "138****0000")
    desk.apply(Event(later, OrderEvent.ORDER_PLACED, actor_of(OrderEvent.ORDER_PLACED), "NEW",
                     order=order))
    desk.advance_to(later + timedelta(days=30))
    assert all(not a.is_open for a in desk.arbitrations.values()), "a 举证 deadline was left behind"
