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
from dataclasses import dataclass

from ..engine.addresses import address_problems
from ..engine.codes import AfterSaleType, BuyerAction, MerchantAction, Status
from ..engine.machine import Case, Desk, Move
from ..engine.model import Address, Order, Product, Supplier
from ..engine.scenarios import trail

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
