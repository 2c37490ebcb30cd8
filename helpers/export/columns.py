"""The shape of a back-office after-sales export: its columns, and the values some of them take.

The Chinese names are the export's own headers (data, like the labels in `helpers.engine.codes`); the
keys are the English column names of the frame the importer returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ..engine.codes import AfterSaleType, Labeled, Status


class Kind(Enum):
    """How a column is read and checked."""

    ID = "id"
    TYPE = "type"
    STATUS = "status"
    DATETIME = "datetime"
    MONEY = "money"
    TEXT = "text"
    PHONE = "phone"


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    kind: Kind
    required: bool
    aliases: tuple[str, ...] = ()
    max_chars: int = 200


COLUMNS: tuple[Column, ...] = (
    Column("case_id", "售后单号", Kind.ID, True, ("售后单ID", "售后ID", "售后编号"), 64),
    Column("order_id", "订单号", Kind.ID, False, ("订单编号", "订单ID", "主订单号"), 64),
    Column("type", "售后类型", Kind.TYPE, True),
    Column("status", "售后状态", Kind.STATUS, True),
    Column("applied_at", "申请时间", Kind.DATETIME, True, ("售后申请时间",)),
    Column("answered_at", "商家处理时间", Kind.DATETIME, False, ("商家首次处理时间",)),
    Column("closed_at", "完结时间", Kind.DATETIME, False, ("售后完结时间",)),
    Column("refund_fen", "退款金额(元)", Kind.MONEY, True, ("退款金额", "实际退款金额(元)")),
    Column("reason", "售后原因", Kind.TEXT, False, ("退款原因", "申请原因"), 500),
    Column("product", "商品名称", Kind.TEXT, False, ("商品",)),
    Column("supplier", "上家", Kind.TEXT, False, ("上家名称", "供应商")),
    Column("logistics", "物流状态", Kind.TEXT, False),
    Column("buyer_phone", "买家手机号", Kind.PHONE, False, ("买家电话", "手机号"), 32),
)

BY_KEY = {c.key: c for c in COLUMNS}
CATEGORY_KINDS = frozenset({Kind.TYPE, Kind.STATUS, Kind.TEXT})


class Logistics(Labeled):
    """物流状态 as the export shows it: where the order's parcel is at the time of the export."""

    UNSHIPPED = "unshipped", "未发货"
    IN_TRANSIT = "in_transit", "运输中"
    REFUSED = "refused", "买家已拒签"
    INTERCEPTED = "intercepted", "拦截成功"
    RETURNING = "returning", "快递退回中"
    BACK_AT_MERCHANT = "back", "商家已签收"
    SIGNED = "signed", "买家已签收"


# Other spellings the back office (or the Detail API) uses for the same type or status.
TYPE_ALIASES = {
    "售后退货退款": AfterSaleType.RETURN_REFUND,
    "售后仅退款": AfterSaleType.SHIPPED_REFUND,
    "发货前退款": AfterSaleType.UNSHIPPED_REFUND,
}
STATUS_ALIASES = {
    "售后申请": Status.AWAIT_MERCHANT,
    "售后退货中": Status.AWAIT_BUYER_RETURN,
    "售后已发货": Status.AWAIT_SECOND_REVIEW,
    "拒绝售后申请": Status.REFUSED_FIRST,
    "售后退货拒绝": Status.REFUSED_SECOND,
    "换货/补寄待买家收货": Status.AWAIT_BUYER_RECEIVE,
    "换货/补寄成功": Status.EXCHANGE_SUCCESS,
    "用户取消": Status.CANCELLED,
    "买家取消": Status.CANCELLED,
}

# Reasons that point at the goods or the packing, i.e. at the upstream supplier that shipped them.
SUPPLIER_FAULT_REASONS = ("质量问题", "收到商品破损", "发错货", "与商品描述不符")
