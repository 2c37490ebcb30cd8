"""Lesson 03, 已发货未收到, without widgets: find the supplier, check the 售后小助手 form,
build the buyer's SMS, and keep a ledger of where the money and the goods are.

The parcel is on its way and the buyer asks for 仅退款. The merchant looks up which upstream
supplier (上家/总店) ships the item, fills the assistant's form with that supplier's return
address and an SMS notice, and turns on 拒签后退款: the refund waits until the buyer refuses the
parcel (or it is intercepted and comes back), so money and goods are squared (钱货两清).

    lookup = find_supplier("P04")                     # products.csv → suppliers.csv
    form = form_for_supplier(lookup.supplier)         # the address book's return address
    form_problems(form)                               # [] — the address is complete: it saves
    form_warnings(form)                               # [] — the coach has nothing to say
    desk, case_id = start_with_form(form)             # the request arrives; the assistant acts
    ledger(desk)[0].verdict                           # Verdict.PENDING until the parcel moves

Every outcome comes from the engine (`helpers.engine.scenarios`); this module only reads desks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from ..checkpoints import Verdict as Result
from ..checkpoints import check
from ..engine.addresses import address_problems, supplier_at
from ..engine.codes import (
    AfterSaleType,
    AutoAuditKind,
    BuyerAction,
    MerchantAction,
    ParcelState,
    Stage,
    Status,
)
from ..engine.ledger import Goods
from ..engine.machine import ActionNotAllowed, Desk, Move
from ..engine.model import Address, Order, Product, Supplier, load_products, load_suppliers
from ..engine.policy import Policy, Strategy, load_policy
from ..engine.privacy import Finding, find_personal_data, mask_text
from ..engine.scenarios import start_case, step
from ..strings import t
from .coach import Warning, consequence

# The lesson's order: a cardigan (P04) that the Guangzhou supplier S02 ships; buyer data masked.
LESSON_ORDER = Order(id="DD20260302017", product_id="P04", supplier_id="S02", paid_fen=12900,
                     buyer="刘**", buyer_phone="139****0217")

EMPTY_ADDRESS = Address(contact="", phone="", province="", city="", district="", detail="")


class UnknownItem(LookupError):
    """The item or its supplier is not in the data files; the message says which (Chinese)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class FormInvalid(ValueError):
    """The form cannot be saved; `problems` lists why, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(t("shipped.not_saved", problems="；".join(problems)))
        self.problems = problems


# ---- ① the supplier of the item ---------------------------------------------------------

@dataclass(frozen=True)
class Lookup:
    """The way from an item to its supplier, so the trainee sees each step."""

    product: Product
    supplier: Supplier

    def text(self) -> str:
        return t("shipped.lookup", product_id=self.product.id, product=self.product.name,
                 supplier_id=self.supplier.id, supplier=self.supplier.name)


def find_supplier(product_id: str, products: Mapping[str, Product] | None = None,
                  suppliers: Mapping[str, Supplier] | None = None) -> Lookup:
    """The supplier that ships `product_id` (products.csv → suppliers.csv); UnknownItem if none."""
    products = load_products() if products is None else products
    suppliers = load_suppliers() if suppliers is None else suppliers
    product = products.get(product_id)
    if product is None:
        raise UnknownItem(t("shipped.unknown_item", product=product_id))
    supplier = suppliers.get(product.supplier_id)
    if supplier is None:
        raise UnknownItem(t("shipped.unknown_supplier", product=product_id,
                            supplier=product.supplier_id))
    return Lookup(product, supplier)


# ---- ② the 售后小助手 form ---------------------------------------------------------------

@dataclass(frozen=True)
class AssistantForm:
    """What the merchant fills in the 售后小助手 for a shipped, not received order."""

    supplier_id: str | None
    address: Address
    refund_after_refusal: bool = True
    sms_on: bool = True
    note: str = ""


def form_for_supplier(supplier: Supplier | None, **settings: object) -> AssistantForm:
    """A form with `supplier`'s return address from the address book (empty without one)."""
    if supplier is None:
        return AssistantForm(None, EMPTY_ADDRESS, **settings)
    return AssistantForm(supplier.id, supplier.address, **settings)


@dataclass(frozen=True)
class Sms:
    """The SMS notice: what would be sent, what staff may see, and what the privacy check found."""

    text: str  # as it would be sent; never shown (it may hold what the check found)
    preview: str  # personal data masked
    findings: tuple[Finding, ...]

    @property
    def problems(self) -> list[str]:
        return [t("shipped.sms_personal", kind=f.label, masked=f.masked) for f in self.findings]


def build_sms(form: AssistantForm, order: Order = LESSON_ORDER,
              products: Mapping[str, Product] | None = None) -> Sms:
    """The buyer's SMS from the catalog's template, checked with `helpers.engine.privacy`.

    The return address is the supplier's business address, which the buyer needs (and which
    `address_problems` checks); the privacy check looks at everything else: the buyer's data
    and whatever the merchant typed into the note. So the check runs with the address left
    out, and the address goes in afterwards.
    """
    products = load_products() if products is None else products
    template = "shipped.sms_refusal" if form.refund_after_refusal else "shipped.sms_plain"
    slot = t("shipped.sms_address_slot")
    body = t(template, shop=t("shipped.shop_name"), buyer=order.buyer, order=order.id,
             product=products[order.product_id].name, address=slot, note=form.note.strip())
    address = form.address.one_line()
    return Sms(text=body.replace(slot, address), preview=mask_text(body).replace(slot, address),
               findings=tuple(find_personal_data(body)))


def form_problems(form: AssistantForm) -> list[str]:
    """What stops the form being saved, in Chinese; empty when it may be saved.

    Only an address that is incomplete or malformed: the back office takes a complete address
    and nothing else. Whose address it is, and what the SMS says, it cannot know; those are
    the coach's to warn about (`form_warnings`), and the trainee may save anyway.
    """
    return address_problems(form.address)


def form_warnings(form: AssistantForm, order: Order = LESSON_ORDER,
                  products: Mapping[str, Product] | None = None,
                  suppliers: Mapping[str, Supplier] | None = None) -> list[Warning]:
    """What the coach says before the form is saved: another upstream's address (if the buyer
    signs, the return goes there), or the buyer's personal data in the SMS."""
    suppliers = load_suppliers() if suppliers is None else suppliers
    right = find_supplier(order.product_id, products, suppliers).supplier
    warnings = []
    if not form_problems(form) and address_problems(form.address, right):
        other = supplier_at(form.address, suppliers)
        warnings.append(Warning("wrong_upstream", t(
            "shipped.coach_wrong_upstream", right=right.name,
            other=other.name if other else t("coach.unknown_place"))))
    if form.sms_on:
        found = build_sms(form, order, products).problems
        if found:
            warnings.append(Warning("personal_data", " ".join([*found, t("shipped.coach_sms_sent")])))
    return warnings


def strategies_for(form: AssistantForm, policy: Policy) -> list[Strategy]:
    """The strategies on for this lesson's desk.

    拒签后退款 follows the form. 自动同意退货 stays off: if the buyer signs, the trainee agrees
    the return with the form's address (the assistant would take the address book's). The
    other switches keep the shop's policy.
    """
    on = {s for s in Strategy if policy.is_on(s)} - {Strategy.AUTO_AGREE_RETURN}
    if form.refund_after_refusal:
        on.add(Strategy.REFUND_AFTER_REFUSAL)
    else:
        on.discard(Strategy.REFUND_AFTER_REFUSAL)
    return sorted(on, key=list(Strategy).index)


def start_with_form(form: AssistantForm, order: Order = LESSON_ORDER, *,
                    policy: Policy | None = None,
                    suppliers: Mapping[str, Supplier] | None = None) -> tuple[Desk, str]:
    """The form saved, then the buyer's 已发货仅退款 request: the desk and the case id.

    Raises FormInvalid (nothing started) when `form_problems` finds anything; the coach's
    warnings do not stop it.
    """
    suppliers = load_suppliers() if suppliers is None else suppliers
    problems = form_problems(form)
    if problems:
        raise FormInvalid(problems)
    policy = policy or load_policy()
    return start_case(AfterSaleType.SHIPPED_REFUND, strategies=strategies_for(form, policy),
                      order=order, policy=policy, suppliers=suppliers)


def start_refund_at_once(order: Order = LESSON_ORDER, *, policy: Policy | None = None,
                         suppliers: Mapping[str, Supplier] | None = None) -> tuple[Desk, str]:
    """The comparison: no strategy, the merchant clicks 同意仅退款 as soon as the request comes."""
    desk, case_id = start_case(AfterSaleType.SHIPPED_REFUND, strategies=[], order=order,
                               policy=policy, suppliers=suppliers)
    step(desk, case_id, MerchantAction.AGREE_REFUND)
    return desk, case_id


# The moves lesson 03 offers, by who makes them (the catalog key of each group's title).
MOVE_GROUPS: dict[str, tuple[Move, ...]] = {
    "shipped.group_parcel": (ParcelState.REFUSED_BY_BUYER, ParcelState.RETURNING,
                             ParcelState.SIGNED_BY_MERCHANT, ParcelState.SIGNED_BY_BUYER),
    "shipped.group_merchant": (MerchantAction.INTERCEPT_PARCEL,
                               MerchantAction.AGREE_REFUND_AFTER_REFUSAL,
                               MerchantAction.AGREE_REFUND, MerchantAction.REFUSE_REFUND,
                               MerchantAction.AGREE_RETURN, MerchantAction.CONFIRM_RETURN_RECEIVED),
    "shipped.group_buyer": (BuyerAction.SHIP_BACK,),
}


def mirror(desk: Desk, case_id: str, move: ParcelState) -> bool:
    """Let the same parcel event happen on another desk; False (desk unchanged) where it cannot."""
    try:
        step(desk, case_id, move)
    except ActionNotAllowed:
        return False
    return True


# ---- ④ the ledger: money and goods per order ----------------------------------------------

class GoodsPlace(Enum):
    """Where an order's goods are."""

    NOT_SHIPPED = "not_shipped"
    TO_BUYER = "to_buyer"
    WITH_BUYER = "with_buyer"
    COMING_BACK = "coming_back"
    BACK = "back"
    WRONG_PLACE = "wrong_place"  # mailed back to an address that is not the shipping upstream's

    @property
    def label(self) -> str:
        return t(f"shipped.goods_{self.value}")

    @property
    def home(self) -> bool:
        """The goods are where they started (the supplier's warehouse)."""
        return self in (GoodsPlace.NOT_SHIPPED, GoodsPlace.BACK)


class Verdict(Enum):
    """Money and goods together, as a shop owner would sum them up."""

    PENDING = "pending"  # nothing refunded yet, goods not coming back, the case still open
    SOLD = "sold"  # no refund and the case is over: the buyer keeps the goods
    AWAITING_REFUND = "awaiting_refund"  # goods coming back or back, the case still open
    OWED = "owed"  # goods back, no refund, case over: the buyer will complain (商责)
    SETTLING = "settling"  # refunded, goods on their way back
    SETTLED = "settled"  # 钱货两清
    AT_RISK = "at_risk"  # refunded while the parcel still heads for the buyer
    LOSS = "loss"  # refunded and the buyer has the goods: 钱货两失
    ASTRAY = "astray"  # the goods went to the wrong upstream, no refund yet: the buyer will chase it
    LOST_ELSEWHERE = "lost_elsewhere"  # refunded, the goods at the wrong upstream: 钱货两失

    @property
    def label(self) -> str:
        return t(f"shipped.verdict_{self.value}")

    @property
    def ok(self) -> bool:
        return self not in (Verdict.OWED, Verdict.AT_RISK, Verdict.LOSS, Verdict.ASTRAY,
                            Verdict.LOST_ELSEWHERE)


def goods_place(desk: Desk, order_id: str) -> GoodsPlace:
    """Where the order's goods are, from the parcel's state and the return's progress."""
    state = desk.orders[order_id]
    if state.stage is Stage.UNSHIPPED:
        return GoodsPlace.NOT_SHIPPED
    if state.parcel is ParcelState.SIGNED_BY_MERCHANT:
        return GoodsPlace.BACK
    if state.parcel in (ParcelState.REFUSED_BY_BUYER, ParcelState.RETURNING):
        return GoodsPlace.COMING_BACK
    if state.parcel is not ParcelState.SIGNED_BY_BUYER:
        return GoodsPlace.TO_BUYER
    # Signed for: the goods stay with the buyer unless a return sent them back.
    sent_back = [desk.cases[e.case_id] for e in desk.log
                 if e.order_id == order_id and e.move is BuyerAction.SHIP_BACK and e.case_id]
    if sent_back and state.returned_to not in (None, desk.supplier_of(order_id).id):
        return GoodsPlace.WRONG_PLACE
    for case in sent_back:
        if case.status is Status.AWAIT_SECOND_REVIEW:
            return GoodsPlace.COMING_BACK
        if case.type is AfterSaleType.EXCHANGE and case.status in (
                Status.AWAIT_BUYER_RECEIVE, Status.EXCHANGE_SUCCESS):
            continue  # the new item went out to the buyer
        return GoodsPlace.BACK
    return GoodsPlace.WITH_BUYER


def verdict_of(refunded_fen: int, goods: GoodsPlace, case_open: bool) -> Verdict:
    if goods is GoodsPlace.WRONG_PLACE:
        return Verdict.LOST_ELSEWHERE if refunded_fen > 0 else Verdict.ASTRAY
    if refunded_fen > 0:
        return {GoodsPlace.COMING_BACK: Verdict.SETTLING, GoodsPlace.TO_BUYER: Verdict.AT_RISK,
                GoodsPlace.WITH_BUYER: Verdict.LOSS}.get(goods, Verdict.SETTLED)
    if goods in (GoodsPlace.COMING_BACK, GoodsPlace.BACK):
        return Verdict.AWAITING_REFUND if case_open else Verdict.OWED
    return Verdict.PENDING if case_open else Verdict.SOLD


@dataclass(frozen=True)
class LedgerRow:
    """One order: the money (paid, refunded) and the goods, and what they add up to."""

    order_id: str
    paid_fen: int
    refunded_fen: int
    goods: GoodsPlace
    verdict: Verdict


def ledger(desk: Desk) -> list[LedgerRow]:
    """A row per order of `desk`, in the order they were placed."""
    rows = []
    for order_id, state in desk.orders.items():
        goods = goods_place(desk, order_id)
        open_case = desk.open_case_of(order_id) is not None
        rows.append(LedgerRow(order_id, state.order.paid_fen, state.refunded_fen, goods,
                              verdict_of(state.refunded_fen, goods, open_case)))
    return rows


# ---- checkpoints of lesson 03: each saves its own form and plays its own parcel ----------

def _right_form(**settings: object) -> AssistantForm:
    return form_for_supplier(find_supplier(LESSON_ORDER.product_id).supplier, **settings)


def _play(desk: Desk, case_id: str, *moves: Move, address: Address | None = None) -> None:
    for move in moves:
        step(desk, case_id, move, address=address)


@check("03-1", "退货地址要填发这件商品的上家的：填成别家的，表单照样存得下、后台也不拦；"
                "买家签收转成退货后，货就寄到了别家")
def _check_right_upstream() -> Result:
    right = find_supplier(LESSON_ORDER.product_id).supplier
    other = next(s for s in load_suppliers().values() if s.id != right.id)
    wrong = form_for_supplier(other)
    if [w.kind for w in form_warnings(wrong)] != ["wrong_upstream"] or form_warnings(_right_form()):
        return Result(False, t("shipped.check_coach_silent", supplier=other.name))
    desk, case_id = start_with_form(wrong)  # the back office cannot tell whose address it is
    _play(desk, case_id, ParcelState.SIGNED_BY_BUYER, MerchantAction.AGREE_RETURN, BuyerAction.SHIP_BACK,
          address=wrong.address)
    goods = consequence(desk, LESSON_ORDER.id).goods
    return Result(goods is Goods.WRONG_PLACE, t("shipped.check_goods", goods=goods.label))


@check("03-2", "短信里不放买家的个人信息：后台照样发得出去，所以发之前要删掉；预览里已经打码")
def _check_sms_privacy() -> Result:
    typed = _right_form(note="急事请打 " + "139" + "12345678")  # built here: no full number on disk
    sms = build_sms(typed)
    if not sms.findings or "139****5678" not in sms.preview \
            or [w.kind for w in form_warnings(typed)] != ["personal_data"]:
        return Result(False, t("shipped.check_phone_missed"))
    return Result(not form_warnings(_right_form()), t("shipped.check_phone_missed"))


@check("03-3", "开了「拒签后退款」：小助手先同意、不先退钱；买家拒签、包裹退回，钱才退——钱货两清")
def _check_refusal_settles() -> Result:
    desk, case_id = start_with_form(_right_form())
    case = desk.cases[case_id]
    assistant = AutoAuditKind.ASSISTANT_AUTO_REFUSAL_REFUND
    if not case.refusal_agreed or case.refunded_fen or case.auto is not assistant:
        return Result(False, t("shipped.check_assistant_idle"))
    try:
        step(desk, case_id, MerchantAction.AGREE_REFUND)  # the goods are not back yet
    except ActionNotAllowed:
        pass
    if desk.cases[case_id].refunded_fen:
        return Result(False, t("shipped.check_paid_early"))
    _play(desk, case_id, ParcelState.REFUSED_BY_BUYER, ParcelState.RETURNING, ParcelState.SIGNED_BY_MERCHANT)
    row = ledger(desk)[0]
    return Result(row.verdict is Verdict.SETTLED and row.goods is GoodsPlace.BACK,
                  t("shipped.check_verdict", verdict=row.verdict.label))


@check("03-4", "买家还是签收了：课程里转成退货退款（课程规则，以后台为准），货寄回上家再退款；"
                "立即同意的那单已钱货两失")
def _check_buyer_signs() -> Result:
    form = _right_form()
    desk, case_id = start_with_form(form)
    at_once, at_once_id = start_refund_at_once()
    step(desk, case_id, ParcelState.SIGNED_BY_BUYER)
    mirror(at_once, at_once_id, ParcelState.SIGNED_BY_BUYER)
    case = desk.cases[case_id]
    if case.type is not AfterSaleType.RETURN_REFUND or case.refunded_fen:
        return Result(False, t("shipped.check_not_converted"))
    if ledger(at_once)[0].verdict is not Verdict.LOSS:
        return Result(False, t("shipped.check_verdict", verdict=ledger(at_once)[0].verdict.label))
    _play(desk, case_id, MerchantAction.AGREE_RETURN, BuyerAction.SHIP_BACK,
          MerchantAction.CONFIRM_RETURN_RECEIVED, address=form.address)
    row = ledger(desk)[0]
    return Result(desk.cases[case_id].return_address == form.address and row.verdict is Verdict.SETTLED,
                  t("shipped.check_verdict", verdict=row.verdict.label))


@check("03-5", "另一条路是快递拦截：包裹退回时，「快递拦截成功自动退款」的小助手退款，钱和货一起往回走")
def _check_intercept() -> Result:
    desk, case_id = start_with_form(_right_form(refund_after_refusal=False))
    _play(desk, case_id, MerchantAction.INTERCEPT_PARCEL, ParcelState.RETURNING)
    row = ledger(desk)[0]
    return Result(desk.cases[case_id].auto is AutoAuditKind.INTERCEPT_SUCCESS_REFUND
                  and row.verdict is Verdict.SETTLING, t("shipped.check_verdict", verdict=row.verdict.label))


@check("03-6", "拒绝仅退款反而惹来纠纷：买家照样拒签，货回到上家，钱却没退")
def _check_refusing_owes() -> Result:
    desk, case_id = start_with_form(_right_form(refund_after_refusal=False))
    _play(desk, case_id, MerchantAction.REFUSE_REFUND, ParcelState.REFUSED_BY_BUYER,
          ParcelState.RETURNING, ParcelState.SIGNED_BY_MERCHANT)
    row = ledger(desk)[0]
    return Result(row.verdict is Verdict.OWED, t("shipped.check_verdict", verdict=row.verdict.label))


def show_deadline(policy: Policy | None = None) -> None:
    """Print the merchant's deadline for a new request and what passing it does (example values)."""
    deadline = (policy or load_policy()).deadline_for(Status.AWAIT_MERCHANT)
    if deadline is not None:
        print(t("shipped.deadline_line", label=deadline.label, hours=f"{deadline.hours:g}",
                on_timeout=deadline.on_timeout))
