"""A seeded simulation of a shop's busy days, on a clock you can advance.

A seed fixes the orders, the couriers' hand-overs, the buyers' requests and the parcels'
fates; a `Staff` model fixes how a person works the manual queue (when they look, how many
cases they manage per look). The same seed with the strategies on and off shows what the
售后小助手 saves. Everything goes through one `Desk`, so the rules are the engine's rules.
"""

from __future__ import annotations

import heapq
import random
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .codes import Actor, AfterSaleType, BuyerAction, MerchantAction, ParcelState, Stage, Status
from .machine import ActionNotAllowed, Case, Desk, Event, OrderEvent, Request, actor_of
from .model import SHANGHAI, Order, Product, Supplier, load_products, load_suppliers
from .policy import Policy

DEFAULT_START = datetime(2026, 11, 11, 0, 0, tzinfo=SHANGHAI)  # a promotion day: many orders


@dataclass(frozen=True)
class Staff:
    """How one person works the manual queue: looks every few hours in working time."""

    first_hour: int = 9
    last_hour: int = 18
    every_hours: int = 4
    cases_per_look: int = 12


@dataclass(frozen=True)
class DayPlan:
    """The shape of the simulated days (all counts are per day)."""

    days: int = 3
    orders_per_day: int = 400
    unshipped_refund_share: float = 0.12
    shipped_refund_share: float = 0.05
    return_share: float = 0.04
    exchange_share: float = 0.02
    race_share: float = 0.15  # of unshipped refunds: the parcel is being handed over right then


@dataclass(frozen=True)
class DayReport:
    """What the days came to, for one policy."""

    requests: int
    auto_handled: int
    hand_handled: int
    merchant_clicks: int
    median_minutes_to_refund: float | None
    missed_deadlines: int
    refunded_fen: int
    refunds_with_goods_out: int
    by_type: Mapping[str, int]


@dataclass(order=True)
class _Happening:
    at: datetime
    seq: int
    act: Callable[[ShopDays], None] = field(compare=False)


class ShopDays:
    """The simulated shop: advance the clock and things happen in order of time."""

    def __init__(self, policy: Policy, seed: int = 7, plan: DayPlan | None = None,
                 staff: Staff | None = None, start: datetime = DEFAULT_START,
                 suppliers: Mapping[str, Supplier] | None = None,
                 products: Mapping[str, Product] | None = None) -> None:
        self.plan = plan or DayPlan()
        self.staff = staff or Staff()
        self.start = start
        self.desk = Desk(policy, suppliers or load_suppliers())
        self.products = products or load_products()
        self.skipped: list[str] = []
        self._queue: list[_Happening] = []
        self._seq = 0
        self._plan_days(random.Random(seed))

    @property
    def now(self) -> datetime:
        return self.desk.now or self.start

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.plan.days)

    def advance(self, hours: float) -> None:
        """Run everything that happens in the next `hours` (deadlines included)."""
        until = self.now + timedelta(hours=hours)
        while self._queue and self._queue[0].at <= until:
            happening = heapq.heappop(self._queue)
            happening.act(self)
        self.desk.advance_to(until)

    def run_to_end(self, settle_days: int = 12) -> DayReport:
        """Run the days and then long enough for every open case to reach an end."""
        self.advance((self.end - self.now).total_seconds() / 3600 + 24 * settle_days)
        return self.report()

    # -- what happens

    def _at(self, when: datetime, act: Callable[[ShopDays], None]) -> None:
        self._seq += 1
        heapq.heappush(self._queue, _Happening(when, self._seq, act))

    def _try(self, event: Event) -> bool:
        try:
            self.desk.apply(event)
        except ActionNotAllowed as refusal:
            self.skipped.append(str(refusal))  # e.g. a refunded order is not handed over
            return False
        return True

    def _event(self, at: datetime, move, order_id: str, **fields) -> bool:
        return self._try(Event(at, move, actor_of(move), order_id, **fields))

    def _plan_days(self, rng: random.Random) -> None:
        plan, products = self.plan, list(self.products.values())
        number = 0
        for day in range(plan.days):
            for _ in range(plan.orders_per_day):
                number += 1
                product = rng.choice(products)
                order = Order(f"D{number:05d}", product.id, product.supplier_id, product.price_fen,
                              rng.choice("张王李赵刘陈杨黄周吴") + "*", "1" + rng.choice("3589")
                              + "*" * 5 + f"{rng.randrange(10000):04d}"[:4])
                placed = self.start + timedelta(days=day, minutes=_busy_minute(rng))
                self._plan_order(rng, order, placed)
        for look in self._looks():
            self._at(look, ShopDays._staff_look)

    def _plan_order(self, rng: random.Random, order: Order, placed: datetime) -> None:
        plan = self.plan
        handover = placed + timedelta(hours=rng.uniform(6, 40))
        delivered = handover + timedelta(hours=rng.uniform(24, 72))
        self._at(placed, lambda s: s._event(placed, OrderEvent.ORDER_PLACED, order.id, order=order))
        self._at(handover, lambda s: s._event(handover, OrderEvent.HANDED_TO_COURIER, order.id))
        roll = rng.random()
        edges = [plan.unshipped_refund_share, plan.shipped_refund_share, plan.return_share,
                 plan.exchange_share]
        if roll < edges[0]:
            # The race: the request lands a minute before the parcel goes to the courier.
            asked = handover - timedelta(minutes=1) if rng.random() < plan.race_share else \
                placed + (handover - placed) * rng.uniform(0.05, 0.95)
            self._request(asked, order, AfterSaleType.UNSHIPPED_REFUND)
            self._at(delivered, lambda s: s._deliver(delivered, order.id))
        elif roll < sum(edges[:2]):
            asked = handover + (delivered - handover) * rng.uniform(0.1, 0.6)
            self._request(asked, order, AfterSaleType.SHIPPED_REFUND)
            refuses = rng.random() < 0.8
            scan = delivered if not refuses else asked + timedelta(hours=rng.uniform(2, 30))
            move = ParcelState.REFUSED_BY_BUYER if refuses else ParcelState.SIGNED_BY_BUYER
            self._at(scan, lambda s: s._parcel_fate(scan, order.id, move))
        else:
            self._at(delivered, lambda s: s._event(delivered, ParcelState.SIGNED_BY_BUYER, order.id))
            if roll < sum(edges):
                type_ = AfterSaleType.RETURN_REFUND if roll < sum(edges[:3]) else AfterSaleType.EXCHANGE
                asked = delivered + timedelta(hours=rng.uniform(2, 100))
                self._request(asked, order, type_)
                ships_back = asked + timedelta(hours=rng.uniform(12, 60))
                self._at(ships_back, lambda s: s._buyer_ships_back(ships_back, order.id))

    def _request(self, at: datetime, order: Order, type_: AfterSaleType) -> None:
        self._at(at, lambda s: s._event(at, OrderEvent.APPLY, order.id,
                                        request=Request(type_, order.paid_fen)))

    def _deliver(self, at: datetime, order_id: str) -> None:
        """The parcel arrives; an intercepted one goes back to the upstream instead."""
        if self.desk.orders[order_id].intercept_requested:
            self._parcel_fate(at, order_id, ParcelState.REFUSED_BY_BUYER, intercepted=True)
        else:
            self._event(at, ParcelState.SIGNED_BY_BUYER, order_id)

    def _parcel_fate(self, at: datetime, order_id: str, move: ParcelState,
                     intercepted: bool = False) -> None:
        if intercepted or (self._event(at, move, order_id) and move is ParcelState.REFUSED_BY_BUYER):
            back = at + timedelta(hours=24)
            self._at(back, lambda s: s._event(back, ParcelState.RETURNING, order_id))
            home = back + timedelta(hours=48)
            self._at(home, lambda s: s._event(home, ParcelState.SIGNED_BY_MERCHANT, order_id))

    def _buyer_ships_back(self, at: datetime, order_id: str) -> None:
        """The buyer posts the goods once the merchant has agreed; until then, asks again later."""
        case = self.desk.open_case_of(order_id)
        if case and case.status is Status.AWAIT_BUYER_RETURN:
            self._event(at, BuyerAction.SHIP_BACK, order_id, case_id=case.id)
        elif case and case.status is Status.AWAIT_MERCHANT:
            later = at + timedelta(hours=12)
            self._at(later, lambda s: s._buyer_ships_back(later, order_id))

    # -- the person at the desk

    def _looks(self) -> list[datetime]:
        staff, looks = self.staff, []
        for day in range(self.plan.days + 12):
            for hour in range(staff.first_hour, staff.last_hour + 1, staff.every_hours):
                looks.append(self.start + timedelta(days=day, hours=hour))
        return looks

    def _staff_look(self) -> None:
        """Take the most urgent cases first, a couple of minutes each."""
        waiting = sorted((c for c in self.desk.cases.values() if needs_person(c, self.desk)),
                         key=lambda c: c.deadline or c.opened_at)
        for number, case in enumerate(waiting[: self.staff.cases_per_look], start=1):
            at = self.now + timedelta(minutes=2 * number)
            self._at(at, lambda s, at=at, case_id=case.id: s._staff_handle(at, case_id))
        # A refund does not stop the upstream: cancel its 拍单, or intercept a parcel already out.
        for order_id in refunded_goods_leaving(self.desk):
            self._at(self.now, lambda s, order_id=order_id: s._stop_goods(order_id))

    def _stop_goods(self, order_id: str) -> None:
        order = self.desk.orders[order_id]
        move = MerchantAction.STOP_SHIPMENT if order.stage is Stage.UNSHIPPED \
            else MerchantAction.INTERCEPT_PARCEL
        self._event(self.now, move, order_id)

    def _staff_handle(self, at: datetime, case_id: str) -> None:
        case = self.desk.cases[case_id]
        if not needs_person(case, self.desk):
            return
        for move, address in staff_decision(case, self.desk):
            self._event(at, move, case.order_id, case_id=case.id, address=address)
        case = self.desk.cases[case_id]
        if case.status is Status.AWAIT_BUYER_RECEIVE:
            confirm = at + timedelta(hours=48)
            self._at(confirm, lambda s: s._event(confirm, BuyerAction.CONFIRM_RECEIPT,
                                                 case.order_id, case_id=case_id))

    def report(self) -> DayReport:
        return day_report(self.desk)


def refunded_goods_leaving(desk: Desk) -> list[str]:
    """Orders refunded before delivery whose goods are still (or about to be) on their way."""
    return [order_id for order_id, order in desk.orders.items()
            if order.refunded_fen and desk.open_case_of(order_id) is None
            and ((order.stage is Stage.UNSHIPPED and not order.shipment_cancelled)
                 or (order.stage is Stage.SHIPPED and order.parcel is None
                     and not order.intercept_requested))]


def needs_person(case: Case, desk: Desk) -> bool:
    """A case waiting for the merchant that the assistant has not taken care of."""
    if not case.is_open or case.refusal_agreed:
        return False
    return case.status in (Status.AWAIT_MERCHANT, Status.AWAIT_SECOND_REVIEW,
                           Status.AWAIT_MERCHANT_SHIP)


def staff_decision(case: Case, desk: Desk) -> list[tuple[MerchantAction, object]]:
    """What a careful person does with a case (the course's recommended moves)."""
    order = desk.orders[case.order_id]
    address = desk.supplier_of(case.order_id).address
    type_, status = case.type, case.status
    if type_ is AfterSaleType.UNSHIPPED_REFUND:
        if order.stage is Stage.UNSHIPPED:  # cancel the upstream's 拍单 first, then agree
            stop = [] if order.shipment_cancelled else [(MerchantAction.STOP_SHIPMENT, None)]
            return stop + [(MerchantAction.AGREE_PRESALE_REFUND, None)]
        # The parcel is out: shipping answers the request (the buyer may apply again).
        return [(MerchantAction.SHIP_ORDER, None)]
    if type_ is AfterSaleType.SHIPPED_REFUND:
        if case.got_pkg or order.stalled:
            # 已收货仅退款 (破损、变质、少件, checked against the buyer's photos) or a lost
            # parcel: nothing to refuse or get back, so the refund is agreed (lesson 09).
            return [(MerchantAction.AGREE_REFUND, None)]
        return [(MerchantAction.AGREE_REFUND_AFTER_REFUSAL, None)]
    if type_ is AfterSaleType.RESEND:
        return [(MerchantAction.AGREE_RESEND if status is Status.AWAIT_MERCHANT
                 else MerchantAction.SHIP_RESEND, None)]
    if status is Status.AWAIT_MERCHANT:
        agree = MerchantAction.AGREE_RETURN if type_ is AfterSaleType.RETURN_REFUND \
            else MerchantAction.AGREE_EXCHANGE
        return [(agree, address)]
    second = MerchantAction.CONFIRM_RETURN_RECEIVED if type_ is AfterSaleType.RETURN_REFUND \
        else MerchantAction.RESHIP_EXCHANGE
    return [(second, None)]


def day_report(desk: Desk) -> DayReport:
    """The figures of lesson 02: who handled what, clicks, time to refund, missed deadlines."""
    cases = list(desk.cases.values())
    refund_minutes = []
    refunded_at = {e.case_id: e.at for e in desk.log
                   if e.case_id and desk.cases.get(e.case_id)
                   and desk.cases[e.case_id].closed_at == e.at and desk.cases[e.case_id].refunded_fen}
    for case in cases:
        if case.refunded_fen and case.id in refunded_at:
            refund_minutes.append((refunded_at[case.id] - case.opened_at).total_seconds() / 60)
    goods_out = sum(
        1 for c in cases
        if c.refunded_fen and c.type is not AfterSaleType.RETURN_REFUND
        and desk.orders[c.order_id].stage is not Stage.UNSHIPPED
        and desk.orders[c.order_id].parcel not in (ParcelState.RETURNING,
                                                   ParcelState.SIGNED_BY_MERCHANT,
                                                   ParcelState.REFUSED_BY_BUYER)
    )
    by_type: dict[str, int] = {}
    for case in cases:
        by_type[case.type.label] = by_type.get(case.type.label, 0) + 1
    return DayReport(
        requests=len(cases),
        auto_handled=sum(1 for c in cases if c.answered_by is Actor.ASSISTANT),
        hand_handled=sum(1 for c in cases if c.answered_by is Actor.MERCHANT),
        # Back-office clicks; cancelling the upstream's 拍单 happens at the upstream, not here.
        merchant_clicks=sum(1 for e in desk.log if e.actor is Actor.MERCHANT
                            and e.move is not MerchantAction.STOP_SHIPMENT),
        median_minutes_to_refund=statistics.median(refund_minutes) if refund_minutes else None,
        missed_deadlines=sum(1 for c in cases if c.missed_deadline),
        refunded_fen=sum(c.refunded_fen for c in cases),
        refunds_with_goods_out=goods_out,
        by_type=by_type,
    )


def compare_policies(policies: Mapping[str, Policy], seed: int = 7,
                     plan: DayPlan | None = None, staff: Staff | None = None) -> dict[str, DayReport]:
    """The same seeded days under each policy, side by side."""
    return {name: ShopDays(policy, seed, plan, staff).run_to_end() for name, policy in policies.items()}


def _busy_minute(rng: random.Random) -> int:
    """A minute of the day, weighted to the evening live-stream hours."""
    hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 5, 5, 5, 5, 6,
                                             8, 10, 12, 12, 9, 4])[0]
    return hour * 60 + rng.randrange(60)
