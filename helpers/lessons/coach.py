"""The coach: warns before a risky click and says afterwards what it cost. Apart from the engine.

The engine (`helpers.engine`) lets through what the real back office lets through: another
upstream's valid address, a refund while the parcel is with the courier. The coach is what a
careful colleague would say first; the trainee may ignore it, and then sees the consequence
(`consequence`, from the engine's ledger). Lessons, quiz keys, the capstone's scoring and
「这单该怎么处理？」 ask the coach for advice and the engine for outcomes.

    warnings = before(desk, case_id, MerchantAction.AGREE_RETURN, address=other.address)
    [w.kind for w in warnings]        # ["wrong_upstream"]
    step(desk, case_id, MerchantAction.AGREE_RETURN, address=other.address)   # goes through
    consequence(desk, order_id).verdict   # after the buyer ships: Verdict.GOODS_LOST
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.addresses import address_problems, supplier_at
from ..engine.codes import ACTIONS_NEEDING_ADDRESS, AfterSaleType, MerchantAction, Stage
from ..engine.ledger import Ledger, ledger
from ..engine.machine import Desk, Move
from ..engine.model import Address, yuan
from ..engine.privacy import has_personal_data
from ..strings import t

# Agrees that pay the buyer at once (not 203, which waits for the parcel).
REFUNDING_AGREES = frozenset({
    MerchantAction.AGREE_PRESALE_REFUND, MerchantAction.AGREE_REFUND,
    MerchantAction.RETURN_TO_REFUND, MerchantAction.EXCHANGE_TO_REFUND,
})

# Second-review agrees that take the returned goods as received.
SECOND_REVIEW_AGREES = frozenset({
    MerchantAction.CONFIRM_RETURN_RECEIVED, MerchantAction.RESHIP_EXCHANGE,
    MerchantAction.EXCHANGE_TO_REFUND,
})
REFUND_TYPES = frozenset({AfterSaleType.UNSHIPPED_REFUND, AfterSaleType.SHIPPED_REFUND})


@dataclass(frozen=True)
class Warning:
    """One thing the coach would say before the click: `kind` for tests, `text` for people."""

    kind: str  # wrong_upstream, goods_not_back, parcel_out, upstream_not_cancelled, personal_data
    text: str


def before(desk: Desk, case_id: str, move: Move, *, address: Address | None = None,
           message: str = "") -> list[Warning]:
    """What is wrong with making `move` now, and why; empty when the coach has nothing to say.

    `address` is what 101/301 would give the buyer (default: none typed yet); `message` is a
    text the trainee is about to send (checked for a buyer's personal data).
    """
    case = desk.cases[case_id]
    order = desk.orders[case.order_id]
    right = desk.supplier_of(case.order_id)
    warnings = []
    if move in ACTIONS_NEEDING_ADDRESS and address is not None and not address_problems(address) \
            and address_problems(address, right):
        other = supplier_at(address, desk.suppliers)
        warnings.append(Warning("wrong_upstream", t(
            "coach.wrong_upstream", right=right.name,
            other=other.name if other else t("coach.unknown_place"))))
    if move in REFUNDING_AGREES and case.type in REFUND_TYPES \
            and order.stage is Stage.SHIPPED and order.parcel is None:
        warnings.append(Warning("parcel_out", t("coach.parcel_out", amount=yuan(case.requested_fen))))
    if move in SECOND_REVIEW_AGREES and order.returned_to is not None \
            and order.returned_to != right.id:
        place = desk.suppliers.get(order.returned_to)
        warnings.append(Warning("goods_not_back", t(
            "coach.goods_not_back", right=right.name,
            other=place.name if place else t("coach.unknown_place"))))
    if move is MerchantAction.AGREE_PRESALE_REFUND and order.stage is Stage.UNSHIPPED \
            and not order.shipment_cancelled:
        warnings.append(Warning("upstream_not_cancelled", t("coach.upstream_not_cancelled")))
    if message and has_personal_data(message):
        warnings.append(Warning("personal_data", t("coach.personal_data")))
    return warnings


def message_warnings(message: str) -> list[Warning]:
    """The coach on a text about to go to an upstream or a buyer."""
    return [Warning("personal_data", t("coach.personal_data"))] if has_personal_data(message) else []


def consequence(desk: Desk, order_id: str) -> Ledger:
    """Where the order's money and goods are now, and the verdict (from the engine's ledger)."""
    return ledger(desk, order_id)


def consequence_lines(desk: Desk, order_id: str) -> list[str]:
    """The ledger in three plain lines: where the goods are, the money, the verdict."""
    book = ledger(desk, order_id)
    return [t("coach.goods", goods=book.goods.label),
            t("coach.money", refunded=yuan(book.refunded_fen), paid=yuan(book.paid_fen)),
            t("coach.verdict", verdict=book.verdict.label)]
