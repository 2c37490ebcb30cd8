"""已收货退换货 (lesson 04): the usual path of a return and an exchange, and the address check.

The engine decides every move (`helpers.engine.machine`, through `helpers.engine.scenarios`). This
module only names the usual path of each type, reads how far a case has come along it and where
the goods are, and explains a wrong return address better than "wrong address": which supplier
the typed address belongs to, or which fields differ from the address book. The engine refuses
only an incomplete or invalid address; another upstream's goes through (the coach warns).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..checkpoints import Verdict, check
from ..engine.addresses import address_problems
from ..engine.codes import AfterSaleType, BuyerAction, MerchantAction, Status
from ..engine.ledger import Verdict as LedgerVerdict
from ..engine.ledger import ledger
from ..engine.machine import ActionNotAllowed, Case, Desk, Move
from ..engine.model import Address, Order, Product, Supplier, load_products, load_suppliers
from ..engine.policy import Policy, Strategy, load_policy
from ..engine.scenarios import start_case, step, trail
from ..strings import t
from .coach import before

# The lesson's order: a T-shirt that the Guangzhou supplier (S02) ships, not the S01 item of
# lesson 01, so a trainee who always picks the first supplier is caught. Buyer data is masked.
RETURN_ORDER = Order(id="DD20260305017", product_id="P03", supplier_id="S02", paid_fen=7900,
                     buyer="李**", buyer_phone="139****2468")

# The path a case takes when everything goes well: 一审, the buyer ships to the upstream
# supplier, 二审 (and for an exchange: the supplier reships, the buyer receives).
FLOWS: dict[AfterSaleType, tuple[Move, ...]] = {
    AfterSaleType.RETURN_REFUND: (
        MerchantAction.AGREE_RETURN, BuyerAction.SHIP_BACK, MerchantAction.CONFIRM_RETURN_RECEIVED),
    AfterSaleType.EXCHANGE: (
        MerchantAction.AGREE_EXCHANGE, BuyerAction.SHIP_BACK, MerchantAction.RESHIP_EXCHANGE,
        BuyerAction.CONFIRM_RECEIPT),
}

# Address fields a trainee types, in form order; the checker names the ones that differ.
ADDRESS_FIELDS = ("contact", "phone", "province", "city", "district", "detail")
COMPARED_FIELDS = ("province", "city", "district", "detail", "phone")


@dataclass(frozen=True)
class FlowStep:
    move: Move
    done: bool
    current: bool  # the next step of the path while the case is open


def flow_progress(desk: Desk, case_id: str) -> list[FlowStep]:
    """The usual path of the case's type, each step marked done (from the log) or next."""
    case = desk.cases[case_id]
    made = {mark.event.move for mark in trail(desk, case_id) if mark.event.case_id == case_id}
    steps, current_given = [], not case.is_open
    for move in FLOWS.get(case.type, ()):
        done = move in made
        current = not done and not current_given
        current_given = current_given or current
        steps.append(FlowStep(move, done, current))
    return steps


# Where the goods are, by status; the widget turns the key into text (returns.goods_<key>).
GOODS_PLACE: dict[Status, str] = {
    Status.AWAIT_MERCHANT: "buyer",
    Status.AWAIT_BUYER_RETURN: "buyer_to_send",
    Status.AWAIT_SECOND_REVIEW: "supplier_check",
    Status.SUCCESS: "supplier",
    Status.AWAIT_BUYER_RECEIVE: "new_to_buyer",
    Status.EXCHANGE_SUCCESS: "buyer_new",
    Status.REFUSED_FIRST: "buyer",
    Status.REFUSED_SECOND: "supplier_refused",
}


def goods_place(desk: Desk, case: Case) -> str:
    """Where the item is now: a key such as "supplier_check" (returns.goods_<key>)."""
    returned_to = desk.orders[case.order_id].returned_to
    if returned_to is not None and returned_to != desk.orders[case.order_id].order.supplier_id:
        return "wrong_place"  # mailed to another upstream (or an unknown address)
    if case.status in GOODS_PLACE:
        return GOODS_PLACE[case.status]
    # 售后失败 or 撤销: the goods went back only if the buyer had already shipped them.
    shipped = any(m.event.move is BuyerAction.SHIP_BACK for m in trail(desk, case.id))
    return "supplier_refused" if shipped else "buyer"


def shipping_supplier(order: Order, products: Mapping[str, Product],
                      suppliers: Mapping[str, Supplier]) -> Supplier:
    """The supplier (上家/总店) that ships the order's item: the one to send it back to."""
    return suppliers[products[order.product_id].supplier_id]


@dataclass(frozen=True)
class AddressCheck:
    """What the checker says about an address before 同意退货/换货."""

    problems: tuple[str, ...]  # from address_problems, in Chinese; empty = the address may be used
    belongs_to: Supplier | None  # the address book entry the address is, when it is another one
    differs: tuple[str, ...]  # fields (ADDRESS_FIELDS names) unlike the right supplier's entry

    @property
    def ok(self) -> bool:
        return not self.problems


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def supplier_at(address: Address, suppliers: Mapping[str, Supplier]) -> Supplier | None:
    """The address book entry whose return address `address` is, or None."""
    return next((s for s in suppliers.values() if not address_problems(address, s)), None)


def check_address(address: Address, expected: Supplier,
                  suppliers: Mapping[str, Supplier]) -> AddressCheck:
    """Check `address` for the item that `expected` ships (the coach's check: the engine checks
    only that the address is complete and valid)."""
    problems = tuple(address_problems(address, expected))
    if not problems:
        return AddressCheck((), None, ())
    belongs_to = supplier_at(address, suppliers)
    differs = () if belongs_to else tuple(
        f for f in COMPARED_FIELDS
        if getattr(address, f).strip() and not _same(getattr(address, f), getattr(expected.address, f)))
    return AddressCheck(problems, belongs_to, differs)


# ---- checkpoints of lesson 04: each opens its own case of the T-shirt order ---------------

def _case(type: AfterSaleType = AfterSaleType.RETURN_REFUND,
          *strategies: Strategy) -> tuple[Desk, str, Supplier]:
    desk, case_id = start_case(type, strategies=list(strategies), order=RETURN_ORDER)
    return desk, case_id, shipping_supplier(RETURN_ORDER, load_products(), desk.suppliers)


def _status_is(desk: Desk, case_id: str, status: Status) -> Verdict:
    now = desk.cases[case_id].status
    return Verdict(now is status, t("returns.check_status", status=now.label))


@check("04-1", "没填地址就同意：系统不执行，售后单不变，地址检查列出缺了什么")
def _check_empty_address() -> Verdict:
    desk, case_id, right = _case()
    empty = Address(**{name: "" for name in ADDRESS_FIELDS})
    problems = "；".join(check_address(empty, right, desk.suppliers).problems)
    if "缺少省份" not in problems or "缺少联系电话" not in problems:
        return Verdict(False, t("returns.check_not_listed"))
    try:
        step(desk, case_id, MerchantAction.AGREE_RETURN, address=empty)
    except ActionNotAllowed:
        return _status_is(desk, case_id, Status.AWAIT_MERCHANT)
    return Verdict(False, t("returns.check_empty_agreed"))


@check("04-2", "别家上家的地址：后台照样同意，货寄去别家，钱退了货却没回来——钱货两失，撤不回")
def _check_wrong_upstream() -> Verdict:
    desk, case_id, right = _case()
    other = next(s for s in desk.suppliers.values() if s.id != right.id)
    found = check_address(other.address, right, desk.suppliers)
    warned = before(desk, case_id, MerchantAction.AGREE_RETURN, address=other.address)
    if found.belongs_to != other or not any(w.kind == "wrong_upstream" for w in warned):
        return Verdict(False, t("returns.check_no_warning"))
    step(desk, case_id, MerchantAction.AGREE_RETURN, address=other.address)
    step(desk, case_id, BuyerAction.SHIP_BACK)
    step(desk, case_id, MerchantAction.CONFIRM_RETURN_RECEIVED)
    book = ledger(desk, RETURN_ORDER.id)
    return Verdict(book.verdict is LedgerVerdict.BOTH_LOST,
                   t("returns.check_ledger", verdict=book.verdict.label))


@check("04-3", "地址要完整、格式要对：缺省份、电话位数不够，地址检查都会指出来")
def _check_address_format() -> Verdict:
    right = shipping_supplier(RETURN_ORDER, load_products(), load_suppliers())
    suppliers = load_suppliers()
    good = right.address
    short_phone = check_address(replace(good, phone="020-8555"), right, suppliers)
    no_province = check_address(replace(good, province=""), right, suppliers)
    return Verdict(check_address(good, right, suppliers).ok and short_phone.differs == ("phone",)
                   and any("缺少省份" in p for p in no_province.problems), t("returns.check_not_listed"))


@check("04-4", "退货退款两道审核：买家寄回后还没退钱；二审确认收到，钱才退，货留在发货的上家")
def _check_two_reviews() -> Verdict:
    desk, case_id, right = _case()
    step(desk, case_id, MerchantAction.AGREE_RETURN)
    step(desk, case_id, BuyerAction.SHIP_BACK)
    if desk.cases[case_id].refunded_fen:
        return Verdict(False, t("returns.check_paid_early"))
    step(desk, case_id, MerchantAction.CONFIRM_RETURN_RECEIVED)
    case = desk.cases[case_id]
    if case.refunded_fen != RETURN_ORDER.paid_fen or case.return_address != right.address:
        return Verdict(False, t("returns.check_status", status=case.status.label))
    return _status_is(desk, case_id, Status.SUCCESS)


@check("04-5", "换货：上家收到旧货后补发新品，买家收到才算完；换货不退钱")
def _check_exchange() -> Verdict:
    desk, case_id, _right = _case(AfterSaleType.EXCHANGE)
    for move in (MerchantAction.AGREE_EXCHANGE, BuyerAction.SHIP_BACK, MerchantAction.RESHIP_EXCHANGE):
        step(desk, case_id, move)
    if desk.cases[case_id].status is not Status.AWAIT_BUYER_RECEIVE:
        return _status_is(desk, case_id, Status.AWAIT_BUYER_RECEIVE)
    step(desk, case_id, BuyerAction.CONFIRM_RECEIPT)
    if desk.cases[case_id].refunded_fen:
        return Verdict(False, t("returns.check_paid_early"))
    return _status_is(desk, case_id, Status.EXCHANGE_SUCCESS)


@check("04-6", "售后小助手「自动同意退货」马上同意，用的是地址簿里这件商品上家的地址——地址簿要先核对准确")
def _check_auto_agree() -> Verdict:
    desk, case_id, right = _case(AfterSaleType.RETURN_REFUND, Strategy.AUTO_AGREE_RETURN)
    if desk.cases[case_id].return_address != right.address:
        return Verdict(False, t("returns.check_address_used"))
    return _status_is(desk, case_id, Status.AWAIT_BUYER_RETURN)


# The nodes of a return or an exchange that carry a deadline, in the order a case meets them.
DEADLINE_NODES = (Status.AWAIT_MERCHANT, Status.AWAIT_BUYER_RETURN, Status.AWAIT_SECOND_REVIEW,
                  Status.AWAIT_BUYER_RECEIVE)


def show_deadlines(policy: Policy | None = None) -> None:
    """Print each node's deadline and what passing it does, from the shop's rules (example values)."""
    policy = policy or load_policy()
    for status in DEADLINE_NODES:
        deadline = policy.deadline_for(status)
        if deadline is not None:
            print(t("returns.deadline_line", status=status.label, label=deadline.label,
                    hours=f"{deadline.hours:g}", on_timeout=deadline.on_timeout))
