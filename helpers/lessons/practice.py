"""The three drills of lesson 06 (注意事项), without widgets: the deadline queue, the return-address
check and the privacy check of a message to the upstream supplier (上家).

Each drill asks the course's engine, never a rule of its own:

- `QueueDrill` is a `Desk` of several open cases on a simulated clock. The queue is sorted by
  deadline like the back office's `status_deadline asc`; `handle` plays the course's recommended
  moves (`simulate.staff_decision`); `advance` moves the clock and the engine lets every deadline
  on the way expire (the platform acts, the case counts as missed).
- `address_cases` builds draft return addresses from the address book with one flaw each;
  `agree_return` lets the engine judge the trainee's address (`addresses.address_problems`).
- `privacy_messages` builds messages at run time from synthetic pieces with a seeded RNG (no full
  phone number is stored anywhere); `privacy_check` says what is still personal
  (`privacy.find_personal_data`) and what the upstream needs that is missing.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ..checkpoints import Verdict, check
from ..engine.addresses import address_problems
from ..engine.codes import (
    Actor,
    AfterSaleType,
    BuyerAction,
    ClockEvent,
    MerchantAction,
    ParcelState,
    Stage,
    Status,
)
from ..engine.machine import (
    STAGE_FOR_TYPE,
    ActionNotAllowed,
    Case,
    Desk,
    Event,
    OrderEvent,
    Request,
    actor_of,
)
from ..engine.model import Address, Product, Supplier, load_products, load_suppliers, shanghai
from ..engine.policy import Deadline, Policy, Strategy, load_policy
from ..engine.privacy import Finding, find_personal_data, mask_name, mask_phone, mask_street, mask_text
from ..engine.scenarios import STEP, fork, start_case, step
from ..engine.simulate import day_report, needs_person, staff_decision
from ..strings import t
from .coach import before
from .decide import BuyerAsk, decide, order_for
from .decide import Situation as DecideSituation

# ---- 1. the queue sorted by deadline ----------------------------------------------------

QUEUE_NOW = shanghai(2026, 3, 5, 9, 0)
# A case counts as urgent when this share of its node's time limit is left (the limit itself
# comes from the policy, so the drill follows whatever the shop's rules say).
URGENT_SHARE = 0.25


@dataclass(frozen=True)
class QueueItem:
    """One request of the drill: its type, item, and how much of its time limit is left at start."""

    type: AfterSaleType
    product_id: str
    left_share: float
    second_review: bool = False  # the goods are back: the case waits at 待商家二次同意


QUEUE_PLAN: tuple[QueueItem, ...] = (
    QueueItem(AfterSaleType.RETURN_REFUND, "P06", 0.5),
    QueueItem(AfterSaleType.EXCHANGE, "P09", 0.12),
    QueueItem(AfterSaleType.UNSHIPPED_REFUND, "P07", 0.7),
    QueueItem(AfterSaleType.RETURN_REFUND, "P03", 0.04),
    QueueItem(AfterSaleType.RETURN_REFUND, "P05", 0.05, second_review=True),
    QueueItem(AfterSaleType.SHIPPED_REFUND, "P02", 0.6),
    QueueItem(AfterSaleType.EXCHANGE, "P04", 0.9),
)


@dataclass(frozen=True)
class Expired:
    """A deadline that passed while the clock ran, and what the engine did about it."""

    case_id: str
    before: Status
    after: Status
    refunded_fen: int
    missed: bool
    on_timeout: str


@dataclass(frozen=True)
class Handled:
    """What one 「处理这单」 did."""

    case_id: str
    moves: tuple[MerchantAction, ...]
    status: Status
    more_urgent: str | None  # a case whose deadline was nearer, if any
    expired: tuple[Expired, ...] = ()


def queue_desk(policy: Policy, suppliers: Mapping[str, Supplier], products: Mapping[str, Product],
               plan: tuple[QueueItem, ...] = QUEUE_PLAN, now: datetime = QUEUE_NOW) -> Desk:
    """A desk whose open cases have `plan`'s share of their time limits left at `now`."""
    timed: list[tuple[datetime, int, Event]] = []

    def at(when: datetime, move, order_id: str, **fields) -> None:
        timed.append((when, len(timed), Event(when, move, actor_of(move), order_id, **fields)))

    for number, item in enumerate(plan, start=1):
        order = order_for(products[item.product_id], f"DD202603040{number:02d}")
        case_id = f"AS{number:05d}"
        node = Status.AWAIT_SECOND_REVIEW if item.second_review else Status.AWAIT_MERCHANT
        limit = _limit(policy, node)
        entered = now - timedelta(minutes=round(limit.hours * 60 * (1 - item.left_share)))
        asked = entered - 2 * STEP if item.second_review else entered
        at(asked - timedelta(days=3), OrderEvent.ORDER_PLACED, order.id, order=order)
        stage = STAGE_FOR_TYPE[item.type]
        if stage is not Stage.UNSHIPPED:
            at(asked - timedelta(days=2), OrderEvent.HANDED_TO_COURIER, order.id)
        if stage is Stage.RECEIVED:
            at(asked - timedelta(days=1), ParcelState.SIGNED_BY_BUYER, order.id)
        at(asked, OrderEvent.APPLY, order.id, case_id=case_id,
           request=Request(item.type, order.paid_fen))
        if item.second_review:
            at(asked + STEP, MerchantAction.AGREE_RETURN, order.id, case_id=case_id,
               address=suppliers[order.supplier_id].address)
            at(entered, BuyerAction.SHIP_BACK, order.id, case_id=case_id)
    desk = Desk(policy=policy, suppliers=suppliers)
    for _when, _n, event in sorted(timed, key=lambda x: x[:2]):
        desk.apply(event)
    desk.advance_to(now)
    return desk


def _limit(policy: Policy, status: Status) -> Deadline:
    deadline = policy.deadline_for(status)
    if deadline is None:  # the drill is about time limits: a policy without one cannot run it
        raise ValueError(t("practice.no_limit", status=status.label))
    return deadline


@dataclass
class QueueDrill:
    """The queue and its clock. State: the desk and the cases the trainee handled."""

    policy: Policy = field(default_factory=load_policy)
    suppliers: Mapping[str, Supplier] = field(default_factory=load_suppliers)
    products: Mapping[str, Product] = field(default_factory=load_products)
    plan: tuple[QueueItem, ...] = QUEUE_PLAN
    desk: Desk = field(init=False)
    handled: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.desk = queue_desk(self.policy, self.suppliers, self.products, self.plan)

    @property
    def now(self) -> datetime:
        return self.desk.now or QUEUE_NOW

    def queue(self) -> list[Case]:
        """Cases waiting for a person, the nearest deadline first (`status_deadline asc`)."""
        waiting = [c for c in self.desk.cases.values() if needs_person(c, self.desk)]
        return sorted(waiting, key=lambda c: (c.deadline is None, c.deadline or c.opened_at, c.id))

    def left(self, case: Case) -> timedelta:
        return (case.deadline - self.now) if case.deadline else timedelta.max

    def urgent(self, case: Case) -> bool:
        deadline = self.policy.deadline_for(case.status)
        return bool(deadline and case.deadline
                    and self.left(case) <= deadline.duration * URGENT_SHARE)

    def product_of(self, case: Case) -> Product:
        return self.products[self.desk.orders[case.order_id].order.product_id]

    def handle(self, case_id: str) -> Handled:
        """Play the recommended moves on `case_id`, one `STEP` from now.

        Raises ActionNotAllowed (desk unchanged) when the case no longer waits for a person.
        """
        queue = self.queue()
        case = self.desk.cases.get(case_id)
        if case is None or case not in queue:
            raise ActionNotAllowed(t("practice.queue_not_waiting", case=case_id))
        before = {c.id: c.status for c in self.desk.cases.values()}
        moves = staff_decision(case, self.desk)
        # Played on a copy: a move refused halfway leaves the drill's desk as it was.
        trial, recorded = fork(self.desk), []
        for move, address in moves:
            recorded += trial.apply(Event(self.now + STEP, move, Actor.MERCHANT, case.order_id,
                                          case_id=case_id, address=address))
        self.desk = trial
        self.handled.append(case_id)
        return Handled(case_id, tuple(m for m, _ in moves), trial.cases[case_id].status,
                       queue[0].id if queue[0].id != case_id else None,
                       tuple(self._expired(recorded, before)))

    def advance(self, hours: float) -> list[Expired]:
        """Move the clock `hours` on; every deadline on the way expires as the platform rules."""
        before = {c.id: c.status for c in self.desk.cases.values()}
        return self._expired(self.desk.advance_to(self.now + timedelta(hours=hours)), before)

    def _expired(self, events: list[Event], before: Mapping[str, Status]) -> list[Expired]:
        out = []
        for event in events:
            if event.move is not ClockEvent.DEADLINE_PASSED or event.case_id is None:
                continue
            case, was = self.desk.cases[event.case_id], before[event.case_id]
            limit = self.policy.deadline_for(was)
            out.append(Expired(case.id, was, case.status, case.refunded_fen, case.missed_deadline,
                               limit.on_timeout if limit else ""))
        return out

    @property
    def missed(self) -> int:
        return day_report(self.desk).missed_deadlines

    @property
    def auto_handled(self) -> int:
        return day_report(self.desk).auto_handled


# ---- 2. the return-address drill ----------------------------------------------------------

@dataclass(frozen=True)
class AddressCase:
    """One order whose return must be agreed, with the draft address a colleague left."""

    key: str  # names the story in the catalog: practice.address_story_<key>
    product: Product
    expected: Supplier  # the supplier that ships the item: only its address is right
    draft: Address


# (story key, item, whose address the draft starts from, the flaw written into it)
ADDRESS_PLAN: tuple[tuple[str, str, str, Mapping[str, str]], ...] = (
    ("shop_default", "P03", "S01", {}),
    ("no_province", "P05", "S03", {"province": ""}),
    ("bad_phone", "P09", "S05", {"phone": "85550505"}),
    ("all_right", "P07", "S04", {}),
    ("short_detail", "P10", "S05", {"detail": "18 号"}),
)


def address_cases(suppliers: Mapping[str, Supplier] | None = None,
                  products: Mapping[str, Product] | None = None) -> list[AddressCase]:
    """The drill's orders; each draft is an address-book entry with one flaw (or none)."""
    suppliers = suppliers or load_suppliers()
    products = products or load_products()
    cases = []
    for key, product_id, draft_from, flaw in ADDRESS_PLAN:
        product = products[product_id]
        cases.append(AddressCase(key, product, suppliers[product.supplier_id],
                                 replace(suppliers[draft_from].address, **flaw)))
    return cases


@dataclass(frozen=True)
class Agreement:
    """The engine's answer to 「同意退货申请」 with the trainee's address."""

    ok: bool  # the engine let the agree through
    status: Status
    message: str
    right: bool = True  # the coach: it was the address of the upstream that ships the item
    warning: str = ""  # what the coach would have said before the click


def agree_return(case: AddressCase, address: Address, *, policy: Policy | None = None,
                 suppliers: Mapping[str, Supplier] | None = None) -> Agreement:
    """Open the order's 退货退款 and agree with `address`: the engine lets a valid address through
    (whichever upstream's it is) or says why not; the coach says whether it was the right one."""
    desk, case_id = start_case(AfterSaleType.RETURN_REFUND, strategies=[], order=order_for(case.product),
                               policy=policy, suppliers=suppliers)
    warnings = [w for w in before(desk, case_id, MerchantAction.AGREE_RETURN, address=address)
                if w.kind == "wrong_upstream"]
    try:
        step(desk, case_id, MerchantAction.AGREE_RETURN, address=address)
    except ActionNotAllowed as error:
        return Agreement(False, desk.cases[case_id].status, str(error))
    return Agreement(True, desk.cases[case_id].status, "", right=not warnings,
                     warning=warnings[0].text if warnings else "")


# ---- 3. the privacy drill -----------------------------------------------------------------

PRIVACY_SEED = 6
MOBILE_PREFIXES = ("139", "138", "186", "157", "133")


@dataclass(frozen=True)
class PrivacyMessage:
    """A draft message to the upstream supplier. `secrets` are the buyer's data put into it."""

    key: str  # the template: practice.msg_<key>
    text: str
    must_keep: tuple[str, ...]  # what the upstream needs: the order number, the tracking number
    secrets: tuple[tuple[str, str], ...]  # (kind, text) pieces that must not leave the shop


@dataclass(frozen=True)
class PrivacyCheck:
    """What is wrong with a message before it may be sent."""

    findings: tuple[Finding, ...]  # personal data the detector still finds
    leaks: tuple[str, ...]  # kinds of the message's own secrets still in it (detector or not)
    missing: tuple[str, ...]  # what the upstream needs and the text lost
    # Kinds still there in masked form: the upstream does not need them even masked (delete them).
    masked: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        return not (self.findings or self.leaks or self.missing or self.masked)


def _pieces(key: str) -> list[str]:
    return t(f"practice.fake_{key}").split()


def privacy_messages(seed: int = PRIVACY_SEED,
                     products: Mapping[str, Product] | None = None) -> list[PrivacyMessage]:
    """The drill's messages, made now from synthetic pieces; the same seed gives the same ones."""
    rng = random.Random(seed)
    products = products or load_products()
    items = sorted(products.values(), key=lambda p: p.id)
    messages = []
    for number, key in enumerate(("return", "exchange", "refused"), start=1):
        name = rng.choice(_pieces("surnames")) + "".join(rng.sample(_pieces("given"), 2))
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
        address = (rng.choice(_pieces("places")) + rng.choice(_pieces("roads"))
                   + t("practice.fake_house", number=rng.randrange(1, 300),
                       building=rng.randrange(1, 20), room=rng.randrange(101, 2400)))
        order_id = f"DD20260305{number:03d}"
        tracking = "SF8" + f"{rng.randrange(10 ** 12):012d}"
        item = rng.choice(items).name
        text = t(f"practice.msg_{key}", order=order_id, item=item, tracking=tracking, name=name,
                 phone=phone, address=address)
        messages.append(PrivacyMessage(key, text, (order_id, tracking),
                                       (("name", name), ("phone", phone), ("address", address))))
    return messages


def _squash(text: str) -> str:
    """The text without spaces and dashes, so "139 1234 5678" still counts as the number."""
    return re.sub(r"[\s\-]", "", text)


MASKED_PIECE = re.compile(r"\d{3}\*{4}\d{4}|[\u4e00-\u9fa5]\*{1,3}|\*{4}")


def _masked_forms(kind: str, secret: str) -> set[str]:
    forms = {mask_text(secret)}
    if kind == "phone":
        forms.add(mask_phone(secret))
    if kind == "name":
        forms.add(mask_name(secret))
    if kind == "address":
        forms.add(mask_street(secret))
    return {f for f in forms if f and f != secret}


def privacy_check(message: PrivacyMessage, text: str) -> PrivacyCheck:
    """Check `text` (the trainee's edit of `message`) before it goes to the upstream supplier.

    The upstream needs the order number, the item and the tracking number: the buyer's data has
    to go, masked or not (a masked phone is still the buyer's, and still not the upstream's)."""
    squashed = _squash(text)
    leaks = tuple(kind for kind, secret in message.secrets if _squash(secret) in squashed)
    missing = tuple(piece for piece in message.must_keep if piece not in text)
    masked = tuple(kind for kind, secret in message.secrets if kind not in leaks
                   and any(form in text for form in _masked_forms(kind, secret)))
    return PrivacyCheck(tuple(find_personal_data(text)), leaks, missing, masked)


CLAUSE = re.compile(r"[^，。；,.;]*[，。；,.;]?")


def delete_personal_data(text: str) -> str:
    """`text` without the clauses that carry a buyer's data, masked or not (what 「删掉个人信息」
    does): "…单号 SF8…。买家：张三，手机 139…，地址：…。收到后请检查…" → "…单号 SF8…。收到后请检查…"."""
    kept: list[str] = []
    for clause in (c for c in CLAUSE.findall(text) if c):
        if find_personal_data(clause) or MASKED_PIECE.search(clause):
            if kept and clause[-1:] in ("。", ".") and kept[-1][-1:] in ("，", ","):
                kept[-1] = kept[-1][:-1] + clause[-1]
            continue
        kept.append(clause)
    return "".join(kept)


# ---- the lesson's checkpoints (each on fresh state: any number of times, in any order) ---------

@check("06-1", "待处理的单按逾期时间从近到远排，最急的在最上面；队列里只有等商家处理的单")
def queue_nearest_first() -> Verdict:
    waiting = QueueDrill().queue()
    if not waiting:
        return Verdict(False, "队列里应该有等你处理的单")
    if [c.deadline for c in waiting] != sorted(c.deadline for c in waiting):
        return Verdict(False, "队列应该按逾期时间从近到远排")
    if any(c.status not in (Status.AWAIT_MERCHANT, Status.AWAIT_SECOND_REVIEW) for c in waiting):
        return Verdict(False, "已经不等商家处理的单，不该留在队列里")
    return Verdict(True)


@check("06-2", "最急的单过了时限没人处理：平台替买家同意并退款，记一次商家超时（课程规则，以后台为准）")
def timeout_refunds() -> Verdict:
    drill = QueueDrill()
    first = drill.queue()[0]
    expired = drill.advance(drill.left(first).total_seconds() / 3600 + 0.5)
    if first.id not in [e.case_id for e in expired]:
        return Verdict(False, "时钟走过时限以后，最急的那单应该到点了")
    late = drill.desk.cases[first.id]
    if late.is_open or not late.missed_deadline or late.refunded_fen <= 0:
        return Verdict(False, "到点的单应该已经退款结束，并记为商家超时")
    if first.id in [c.id for c in drill.queue()]:
        return Verdict(False, "到点结束的单不该还留在队列里")
    return Verdict(True)


@check("06-3", "跳过最急的单去做后面的：这单能处理，但会提醒你先做更急的")
def skipping_the_most_urgent_is_flagged() -> Verdict:
    drill = QueueDrill()
    most_urgent, later = drill.queue()[:2]
    handled = drill.handle(later.id)
    if later.id in [c.id for c in drill.queue()]:
        return Verdict(False, "处理过的单应该离开队列")
    if handled.more_urgent != most_urgent.id:
        return Verdict(False, f"应该提醒你 {most_urgent.id} 更急")
    return Verdict(True)


def _address_case(key: str) -> AddressCase:
    return next(case for case in address_cases() if case.key == key)


@check("06-4", "同事的「常用地址」是别的上家的：后台照样同意，买家会把货寄错地方，撤不回")
def other_upstream_goes_through() -> Verdict:
    case = _address_case("shop_default")
    agreement = agree_return(case, case.draft)
    if not agreement.ok or agreement.status is not Status.AWAIT_BUYER_RETURN:
        return Verdict(False, "后台不知道货是哪个上家发的：这次同意应该照样成功")
    if agreement.right:
        return Verdict(False, "这个地址不是发这件商品的上家的，应该算错")
    return Verdict(True)


@check("06-5", "填发这件商品的上家的地址：检查没有问题，同意以后等买家把货寄回上家")
def right_upstream_agrees() -> Verdict:
    case = _address_case("shop_default")
    if address_problems(case.expected.address, case.expected):
        return Verdict(False, "上家地址簿里的地址，检查应该没有问题")
    agreement = agree_return(case, case.expected.address)
    if not (agreement.ok and agreement.right and agreement.status is Status.AWAIT_BUYER_RETURN):
        return Verdict(False, "用对的上家地址同意，售后单应该变成「待买家退货」")
    return Verdict(True)


@check("06-6", "地址缺了省份、电话少了区号，检查都会指出来")
def incomplete_address_is_named() -> Verdict:
    no_province, bad_phone = _address_case("no_province"), _address_case("bad_phone")
    if not any("省份" in p for p in address_problems(no_province.draft, no_province.expected)):
        return Verdict(False, "漏了省份的地址，检查应该指出「省份」")
    if not any("电话" in p for p in address_problems(bad_phone.draft, bad_phone.expected)):
        return Verdict(False, "座机没写区号，检查应该指出「电话」")
    return Verdict(True)


@check("06-7", "同事写好的消息带着买家的姓名、电话和地址：检查不通过，不能原样发给上家")
def raw_message_is_stopped() -> Verdict:
    message = privacy_messages()[0]
    result = privacy_check(message, message.text)
    if result.clean:
        return Verdict(False, "带着买家信息的消息，检查不该通过")
    if sorted(f.kind for f in result.findings) != ["address", "name", "phone"]:
        return Verdict(False, "检查应该找出姓名、电话和地址三样")
    return Verdict(True)


@check("06-8", "删掉买家的个人信息以后检查通过；上家只看到订单号、商品和快递单号")
def deleted_message_passes() -> Verdict:
    message = privacy_messages()[0]
    text = delete_personal_data(message.text)
    if not privacy_check(message, text).clean:
        return Verdict(False, "删掉个人信息以后，检查应该通过")
    if any(piece not in text for piece in message.must_keep):
        return Verdict(False, "订单号和快递单号是上家要用的，不该被删掉")
    return Verdict(True)


@check("06-9", "上家要用的订单号不能删：删掉了，检查一样不通过")
def order_number_must_stay() -> Verdict:
    message = privacy_messages()[1]
    order_id = message.must_keep[0]
    text = delete_personal_data(message.text).replace(order_id, "（单号略）")
    result = privacy_check(message, text)
    if result.clean or result.missing != (order_id,):
        return Verdict(False, "删掉了订单号，检查应该指出少了它")
    return Verdict(True)


@check("06-10", "已发货、买家只要退钱、开着「拒签后退款」：小助手接手，买家拒收以后才退款")
def refusal_strategy_path() -> Verdict:
    decision = decide(DecideSituation(Stage.SHIPPED, BuyerAsk.REFUND,
                                frozenset({Strategy.REFUND_AFTER_REFUSAL})))
    if decision.type is not AfterSaleType.SHIPPED_REFUND:
        return Verdict(False, "已发货、只要退钱，应该是「已发货仅退款」")
    if decision.assistant is None or decision.assistant.move is not MerchantAction.AGREE_REFUND_AFTER_REFUSAL:
        return Verdict(False, "开着「拒签后退款」时，应该由小助手同意拒签后退款")
    if decision.final is None or decision.final.status is not Status.SUCCESS:
        return Verdict(False, "走完以后这单应该售后成功")
    return Verdict(True)


@check("06-11", "已收货要退货：第一步由你来同意，退货地址填发这件商品的上家的")
def received_return_path() -> Verdict:
    decision = decide(DecideSituation(Stage.RECEIVED, BuyerAsk.RETURN))
    first = decision.steps[0] if decision.steps else None
    if first is None or first.move is not MerchantAction.AGREE_RETURN or not first.yours:
        return Verdict(False, "第一步应该是你来点「同意退货申请」")
    if decision.final is None or decision.final.return_address != decision.supplier.address:
        return Verdict(False, "退货地址应该是这件商品的上家的")
    return Verdict(True)


@check("06-12", "这单要是没人处理：时限（示例值）一到，平台替买家退款，记为商家超时（课程规则）")
def nobody_answers() -> Verdict:
    late = decide(DecideSituation(Stage.RECEIVED, BuyerAsk.RETURN)).late
    if late is None or not late.missed or late.status is not Status.SUCCESS or late.refunded_fen <= 0:
        return Verdict(False, "时限一到，这单应该退款结束，并记为商家超时")
    return Verdict(True)
