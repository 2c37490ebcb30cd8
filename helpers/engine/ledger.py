"""Where an order's money and goods are, and what that costs the shop: the ledger's verdict.

The engine lets every click through that the back office lets through; this is how a lesson
shows what a click cost. Read from the desk alone:

    ledger(desk, "DD20260305017").goods      # Goods.WRONG_PLACE: mailed to another upstream
    ledger(desk, "DD20260305017").verdict    # Verdict.BOTH_LOST: refunded, goods not back
"""

from __future__ import annotations

from dataclasses import dataclass

from .codes import AfterSaleType, Labeled, ParcelState, PartType, Stage
from .machine import Desk


class Goods(Labeled):
    """Where the goods of an order are."""

    WAREHOUSE = "warehouse", "还在上家仓库，没有发出"
    TO_BUYER = "to_buyer", "在快递路上，正送往买家"
    WITH_BUYER = "with_buyer", "在买家手里"
    COMING_BACK = "coming_back", "在退回上家的路上"
    BACK = "back", "已回到发货的上家"
    WRONG_PLACE = "wrong_place", "寄到了别的地址（不是发货的上家）：那里不认这件货，可能拒收或弄丢"
    LOST = "lost", "丢在快递路上（物流停滞）"


class Verdict(Labeled):
    """What the order cost the shop, in the words of the 钱货两清 ledger."""

    CLEAR = "clear", "钱货两清：钱退了，货也回来了（或没发出）"
    COMING_BACK = "coming_back", "钱已退，货在回来的路上"
    BOTH_LOST = "both_lost", "钱货两失：钱退了，货却没回来"
    GOODS_LOST = "goods_lost", "货寄错了地方，钱还没退：买家寄了货，会追着要退款"
    NONE = "none", "没有损失：钱没退，货在该在的地方"
    REFUND_KEPT = "refund_kept", "已收货仅退款：钱退了，货留在买家手里（破损、变质的货本来就不值得寄回）"
    PARTIAL = "partial", "部分退款：只退了一部分钱，货留在买家手里"
    LOST_REFUNDED = "lost_refunded", "货丢在快递路上，钱已退给买家：向快递索赔"


@dataclass(frozen=True)
class Ledger:
    paid_fen: int
    refunded_fen: int
    goods: Goods
    verdict: Verdict

    @property
    def lost(self) -> bool:
        return self.verdict in (Verdict.BOTH_LOST, Verdict.GOODS_LOST)


def goods_of(desk: Desk, order_id: str) -> Goods:
    order = desk.orders[order_id]
    if order.returned_to is not None:
        right = order.returned_to == order.order.supplier_id
        return Goods.BACK if right else Goods.WRONG_PLACE
    if order.parcel is ParcelState.SIGNED_BY_MERCHANT:
        return Goods.BACK
    if order.parcel in (ParcelState.REFUSED_BY_BUYER, ParcelState.RETURNING):
        return Goods.COMING_BACK
    if order.stage is Stage.UNSHIPPED:
        return Goods.WAREHOUSE
    if order.stage is Stage.SHIPPED:
        return Goods.LOST if order.stalled else Goods.TO_BUYER
    return Goods.WITH_BUYER


def ledger(desk: Desk, order_id: str) -> Ledger:
    """The order's money and goods now, and the verdict."""
    order = desk.orders[order_id]
    goods = goods_of(desk, order_id)
    refunded = order.refunded_fen
    kept = [c for c in desk.cases.values() if c.order_id == order_id and c.refunded_fen
            and ((c.got_pkg and c.type is AfterSaleType.SHIPPED_REFUND)
                 or c.part_type is PartType.PART)]
    if refunded and goods is Goods.WITH_BUYER and kept:
        verdict = Verdict.PARTIAL if refunded < order.order.paid_fen else Verdict.REFUND_KEPT
    elif refunded and goods is Goods.LOST:
        verdict = Verdict.LOST_REFUNDED
    elif refunded:
        verdict = {Goods.WAREHOUSE: Verdict.CLEAR, Goods.BACK: Verdict.CLEAR,
                   Goods.COMING_BACK: Verdict.COMING_BACK}.get(goods, Verdict.BOTH_LOST)
    else:
        verdict = Verdict.GOODS_LOST if goods is Goods.WRONG_PLACE else Verdict.NONE
    return Ledger(order.order.paid_fen, refunded, goods, verdict)
