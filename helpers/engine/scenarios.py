"""One order, one after-sale case, a list of moves: the engine in a form lessons can use.

The explorer of lesson 01, the quiz answer keys, the capstone and the decision helper all build
their cases here, so they all ask the same engine (`helpers.engine.machine`) the same way:

    desk, case_id = start_case(AfterSaleType.RETURN_REFUND, strategies=[])
    case = play(desk, case_id, ["同意退货申请", "买家寄回商品"])
    outcome(AfterSaleType.RETURN_REFUND, ["同意退货申请"]).status   # Status.AWAIT_BUYER_RETURN

A simulated clock moves `STEP` per move; "超过处理时限" jumps to the case's deadline. Nothing here
reads the wall clock, so a scenario gives the same result every time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .codes import (
    ACTIONS_NEEDING_ADDRESS,
    REFUSING_ACTIONS,
    Actor,
    AfterSaleType,
    AutoAuditKind,
    BuyerAction,
    ClockEvent,
    Evidence,
    MerchantAction,
    ParcelState,
    Stage,
    Status,
)
from .ledger import Goods, Verdict, ledger
from .machine import (
    RULES,
    STAGE_FOR_TYPE,
    ActionNotAllowed,
    Case,
    Desk,
    Event,
    Move,
    OrderEvent,
    Request,
    actor_of,
    default_refusal,
)
from .model import Address, Order, Supplier, load_suppliers, shanghai
from .policy import Policy, Strategy, load_policy

# A synthetic order: product P01 (收纳盒三件套) shipped by supplier S01, buyer data masked.
SAMPLE_ORDER = Order(id="DD20260302001", product_id="P01", supplier_id="S01", paid_fen=3990,
                     buyer="张**", buyer_phone="138****5678")
START = shanghai(2026, 3, 2, 9, 0)
STEP = timedelta(minutes=5)

# Moves a trainee may make on one case. Order placement and the request itself are set up by
# `start_case`; handing the parcel to the courier stays playable for the 未发货 race.
MOVE_KINDS: tuple[type, ...] = (MerchantAction, BuyerAction, ParcelState, ClockEvent)
PLAYABLE_ORDER_EVENTS = (OrderEvent.HANDED_TO_COURIER,)


def parse_move(move: Move | str) -> Move:
    """A move, or its name (the platform's Chinese, e.g. "同意退货申请", or the shown label)."""
    if not isinstance(move, str):
        return move
    for kind in (*MOVE_KINDS, OrderEvent):
        for member in kind:
            if move in (member.zh, member.label):
                return member
    raise KeyError(move)


def policy_with(strategies: Iterable[Strategy | str] | None, policy: Policy | None = None) -> Policy:
    """`policy` (default: data/policy.toml) with exactly `strategies` on; None keeps the file's."""
    policy = policy or load_policy()
    if strategies is None:
        return policy
    on = {s if isinstance(s, Strategy) else Strategy(s) for s in strategies}
    for strategy in Strategy:
        policy = policy.with_strategy(strategy, strategy in on)
    return policy


def start_case(
    type: AfterSaleType,
    *,
    strategies: Iterable[Strategy | str] | None = None,
    order: Order = SAMPLE_ORDER,
    amount_fen: int | None = None,
    policy: Policy | None = None,
    suppliers: Mapping[str, Supplier] | None = None,
    at: datetime = START,
    received: bool = False,
    stalled: bool = False,
    request: Request | None = None,
) -> tuple[Desk, str]:
    """A desk with `order` brought to the stage `type` needs and the buyer's request opened.

    `strategies` lists the 售后小助手 strategies that are on (all others off); None keeps
    policy.toml as it is. The assistant may already have acted when this returns.
    `received` opens a 仅退款 after the buyer signed for the parcel (已收货仅退款);
    `stalled` lets the parcel's tracking stop first (a lost parcel; always so for 补寄).
    `request` replaces the plain request (a 七天无理由 reason, a claim that is not true).
    """
    desk = Desk(policy=policy_with(strategies, policy), suppliers=suppliers or load_suppliers())
    desk.apply(Event(at, OrderEvent.ORDER_PLACED, actor_of(OrderEvent.ORDER_PLACED), order.id,
                     order=order))
    stage = Stage.RECEIVED if received else STAGE_FOR_TYPE[type]
    if stage is not Stage.UNSHIPPED:
        desk.apply(Event(at, OrderEvent.HANDED_TO_COURIER,
                         actor_of(OrderEvent.HANDED_TO_COURIER), order.id))
    if stage is Stage.RECEIVED:
        desk.apply(Event(at, ParcelState.SIGNED_BY_BUYER, actor_of(ParcelState.SIGNED_BY_BUYER),
                         order.id))
    if stage is Stage.SHIPPED and (stalled or type is AfterSaleType.RESEND):
        desk.apply(Event(at, OrderEvent.PARCEL_STALLED, Actor.COURIER, order.id))
    if request is None:
        request = Request(type, order.paid_fen if amount_fen is None else amount_fen)
    recorded = desk.apply(Event(at, OrderEvent.APPLY, actor_of(OrderEvent.APPLY), order.id,
                                request=request))
    return desk, recorded[0].case_id


def step(desk: Desk, case_id: str, move: Move | str, *, address: Address | None = None,
         reason_code: int | None = None, evidence: tuple[Evidence, ...] | None = None,
         amount_fen: int | None = None) -> list[Event]:
    """Make one move on the case a `STEP` later; returns what the desk recorded.

    101/301 use `address`, by default the return address of the supplier that ships the item.
    A refusal uses `reason_code` and `evidence`, by default the first reject reason that fits
    and the evidence it needs; a 协商 proposes `amount_fen`.
    Raises ActionNotAllowed (desk unchanged) when the engine refuses the move.
    """
    move = parse_move(move)
    case = desk.cases[case_id]
    now = desk.now or case.opened_at
    at = now + STEP
    if move is ClockEvent.DEADLINE_PASSED and case.deadline is not None:
        at = max(case.deadline, now)
    if move in ACTIONS_NEEDING_ADDRESS and address is None:
        address = desk.supplier_of(case.order_id).address
    if move in REFUSING_ACTIONS and reason_code is None:
        reason_code, default_evidence = default_refusal(desk.policy, case)
        evidence = default_evidence if evidence is None else evidence
    if move is MerchantAction.PROPOSE_PARTIAL and amount_fen is None:
        amount_fen = case.requested_fen // 2
    arbitration = desk.arbitrations.get(case_id)
    if move is ClockEvent.DEADLINE_PASSED and arbitration is not None and arbitration.is_open:
        at = max(arbitration.deadline, now)
    return desk.apply(Event(at=at, move=move, actor=actor_of(move), order_id=case.order_id,
                            case_id=case_id, address=address, reason_code=reason_code,
                            evidence=tuple(evidence or ()), amount_fen=amount_fen))


def play(desk: Desk, case_id: str, moves: Iterable[Move | str], *,
         address: Address | None = None) -> Case:
    """Make `moves` in order (see `step`); the case afterwards. Stops at the first refusal."""
    for move in moves:
        step(desk, case_id, move, address=address)
    return desk.cases[case_id]


def fork(desk: Desk) -> Desk:
    """An independent copy of `desk` (its values are frozen, so copying the containers is enough)."""
    return replace(desk, orders=dict(desk.orders), cases=dict(desk.cases), log=list(desk.log),
                   arbitrations=dict(desk.arbitrations))


def candidate_moves(case_type: AfterSaleType) -> tuple[Move, ...]:
    """Every move the course offers on a case of `case_type`, allowed now or not."""
    moves: list[Move] = []
    for (rule_type, _status), allowed in RULES.items():
        if rule_type is case_type:
            moves += [m for m in allowed if m not in moves]
    if STAGE_FOR_TYPE[case_type] is not Stage.RECEIVED:
        moves += list(ParcelState)
    if STAGE_FOR_TYPE[case_type] is Stage.UNSHIPPED:
        moves += PLAYABLE_ORDER_EVENTS
    return tuple(sorted(moves, key=_kind_order))


def _kind_order(move: Move) -> int:
    kinds = (MerchantAction, OrderEvent, BuyerAction, ParcelState, ClockEvent)
    return kinds.index(type(move))


def possible_moves(desk: Desk, case_id: str) -> list[Move]:
    """The moves of `candidate_moves` the engine accepts now (tried on a copy of the desk)."""
    case = desk.cases[case_id]
    possible = []
    for move in candidate_moves(case.type):
        try:
            step(fork(desk), case_id, move)
        except ActionNotAllowed:
            continue
        possible.append(move)
    return possible


@dataclass(frozen=True)
class Mark:
    """One entry of a case's trail: a move and the case's type and status right after it."""

    event: Event
    type: AfterSaleType
    status: Status


def trail(desk: Desk, case_id: str) -> list[Mark]:
    """Every event of the case's order from the request on, with the case's status after it.

    Rebuilt from the log alone, so it is what the engine recorded, not what a widget remembers.
    """
    replayed = Desk(policy=desk.policy, suppliers=desk.suppliers, assistant=False)
    marks = []
    for event in desk.log:
        replayed.apply(event)
        case = replayed.cases.get(case_id)
        if case is not None and event.order_id == case.order_id:
            marks.append(Mark(event, case.type, case.status))
    return marks


@dataclass(frozen=True)
class Outcome:
    """How a scenario ended: what a quiz question or a score can be checked against."""

    type: AfterSaleType
    status: Status
    refunded_fen: int
    auto: AutoAuditKind | None
    missed_deadline: bool
    stage: Stage
    parcel: ParcelState | None
    possible: tuple[Move, ...]
    refused: Move | None = None
    message: str = ""
    goods: Goods | None = None  # where the goods are (the ledger)
    verdict: Verdict | None = None  # what it cost: 钱货两清, 钱货两失, ...

    @property
    def accepted(self) -> bool:
        """True when the engine accepted every move of the scenario."""
        return self.refused is None


def outcome(
    type: AfterSaleType,
    moves: Sequence[Move | str] = (),
    *,
    strategies: Iterable[Strategy | str] | None = None,
    address: Address | None = None,
    amount_fen: int | None = None,
    policy: Policy | None = None,
    received: bool = False,
    stalled: bool = False,
    request: Request | None = None,
) -> Outcome:
    """Start a case of `type`, make `moves`; how it ended (the first refused move stops it).
    `received`, `stalled` and `request` are start_case's."""
    desk, case_id = start_case(type, strategies=strategies, amount_fen=amount_fen, policy=policy,
                               received=received, stalled=stalled, request=request)
    refused, message = None, ""
    for move in moves:
        try:
            step(desk, case_id, move, address=address)
        except ActionNotAllowed as error:
            refused, message = parse_move(move), str(error)
            break
    case = desk.cases[case_id]
    order = desk.orders[case.order_id]
    book = ledger(desk, case.order_id)
    return Outcome(type=case.type, status=case.status, refunded_fen=case.refunded_fen,
                   auto=case.auto, missed_deadline=case.missed_deadline, stage=order.stage,
                   parcel=order.parcel, possible=tuple(possible_moves(desk, case_id)),
                   refused=refused, message=message, goods=book.goods, verdict=book.verdict)
