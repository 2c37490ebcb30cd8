"""这单该怎么处理？ The decision helper of lesson 06, asked of the engine, never of a table.

From an order's situation (where the goods are, what the buyer asks, which 售后小助手 strategies
are on, which item) it works out, with the same functions every lesson uses:

- the after-sale type: the one the buyer's ask can take at this stage (`machine.STAGE_FOR_TYPE`);
- what the assistant does with the fresh request (`machine.assistant_decision`);
- the path: the course's recommended moves (`simulate.staff_decision`) played on a desk, with the
  buyer and the courier doing the expected next thing, until nothing is left to do;
- what happens if nobody answers in time (the deadline played on a copy of the desk).

    decision = decide(Situation(Stage.SHIPPED, BuyerAsk.REFUND, frozenset({Strategy.REFUND_AFTER_REFUSAL})))
    decision.type                    # AfterSaleType.SHIPPED_REFUND
    decision.assistant.strategy      # Strategy.REFUND_AFTER_REFUSAL
    [s.move for s in decision.steps] # 203 by the assistant, the buyer refuses, the parcel comes back …
    decision.final.status            # Status.SUCCESS

The words of each step come from the string catalog (`decide.how_<move>`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import Enum

from ..engine.codes import (
    EVERYDAY_TYPES,
    MODELLED_TYPES,
    Actor,
    AfterSaleType,
    AutoAuditKind,
    BuyerAction,
    ClockEvent,
    MerchantAction,
    ParcelState,
    Stage,
    Status,
)
from ..engine.machine import (
    MERCHANT_NODES,
    STAGE_FOR_TYPE,
    Case,
    Desk,
    Move,
    OrderState,
    assistant_decision,
)
from ..engine.model import Order, Product, Supplier, load_products, load_suppliers, yuan
from ..engine.policy import Deadline, Policy, Strategy, load_policy
from ..engine.scenarios import fork, policy_with, possible_moves, start_case, step, trail
from ..engine.simulate import needs_person, refunded_goods_leaving, staff_decision
from ..strings import t

# The masked buyer of every decision: the helper never needs a real one.
BUYER, BUYER_PHONE = "张**", "138****5678"
DEFAULT_PRODUCT = "P01"

# What the others do next on the expected path, in order of preference, when the merchant has
# nothing to do: the buyer sends the goods back or refuses the parcel, the parcel travels back,
# the merchant's warehouse signs for it, the buyer confirms the new item.
EXPECTED_OTHERS: tuple[Move, ...] = (
    BuyerAction.SHIP_BACK,
    ParcelState.REFUSED_BY_BUYER,
    ParcelState.RETURNING,
    ParcelState.SIGNED_BY_MERCHANT,
    BuyerAction.CONFIRM_RECEIPT,
)
# Where the path waits for the others, what else they may do (shown as a branch).
ALTERNATIVES: tuple[Move, ...] = (ParcelState.SIGNED_BY_BUYER,)
MAX_STEPS = 20  # far more than the longest path (换货: 7 moves); stops a loop if rules change


class BuyerAsk(Enum):
    """What the buyer asks for, in the buyer's words (the type follows from the stage)."""

    REFUND = "refund"
    RETURN = "return"
    EXCHANGE = "exchange"
    RESEND = "resend"   # the parcel is lost: send another one (补寄)

    @property
    def label(self) -> str:
        return t(f"decide.ask_{self.value}")


# The after-sale types that can carry each ask; the stage picks one of them.
TYPES_FOR_ASK: Mapping[BuyerAsk, tuple[AfterSaleType, ...]] = {
    BuyerAsk.REFUND: (AfterSaleType.UNSHIPPED_REFUND, AfterSaleType.SHIPPED_REFUND),
    BuyerAsk.RETURN: (AfterSaleType.RETURN_REFUND,),
    BuyerAsk.EXCHANGE: (AfterSaleType.EXCHANGE,),
    BuyerAsk.RESEND: (AfterSaleType.RESEND,),
}

# 仅退款 after receipt (`got_pkg` 1: 破损、少件、变质, with the buyer's photos) is the same
# type as 已发货仅退款: the buyer keeps the goods, so nothing is refused or sent back.
RECEIVED_REFUND = (Stage.RECEIVED, BuyerAsk.REFUND)


@dataclass(frozen=True)
class Situation:
    """The order as the person at the desk sees it."""

    stage: Stage
    ask: BuyerAsk
    strategies: frozenset[Strategy] = frozenset()
    product_id: str = DEFAULT_PRODUCT
    lost: bool = False  # the parcel's tracking stopped (疑似丢件)


@dataclass(frozen=True)
class AssistantAct:
    """What the 售后小助手 does with the fresh request, and under which strategy."""

    move: MerchantAction
    kind: AutoAuditKind
    strategy: Strategy


@dataclass(frozen=True)
class Branch:
    """Another thing the others may do at a waiting point, and where it leads."""

    move: Move
    type: AfterSaleType
    status: Status


@dataclass(frozen=True)
class PathStep:
    """One move of the path: who made it, how to do it, and the case right after."""

    move: Move
    actor: Actor
    auto: AutoAuditKind | None
    type: AfterSaleType
    status: Status
    text: str
    branches: tuple[Branch, ...] = ()

    @property
    def yours(self) -> bool:
        """True for a click the person at the desk makes (not a parcel scan at the warehouse)."""
        return self.actor is Actor.MERCHANT and isinstance(self.move, MerchantAction)


@dataclass(frozen=True)
class LateOutcome:
    """What the engine does when the merchant lets the first deadline pass."""

    deadline: Deadline
    status: Status
    refunded_fen: int
    missed: bool


@dataclass(frozen=True)
class Decision:
    situation: Situation
    type: AfterSaleType | None
    types_at_stage: tuple[AfterSaleType, ...]
    product: Product
    supplier: Supplier
    assistant: AssistantAct | None = None
    steps: tuple[PathStep, ...] = ()
    final: Case | None = None
    final_order: OrderState | None = None
    late: LateOutcome | None = None

    @property
    def your_moves(self) -> list[Move]:
        return [s.move for s in self.steps if s.yours]

    @property
    def needs_address(self) -> bool:
        """True when someone agrees with a return address on this path."""
        return any(s.move in (MerchantAction.AGREE_RETURN, MerchantAction.AGREE_EXCHANGE)
                   for s in self.steps)


def case_type(stage: Stage, ask: BuyerAsk) -> AfterSaleType | None:
    """The type of the request `ask` at `stage`, or None when the course has no such request."""
    if (stage, ask) == RECEIVED_REFUND:
        return AfterSaleType.SHIPPED_REFUND
    return next((t for t in TYPES_FOR_ASK[ask] if STAGE_FOR_TYPE[t] is stage), None)


def types_at(stage: Stage) -> tuple[AfterSaleType, ...]:
    """The types a buyer can open at `stage` (what to offer when the ask does not fit)."""
    types = tuple(t for t in MODELLED_TYPES + EVERYDAY_TYPES if STAGE_FOR_TYPE[t] is stage)
    if stage is Stage.RECEIVED:
        types = (AfterSaleType.SHIPPED_REFUND, *types)
    return types


def strategy_of(policy: Policy, kind: AutoAuditKind) -> Strategy:
    """The strategy whose approvals are recorded as `kind`."""
    return next(s for s, setting in policy.strategies.items() if setting.auto_audit is kind)


def order_for(product: Product, order_id: str = "DD20260305006") -> Order:
    """A paid order of `product`, shipped by its supplier, with a masked buyer."""
    return Order(id=order_id, product_id=product.id, supplier_id=product.supplier_id,
                 paid_fen=product.price_fen, buyer=BUYER, buyer_phone=BUYER_PHONE)


def decide(situation: Situation, *, policy: Policy | None = None,
           suppliers: Mapping[str, Supplier] | None = None,
           products: Mapping[str, Product] | None = None) -> Decision:
    """How the order of `situation` goes, move by move, as the engine plays it."""
    base = policy or load_policy()
    suppliers = suppliers or load_suppliers()
    product = (products or load_products())[situation.product_id]
    supplier = suppliers[product.supplier_id]
    type_ = case_type(situation.stage, situation.ask)
    decision = Decision(situation, type_, types_at(situation.stage), product, supplier)
    if type_ is None:
        return decision
    order = order_for(product)
    policy = policy_with(situation.strategies, base)
    received = situation.stage is Stage.RECEIVED and type_ is AfterSaleType.SHIPPED_REFUND
    stalled = situation.lost and situation.stage is Stage.SHIPPED
    if type_ is AfterSaleType.RESEND and not stalled:
        return replace(decision, type=None)  # only a lost parcel is resent

    # The request as it lands, before anyone acts: ask the assistant about it.
    quiet, case_id = start_case(type_, strategies=[], order=order, policy=base, suppliers=suppliers,
                                received=received, stalled=stalled)
    reaction = assistant_decision(policy, quiet.cases[case_id], quiet.orders[order.id], supplier)
    assistant = AssistantAct(reaction[0], reaction[1], strategy_of(policy, reaction[1])) \
        if reaction else None

    desk, case_id = start_case(type_, strategies=situation.strategies, order=order, policy=base,
                               suppliers=suppliers, received=received, stalled=stalled)
    late = _late_outcome(desk, case_id)
    branches = _play_path(desk, case_id)
    steps = tuple(_steps(desk, case_id, supplier, branches))
    return replace(decision, assistant=assistant, steps=steps, final=desk.cases[case_id],
                   final_order=desk.orders[order.id], late=late)


def _play_path(desk: Desk, case_id: str) -> dict[int, tuple[Branch, ...]]:
    """Play the recommended path on `desk`; the branches seen at each waiting point, by log index."""
    branches: dict[int, tuple[Branch, ...]] = {}
    for _ in range(MAX_STEPS):
        case = desk.cases[case_id]
        if case.is_open and needs_person(case, desk):
            for move, address in staff_decision(case, desk):
                step(desk, case_id, move, address=address)
            continue
        if case.order_id in refunded_goods_leaving(desk):
            # Refunded, and the goods still leaving: a refund does not stop the upstream.
            stage = desk.orders[case.order_id].stage
            step(desk, case_id, MerchantAction.STOP_SHIPMENT if stage is Stage.UNSHIPPED
                 else MerchantAction.INTERCEPT_PARCEL)
            continue
        possible = possible_moves(desk, case_id)
        nxt = next((m for m in EXPECTED_OTHERS if m in possible), None)
        if nxt is None:
            break
        branches[len(desk.log)] = tuple(_branch(desk, case_id, m)
                                        for m in ALTERNATIVES if m in possible)
        step(desk, case_id, nxt)
    return branches


def _branch(desk: Desk, case_id: str, move: Move) -> Branch:
    other = fork(desk)
    step(other, case_id, move)
    case = other.cases[case_id]
    return Branch(move, case.type, case.status)


def _late_outcome(desk: Desk, case_id: str) -> LateOutcome | None:
    """The first merchant deadline left to nobody, played on a copy of `desk`."""
    case = desk.cases[case_id]
    if not case.is_open or case.status not in MERCHANT_NODES or case.deadline is None:
        return None
    deadline = desk.policy.deadline_for(case.status)
    other = fork(desk)
    step(other, case_id, ClockEvent.DEADLINE_PASSED)
    after = other.cases[case_id]
    return LateOutcome(deadline, after.status, after.refunded_fen, after.missed_deadline)


def _steps(desk: Desk, case_id: str, supplier: Supplier,
           branches: Mapping[int, tuple[Branch, ...]]) -> Iterable[PathStep]:
    """The path as the log recorded it, from the first move after the request."""
    marks = trail(desk, case_id)
    started = next(i for i, m in enumerate(marks) if m.event.case_id == case_id)
    index_of = {id(event): i for i, event in enumerate(desk.log)}
    amount = yuan(desk.cases[case_id].requested_fen)
    case = desk.cases[case_id]
    for mark in marks[started + 1:]:
        event = mark.event
        move_key = event.move
        if event.move is MerchantAction.AGREE_REFUND and case.got_pkg:
            move_key = "agree_refund_received"
        elif event.move is MerchantAction.AGREE_REFUND and desk.orders[case.order_id].stalled:
            move_key = "agree_refund_lost"
        yield PathStep(
            move=event.move, actor=event.actor, auto=event.auto, type=mark.type,
            status=mark.status,
            text=how(move_key, supplier=supplier.name, address=supplier.address.one_line(),
                     amount=amount),
            branches=branches.get(index_of.get(id(event), -1), ()))


def how(move: Move | str, **params: object) -> str:
    """How to do `move` (or what it means when someone else makes it), from the catalog; a
    string names a variant (`agree_refund_received`: the buyer has the goods)."""
    name = move if isinstance(move, str) else move.name.lower()
    return t(f"decide.how_{name}", **params)
