"""The after-sale state machine: one desk of orders and cases, driven by events.

Everything that happens (an order placed, a request, a merchant click, a parcel scan, a deadline
passing, a 售后小助手 decision) is an `Event`. `Desk.apply` checks it against the rules of the
current state; an event that is not allowed raises `ActionNotAllowed` and changes nothing. An
allowed event is recorded in the log, and replaying the log rebuilds the same desk.

The rules follow shared/DESIGN.md: 仅退款 before shipment (type 2, agreed with 401, answered by
shipping) and after (type 1, with 拒签后退款 and interception), 退货退款 with two reviews (type 0)
and 换货 (type 3). The desk allows what the back office allows, no more: another upstream's valid
address goes through (the goods go there: `OrderState.returned_to`), a refund does not stop a
parcel, and nothing agreed is undone. Warnings are the coach's (`helpers.lessons.coach`); where
money and goods end up is `helpers.engine.ledger`. What a passed deadline does is policy.toml's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from ..strings import t
from .addresses import address_problems, supplier_at
from .codes import (
    ACTIONS_NEEDING_ADDRESS,
    PARCEL_STATES_GOODS_COMING_BACK,
    Actor,
    AfterSaleType,
    AutoAuditKind,
    BuyerAction,
    ClockEvent,
    Labeled,
    MerchantAction,
    ParcelState,
    RefundStatus,
    Stage,
    Status,
)
from .model import Address, Order, Supplier, yuan
from .policy import Policy, Strategy, TimeoutOutcome


class OrderEvent(Labeled):
    """Order-level events (course codes)."""

    ORDER_PLACED = "order_placed", "买家下单"
    HANDED_TO_COURIER = "handed_to_courier", "包裹已交给快递"
    APPLY = "apply", "买家申请售后"


Move = MerchantAction | BuyerAction | ParcelState | OrderEvent | ClockEvent


class ActionNotAllowed(Exception):
    """An event the current state does not allow. Nothing was changed."""


@dataclass(frozen=True)
class Request:
    """What the buyer asks for when opening an after-sale."""

    type: AfterSaleType
    amount_fen: int
    reason: str = ""


@dataclass(frozen=True)
class Event:
    at: datetime
    move: Move
    actor: Actor
    order_id: str
    case_id: str | None = None
    address: Address | None = None
    auto: AutoAuditKind | None = None
    request: Request | None = None
    order: Order | None = None


@dataclass(frozen=True)
class OrderState:
    order: Order
    stage: Stage = Stage.UNSHIPPED
    parcel: ParcelState | None = None
    intercept_requested: bool = False
    refunded_fen: int = 0
    shipment_cancelled: bool = False  # the upstream's 拍单 order was cancelled before it shipped
    # Where the buyer mailed the goods back: a supplier id, "" for an address not in the book,
    # None while the goods have not been mailed back.
    returned_to: str | None = None


@dataclass(frozen=True)
class Case:
    id: str
    order_id: str
    type: AfterSaleType
    status: Status
    requested_fen: int
    opened_at: datetime
    reason: str = ""
    deadline: datetime | None = None
    refund_status: RefundStatus | None = None
    refunded_fen: int = 0
    return_address: Address | None = None
    refusal_agreed: bool = False
    answered_at: datetime | None = None
    answered_by: Actor | None = None
    auto: AutoAuditKind | None = None
    closed_at: datetime | None = None
    missed_deadline: bool = False  # the merchant let one of its nodes run out

    @property
    def is_open(self) -> bool:
        return not self.status.is_terminal


@dataclass(frozen=True)
class Snapshot:
    """The whole state of a desk, comparable with ==."""

    orders: Mapping[str, OrderState]
    cases: Mapping[str, Case]
    now: datetime | None


# ---- the rules: which moves each (type, status) allows ------------------------------------

T, S, M, B = AfterSaleType, Status, MerchantAction, BuyerAction

RULES: dict[tuple[AfterSaleType, Status], tuple[Move, ...]] = {
    # 售前退 (A3): agreed with 401, no refuse code; shipping (uploading the tracking number)
    # answers it.
    (T.UNSHIPPED_REFUND, S.AWAIT_MERCHANT): (
        M.AGREE_PRESALE_REFUND, M.SHIP_ORDER, M.STOP_SHIPMENT, M.INTERCEPT_PARCEL,
        B.CANCEL, ClockEvent.DEADLINE_PASSED),
    (T.SHIPPED_REFUND, S.AWAIT_MERCHANT): (
        M.AGREE_REFUND, M.REFUSE_REFUND, M.AGREE_REFUND_AFTER_REFUSAL, M.INTERCEPT_PARCEL,
        B.CANCEL, ClockEvent.DEADLINE_PASSED),
    (T.RETURN_REFUND, S.AWAIT_MERCHANT): (
        M.AGREE_RETURN, M.REFUSE_RETURN, M.RETURN_TO_REFUND, B.CANCEL, ClockEvent.DEADLINE_PASSED),
    (T.RETURN_REFUND, S.AWAIT_BUYER_RETURN): (
        B.SHIP_BACK, M.RETURN_TO_REFUND, B.CANCEL, ClockEvent.DEADLINE_PASSED),
    (T.RETURN_REFUND, S.AWAIT_SECOND_REVIEW): (
        M.CONFIRM_RETURN_RECEIVED, M.REFUSE_RETURN_RECEIVED, ClockEvent.DEADLINE_PASSED),
    (T.EXCHANGE, S.AWAIT_MERCHANT): (
        M.AGREE_EXCHANGE, M.REFUSE_EXCHANGE, B.CANCEL, ClockEvent.DEADLINE_PASSED),
    (T.EXCHANGE, S.AWAIT_BUYER_RETURN): (B.SHIP_BACK, B.CANCEL, ClockEvent.DEADLINE_PASSED),
    (T.EXCHANGE, S.AWAIT_SECOND_REVIEW): (
        M.RESHIP_EXCHANGE, M.REFUSE_EXCHANGE_RECEIVED, M.EXCHANGE_TO_REFUND,
        ClockEvent.DEADLINE_PASSED),
    (T.EXCHANGE, S.AWAIT_BUYER_RECEIVE): (B.CONFIRM_RECEIPT, ClockEvent.DEADLINE_PASSED),
}

# Which order stage a request of each type needs.
STAGE_FOR_TYPE = {
    T.UNSHIPPED_REFUND: Stage.UNSHIPPED,
    T.SHIPPED_REFUND: Stage.SHIPPED,
    T.RETURN_REFUND: Stage.RECEIVED,
    T.EXCHANGE: Stage.RECEIVED,
}

# Where a simple move leads: (type, status, move) -> next status. Moves with side effects
# (refunds, addresses, parcels) are handled in `_case_move`.
NEXT_STATUS = {
    M.REFUSE_REFUND: S.REFUSED_FIRST,
    M.REFUSE_RETURN: S.REFUSED_FIRST,
    M.REFUSE_EXCHANGE: S.REFUSED_FIRST,
    M.REFUSE_RETURN_RECEIVED: S.REFUSED_SECOND,
    M.REFUSE_EXCHANGE_RECEIVED: S.REFUSED_SECOND,
    M.RESHIP_EXCHANGE: S.AWAIT_BUYER_RECEIVE,
    # Course rule: the back office closes a 售前退 answered by shipping; the course records it
    # as 商家一次拒绝 (the buyer may then apply for 已发货仅退款).
    M.SHIP_ORDER: S.REFUSED_FIRST,
    B.SHIP_BACK: S.AWAIT_SECOND_REVIEW,
    B.CANCEL: S.CANCELLED,
    B.CONFIRM_RECEIPT: S.EXCHANGE_SUCCESS,
}

REFUNDING_MOVES = frozenset({
    M.AGREE_REFUND, M.AGREE_PRESALE_REFUND, M.RETURN_TO_REFUND, M.CONFIRM_RETURN_RECEIVED,
    M.EXCHANGE_TO_REFUND,
})

# The nodes where the merchant must act before the deadline.
MERCHANT_NODES = frozenset({S.AWAIT_MERCHANT, S.AWAIT_SECOND_REVIEW})

# Moves the merchant (or the assistant for the merchant) makes: they count as an answer.
ANSWERING_MOVES = frozenset(MerchantAction) - {M.INTERCEPT_PARCEL, M.STOP_SHIPMENT}

# Moves on the parcel rather than on a case: with no open case they still go (a refunded
# order's parcel can be intercepted; the upstream's 拍单 can be cancelled).
ORDER_LEVEL_MOVES = frozenset({M.INTERCEPT_PARCEL, M.STOP_SHIPMENT})


def allowed_moves(case: Case) -> tuple[Move, ...]:
    """The moves the rules list for the case's type and status (before any guard)."""
    return RULES.get((case.type, case.status), ())


def _names(moves: Iterable[Move]) -> str:
    return t("engine.list_sep").join(m.label for m in moves) or t("engine.nothing")


class MoveNotInRules(ActionNotAllowed):
    """A move the case's state does not offer. `Desk.apply` turns it into a message that lists
    what `possible_moves` would accept (worked out after the desk is restored)."""

    def __init__(self, case: Case, move: Move) -> None:
        super().__init__(move.label)
        self.case, self.move = case, move


def not_allowed(case: Case, move: Move, possible: Iterable[Move]) -> ActionNotAllowed:
    return ActionNotAllowed(t("engine.not_allowed", status=case.status.label, move=move.label,
                              allowed=_names(possible)))


# ---- the desk ------------------------------------------------------------------------------

@dataclass
class Desk:
    """Orders, their after-sale cases and the event log of one shop."""

    policy: Policy
    suppliers: Mapping[str, Supplier]
    orders: dict[str, OrderState] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    log: list[Event] = field(default_factory=list)
    now: datetime | None = None
    assistant: bool = True

    # -- reading

    def snapshot(self) -> Snapshot:
        return Snapshot(dict(self.orders), dict(self.cases), self.now)

    def open_case_of(self, order_id: str) -> Case | None:
        return next((c for c in self.cases.values()
                     if c.order_id == order_id and c.is_open), None)

    def supplier_of(self, order_id: str) -> Supplier:
        return self.suppliers[self.orders[order_id].order.supplier_id]

    def possible_moves(self, case_id: str) -> list[Move]:
        """The moves that would be accepted next.

        101/301 are tried with the right supplier's address; the deadline counts as reachable
        (the clock only has to run), so the trainee sees what happens if nobody answers.
        """
        case = self.cases[case_id]
        if not case.is_open:
            return []
        possible = []
        for move in allowed_moves(case) + tuple(ParcelState):
            at = case.deadline if move is ClockEvent.DEADLINE_PASSED and case.deadline else self.now
            event = self._probe_event(case, move, at)
            try:
                self._transition(event)
            except ActionNotAllowed:
                continue
            possible.append(move)
        return possible

    def _probe_event(self, case: Case, move: Move, at: datetime | None) -> Event:
        address = (self.supplier_of(case.order_id).address
                   if move in ACTIONS_NEEDING_ADDRESS else None)
        return Event(at=at or case.opened_at, move=move, actor=actor_of(move),
                     order_id=case.order_id, case_id=case.id, address=address)

    # -- changing

    def apply(self, event: Event, *, expire: bool = True) -> list[Event]:
        """Apply `event` and the assistant's reactions; returns what was recorded.

        Deadlines that pass before `event.at` expire first, as they would on the platform
        (`expire=False` only for those expiries themselves). Raises ActionNotAllowed, with the
        desk unchanged, when the event is not allowed.
        """
        saved = (self.orders, self.cases, len(self.log), self.now)
        try:
            # Every deadline due by then expires first, in order; a passed deadline named by
            # `event` itself is left for the event (so an earlier one never runs behind the clock).
            skip = event.case_id if event.move is ClockEvent.DEADLINE_PASSED else None
            recorded = self._expire_until(event.at, skip=skip) if expire else []
            orders, cases, event = self._transition(event)
        except ActionNotAllowed as error:
            self.orders, self.cases, self.now = saved[0], saved[1], saved[3]
            del self.log[saved[2]:]
            if isinstance(error, MoveNotInRules):
                raise not_allowed(error.case, error.move,
                                  self.possible_moves(error.case.id)) from None
            raise
        self.orders, self.cases = orders, cases
        self.now = max(self.now, event.at) if self.now else event.at
        self.log.append(event)
        recorded.append(event)
        if self.assistant:
            for reaction in self._assistant_reactions(event):
                recorded += self.apply(reaction)
        return recorded

    def advance_to(self, when: datetime) -> list[Event]:
        """Move the clock to `when`, letting every deadline that passes on the way expire.

        The clock's move is itself recorded (「时间流逝」), so a replay ends on the same clock.
        """
        if self.now is None or when > self.now:
            return self.apply(Event(at=when, move=ClockEvent.CLOCK_MOVED, actor=Actor.PLATFORM,
                                    order_id=""))
        return self._expire_until(when)

    def _expire_until(self, when: datetime, skip: str | None = None) -> list[Event]:
        """Let every open deadline up to `when` pass, earliest first (not the case `skip`)."""
        recorded: list[Event] = []
        while True:
            due = sorted((c.deadline, c.id) for c in self.cases.values()
                         if c.is_open and c.deadline and c.deadline <= when and c.id != skip)
            if not due:
                return recorded
            deadline, case_id = due[0]
            at = max(deadline, self.now) if self.now else deadline
            recorded += self.apply(Event(at=at, move=ClockEvent.DEADLINE_PASSED,
                                         actor=Actor.PLATFORM,
                                         order_id=self.cases[case_id].order_id, case_id=case_id),
                                   expire=False)

    def next_case_id(self) -> str:
        return f"AS{len(self.cases) + 1:05d}"

    # -- the rules

    def _transition(self, event: Event) -> tuple[dict, dict, Event]:
        """New orders and cases after `event`, or ActionNotAllowed; self is not touched."""
        if self.now is not None and event.at < self.now:
            raise ActionNotAllowed(t("engine.time_backwards", at=_clock(event.at),
                                     now=_clock(self.now)))
        orders, cases = dict(self.orders), dict(self.cases)
        move = event.move
        if move is ClockEvent.CLOCK_MOVED:
            return orders, cases, event
        if move is OrderEvent.ORDER_PLACED:
            if event.order is None or event.order.id in orders:
                raise ActionNotAllowed(t("engine.bad_order", order=event.order_id))
            orders[event.order_id] = OrderState(event.order)
            return orders, cases, event
        if event.order_id not in orders:
            raise ActionNotAllowed(t("engine.unknown_order", order=event.order_id))
        order = orders[event.order_id]

        if move is OrderEvent.HANDED_TO_COURIER:
            if order.stage is not Stage.UNSHIPPED:
                raise ActionNotAllowed(t("engine.already_shipped", order=event.order_id))
            if order.shipment_cancelled:
                # The upstream's 拍单 order was cancelled: there is no parcel to hand over.
                raise ActionNotAllowed(t("engine.shipment_cancelled", order=event.order_id))
            # A refund does not stop it: the upstream ships from its own 拍单 order.
            orders[event.order_id] = replace(order, stage=Stage.SHIPPED)
            return orders, cases, event
        if move is OrderEvent.APPLY:
            event = self._check_request(event, order, cases)
            case = Case(id=event.case_id, order_id=order.order.id, type=event.request.type,
                        status=S.AWAIT_MERCHANT, requested_fen=event.request.amount_fen,
                        opened_at=event.at, reason=event.request.reason)
            cases[case.id] = self._with_deadline(case, event.at)
            return orders, cases, event
        if isinstance(move, ParcelState):
            return self._parcel_move(event, order, orders, cases)

        case = cases.get(event.case_id or "")
        if move in ORDER_LEVEL_MOVES and (case is None or not case.is_open) \
                and self.open_case_of(order.order.id) is None:
            orders[order.order.id] = self._parcel_action(order, move)
            return orders, cases, replace(event, case_id=None)
        if case is None or case.order_id != event.order_id:
            raise ActionNotAllowed(t("engine.unknown_case", case=event.case_id))
        if move not in allowed_moves(case):
            raise MoveNotInRules(case, move)
        new_case, new_order = self._case_move(case, order, event)
        cases[case.id] = new_case
        orders[order.order.id] = new_order
        return orders, cases, event

    def _check_request(self, event: Event, order: OrderState, cases: dict) -> Event:
        request = event.request
        if request is None or request.type not in STAGE_FOR_TYPE:
            raise ActionNotAllowed(t("engine.bad_request"))
        if any(c.order_id == order.order.id and c.is_open for c in cases.values()):
            raise ActionNotAllowed(t("engine.case_open", order=order.order.id))
        needed = STAGE_FOR_TYPE[request.type]
        if order.stage is not needed or (needed is Stage.SHIPPED and order.parcel is not None):
            raise ActionNotAllowed(t("engine.wrong_stage", type=request.type.label,
                                     stage=order.stage.label, needed=needed.label))
        left = order.order.paid_fen - order.refunded_fen
        if request.type is T.EXCHANGE and left > 0:
            # An exchange asks for other goods, not for money: if it turns into a refund
            # (换货转退款, or a passed deadline), what is refunded is what the goods cost.
            request = replace(request, amount_fen=left)
            event = replace(event, request=request)
        if not 0 < request.amount_fen <= left:
            raise ActionNotAllowed(t("engine.bad_amount", amount=yuan(request.amount_fen),
                                     left=yuan(left)))
        case_id = event.case_id or f"AS{len(cases) + 1:05d}"
        if case_id in cases:
            raise ActionNotAllowed(t("engine.case_exists", case=case_id))
        return replace(event, case_id=case_id)

    def _with_deadline(self, case: Case, start: datetime) -> Case:
        deadline = self.policy.deadline_for(case.status)
        if case.status.is_terminal:
            return replace(case, deadline=None, closed_at=start)
        return replace(case, deadline=start + deadline.duration if deadline else None)

    def _case_move(self, case: Case, order: OrderState, event: Event) -> tuple[Case, OrderState]:
        move, at = event.move, event.at
        if move in ANSWERING_MOVES and case.answered_at is None:
            case = replace(case, answered_at=at, answered_by=event.actor)
        if event.auto is not None:
            case = replace(case, auto=event.auto)

        if move is ClockEvent.DEADLINE_PASSED:
            return self._deadline_passed(case, order, at)
        if move in ORDER_LEVEL_MOVES:
            return case, self._parcel_action(order, move)
        if move is M.SHIP_ORDER and order.stage is Stage.UNSHIPPED:
            raise ActionNotAllowed(t("engine.nothing_to_ship", order=order.order.id))
        if case.refusal_agreed and move in (M.AGREE_REFUND_AFTER_REFUSAL, M.REFUSE_REFUND):
            # Agreed to refund once the parcel is refused: neither again nor a refusal now.
            raise ActionNotAllowed(t("engine.refusal_already_agreed", move=move.label))
        if move is M.AGREE_REFUND_AFTER_REFUSAL:
            return replace(case, refusal_agreed=True, deadline=None), order
        if move in ACTIONS_NEEDING_ADDRESS:
            # The platform checks the address is complete and valid; which upstream ships the
            # item is the shop's own knowledge, so another upstream's address goes through.
            problems = address_problems(event.address)
            if problems:
                raise ActionNotAllowed(t("engine.bad_address",
                                         problems=t("engine.problem_sep").join(problems)))
            case = replace(case, return_address=event.address, status=S.AWAIT_BUYER_RETURN)
            return self._with_deadline(case, at), order
        if move in REFUNDING_MOVES:
            self._check_refund_allowed(case, move)
            return self._refund(case, order, at)
        if move is B.SHIP_BACK and case.return_address is not None:
            owner = supplier_at(case.return_address, self.suppliers)
            order = replace(order, returned_to=owner.id if owner else "")
        case = replace(case, status=NEXT_STATUS[move])
        return self._with_deadline(case, at), order

    def _parcel_action(self, order: OrderState, move: Move) -> OrderState:
        """取消发货 (cancel the upstream's 拍单 in time) or 申请快递拦截, case or no case."""
        if move is M.STOP_SHIPMENT:
            if order.stage is not Stage.UNSHIPPED or order.shipment_cancelled:
                raise ActionNotAllowed(t("engine.cannot_stop", stage=order.stage.label))
            return replace(order, shipment_cancelled=True)
        if order.stage is not Stage.SHIPPED or order.parcel is not None \
                or order.intercept_requested:
            raise ActionNotAllowed(t("engine.cannot_intercept", stage=order.stage.label))
        return replace(order, intercept_requested=True)

    def _check_refund_allowed(self, case: Case, move: Move) -> None:
        if move is M.AGREE_REFUND and case.refusal_agreed:
            # Course rule: after 203 the refund waits for the parcel (以后台为准).
            raise ActionNotAllowed(t("engine.wait_for_refusal"))

    def _refund(self, case: Case, order: OrderState, at: datetime) -> tuple[Case, OrderState]:
        amount = case.requested_fen
        if case.refunded_fen or order.refunded_fen + amount > order.order.paid_fen:
            raise ActionNotAllowed(t("engine.over_refund", amount=yuan(amount),
                                     paid=yuan(order.order.paid_fen)))
        case = replace(case, status=S.SUCCESS, refund_status=RefundStatus.SUCCESS,
                       refunded_fen=amount)
        order = replace(order, refunded_fen=order.refunded_fen + amount)
        return self._with_deadline(case, at), order

    def _deadline_passed(self, case: Case, order: OrderState,
                         at: datetime) -> tuple[Case, OrderState]:
        if case.deadline is None:
            raise ActionNotAllowed(t("engine.no_deadline", status=case.status.label))
        if at < case.deadline:
            raise ActionNotAllowed(t("engine.not_yet_due", status=case.status.label))
        # What happens is the course's own rule, read from policy.toml (`outcome`).
        deadline = self.policy.deadline_for(case.status)
        outcome = deadline.outcome if deadline else TimeoutOutcome.CLOSE_FAILED
        if deadline is not None and deadline.record_missed:
            case = replace(case, missed_deadline=True)
        if outcome is TimeoutOutcome.CONFIRM_RECEIPT:
            return self._with_deadline(replace(case, status=S.EXCHANGE_SUCCESS), at), order
        if outcome is TimeoutOutcome.REFUND_BUYER and not case.refunded_fen \
                and order.refunded_fen + case.requested_fen <= order.order.paid_fen:
            # An exchange is turned into a refund, as 换货转退款 would.
            return self._refund(case, order, at)
        return self._with_deadline(replace(case, status=S.FAILED), at), order

    def _parcel_move(self, event: Event, order: OrderState, orders: dict,
                     cases: dict) -> tuple[dict, dict, Event]:
        move = event.move
        allowed_from = {
            ParcelState.REFUSED_BY_BUYER: order.stage is Stage.SHIPPED and order.parcel is None,
            ParcelState.SIGNED_BY_BUYER: order.stage is Stage.SHIPPED and order.parcel is None
            and not order.intercept_requested,
            ParcelState.RETURNING: order.stage is Stage.SHIPPED and (
                order.parcel is ParcelState.REFUSED_BY_BUYER
                or (order.parcel is None and order.intercept_requested)),
            ParcelState.SIGNED_BY_MERCHANT: order.parcel is ParcelState.RETURNING,
        }
        if not allowed_from[move]:
            raise ActionNotAllowed(t("engine.parcel_not_allowed", move=move.label,
                                     stage=order.stage.label,
                                     parcel=order.parcel.label if order.parcel else "—"))
        order = replace(order, parcel=move)
        if move is ParcelState.SIGNED_BY_BUYER:
            order = replace(order, stage=Stage.RECEIVED)
        case = next((c for c in cases.values() if c.order_id == order.order.id and c.is_open),
                    None)
        if case is not None:
            if move is ParcelState.SIGNED_BY_BUYER and case.type is T.SHIPPED_REFUND:
                # The buyer took the parcel after all: the refund request becomes a return.
                case = replace(case, type=T.RETURN_REFUND, refusal_agreed=False,
                               answered_at=None, answered_by=None, auto=None)
                cases[case.id] = self._with_deadline(case, event.at)
            elif case.refusal_agreed and move in PARCEL_STATES_GOODS_COMING_BACK:
                # 拒签后退款: the goods are on their way back, so the refund may go now.
                case, order = self._refund(case, order, event.at)
                cases[case.id] = case
        orders[order.order.id] = order
        return orders, cases, replace(event, case_id=case.id if case else None)

    # -- the 售后小助手

    def _assistant_reactions(self, event: Event) -> list[Event]:
        case = self.cases.get(event.case_id or "") or self.open_case_of(event.order_id)
        if case is None or not case.is_open:
            return []
        reaction = assistant_decision(self.policy, case, self.orders[case.order_id],
                                      self.supplier_of(case.order_id))
        if reaction is None:
            return []
        move, kind = reaction
        address = self.supplier_of(case.order_id).address if move in ACTIONS_NEEDING_ADDRESS \
            else None
        return [Event(at=event.at, move=move, actor=Actor.ASSISTANT, order_id=case.order_id,
                      case_id=case.id, address=address, auto=kind)]

    @classmethod
    def replay(cls, log: Iterable[Event], policy: Policy,
               suppliers: Mapping[str, Supplier]) -> Desk:
        """A new desk built from `log` alone (the assistant's decisions are in the log)."""
        desk = cls(policy=policy, suppliers=suppliers, assistant=False)
        for event in log:
            desk.apply(event)
        desk.assistant = True
        return desk


def assistant_decision(policy: Policy, case: Case, order: OrderState,
                       supplier: Supplier) -> tuple[MerchantAction, AutoAuditKind] | None:
    """What the 售后小助手 does for `case` under `policy`, or None (a person must decide)."""
    if case.status is not S.AWAIT_MERCHANT:
        return None

    def kind(strategy: Strategy) -> AutoAuditKind:
        return policy.strategies[strategy].auto_audit

    agree = M.AGREE_PRESALE_REFUND if case.type is T.UNSHIPPED_REFUND else M.AGREE_REFUND
    if case.type is T.UNSHIPPED_REFUND and order.stage is Stage.UNSHIPPED \
            and policy.is_on(Strategy.UNSHIPPED_AUTO_REFUND):
        return agree, kind(Strategy.UNSHIPPED_AUTO_REFUND)
    if case.type in (T.UNSHIPPED_REFUND, T.SHIPPED_REFUND) and order.intercept_requested \
            and order.parcel is ParcelState.RETURNING and not case.refusal_agreed \
            and policy.is_on(Strategy.INTERCEPT_AUTO_REFUND):
        return agree, kind(Strategy.INTERCEPT_AUTO_REFUND)
    if case.type is T.SHIPPED_REFUND and not case.refusal_agreed and order.parcel is None \
            and policy.is_on(Strategy.REFUND_AFTER_REFUSAL):
        return M.AGREE_REFUND_AFTER_REFUSAL, kind(Strategy.REFUND_AFTER_REFUSAL)
    if case.type is T.RETURN_REFUND and policy.is_on(Strategy.AUTO_AGREE_RETURN) \
            and not address_problems(supplier.address):
        return M.AGREE_RETURN, kind(Strategy.AUTO_AGREE_RETURN)
    return None


ACTOR_OF_KIND: dict[type, Actor] = {
    MerchantAction: Actor.MERCHANT,
    BuyerAction: Actor.BUYER,
    ParcelState: Actor.COURIER,
    ClockEvent: Actor.PLATFORM,
}


def actor_of(move: Move) -> Actor:
    """Who normally makes `move` (the assistant makes merchant moves too)."""
    if move is ParcelState.REFUSED_BY_BUYER or move is ParcelState.SIGNED_BY_BUYER:
        return Actor.BUYER
    if move is ParcelState.SIGNED_BY_MERCHANT:
        return Actor.MERCHANT
    if isinstance(move, OrderEvent):
        return Actor.COURIER if move is OrderEvent.HANDED_TO_COURIER else Actor.BUYER
    return ACTOR_OF_KIND[type(move)]


def _clock(at: datetime) -> str:
    return at.strftime("%m-%d %H:%M")

