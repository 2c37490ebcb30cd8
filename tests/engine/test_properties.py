"""Every invariant of DESIGN.md, over random sequences of actions, events and deadlines.

Each test drives a desk with a random program: orders placed and shipped, requests of every
type, merchant and buyer moves, parcel scans, addresses right and wrong, the clock jumping past
deadlines, strategies on or off. Illegal steps must raise and change nothing; after every step
the invariant is checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from hypothesis import event, given
from hypothesis import strategies as st

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
    Stage,
    Strategy,
    load_policy,
    load_suppliers,
    shanghai,
)
from helpers.engine.addresses import address_problems, supplier_at
from helpers.engine.codes import ACTIONS_NEEDING_ADDRESS, PARCEL_STATES_GOODS_COMING_BACK
from helpers.engine.ledger import Goods, ledger
from helpers.engine.machine import Snapshot, actor_of
from helpers.engine.model import Address

POLICY = load_policy()
SUPPLIERS = load_suppliers()
SUPPLIER_IDS = sorted(SUPPLIERS)
START = shanghai(2026, 11, 26, 8)
ORDERS = 3
MOVES = (
    list(MerchantAction) + list(BuyerAction) + list(ParcelState)
    + [OrderEvent.HANDED_TO_COURIER, OrderEvent.APPLY, ClockEvent.DEADLINE_PASSED]
)
BROKEN_ADDRESS = Address("", "1234", "火星省", "", "", "仓")

step = st.tuples(
    st.integers(0, ORDERS - 1),                      # which order
    st.sampled_from(MOVES),                          # what happens
    st.sampled_from(["right", "other", "broken", "none"]),  # the address given, if any
    st.sampled_from(list(AfterSaleType)[:4]),        # the type of a new request
    st.integers(1, 15000),                           # its amount in fen
    st.one_of(st.integers(0, 180), st.integers(0, 60 * 24 * 12)),  # minutes the clock moves first
    # mostly: take the k-th move the rules allow (often the first, the way forward);
    # sometimes: the random move above
    st.one_of(st.none(), st.just(0), st.just(0), st.integers(0, 20), st.integers(0, 20)),
)
programs = st.tuples(
    st.fixed_dictionaries({s.value: st.booleans() for s in Strategy}),
    st.lists(step, min_size=5, max_size=60),
)


def order_moves(desk: Desk, order_id: str) -> list:
    """What may happen to an order with no open case: shipping, parcel scans, a request."""
    state = desk.orders[order_id]
    if state.stage is Stage.UNSHIPPED:
        return [OrderEvent.HANDED_TO_COURIER, AfterSaleType.UNSHIPPED_REFUND,
                MerchantAction.STOP_SHIPMENT]
    if state.stage is Stage.SHIPPED:
        return [ParcelState.SIGNED_BY_BUYER, AfterSaleType.SHIPPED_REFUND, *ParcelState,
                MerchantAction.INTERCEPT_PARCEL]
    return [AfterSaleType.EXCHANGE, AfterSaleType.RETURN_REFUND]


@dataclass
class Run:
    """A desk under a random program, with what each accepted step did."""

    desk: Desk
    steps: list[tuple[Snapshot, Snapshot, Event | None]] = field(default_factory=list)


def run(program) -> Run:
    strategies, steps = program
    desk = Desk(POLICY.with_strategies(**strategies), SUPPLIERS)
    at = START
    for n in range(ORDERS):
        supplier = SUPPLIER_IDS[n % len(SUPPLIER_IDS)]
        order = Order(f"O{n}", f"P{n}", supplier, 9900 + 1000 * n, "测*", "138****0000")
        desk.apply(Event(at, OrderEvent.ORDER_PLACED, actor_of(OrderEvent.ORDER_PLACED),
                         order.id, order=order))
    result = Run(desk)
    for order_index, move, address_kind, type_, amount, minutes, guided in steps:
        order_id = f"O{order_index}"
        at += timedelta(minutes=minutes)
        before = desk.snapshot()
        case = desk.open_case_of(order_id) or next(
            (c for c in reversed(list(desk.cases.values())) if c.order_id == order_id), None)
        if guided is not None:
            # Most steps follow the rules, so deep states are reached, not just refusals.
            open_case = desk.open_case_of(order_id)
            possible = desk.possible_moves(open_case.id) if open_case else order_moves(desk, order_id)
            if possible:
                move = possible[guided % len(possible)]
                if isinstance(move, AfterSaleType):
                    move, type_ = OrderEvent.APPLY, move
        if move is ClockEvent.DEADLINE_PASSED:
            desk.advance_to(at)
            result.steps.append((before, desk.snapshot(), None))
            continue
        supplier = desk.supplier_of(order_id)
        address = {
            "right": supplier.address,
            "other": SUPPLIERS[SUPPLIER_IDS[(SUPPLIER_IDS.index(supplier.id) + 1) % 5]].address,
            "broken": BROKEN_ADDRESS,
            "none": None,
        }[address_kind] if move in ACTIONS_NEEDING_ADDRESS else None
        event = Event(at, move, actor_of(move), order_id,
                      case_id=case.id if case and move is not OrderEvent.APPLY else None,
                      address=address,
                      request=Request(type_, amount) if move is OrderEvent.APPLY else None)
        log_length = len(desk.log)
        try:
            desk.apply(event)
        except ActionNotAllowed:
            assert desk.snapshot() == before, "a refused step changed the desk"
            assert len(desk.log) == log_length, "a refused step was logged"
            continue
        result.steps.append((before, desk.snapshot(), event))
    return result


@given(programs)
def test_refunds_never_exceed_what_was_paid(program):
    desk = run(program).desk
    total_paid = total_refunded = 0
    for order_id, order in desk.orders.items():
        cases = [c for c in desk.cases.values() if c.order_id == order_id]
        assert 0 <= order.refunded_fen <= order.order.paid_fen
        assert order.refunded_fen == sum(c.refunded_fen for c in cases), "refund paid twice"
        for case in cases:
            assert case.refunded_fen in (0, case.requested_fen)
        for case in cases:
            event(f"reached {case.type.label} → {case.status.label}")  # coverage, in the stats
        total_paid += order.order.paid_fen
        total_refunded += order.refunded_fen
    assert total_refunded <= total_paid


@given(programs)
def test_terminal_cases_take_no_further_action(program):
    result = run(program)
    for before, after, _ in result.steps:
        for case_id, case in before.cases.items():
            if not case.is_open:
                assert after.cases[case_id] == case, f"closed case {case_id} changed"
    for case_id, case in result.desk.cases.items():
        if not case.is_open:
            assert result.desk.possible_moves(case_id) == []


@given(programs)
def test_no_refund_before_the_parcel_comes_back_under_refusal_strategy(program):
    for before, after, _ in run(program).steps:
        for case_id, case in after.cases.items():
            earlier = before.cases.get(case_id)
            if earlier and earlier.refusal_agreed and case.refunded_fen > earlier.refunded_fen:
                assert after.orders[case.order_id].parcel in PARCEL_STATES_GOODS_COMING_BACK


@given(programs)
def test_returns_are_agreed_only_with_a_complete_valid_address(program):
    """Valid is the platform's check; whether it is the right upstream is the coach's. With a
    wrong one the agree goes through and the goods go where the address says."""
    desk = run(program).desk
    for case in desk.cases.values():
        if case.return_address is not None:
            assert address_problems(case.return_address) == []
    for order_id, order in desk.orders.items():
        shipped_back = [e for e in desk.log
                        if e.order_id == order_id and e.move is BuyerAction.SHIP_BACK]
        assert (order.returned_to is None) == (not shipped_back)
        if shipped_back:
            address = desk.cases[shipped_back[-1].case_id].return_address
            owner = supplier_at(address, SUPPLIERS)
            assert order.returned_to == (owner.id if owner else "")
            wrong = order.returned_to != order.order.supplier_id
            event("goods mailed to the wrong upstream" if wrong else "goods mailed to the right upstream")
            assert (ledger(desk, order_id).goods is Goods.WRONG_PLACE) == wrong


@given(programs)
def test_the_desk_still_accepts_a_new_order_later(program):
    """After any sequence of events the desk is never stuck: a new order at a later time goes."""
    desk = run(program).desk
    later = (desk.now or START) + timedelta(minutes=1)
    order = Order("NEW", "P01", SUPPLIER_IDS[0], 5000, "新*", "138****0000")
    desk.apply(Event(later, OrderEvent.ORDER_PLACED, actor_of(OrderEvent.ORDER_PLACED), "NEW",
                     order=order))
    assert "NEW" in desk.orders and desk.now == later
    desk.advance_to(later + timedelta(days=30))
    assert all(not c.is_open or c.deadline is None or c.deadline > desk.now
               for c in desk.cases.values()), "a deadline was left behind the clock"


@given(programs)
def test_replaying_the_log_rebuilds_the_same_state(program):
    result = run(program)
    replayed = Desk.replay(result.desk.log, result.desk.policy, SUPPLIERS)
    assert replayed.snapshot() == result.desk.snapshot(), "the replay ends elsewhere (or on another clock)"
    for _, _, accepted in result.steps:
        if accepted is not None:
            assert any(logged.at == accepted.at and logged.move is accepted.move
                       for logged in result.desk.log), "an accepted step is missing from the log"
