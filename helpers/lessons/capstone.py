"""结业实战 (lesson 07): a scripted shift of mixed after-sale requests, scored by the engine.

The script (`data/capstone/shift_01.toml`) describes situations only: the order, what has
happened so far, and the options a trainee picks from. Which option is right is never written
there; the engine decides, so the capstone cannot contradict the lessons:

- 处理方式 (move): `helpers.engine.simulate.staff_decision` (or nothing, when `needs_person` says the
  售后小助手 has it in hand); every option is played on a copy of the desk, and its result is
  the reason given.
- 小助手策略 (strategy): `helpers.engine.machine.assistant_decision` under each strategy alone.
- 退货地址 (address): `helpers.engine.addresses.address_problems` against the item's supplier.
- 评价回复 (reply): `helpers.lessons.reviews.check_reply`, with the amounts the engine refunded.
- 发给上家的消息 (message): `helpers.engine.privacy.find_personal_data`.
- 处理顺序 (queue): the engine's deadlines of the cases that need a person.

    shift = Shift()                       # the default script, no clock
    shift.decide(shift.key())             # the engine's own answers: full marks
    shift.decide({"move": "b"})           # a wrong pick: 0 points and the reason
    shift.report()                        # score per lesson and every lost point

An optional simulated clock adds what the seed asks for, answering the most urgent request first
and in time: the trainee sees the queue with its deadlines and picks the order; each request takes
`minutes_per_request` (reading time is not counted); handling a request before a less urgent one
earns order points, and a deadline that passes before the decision costs the move's points.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from ..checkpoints import Verdict as Checked
from ..checkpoints import check
from ..engine.addresses import address_problems
from ..engine.codes import (
    EVERYDAY_TYPES,
    MODELLED_TYPES,
    PARCEL_STATES_GOODS_COMING_BACK,
    AfterSaleType,
    BuyerAction,
    ClockEvent,
    MerchantAction,
    Stage,
    Status,
)
from ..engine.machine import ActionNotAllowed, Case, Desk, Move, OrderState, assistant_decision
from ..engine.model import Address, Order, Product, Supplier, load_products, load_suppliers, yuan
from ..engine.policy import Policy, Strategy, load_policy
from ..engine.privacy import find_personal_data, mask_text
from ..engine.scenarios import fork, parse_move, play, policy_with, start_case, step
from ..engine.simulate import needs_person, refunded_goods_leaving, staff_decision
from ..paths import data_path
from ..strings import t

DEFAULT_SCRIPT = "shift_01"
KINDS: dict[str, tuple[str, ...]] = {
    "case": ("move", "address", "strategy"),
    "review": ("reply",),
    "message": ("message",),
    "queue": ("queue",),
}
OPTION_IDS = "abcdefghij"
Plan = tuple[Move, ...]


class ScriptError(Exception):
    """The shift script is missing, malformed, or the engine cannot key one of its asks."""


# ---- the script ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseSpec:
    """One order and its after-sale, as it stands when the shift starts."""

    type: AfterSaleType
    product: str
    strategies: tuple[Strategy, ...] = ()
    before: tuple[Move, ...] = ()
    waited_minutes: int = 60
    minutes_left: int | None = None
    amount_fen: int | None = None
    buyer: str = "顾**"
    phone: str = "1**********"
    label: str = ""
    # Lesson 09's starting points (shift_02): 仅退款 after receipt, a parcel whose tracking stalled.
    received: bool = False
    lost: bool = False


@dataclass(frozen=True)
class AddressChoice:
    address: Address
    note: str
    supplier: str | None = None  # set when the choice is an address-book entry


@dataclass(frozen=True)
class ReviewSpec:
    product: str
    type: AfterSaleType
    moves: tuple[Move, ...]
    text: str
    apology_due: bool
    replies: tuple[str, ...]


@dataclass(frozen=True)
class RequestSpec:
    id: str
    lesson: str
    title: str
    story: str
    kind: str
    asks: tuple[str, ...]
    points: Mapping[str, int]
    case: CaseSpec | None = None
    move_options: tuple[Plan, ...] = ()
    addresses: tuple[AddressChoice, ...] = ()
    review: ReviewSpec | None = None
    messages: tuple[str, ...] = ()
    items: tuple[CaseSpec, ...] = ()


@dataclass(frozen=True)
class Script:
    id: str
    title: str
    shop: str
    start: datetime
    pass_score: int
    note: str
    minutes_per_request: int
    lessons: Mapping[str, str]
    requests: tuple[RequestSpec, ...]


def script_path(name: str = DEFAULT_SCRIPT) -> Path:
    return data_path("capstone", f"{name}.toml")


@cache
def load_script(name: str = DEFAULT_SCRIPT) -> Script:
    """The shift `data/capstone/<name>.toml`."""
    path = script_path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScriptError(t("capstone.error_read", file=path.name, error=error.strerror)) from error
    return parse_script(text, path.name)


def parse_script(text: str, file: str = "shift.toml") -> Script:
    """Build a Script from TOML text; every error names the file and the request."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScriptError(t("capstone.error_toml", file=file, error=error)) from error

    def fail(where: str, key: str, **params: object) -> ScriptError:
        return ScriptError(t("capstone.error_where", file=file, id=where) + t(key, **params))

    def need(table: dict, key: str, kind: type, where: str) -> object:
        value = table.get(key)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise fail(where, "capstone.error_field", field=key)
        return value

    start = need(raw, "start", datetime, "start")
    if start.tzinfo is None:
        raise fail("start", "capstone.error_field", field="start")
    lessons = need(raw, "lessons", dict, "lessons")
    clock = raw.get("clock", {})
    defaults = {str(k): int(v) for k, v in need(raw, "points", dict, "points").items()}
    requests: list[RequestSpec] = []
    for entry in need(raw, "requests", list, "requests"):
        rid = str(entry.get("id", "?"))
        if any(r.id == rid for r in requests):
            raise fail(rid, "capstone.error_duplicate", id=rid)
        requests.append(_request(entry, rid, defaults, lessons, lambda k, rid=rid, **p: fail(rid, k, **p),
                                 need))
    return Script(
        id=str(raw.get("id", Path(file).stem)), title=need(raw, "title", str, "title"),
        shop=str(raw.get("shop", "")), start=start, pass_score=need(raw, "pass_score", int, "pass_score"),
        note=str(raw.get("note", "")),
        minutes_per_request=int(clock.get("minutes_per_request", 0)),
        lessons={str(k): str(v) for k, v in lessons.items()}, requests=tuple(requests))


def _moves(labels: object, fail, what: str = "moves") -> tuple[Move, ...]:
    if not isinstance(labels, list):
        raise fail("capstone.error_field", field=what)
    moves = []
    for label in labels:
        try:
            moves.append(parse_move(str(label)))
        except KeyError:
            raise fail("capstone.error_move", move=label) from None
    return tuple(moves)


def _type(label: object, fail) -> AfterSaleType:
    try:
        type_ = AfterSaleType.from_label(str(label))
    except KeyError:
        type_ = None
    if type_ not in MODELLED_TYPES + EVERYDAY_TYPES:
        raise fail("capstone.error_type", type=label)
    return type_


def _everyday_start(entry: dict, fail) -> dict[str, bool]:
    """Lesson 09's optional keys of a case: `received = true` (仅退款 after the buyer signed)
    and `lost = true` (the parcel's tracking stalled first; always so for 补寄)."""
    flags = {key: entry.get(key, False) for key in ("received", "lost")}
    if not all(isinstance(value, bool) for value in flags.values()):
        raise fail("capstone.error_flag", keys="received、lost")
    return flags


def _product(product: object, fail) -> str:
    if product not in load_products():
        raise fail("capstone.error_product", product=product)
    return str(product)


def _case_spec(entry: dict, fail) -> CaseSpec:
    strategies = []
    for key in entry.get("strategies", []):
        try:
            strategies.append(Strategy(key))
        except ValueError:
            raise fail("capstone.error_strategy", strategy=key) from None
    amount = entry.get("amount")
    before = _moves(entry.get("before", []), fail, "before")
    left = entry.get("minutes_left")
    if left is not None and before:
        raise fail("capstone.error_left")
    return CaseSpec(
        type=_type(entry.get("type"), fail), product=_product(entry.get("product"), fail),
        strategies=tuple(strategies), before=before,
        waited_minutes=int(entry.get("waited_minutes", 60)),
        minutes_left=int(left) if left is not None else None,
        amount_fen=round(float(amount) * 100) if amount is not None else None,
        buyer=str(entry.get("buyer", "顾**")), phone=str(entry.get("phone", "1**********")),
        label=str(entry.get("label", "")), **_everyday_start(entry, fail))


def _request(entry: dict, rid: str, defaults: dict[str, int], lessons: dict, fail, need) -> RequestSpec:
    for key in ("id", "lesson", "title", "story", "kind"):
        need(entry, key, str, rid)
    kind = entry["kind"]
    if kind not in KINDS:
        raise fail("capstone.error_kind", kind=kind, known="、".join(KINDS))
    if entry["lesson"] not in lessons:
        raise fail("capstone.error_lesson", lesson=entry["lesson"])
    asks = tuple(entry.get("asks", KINDS[kind]))
    for ask in asks:
        if ask not in KINDS[kind]:
            raise fail("capstone.error_ask", ask=ask, kind=kind, known="、".join(KINDS[kind]))
    points = {ask: int(entry.get("points", {}).get(ask, defaults.get(ask, 1))) for ask in asks}
    spec = RequestSpec(id=rid, lesson=entry["lesson"], title=entry["title"], story=entry["story"],
                       kind=kind, asks=asks, points=points)
    if kind == "case":
        spec = replace(spec, case=_case_spec(entry, fail))
        if "move" in asks:
            plans = tuple(_moves(plan, fail, "move_options") for plan in entry.get("move_options", []))
            if len(plans) < 2:
                raise fail("capstone.error_few", count=2)
            spec = replace(spec, move_options=plans)
        if "address" in asks:
            spec = replace(spec, addresses=tuple(_address(a, fail) for a in entry.get("addresses", [])))
            if len(spec.addresses) < 2:
                raise fail("capstone.error_few", count=2)
    elif kind == "review":
        replies = tuple(str(r.get("text", "")) for r in entry.get("replies", []))
        if len(replies) < 2:
            raise fail("capstone.error_few", count=2)
        spec = replace(spec, review=ReviewSpec(
            product=_product(entry.get("product"), fail), type=_type(entry.get("type"), fail),
            moves=_moves(entry.get("moves", []), fail), text=need(entry, "review", str, rid),
            apology_due=need(entry, "apology_due", bool, rid), replies=replies))
    elif kind == "message":
        spec = replace(spec, messages=tuple(str(m.get("text", "")) for m in entry.get("messages", [])))
        if len(spec.messages) < 2:
            raise fail("capstone.error_few", count=2)
    else:
        spec = replace(spec, items=tuple(_case_spec(item, fail) for item in entry.get("items", [])))
        if len(spec.items) < 2:
            raise fail("capstone.error_few", count=2)
    return spec


def _address(entry: dict, fail) -> AddressChoice:
    note = str(entry.get("note", ""))
    if "supplier" in entry:
        supplier = load_suppliers().get(entry["supplier"])
        if supplier is None:
            raise fail("capstone.error_supplier", supplier=entry["supplier"])
        return AddressChoice(supplier.address, note, supplier.id)
    return AddressChoice(Address(**{f: str(entry.get(f, "")) for f in (
        "contact", "phone", "province", "city", "district", "detail")}), note)


# ---- made-up personal data, built at run time ---------------------------------------------

def sample_phone() -> str:
    """A made-up mobile number for the privacy traps (built here so no file holds one)."""
    return "1" + "39" + "0217" + "5678"


def fill_personal(text: str) -> str:
    return text.replace("{phone}", sample_phone())


def shown(text: str) -> str:
    """What an option shows: the buyer data masked. The engine checks the full text (the one
    that would be sent); the screen never shows a full number, name or street."""
    return mask_text(fill_personal(text))


# ---- what a plan leads to -----------------------------------------------------------------

def engine_plan(desk: Desk, case_id: str) -> Plan:
    """What the course recommends now: staff_decision; when no person is needed for the case, only
    stopping a refunded order's goods (cancel the upstream's 拍单, or intercept the parcel)."""
    case = desk.cases[case_id]
    if not needs_person(case, desk):
        if case.order_id in refunded_goods_leaving(desk):
            order = desk.orders[case.order_id]
            return (MerchantAction.STOP_SHIPMENT if order.stage is Stage.UNSHIPPED
                    else MerchantAction.INTERCEPT_PARCEL,)
        return ()
    return tuple(move for move, _address in staff_decision(case, desk))


def goods_with_buyer(desk: Desk, case: Case) -> bool:
    """True when the buyer has the money back and still has the goods (no 钱货两清)."""
    order = desk.orders[case.order_id]
    if not case.refunded_fen or order.stage is Stage.UNSHIPPED:
        return False
    if order.stage is Stage.SHIPPED:
        return order.parcel not in PARCEL_STATES_GOODS_COMING_BACK
    return not any(e.case_id == case.id and e.move is BuyerAction.SHIP_BACK for e in desk.log)


@dataclass(frozen=True)
class Played:
    """A plan played on a copy of the desk, and where it left the case."""

    plan: Plan
    desk: Desk
    case: Case
    refused: Move | None = None
    message: str = ""
    waited: bool = False
    before: int = 0  # the log's length before the plan: what follows is what the plan caused


def play_plan(desk: Desk, case_id: str, plan: Plan) -> Played:
    """Play `plan` on a copy of `desk`; if the case still waits for a person afterwards, let its
    deadline pass, as it would when nobody comes back to it."""
    trial = fork(desk)
    before = len(trial.log)
    for move in plan:
        try:
            step(trial, case_id, move)
        except ActionNotAllowed as error:
            return Played(plan, trial, trial.cases[case_id], move, str(error), before=before)
    waited = False
    case = trial.cases[case_id]
    if needs_person(case, trial) and case.deadline is not None:
        step(trial, case_id, ClockEvent.DEADLINE_PASSED)
        waited = True
    return Played(plan, trial, trial.cases[case_id], waited=waited, before=before)


def consequence(played: Played, suppliers: Mapping[str, Supplier]) -> str:
    """What the plan did, in words built from the engine's result."""
    if played.refused is not None:
        return t("capstone.c_refused", move=played.refused.label, message=played.message)
    case = played.case
    parts = [t("capstone.c_waited")] if played.waited else []
    parts.append(t("capstone.c_state", status=case.status.label, refunded=yuan(case.refunded_fen)))
    if case.missed_deadline:
        parts.append(t("capstone.c_missed"))
    if goods_with_buyer(played.desk, case):
        parts.append(t("capstone.c_goods_out"))
    if case.status in (Status.REFUSED_FIRST, Status.REFUSED_SECOND):
        parts.append(t("capstone.c_refused_buyer"))
    if case.refusal_agreed and case.is_open:
        parts.append(t("capstone.c_wait_refusal"))
    if case.status is Status.AWAIT_BUYER_RETURN:
        supplier = next((s.name for s in suppliers.values() if s.address == case.return_address), "")
        parts.append(t("capstone.c_await_buyer", where=f"「{supplier}」" if supplier else ""))
    if case.status is Status.AWAIT_BUYER_RECEIVE:
        parts.append(t("capstone.c_await_buyer_receive"))
    new_auto = [e.auto for e in played.desk.log[played.before:] if e.auto is not None]
    if new_auto or (not played.plan and case.auto is not None):
        parts.append(t("capstone.c_auto", kind=(new_auto or [case.auto])[-1].label))
    return "".join(parts)


def plan_text(plan: Plan) -> str:
    return t("capstone.plan_then").join(m.label for m in plan) if plan else t("capstone.plan_nothing")


def left_text(deadline: datetime | None, now: datetime) -> str:
    if deadline is None:
        return ""
    minutes = int((deadline - now).total_seconds() // 60)
    if minutes <= 0:
        return t("capstone.overdue")
    return t("capstone.left", hours=minutes // 60, minutes=minutes % 60)


def strategies_that_act(policy: Policy, case: Case, order: OrderState,
                        supplier: Supplier) -> list[tuple[Strategy, tuple]]:
    """Each strategy that, alone, makes the 售后小助手 act on `case`, with what it does."""
    acting = []
    for strategy in Strategy:
        decision = assistant_decision(policy_with([strategy], policy), case, order, supplier)
        if decision is not None:
            acting.append((strategy, decision))
    return acting


# ---- one request, set up -----------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    id: str
    label: str
    value: object


@dataclass(frozen=True)
class Ask:
    kind: str
    prompt: str
    options: tuple[Option, ...]
    points: int
    right: str  # the option id the engine picks

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


@dataclass
class Board:
    """One order and case on its own desk (a request, or one item of a queue)."""

    spec: CaseSpec
    order: Order
    desk: Desk
    case_id: str

    @property
    def case(self) -> Case:
        return self.desk.cases[self.case_id]


@dataclass
class Situation:
    """A request as the trainee meets it: its board(s), its asks with the engine's key."""

    number: int
    spec: RequestSpec
    asks: tuple[Ask, ...]
    board: Board | None = None
    items: tuple[Board, ...] = ()
    missed_before: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def queue_deadline(self) -> datetime | None:
        """The deadline the queue shows for this request (as the shift began)."""
        return self.extra.get("queue_deadline")


@dataclass(frozen=True)
class Verdict:
    """The score of one ask, and why."""

    request_id: str
    request_title: str
    lesson: str
    ask: str
    chosen: str | None
    chosen_label: str
    right: str
    right_label: str
    points: int
    earned: int
    reason: str

    @property
    def correct(self) -> bool:
        return self.earned == self.points


@dataclass(frozen=True)
class LessonScore:
    lesson: str
    title: str
    earned: int
    total: int


@dataclass(frozen=True)
class Report:
    shift: str
    title: str
    score: int
    total: int
    percent: int
    pass_score: int
    passed: bool
    by_lesson: tuple[LessonScore, ...]
    lost: tuple[Verdict, ...]
    verdicts: tuple[Verdict, ...]
    started: datetime
    ended: datetime

    def lesson_points(self) -> dict[str, tuple[int, int]]:
        return {s.lesson: (s.earned, s.total) for s in self.by_lesson}


def _options(values: Sequence[tuple[str, object]]) -> tuple[Option, ...]:
    return tuple(Option(OPTION_IDS[i], label, value) for i, (label, value) in enumerate(values))


class Shift:
    """A shift in progress: the current request, the clock, the verdicts so far."""

    def __init__(self, script: Script | str = DEFAULT_SCRIPT, *, clock: bool = False,
                 policy: Policy | None = None, suppliers: Mapping[str, Supplier] | None = None,
                 products: Mapping[str, Product] | None = None) -> None:
        self.script = load_script(script) if isinstance(script, str) else script
        self.done: set[int] = set()
        self.policy = policy or load_policy()
        self.suppliers = suppliers or load_suppliers()
        self.products = products or load_products()
        self.clock = clock
        self.now = self.script.start
        self.situations = [self._situation(number, spec)
                           for number, spec in enumerate(self.script.requests, start=1)]
        for situation in self.situations:
            situation.extra["queue_deadline"] = _queue_deadline(situation)
        self.index = 0
        self.verdicts: list[Verdict] = []

    # -- reading

    @property
    def current(self) -> Situation | None:
        return self.situations[self.index] if self.index < len(self.situations) else None

    @property
    def finished(self) -> bool:
        return self.current is None

    @property
    def total_points(self) -> int:
        return sum(ask.points for s in self.situations for ask in s.asks) \
            + sum(self._order_points(n) for n in range(len(self.situations)))

    @property
    def score(self) -> int:
        return sum(v.earned for v in self.verdicts)

    # -- the fair clock (queue and order); the functions are shift_queue / shift_pick below

    def queue(self) -> list[QueueEntry]:
        return shift_queue(self)

    def pick(self, number: int) -> Situation:
        return shift_pick(self, number)

    def _order_points(self, number: int) -> int:
        """Points for answering request `number` in time order (with the clock, deadline requests)."""
        if not self.clock or self.situations[number].queue_deadline is None:
            return 0
        return ORDER_POINTS

    def _order_verdict(self, number: int) -> list[Verdict]:
        """Was request `number` handled before every request with a later (or no) deadline?"""
        points = self._order_points(number)
        if not points:
            return []
        situation = self.situations[number]
        mine = situation.queue_deadline
        earlier = [self.situations[n] for n in self.done
                   if self.situations[n].queue_deadline is None
                   or self.situations[n].queue_deadline > mine]
        correct = not earlier
        reason = t("capstone.order_right") if correct else t(
            "capstone.order_wrong", others="、".join(s.spec.title for s in earlier))
        word = t("capstone.right" if correct else "capstone.wrong", points=points)
        return [Verdict(request_id=situation.spec.id, request_title=situation.spec.title,
                        lesson=situation.spec.lesson, ask="order", chosen=None, chosen_label="",
                        right="", right_label="", points=points, earned=points if correct else 0,
                        reason=f"{word} {reason}")]

    def _advance(self) -> None:
        """The request just decided is done; the next is the first one not done."""
        self.done.add(self.index)
        pending = [n for n in range(len(self.situations)) if n not in self.done]
        self.index = pending[0] if pending else len(self.situations)

    def key(self, situation: Situation | None = None) -> dict[str, str]:
        """The engine's answer to every ask of the request: {ask kind: option id}."""
        situation = situation or self.current
        return {ask.kind: ask.right for ask in situation.asks} if situation else {}

    def supplier_of(self, product_id: str) -> Supplier:
        return self.suppliers[self.products[product_id].supplier_id]

    # -- setting up

    def _order(self, number: int, spec: CaseSpec) -> Order:
        product = self.products[spec.product]
        return Order(id=f"DD{self.script.start:%Y%m%d}{200 + number:03d}", product_id=product.id,
                     supplier_id=product.supplier_id, paid_fen=product.price_fen, buyer=spec.buyer,
                     buyer_phone=spec.phone)

    def _board(self, number: int, spec: CaseSpec, strategies: Sequence[Strategy] | None = None,
               rid: str = "") -> Board:
        """The case brought to where the script says it stands at the start of the shift."""
        order = self._order(number, spec)
        start = self.script.start
        opened = start - timedelta(minutes=spec.waited_minutes)
        if spec.minutes_left is not None:
            deadline = self.policy.deadline_for(Status.AWAIT_MERCHANT)
            if deadline is None:
                raise ScriptError(t("capstone.error_where", file=self.script.id, id=rid)
                                  + t("capstone.error_left"))
            opened = start + timedelta(minutes=spec.minutes_left) - deadline.duration
        try:
            desk, case_id = start_case(
                spec.type, strategies=spec.strategies if strategies is None else strategies,
                order=order, amount_fen=spec.amount_fen, policy=self.policy,
                suppliers=self.suppliers, at=opened, received=spec.received, stalled=spec.lost)
            play(desk, case_id, spec.before)
            desk.advance_to(start)
        except ActionNotAllowed as error:
            raise ScriptError(t("capstone.error_where", file=self.script.id, id=rid)
                              + t("capstone.error_setup", message=error)) from error
        return Board(spec, order, desk, case_id)

    def _situation(self, number: int, spec: RequestSpec) -> Situation:
        def keyed(kind: str, prompt_key: str, options: tuple[Option, ...], right: list[str]) -> Ask:
            if len(right) != 1:
                raise ScriptError(t("capstone.error_where", file=self.script.id, id=spec.id)
                                  + t("capstone.error_key", count=len(right), which="、".join(right) or "—"))
            return Ask(kind, t(prompt_key), options, spec.points[kind], right[0])

        asks: list[Ask] = []
        situation = Situation(number, spec, ())
        if spec.kind == "case":
            board = self._board(number, spec.case, rid=spec.id)
            situation.board = board
            situation.missed_before = board.case.missed_deadline
            for kind in spec.asks:
                if kind == "move":
                    plan = engine_plan(board.desk, board.case_id)
                    options = _options([(plan_text(p), p) for p in spec.move_options])
                    asks.append(keyed(kind, "capstone.ask_move", options,
                                      [o.id for o in options if o.value == plan]))
                elif kind == "address":
                    expected = self.supplier_of(spec.case.product)
                    options = _options([(self._address_label(a), a.address) for a in spec.addresses])
                    asks.append(keyed(kind, "capstone.ask_address", options,
                                      [o.id for o in options if not address_problems(o.value, expected)]))
                else:
                    bare = self._board(number, spec.case, strategies=[], rid=spec.id)
                    acting = strategies_that_act(self.policy, bare.case, bare.desk.orders[bare.order.id],
                                                 self.supplier_of(spec.case.product))
                    situation.extra["acting"] = acting
                    options = _options([(s.label, s) for s in Strategy]
                                       + [(t("capstone.strategy_none"), None)])
                    picked = {s for s, _decision in acting}
                    asks.append(keyed(kind, "capstone.ask_strategy", options, [
                        o.id for o in options
                        if (o.value in picked if picked else o.value is None)]))
        elif spec.kind == "review":
            review = spec.review
            board = self._board(number, CaseSpec(type=review.type, product=review.product,
                                                 before=review.moves), strategies=[], rid=spec.id)
            case = board.case
            situation.board = board
            amounts = {a for a in (board.order.paid_fen, case.refunded_fen) if a > 0}
            situation.extra["amounts"] = amounts
            options = _options([(shown(text), fill_personal(text)) for text in review.replies])
            asks.append(keyed("reply", "capstone.ask_reply", options,
                              [o.id for o in options if self._reply_check(o.value, situation).passed]))
        elif spec.kind == "message":
            options = _options([(shown(text), fill_personal(text)) for text in spec.messages])
            asks.append(keyed("message", "capstone.ask_message", options,
                              [o.id for o in options if not find_personal_data(o.value)]))
        else:
            items = tuple(self._board(number * 10 + i, item, rid=spec.id)
                          for i, item in enumerate(spec.items))
            situation.items = items
            options = _options([(self._queue_label(item), i) for i, item in enumerate(items)])
            waiting = [(item.case.deadline, i) for i, item in enumerate(items)
                       if needs_person(item.case, item.desk) and item.case.deadline is not None]
            first = min(waiting)[0] if waiting else None
            asks.append(keyed("queue", "capstone.ask_queue", options,
                              [o.id for o in options if (items[o.value].case.deadline, o.value) in waiting
                               and items[o.value].case.deadline == first]))
        situation.asks = tuple(asks)
        return situation

    def _address_label(self, choice: AddressChoice) -> str:
        where = (t("capstone.address_book", supplier=self.suppliers[choice.supplier].name)
                 if choice.supplier else t("capstone.address_note", note=choice.note))
        return t("capstone.address_option", where=where, address=choice.address.one_line())

    def _queue_label(self, item: Board) -> str:
        return t("capstone.queue_option", label=item.spec.label, state=self.queue_state(item))

    def queue_state(self, item: Board) -> str:
        case = item.case
        if not case.is_open:
            return t("capstone.queue_state_closed", status=case.status.label)
        if not needs_person(case, item.desk):
            note = t("capstone.fact_refusal") if case.refusal_agreed else case.status.label
            return t("capstone.queue_state_auto", status=case.status.label, note=note)
        return t("capstone.queue_state_deadline", status=case.status.label,
                 left=left_text(case.deadline, self.script.start))

    def _reply_check(self, reply: str, situation: Situation):
        from .reviews import check_reply  # lesson 05's checklist; loaded only when a review is keyed

        return check_reply(reply, apology_due=situation.spec.review.apology_due,
                           amounts=situation.extra["amounts"])

    # -- what the trainee sees

    def facts(self, situation: Situation | None = None) -> list[str]:
        """The lines describing the request now (masked buyer data only)."""
        situation = situation or self.current
        if situation is None:
            return []
        board = situation.board
        if situation.spec.kind == "review":
            case, review = board.case, situation.spec.review
            return [t("capstone.fact_review", review=review.text),
                    t("capstone.fact_review_case", type=case.type.label, status=case.status.label,
                      refunded=yuan(case.refunded_fen), paid=yuan(board.order.paid_fen))]
        if board is None:
            return []
        case, order = board.case, board.desk.orders[board.order.id]
        product = self.products[board.order.product_id]
        lines = [
            t("capstone.fact_order", order=board.order.id, product=f"{product.id} {product.name}",
              paid=yuan(board.order.paid_fen), buyer=board.order.buyer, phone=board.order.buyer_phone),
            t("capstone.fact_case", case=case.id, type=case.type.label, status=case.status.label),
            t("capstone.fact_goods", stage=order.stage.label,
              parcel=t("capstone.fact_parcel", parcel=order.parcel.label) if order.parcel else ""),
        ]
        on = [s.label for s in Strategy if board.desk.policy.is_on(s)]
        lines.append(t("capstone.fact_strategies", strategies="、".join(on)) if on
                     else t("capstone.fact_no_strategies"))
        if case.auto is not None:
            auto_move = next((e.move for e in board.desk.log
                              if e.case_id == case.id and e.auto is not None), None)
            lines.append(t("capstone.fact_assistant", move=auto_move.label if auto_move else "",
                           kind=case.auto.label))
        if case.refusal_agreed and case.is_open:
            lines.append(t("capstone.fact_refusal"))
        if not case.is_open:
            lines.append(t("capstone.fact_closed", refunded=yuan(case.refunded_fen)))
        elif case.deadline is not None:
            lines.append(t("capstone.fact_deadline", deadline=case.deadline.strftime("%m-%d %H:%M"),
                           left=left_text(case.deadline, self.now)))
        else:
            lines.append(t("capstone.fact_no_deadline"))
        return lines

    # -- deciding

    def decide(self, answers: Mapping[str, str | None]) -> list[Verdict]:
        """Score the current request's answers ({ask kind: option id}) and move to the next.

        With the clock on, a deadline that passed before the request was picked costs the
        move's points; reading time is not counted.
        """
        situation = self.current
        if situation is None:
            return []
        late = False
        if self.clock:
            if situation.spec.kind == "case":
                situation.board.desk.advance_to(self.now)
                late = situation.board.case.missed_deadline and not situation.missed_before
        verdicts = [self._verdict(situation, ask, answers.get(ask.kind), late) for ask in situation.asks]
        verdicts += self._order_verdict(self.index)
        self.verdicts += verdicts
        self._advance()
        if self.clock:
            self.now += timedelta(minutes=self.script.minutes_per_request)
        return verdicts

    def _verdict(self, situation: Situation, ask: Ask, chosen: str | None, late: bool) -> Verdict:
        right = ask.option(ask.right)
        picked = ask.option(chosen) if chosen in {o.id for o in ask.options} else None
        correct = picked is not None and picked.id == right.id
        if late and ask.kind == "move":
            case = situation.board.case
            correct, reason = False, t("capstone.too_late", deadline=_deadline_before(situation),
                                       status=case.status.label, refunded=yuan(case.refunded_fen))
        else:
            reason = self._reason(situation, ask, picked, right, correct)
        verdict_word = t("capstone.right" if correct else "capstone.wrong", points=ask.points)
        return Verdict(
            request_id=situation.spec.id, request_title=situation.spec.title,
            lesson=situation.spec.lesson, ask=ask.kind, chosen=picked.id if picked else None,
            chosen_label=picked.label if picked else "", right=right.id, right_label=right.label,
            points=ask.points, earned=ask.points if correct else 0, reason=f"{verdict_word} {reason}")

    def _reason(self, situation: Situation, ask: Ask, picked: Option | None, right: Option,
                correct: bool) -> str:
        if picked is None:
            return t("capstone.no_answer")
        board = situation.board
        if ask.kind == "move":
            played = play_plan(board.desk, board.case_id, picked.value)
            board.desk = played.desk  # what the trainee did is what the request shows afterwards
            result = consequence(played, self.suppliers)
            if correct:
                return t("capstone.right_move", plan=picked.label, consequence=result)
            return t("capstone.wrong_move", plan=picked.label, expected=right.label, consequence=result)
        if ask.kind == "address":
            product = self.products[board.order.product_id]
            supplier = self.supplier_of(product.id)
            if correct:
                return t("capstone.right_address", product=product.name, supplier=supplier.name)
            return t("capstone.wrong_address",
                     problems="；".join(address_problems(picked.value, supplier)))
        if ask.kind == "strategy":
            acting = situation.extra["acting"]
            if not acting:
                return t("capstone.right_strategy_none") if correct else \
                    t("capstone.wrong_strategy_none", chosen=picked.label)
            strategy, (move, kind) = acting[0]
            if correct:
                return t("capstone.right_strategy", strategy=strategy.label, move=move.label, kind=kind.label)
            if picked.value is None:
                return t("capstone.wrong_strategy_missed", expected=strategy.label, move=move.label)
            return t("capstone.wrong_strategy", chosen=picked.label, expected=strategy.label,
                     move=move.label)
        if ask.kind == "reply":
            if correct:
                return t("capstone.right_reply")
            check = self._reply_check(picked.value, situation)
            problems = [t(f"capstone.check_{item.name}", found="、".join(item.found))
                        for item in check.items if item.passed is False]
            return t("capstone.wrong_reply", problems="；".join(problems))
        if ask.kind == "message":
            if correct:
                return t("capstone.right_message")
            found = "、".join(t("capstone.found_item", kind=f.label, masked=f.masked)
                             for f in find_personal_data(picked.value))
            return t("capstone.wrong_message", found=found)
        items = situation.items
        first = items[right.value]
        left = left_text(first.case.deadline, self.script.start)
        if correct:
            return t("capstone.right_queue", left=left)
        chosen = items[picked.value]
        if not needs_person(chosen.case, chosen.desk):
            return t("capstone.wrong_queue_auto", chosen=chosen.spec.label, state=self.queue_state(chosen),
                     expected=first.spec.label, left=left)
        return t("capstone.wrong_queue_later", chosen=chosen.spec.label,
                 chosen_left=left_text(chosen.case.deadline, self.script.start),
                 expected=first.spec.label, left=left)

    # -- the end

    def report(self) -> Report:
        """The shift's result: score, per lesson, and every lost point with its reason."""
        total = self.total_points
        score = self.score
        by_lesson = []
        for lesson, title in self.script.lessons.items():
            asks = [(ask.points, s.spec.id, ask.kind) for s in self.situations for ask in s.asks
                    if s.spec.lesson == lesson]
            asks += [(self._order_points(n), s.spec.id, "order")
                     for n, s in enumerate(self.situations) if s.spec.lesson == lesson]
            earned = sum(v.earned for v in self.verdicts if v.lesson == lesson)
            by_lesson.append(LessonScore(lesson, title, earned, sum(p for p, _id, _kind in asks)))
        return Report(
            shift=self.script.id, title=self.script.title, score=score, total=total,
            percent=round(100 * score / total) if total else 0, pass_score=self.script.pass_score,
            passed=self.finished and 100 * score >= self.script.pass_score * total,
            by_lesson=tuple(by_lesson), lost=tuple(v for v in self.verdicts if not v.correct),
            verdicts=tuple(self.verdicts), started=self.script.start, ended=self.now)


# ---- the fair clock: the queue with its deadlines, the trainee picks the order --------------

ORDER_POINTS = 2  # per request with a deadline, under the fair clock: handled in time order


@dataclass(frozen=True)
class QueueEntry:
    """A request not handled yet, as the queue shows it."""

    number: int               # its index in `Shift.situations`
    title: str
    deadline: datetime | None  # the merchant's deadline of its case (None: no clock on it)
    left: str                  # the time left, in words


def _queue_deadline(situation: Situation) -> datetime | None:
    """The deadline a person must beat on this request, as the shift began (None: none)."""
    if situation.spec.kind != "case":
        return None
    case = situation.board.case
    return case.deadline if case.is_open and needs_person(case, situation.board.desk) else None


def shift_queue(shift: Shift) -> list[QueueEntry]:
    """The requests not handled yet, most urgent first (no deadline last), with time left."""
    entries = []
    for number, situation in enumerate(shift.situations):
        if number in shift.done:
            continue
        deadline = situation.queue_deadline
        entries.append(QueueEntry(number, situation.spec.title, deadline,
                                  left_text(deadline, shift.now) if deadline else t("capstone.no_clock")))
    return sorted(entries, key=lambda e: (e.deadline is None, e.deadline or shift.now, e.number))


def shift_pick(shift: Shift, number: int) -> Situation:
    """Handle request `number` next (the fair clock lets the trainee choose the order)."""
    if number in shift.done or not 0 <= number < len(shift.situations):
        raise ValueError(number)
    shift.index = number
    return shift.situations[number]


def _deadline_before(situation: Situation) -> str:
    deadlines = [e.at for e in situation.board.desk.log
                 if e.move is ClockEvent.DEADLINE_PASSED and e.case_id == situation.board.case_id]
    return deadlines[-1].strftime("%m-%d %H:%M") if deadlines else ""


def play_perfect(shift: Shift) -> Report:
    """Answer every request with the engine's key, the most urgent first when the clock runs
    (for checkpoints and tests)."""
    while not shift.finished:
        if shift.clock:
            shift.pick(shift.queue()[0].number)
        shift.decide(shift.key())
    return shift.report()


# ---- lesson 07's checkpoints: a fresh shift each, one mistake made on purpose ----------------

def _shift_with_one_mistake(request_id: str, kind: str, label: str | None = None) -> Report:
    """Play the whole shift with the engine's key, except one ask of `request_id`: the option
    labelled `label`, or else the first wrong option."""
    shift = Shift()
    while not shift.finished:
        situation, answers = shift.current, shift.key()
        if situation.spec.id == request_id:
            ask = next(a for a in situation.asks if a.kind == kind)
            wrong = [o for o in ask.options if o.id != ask.right and (label is None or o.label == label)]
            answers[kind] = wrong[0].id
        shift.decide(answers)
    return shift.report()


def _only_that_step_lost(report: Report, request_id: str, kind: str) -> Checked | None:
    if [(v.request_id, v.ask) for v in report.lost] != [(request_id, kind)]:
        return Checked(False, "只该丢做错的这一步的分")
    if report.score != report.total - report.lost[0].points:
        return Checked(False, "其他各单都做对了，分数应该只少这一步的")
    if not report.lost[0].reason:
        return Checked(False, "丢分的地方应该写明原因")
    return None


@check("07-1", "包裹刚交给快递就直接同意退款：钱货两失，只丢这一步的分，并写明原因")
def race_refund_costs_the_step() -> Checked:
    report = _shift_with_one_mistake("unshipped-race", "move", "同意售前退申请")
    wrong = _only_that_step_lost(report, "unshipped-race", "move")
    if wrong:
        return wrong
    if "钱货两失" not in report.lost[0].reason:
        return Checked(False, "原因里应该说出「钱货两失」")
    return Checked(True)


@check("07-2", "退货地址选了别的上家的：这一问丢分，原因里写明错在哪")
def wrong_upstream_costs_the_step() -> Checked:
    report = _shift_with_one_mistake("return-tshirt", "address")
    return _only_that_step_lost(report, "return-tshirt", "address") or Checked(True)


@check("07-3", "发给上家的消息带着买家的信息：这一问丢分")
def buyer_data_to_upstream_costs_the_step() -> Checked:
    report = _shift_with_one_mistake("privacy-supplier-return", "message")
    return _only_that_step_lost(report, "privacy-supplier-return", "message") or Checked(True)


@check("07-4", "回复评价选了不合格的那条：这一问丢分")
def bad_reply_costs_the_step() -> Checked:
    report = _shift_with_one_mistake("review-thermos", "reply")
    return _only_that_step_lost(report, "review-thermos", "reply") or Checked(True)
