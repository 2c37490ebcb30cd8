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
from datetime import datetime, timedelta

from ..strings import t
from .addresses import address_problems, supplier_at
from .codes import (
    ACTIONS_NEEDING_ADDRESS,
    PARCEL_STATES_GOODS_COMING_BACK,
    REFUSING_ACTIONS,
    Actor,
    AfterSaleType,
    ArbitrateStatus,
    AutoAuditKind,
    Blame,
    BuyerAction,
    ClockEvent,
    Evidence,
    Labeled,
    MerchantAction,
    ParcelState,
    PartType,
    RefundStatus,
    ReturnReason,
    Stage,
    Status,
)
from .model import Address, Order, Supplier, yuan
from .policy import Policy, ReasonCheck, RejectReason, Strategy, TimeoutOutcome


class OrderEvent(Labeled):
    """Order-level events (course codes)."""

    ORDER_PLACED = "order_placed", "买家下单"
    HANDED_TO_COURIER = "handed_to_courier", "包裹已交给快递"
    APPLY = "apply", "买家申请售后"
    # Course value: the tracking stops moving (疑似丢件); 补寄 or a refund may follow.
    PARCEL_STALLED = "parcel_stalled", "物流停滞（疑似丢件）"


Move = MerchantAction | BuyerAction | ParcelState | OrderEvent | ClockEvent


class ActionNotAllowed(Exception):
    """An event the current state does not allow. Nothing was changed."""


@dataclass(frozen=True)
class Request:
    """What the buyer asks for when opening an after-sale."""

    type: AfterSaleType
    amount_fen: int
    reason: str = ""
    # `reason` 1 七天无理由退货 or 2 (a quality problem: 破损、少件、变质…)
    reason_kind: ReturnReason = ReturnReason.OTHER
    # Whether what the buyer says really happened. The simulation knows; the platform learns it
    # only from evidence, in 客服介入.
    claim_true: bool = True


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
    reason_code: int | None = None                 # a refusal's reject reason
    evidence: tuple[Evidence, ...] = ()            # a refusal's or a 举证's evidence
    amount_fen: int | None = None                  # a 协商 proposal's amount


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
    stalled: bool = False   # the tracking stopped: the parcel is lost
    received_at: datetime | None = None  # when the buyer signed for the parcel
    resent: bool = False    # a 补寄 was agreed for the lost parcel


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
    got_pkg: bool = False          # the buyer had the goods when applying (`got_pkg` 1)
    reason_kind: ReturnReason = ReturnReason.OTHER
    claim_true: bool = True
    asked_fen: int = 0             # what the buyer first asked for (requested_fen may be a 协商)
    proposal_fen: int | None = None  # a 协商 proposal waiting for the buyer
    reject_reason: int | None = None
    evidence: tuple[Evidence, ...] = ()

    @property
    def is_open(self) -> bool:
        return not self.status.is_terminal

    @property
    def part_type(self) -> PartType:
        """全额退款 or 部分退: what was (or will be) refunded against what the buyer asked."""
        return PartType.PART if self.requested_fen < self.asked_fen else PartType.FULL


@dataclass(frozen=True)
class Arbitration:
    """客服介入 on a refused case (A8). The case itself stays closed; this is the platform's."""

    case_id: str
    status: ArbitrateStatus
    opened_at: datetime
    deadline: datetime | None = None   # the merchant's 举证 deadline
    evidence: tuple[Evidence, ...] = ()
    blame: Blame | None = None
    refunded_fen: int = 0

    @property
    def is_open(self) -> bool:
        return self.status is ArbitrateStatus.AWAIT_EVIDENCE


@dataclass(frozen=True)
class Snapshot:
    """The whole state of a desk, comparable with ==."""

    orders: Mapping[str, OrderState]
    cases: Mapping[str, Case]
    now: datetime | None
    arbitrations: Mapping[str, Arbitration] = field(default_factory=dict)


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
        M.PROPOSE_PARTIAL, B.ACCEPT_PROPOSAL, B.DECLINE_PROPOSAL,
        B.CANCEL, ClockEvent.DEADLINE_PASSED),
    (T.RETURN_REFUND, S.AWAIT_MERCHANT): (
        M.AGREE_RETURN, M.REFUSE_RETURN, M.RETURN_TO_REFUND,
        M.PROPOSE_PARTIAL, B.ACCEPT_PROPOSAL, B.DECLINE_PROPOSAL,
        B.CANCEL, ClockEvent.DEADLINE_PASSED),
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
    # 补寄 for a lost parcel (type 7): 6 → 8 待商家发货 → 13 → 14.
    (T.RESEND, S.AWAIT_MERCHANT): (
        M.AGREE_RESEND, M.REFUSE_RESEND, B.CANCEL, ClockEvent.DEADLINE_PASSED),
    (T.RESEND, S.AWAIT_MERCHANT_SHIP): (M.SHIP_RESEND,),
    (T.RESEND, S.AWAIT_BUYER_RECEIVE): (B.CONFIRM_RECEIPT, ClockEvent.DEADLINE_PASSED),
}

# Which order stage a request of each type needs.
STAGE_FOR_TYPE = {
    T.UNSHIPPED_REFUND: Stage.UNSHIPPED,
    T.SHIPPED_REFUND: Stage.SHIPPED,
    T.RETURN_REFUND: Stage.RECEIVED,
    T.EXCHANGE: Stage.RECEIVED,
    T.RESEND: Stage.SHIPPED,
}

# Where a simple move leads: (type, status, move) -> next status. Moves with side effects
# (refunds, addresses, parcels) are handled in `_case_move`.
NEXT_STATUS = {
    M.REFUSE_REFUND: S.REFUSED_FIRST,
    M.REFUSE_RETURN: S.REFUSED_FIRST,
    M.REFUSE_EXCHANGE: S.REFUSED_FIRST,
    M.REFUSE_RETURN_RECEIVED: S.REFUSED_SECOND,
    M.REFUSE_EXCHANGE_RECEIVED: S.REFUSED_SECOND,
    M.REFUSE_RESEND: S.REFUSED_FIRST,
    M.SHIP_RESEND: S.AWAIT_BUYER_RECEIVE,
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
ANSWERING_MOVES = frozenset(MerchantAction) - {M.INTERCEPT_PARCEL, M.STOP_SHIPMENT,
                                                M.SHIP_RESEND, M.SUBMIT_EVIDENCE}

# Moves on a refused case's 客服介入, not on the case.
ARBITRATION_MOVES = frozenset({B.ASK_PLATFORM, M.SUBMIT_EVIDENCE})

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
    arbitrations: dict[str, Arbitration] = field(default_factory=dict)

    # -- reading

    def snapshot(self) -> Snapshot:
        return Snapshot(dict(self.orders), dict(self.cases), self.now, dict(self.arbitrations))

    def arbitration_moves(self, case_id: str) -> list[Move]:
        """What 客服介入 on the closed case `case_id` would accept next (asked with evidence)."""
        possible = []
        case = self.cases[case_id]
        for move in (B.ASK_PLATFORM, M.SUBMIT_EVIDENCE, ClockEvent.DEADLINE_PASSED):
            arbitration = self.arbitrations.get(case_id)
            at = arbitration.deadline if move is ClockEvent.DEADLINE_PASSED and arbitration \
                and arbitration.deadline else self.now
            event = self._probe_event(case, move, at)
            try:
                self._arbitration_transition(event)
            except ActionNotAllowed:
                continue
            possible.append(move)
        return possible

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
        """`move` as a careful merchant would make it: the right address, a fitting reject
        reason with the evidence it needs, half the amount as a 协商."""
        address = (self.supplier_of(case.order_id).address
                   if move in ACTIONS_NEEDING_ADDRESS else None)
        reason, evidence, amount = None, (), None
        if move in REFUSING_ACTIONS:
            reason, evidence = default_refusal(self.policy, case)
        if move is M.SUBMIT_EVIDENCE:
            evidence = (Evidence.CHAT_RECORD,)
        if move is M.PROPOSE_PARTIAL:
            amount = case.requested_fen // 2
        return Event(at=at or case.opened_at, move=move, actor=actor_of(move),
                     order_id=case.order_id, case_id=case.id, address=address,
                     reason_code=reason, evidence=evidence, amount_fen=amount)

    # -- changing

    def apply(self, event: Event, *, expire: bool = True) -> list[Event]:
        """Apply `event` and the assistant's reactions; returns what was recorded.

        Deadlines that pass before `event.at` expire first, as they would on the platform
        (`expire=False` only for those expiries themselves). Raises ActionNotAllowed, with the
        desk unchanged, when the event is not allowed.
        """
        saved = (self.orders, self.cases, len(self.log), self.now, self.arbitrations)
        try:
            # Every deadline due by then expires first, in order; a passed deadline named by
            # `event` itself is left for the event (so an earlier one never runs behind the clock).
            skip = event.case_id if event.move is ClockEvent.DEADLINE_PASSED else None
            # Deadlines due at the same moment expire in (deadline, case id) order, as the clock
            # recorded them: before a logged expiry only those that come before it (replay).
            before = self._deadline_key(skip) if skip else None
            recorded = self._expire_until(event.at, skip=skip, before=before) if expire else []
            orders, cases, event, arbitrations = self._transition(event)
        except ActionNotAllowed as error:
            self.orders, self.cases, self.now = saved[0], saved[1], saved[3]
            self.arbitrations = saved[4]
            del self.log[saved[2]:]
            if isinstance(error, MoveNotInRules):
                raise not_allowed(error.case, error.move,
                                  self.possible_moves(error.case.id)) from None
            raise
        self.orders, self.cases, self.arbitrations = orders, cases, arbitrations
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

    def _deadline_key(self, case_id: str) -> tuple | None:
        """(deadline, case id) of the open node of `case_id`: its 举证 or its own deadline."""
        arbitration = self.arbitrations.get(case_id)
        if arbitration is not None and arbitration.is_open and arbitration.deadline:
            return (arbitration.deadline, case_id)
        case = self.cases.get(case_id)
        return (case.deadline, case_id) if case and case.is_open and case.deadline else None

    def _expire_until(self, when: datetime, skip: str | None = None,
                      before: tuple | None = None) -> list[Event]:
        """Let every open deadline up to `when` pass, earliest first (not the case `skip`;
        with `before`, only the deadlines ordered before that (deadline, case id))."""
        recorded: list[Event] = []
        while True:
            due = sorted([(c.deadline, c.id) for c in self.cases.values()
                          if c.is_open and c.deadline and c.deadline <= when and c.id != skip]
                         + [(a.deadline, a.case_id) for a in self.arbitrations.values()
                            if a.is_open and a.deadline and a.deadline <= when
                            and a.case_id != skip])
            if before is not None:
                due = [d for d in due if d < before]
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

    def _transition(self, event: Event) -> tuple[dict, dict, Event, dict]:
        """New orders, cases and 客服介入 after `event`, or ActionNotAllowed; self is not touched."""
        if self.now is not None and event.at < self.now:
            raise ActionNotAllowed(t("engine.time_backwards", at=_clock(event.at),
                                     now=_clock(self.now)))
        arbitration = self.arbitrations.get(event.case_id or "")
        if event.move in ARBITRATION_MOVES or (
                event.move is ClockEvent.DEADLINE_PASSED and arbitration is not None
                and arbitration.is_open):
            return self._arbitration_transition(event)
        return (*self._case_transition(event), self.arbitrations)

    def _case_transition(self, event: Event) -> tuple[dict, dict, Event]:
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
        if move is OrderEvent.PARCEL_STALLED:
            if order.stage is not Stage.SHIPPED or order.parcel is not None or order.stalled \
                    or order.intercept_requested:
                raise ActionNotAllowed(t("engine.cannot_stall", stage=order.stage.label))
            orders[event.order_id] = replace(order, stalled=True)
            return orders, cases, event
        if move is OrderEvent.APPLY:
            event = self._check_request(event, order, cases)
            request = event.request
            case = Case(id=event.case_id, order_id=order.order.id, type=request.type,
                        status=S.AWAIT_MERCHANT, requested_fen=request.amount_fen,
                        opened_at=event.at, reason=request.reason,
                        got_pkg=order.stage is Stage.RECEIVED, reason_kind=request.reason_kind,
                        claim_true=request.claim_true, asked_fen=request.amount_fen)
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
        if any(a.is_open and self.cases[a.case_id].order_id == order.order.id
               for a in self.arbitrations.values()):
            raise ActionNotAllowed(t("engine.in_arbitration", order=order.order.id))
        needed = STAGE_FOR_TYPE[request.type]
        # 仅退款 also after receipt (`got_pkg` 1: 少件、破损、变质).
        received_refund = request.type is T.SHIPPED_REFUND and order.stage is Stage.RECEIVED
        if not received_refund and (order.stage is not needed
                                    or (needed is Stage.SHIPPED and order.parcel is not None)):
            raise ActionNotAllowed(t("engine.wrong_stage", type=request.type.label,
                                     stage=order.stage.label, needed=needed.label))
        if request.type is T.RESEND and (not order.stalled or order.resent or order.refunded_fen):
            raise ActionNotAllowed(t("engine.resend_not_lost", order=order.order.id))
        if request.type is T.SHIPPED_REFUND and not received_refund and order.resent:
            # Course rule: once the lost parcel is resent, it is not refunded too (以后台为准).
            raise ActionNotAllowed(t("engine.already_resent", order=order.order.id))
        left = order.order.paid_fen - order.refunded_fen
        if request.type in (T.EXCHANGE, T.RESEND) and left > 0:
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
            if case.got_pkg or order.stalled:
                # The buyer has the goods, or the parcel is lost: there is nothing to refuse.
                raise ActionNotAllowed(t("engine.no_parcel_to_refuse"))
            return replace(case, refusal_agreed=True, deadline=None), order
        if move in REFUSING_ACTIONS:
            case = self._check_refusal(case, event)
        if move in (M.PROPOSE_PARTIAL, B.ACCEPT_PROPOSAL, B.DECLINE_PROPOSAL):
            return self._negotiate(case, order, event)
        if move is M.AGREE_RESEND:
            if order.refunded_fen:
                raise ActionNotAllowed(t("engine.resend_after_refund"))
            case = replace(case, status=S.AWAIT_MERCHANT_SHIP)
            return self._with_deadline(case, at), replace(order, resent=True)
        if move is B.CONFIRM_RECEIPT and case.type is T.RESEND:
            order = replace(order, stage=Stage.RECEIVED, stalled=False, received_at=at)
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

    def _check_refusal(self, case: Case, event: Event) -> Case:
        """A refusal needs a reject reason that fits the request and, where the reason says
        evidence_need, evidence (A3). Whether the reason is true is for 客服介入."""
        fitting = self.policy.reasons_for(case.type, case.got_pkg)
        reason = next((r for r in fitting if r.code == event.reason_code), None)
        if reason is None:
            raise ActionNotAllowed(t("engine.refusal_needs_reason", reasons=t("engine.list_sep").join(
                f"{r.code} {r.label}" for r in fitting) or t("engine.nothing")))
        if reason.evidence_need and not set(event.evidence) & reason.evidence:
            raise ActionNotAllowed(t("engine.refusal_needs_evidence", reason=reason.label,
                                     evidence=t("engine.list_sep").join(
                                         e.label for e in sorted(reason.evidence,
                                                                 key=lambda e: e.value))))
        return replace(case, reject_reason=reason.code, evidence=tuple(event.evidence))

    def _negotiate(self, case: Case, order: OrderState,
                   event: Event) -> tuple[Case, OrderState]:
        """协商: the merchant proposes part of the amount; the buyer accepts (the refund goes,
        recorded as 协商方案自动同意退款) or declines (the request stands as it was)."""
        move = event.move
        if move is M.PROPOSE_PARTIAL:
            amount = event.amount_fen or 0
            if case.proposal_fen is not None or case.refusal_agreed \
                    or not 0 < amount < case.requested_fen:
                raise ActionNotAllowed(t("engine.bad_proposal", amount=yuan(amount),
                                         asked=yuan(case.requested_fen)))
            return replace(case, proposal_fen=amount), order
        if case.proposal_fen is None:
            raise ActionNotAllowed(t("engine.no_proposal"))
        if move is B.DECLINE_PROPOSAL:
            return replace(case, proposal_fen=None), order
        case = replace(case, requested_fen=case.proposal_fen, proposal_fen=None,
                       auto=AutoAuditKind.NEGOTIATED_AUTO_REFUND)
        return self._refund(case, order, event.at)

    def _arbitration_transition(self, event: Event) -> tuple[dict, dict, Event, dict]:
        """客服介入 (A8): the buyer asks after a refusal; the merchant has until the 举证
        deadline to submit evidence; the platform then rules and records who is at fault."""
        orders, cases, arbitrations = dict(self.orders), dict(self.cases), dict(self.arbitrations)
        case = cases.get(event.case_id or "")
        if case is None or case.order_id != event.order_id:
            raise ActionNotAllowed(t("engine.unknown_case", case=event.case_id))
        arbitration = arbitrations.get(case.id)
        move, at = event.move, event.at
        if move is B.ASK_PLATFORM:
            window = case.closed_at + timedelta(days=self.policy.intervention_days) \
                if case.closed_at else None
            if case.status not in (S.REFUSED_FIRST, S.REFUSED_SECOND) or arbitration is not None \
                    or case.reject_reason is None or window is None or at > window \
                    or self.open_case_of(case.order_id) is not None:
                raise ActionNotAllowed(t("engine.cannot_ask_platform", status=case.status.label))
            arbitrations[case.id] = Arbitration(
                case.id, ArbitrateStatus.AWAIT_EVIDENCE, at,
                deadline=at + timedelta(hours=self.policy.evidence_hours))
            return orders, cases, event, arbitrations
        if arbitration is None or not arbitration.is_open:
            raise ActionNotAllowed(t("engine.no_arbitration", case=case.id))
        if move is M.SUBMIT_EVIDENCE:
            if not event.evidence or at > arbitration.deadline:
                raise ActionNotAllowed(t("engine.evidence_empty"))
            arbitration = replace(arbitration, evidence=tuple(event.evidence))
        elif at < arbitration.deadline:
            raise ActionNotAllowed(t("engine.not_yet_due", status=arbitration.status.label))
        order = orders[case.order_id]
        # 举证超时: the platform rules for the buyer whatever the reason (课程规则，以后台为准).
        if move is M.SUBMIT_EVIDENCE and reason_holds(self.policy, case, order, arbitration.evidence):
            arbitration = replace(arbitration, status=ArbitrateStatus.FOR_SELLER,
                                  blame=Blame.NOT_MERCHANT, deadline=None)
        else:
            # The platform supports the buyer and refunds what was asked (课程规则，以后台为准).
            amount = max(0, min(case.requested_fen, order.order.paid_fen - order.refunded_fen))
            arbitration = replace(arbitration, status=ArbitrateStatus.FOR_BUYER,
                                  blame=Blame.MERCHANT, deadline=None, refunded_fen=amount)
            orders[order.order.id] = replace(order, refunded_fen=order.refunded_fen + amount)
        arbitrations[case.id] = arbitration
        return orders, cases, event, arbitrations

    def _check_refund_allowed(self, case: Case, move: Move) -> None:
        if move is M.AGREE_REFUND and case.refusal_agreed and not self.orders[case.order_id].stalled:
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
            if case.type is T.RESEND:
                order = replace(order, stage=Stage.RECEIVED, stalled=False, received_at=at)
            return self._with_deadline(replace(case, status=S.EXCHANGE_SUCCESS), at), order
        if outcome is TimeoutOutcome.REFUND_BUYER and not case.refunded_fen \
                and order.refunded_fen + case.requested_fen <= order.order.paid_fen:
            # An exchange is turned into a refund, as 换货转退款 would.
            return self._refund(case, order, at)
        return self._with_deadline(replace(case, status=S.FAILED), at), order

    def _parcel_move(self, event: Event, order: OrderState, orders: dict,
                     cases: dict) -> tuple[dict, dict, Event]:
        move = event.move
        if order.stalled:
            # The parcel is lost: no more scans (course rule).
            raise ActionNotAllowed(t("engine.parcel_lost", order=order.order.id))
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
            order = replace(order, stage=Stage.RECEIVED, received_at=event.at)
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
            and not case.got_pkg and not order.stalled \
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


def default_refusal(policy: Policy, case: Case) -> tuple[int | None, tuple[Evidence, ...]]:
    """The first reject reason that fits `case`, with the evidence it needs: what a lesson's
    plain 「拒绝」 button sends (lesson 09 lets the trainee choose)."""
    fitting = policy.reasons_for(case.type, case.got_pkg)
    if not fitting:
        return None, ()
    reason = fitting[0]
    return reason.code, tuple(sorted(reason.evidence, key=lambda e: e.value))[:1]


def reason_holds(policy: Policy, case: Case, order: OrderState,
                 evidence: Iterable[Evidence] = ()) -> bool:
    """Whether the refusal of `case` stands in 客服介入: its reason is true and, where the reason
    needs evidence, evidence that counts was submitted (课程规则，以后台为准)."""
    reason: RejectReason | None = policy.reject_reasons.get(case.reject_reason or -1)
    if reason is None:
        return False
    # Only what is submitted in 举证 counts there (the refusal's own upload is not re-read).
    if reason.evidence_need and not set(evidence) & reason.evidence:
        return False
    no_reason = case.reason_kind is ReturnReason.NO_REASON
    if reason.holds is ReasonCheck.NO_REASON_EXEMPT:
        return no_reason and order.order.product_id in policy.no_reason_exempt
    if reason.holds is ReasonCheck.PAST_NO_REASON_PERIOD:
        return no_reason and order.received_at is not None \
            and case.opened_at - order.received_at > timedelta(days=policy.no_reason_return_days)
    return not case.claim_true


def return_postage_payer(policy: Policy, case: Case) -> Actor:
    """Who pays the return postage of a 退货退款: 七天无理由 the buyer (消保法第二十五条),
    a quality problem the shop (课程规则，以后台为准); both read from policy.toml."""
    key = policy.postage_no_reason if case.reason_kind is ReturnReason.NO_REASON \
        else policy.postage_quality
    return Actor.BUYER if key == "buyer" else Actor.MERCHANT


def _clock(at: datetime) -> str:
    return at.strftime("%m-%d %H:%M")

