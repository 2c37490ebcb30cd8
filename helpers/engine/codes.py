"""The platform's after-sale codes as Enums that carry their label.

Codes follow the 抖店开放平台 after-sale APIs as public SDKs show them (see
shared/reference/platform-facts.md, sections A1-A5). Where the course needs a value the
platform list does not have, the member says so in its comment.
"""

from __future__ import annotations

from enum import Enum

from .. import strings


class Labeled(Enum):
    """An Enum whose value is the platform code and which knows its label.

    `zh` is the platform's own Chinese name (what the back office and exports show, and what
    data files refer to); `label` is what the trainee reads, in the current language: in a
    language other than zh-CN it comes from the catalog key `codes.<Enum>.<MEMBER>`.
    """

    def __new__(cls, code: object, zh: str) -> Labeled:
        member = object.__new__(cls)
        member._value_ = code
        member.zh = zh
        return member

    @property
    def label(self) -> str:
        if strings.get_language() == strings.DEFAULT_LANGUAGE:
            return self.zh
        return strings.lookup(f"codes.{type(self).__name__}.{self.name}") or self.zh

    @property
    def code(self) -> object:
        return self.value

    @classmethod
    def from_label(cls, label: str) -> Labeled:
        """The member named `label`: the platform's Chinese name, or the current language's."""
        for member in cls:
            if label in (member.zh, member.label):
                return member
        raise KeyError(label)

    def __str__(self) -> str:
        return self.label


class AfterSaleType(Labeled):
    """售后类型 (`aftersale_type` filter of /afterSale/List)."""

    RETURN_REFUND = 0, "退货退款"
    SHIPPED_REFUND = 1, "已发货仅退款"
    UNSHIPPED_REFUND = 2, "未发货仅退款"
    EXCHANGE = 3, "换货"
    PRICE_PROTECTION = 6, "价保"
    RESEND = 7, "补寄"
    REPAIR = 8, "维修"


# The types the course's state machine models; the others are listed for completeness.
MODELLED_TYPES = (
    AfterSaleType.UNSHIPPED_REFUND,
    AfterSaleType.SHIPPED_REFUND,
    AfterSaleType.RETURN_REFUND,
    AfterSaleType.EXCHANGE,
)
# 补寄 (type 7) is modelled too, for lesson 09's lost parcels; lessons 00-08 draw the four above.
EVERYDAY_TYPES = (AfterSaleType.RESEND,)


class Status(Labeled):
    """售后状态 (`standard_aftersale_status`)."""

    AWAIT_MERCHANT = 6, "待商家同意"
    AWAIT_BUYER_RETURN = 7, "待买家退货"
    AWAIT_MERCHANT_SHIP = 8, "待商家发货"
    AWAIT_SECOND_REVIEW = 11, "待商家二次同意"
    SUCCESS = 12, "售后成功"
    AWAIT_BUYER_RECEIVE = 13, "换货待买家收货"
    EXCHANGE_SUCCESS = 14, "换货成功"
    REFUSED_FIRST = 27, "商家一次拒绝"
    FAILED = 28, "售后失败"
    REFUSED_SECOND = 29, "商家二次拒绝"
    # Course value: the List enum has no status for a request the buyer withdrew
    # (the Detail API records it as type 5 用户取消).
    CANCELLED = -1, "买家已撤销"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset({
    Status.SUCCESS,
    Status.EXCHANGE_SUCCESS,
    Status.REFUSED_FIRST,
    Status.FAILED,
    Status.REFUSED_SECOND,
    Status.CANCELLED,
})


class RefundStatus(Labeled):
    """退款状态 (`refund_status`)."""

    PENDING = 1, "待退款"
    IN_PROGRESS = 2, "退款中"
    SUCCESS = 3, "退款成功"
    FAILED = 4, "退款失败"


class MerchantAction(Labeled):
    """Merchant actions; the value is the operate code of /afterSale/operate."""

    AGREE_RETURN = 101, "同意退货申请"
    REFUSE_RETURN = 102, "拒绝退货申请"
    CONFIRM_RETURN_RECEIVED = 111, "确认收到退货并退款"
    REFUSE_RETURN_RECEIVED = 112, "拒绝退货（二审）"
    RETURN_TO_REFUND = 121, "退货转退款"
    AGREE_REFUND = 201, "同意仅退款"
    REFUSE_REFUND = 202, "拒绝仅退款"
    AGREE_REFUND_AFTER_REFUSAL = 203, "同意拒签后退款"
    AGREE_EXCHANGE = 301, "同意换货申请"
    REFUSE_EXCHANGE = 302, "拒绝换货申请"
    RESHIP_EXCHANGE = 311, "确认收到换货并补发新品"
    REFUSE_EXCHANGE_RECEIVED = 312, "拒绝换货（二审）"
    EXCHANGE_TO_REFUND = 321, "换货转退款"
    # The agree of a 未发货仅退款 (售前退). It has no refuse code: shipping the goods answers it.
    AGREE_PRESALE_REFUND = 401, "同意售前退申请"
    # Course values: these go through their own APIs (or the upstream), not an operate code.
    INTERCEPT_PARCEL = 901, "申请快递拦截"
    # For a 代发 shop: cancel the upstream's 拍单 order before its parcel leaves.
    STOP_SHIPMENT = 902, "取消发货"
    # Upload the tracking number in the back office (发货): this answers a 售前退 request.
    SHIP_ORDER = 903, "发货（上传快递单号）"
    # Course values for the everyday cases (lesson 09). 协商 is a proposal the buyer accepts
    # (recorded as 自动审核方式 14 协商方案自动同意退款) or declines; the platform's own 补寄
    # operate codes are not in platform-facts A3.
    PROPOSE_PARTIAL = 904, "提出协商方案（部分退款）"
    AGREE_RESEND = 905, "同意补寄"
    REFUSE_RESEND = 906, "拒绝补寄"
    SHIP_RESEND = 907, "补寄发货（上传快递单号）"
    # /afterSale/submitEvidence (A8): the merchant's 举证 once the buyer asked for 客服介入.
    SUBMIT_EVIDENCE = 908, "提交举证"


# Refusals: each needs a reason code from the reject list and, where that reason says
# evidence_need, evidence (A3).
REFUSING_ACTIONS = frozenset({
    MerchantAction.REFUSE_RETURN, MerchantAction.REFUSE_RETURN_RECEIVED,
    MerchantAction.REFUSE_REFUND, MerchantAction.REFUSE_EXCHANGE,
    MerchantAction.REFUSE_EXCHANGE_RECEIVED, MerchantAction.REFUSE_RESEND,
})

# Actions that need a return address (operate 101 and 301).
ACTIONS_NEEDING_ADDRESS = frozenset({MerchantAction.AGREE_RETURN, MerchantAction.AGREE_EXCHANGE})


class BuyerAction(Labeled):
    """What the buyer does (course codes: the platform records these as messages)."""

    SHIP_BACK = "ship_back", "买家寄回商品"
    CANCEL = "cancel", "买家撤销申请"
    CONFIRM_RECEIPT = "confirm_receipt", "买家确认收到换货"
    ACCEPT_PROPOSAL = "accept_proposal", "买家接受协商方案"
    DECLINE_PROPOSAL = "decline_proposal", "买家拒绝协商方案"
    ASK_PLATFORM = "ask_platform", "买家申请客服介入"


class ReturnReason(Labeled):
    """`reason` filter of /afterSale/List (A1)."""

    NO_REASON = 1, "七天无理由退货"
    OTHER = 2, "非七天无理由退货"


class PartType(Labeled):
    """`part_type` (A1): the whole amount or part of it."""

    FULL = 0, "全额退款"
    PART = 1, "部分退"


class Evidence(Labeled):
    """What a refusal or a 举证 can carry. The platform takes 1 image or 2 video (A3);
    which item proves what is the course's own rule."""

    OPENING_VIDEO = "opening_video", "开箱视频"
    PACKING_VIDEO = "packing_video", "发货打包视频"
    LOGISTICS_SCREENSHOT = "logistics_screenshot", "物流截图"
    CHAT_RECORD = "chat_record", "聊天记录截图"

    @property
    def media(self) -> int:
        """The platform's evidence type: 1 image, 2 video."""
        return 2 if self in (Evidence.OPENING_VIDEO, Evidence.PACKING_VIDEO) else 1


class ArbitrateStatus(Labeled):
    """客服介入 states (`arbitrate_status` filter of /afterSale/List, A8)."""

    NONE = 0, "未介入"
    IN_PROGRESS = 1, "客服处理中"
    FOR_BUYER = 2, "仲裁结束-支持买家"
    FOR_SELLER = 3, "仲裁结束-支持卖家"
    AWAIT_EVIDENCE = 4, "待商家举证"
    CANCELLED = 255, "取消"


class Blame(Labeled):
    """责任方 (`arbitrate_blame`, A8); the values are the course's."""

    MERCHANT = "merchant", "商责"
    NOT_MERCHANT = "not_merchant", "非商责"


class ParcelState(Labeled):
    """Parcel state in a refusal case (`order_logistics_state`)."""

    REFUSED_BY_BUYER = 1, "买家已拒签"
    SIGNED_BY_BUYER = 2, "买家已签收"
    RETURNING = 3, "快递退回中"
    SIGNED_BY_MERCHANT = 4, "商家已签收"


# Parcel states in which the goods are on their way back or back (钱货两清 may follow).
PARCEL_STATES_GOODS_COMING_BACK = frozenset({
    ParcelState.REFUSED_BY_BUYER,
    ParcelState.RETURNING,
    ParcelState.SIGNED_BY_MERCHANT,
})


class ClockEvent(Labeled):
    """The clock: passing the current node's deadline (`status_deadline`), or just moving on."""

    DEADLINE_PASSED = "deadline_passed", "超过处理时限"
    # Course value: the clock moved on with nothing due (logged so a replay ends on the same clock).
    CLOCK_MOVED = "clock_moved", "时间流逝"


class Stage(Labeled):
    """Where the order's goods are, from the buyer's side."""

    UNSHIPPED = "unshipped", "未发货"
    SHIPPED = "shipped", "已发货未收到"
    RECEIVED = "received", "已收货"


class AutoAuditKind(Labeled):
    """自动审核方式 (`auto_audit_bits`): how the 售后小助手 or the platform approved."""

    PRE_SHIP_FAST_REFUND = 1, "发货前极速退"
    ASSISTANT_AUTO_REFUND = 2, "小助手自动同意退款"
    POST_SHIP_FAST_REFUND = 3, "发货后极速退"
    LIGHTNING_RETURN = 4, "闪电退货"
    CROSS_BORDER_ZERO_SECOND = 5, "跨境零秒退"
    CLOUD_WAREHOUSE_INTERCEPT = 6, "云仓拦截自动退"
    ASSISTANT_AUTO_RETURN = 7, "小助手自动同意退货"
    ASSISTANT_AUTO_REFUSAL_REFUND = 8, "小助手自动同意拒签后退款"
    MERCHANT_CARD_FOR_BUYER = 9, "商家代客填写卡片发起售后"
    GOVERNANCE_UNSHIPPED = 10, "治理未发货自动同意退款"
    GOVERNANCE_SHIPPED = 11, "治理已发货自动同意退款"
    INTERCEPT_SUCCESS_REFUND = 12, "商家快递拦截成功自动退款"
    QC_EXEMPT = 13, "质检商品免审核"
    NEGOTIATED_AUTO_REFUND = 14, "协商方案自动同意退款"
    PLATFORM_VOUCHER = 15, "平台卡券自动同意退款"
    THIRD_PARTY_VOUCHER = 16, "三方卡券自动同意退款"
    GOVERNANCE_FIRST_REVIEW = 17, "治理一审自动同意退货退款"


class Actor(Labeled):
    """Who caused an event (`apply_role` and beyond)."""

    BUYER = "buyer", "买家"
    MERCHANT = "merchant", "商家"
    ASSISTANT = "assistant", "售后小助手"
    COURIER = "courier", "快递"
    PLATFORM = "platform", "平台"
