"""Lesson 03's core: supplier lookup, the 售后小助手 form, the buyer's SMS and the money/goods ledger."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import AfterSaleType, AutoAuditKind, MerchantAction, ParcelState, Status, Strategy
from helpers.engine.machine import ActionNotAllowed
from helpers.engine.model import Product, load_products
from helpers.engine.scenarios import fork, play, start_case, step
from helpers.lessons.shipped import (
    LESSON_ORDER,
    MOVE_GROUPS,
    AssistantForm,
    FormInvalid,
    GoodsPlace,
    UnknownItem,
    Verdict,
    build_sms,
    find_supplier,
    form_for_supplier,
    form_problems,
    form_warnings,
    goods_place,
    ledger,
    mirror,
    start_refund_at_once,
    start_with_form,
    strategies_for,
    verdict_of,
)
from tests.budget import around_the_engine

PHONE = "139" + "12345678"  # built at run time: no full number is stored in the repo
MOBILE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?![\d*])")
LESSON_MOVES = [m for moves in MOVE_GROUPS.values() for m in moves]


@pytest.fixture
def form(suppliers):
    return form_for_supplier(suppliers["S02"])


def verdicts(desk):
    return [row.verdict for row in ledger(desk)]


# ---- ① the supplier ------------------------------------------------------------------------

def test_every_item_leads_to_the_supplier_the_product_table_names(suppliers):
    for product in load_products().values():
        lookup = find_supplier(product.id)
        assert lookup.product == product
        assert lookup.supplier == suppliers[product.supplier_id]
        assert product.name in lookup.text() and lookup.supplier.name in lookup.text()


def test_the_lesson_order_is_shipped_by_the_guangzhou_supplier():
    lookup = find_supplier(LESSON_ORDER.product_id)
    assert lookup.supplier.id == LESSON_ORDER.supplier_id == "S02"
    assert "P04" in lookup.text() and "S02" in lookup.text()


def test_an_unknown_item_or_supplier_says_which(suppliers):
    with pytest.raises(UnknownItem, match="P99"):
        find_supplier("P99")
    orphan = {"P77": Product("P77", "无主商品", "S77", 100)}
    with pytest.raises(UnknownItem, match="S77"):
        find_supplier("P77", products=orphan, suppliers=suppliers)


# ---- ② the form ---------------------------------------------------------------------------

def test_the_address_book_entry_of_the_right_supplier_passes(form):
    assert form.supplier_id == "S02"
    assert form_problems(form) == []


def test_another_suppliers_address_saves_and_the_coach_names_the_right_one(suppliers):
    wrong = form_for_supplier(suppliers["S01"])
    assert form_problems(wrong) == []  # the back office cannot tell whose address it is
    warnings = form_warnings(wrong)
    assert [w.kind for w in warnings] == ["wrong_upstream"] and "广州花城服饰档口" in warnings[0].text


def test_an_empty_form_lists_every_missing_field():
    problems = form_problems(form_for_supplier(None))
    assert {"缺少收件人", "缺少省份", "缺少城市", "缺少联系电话"} <= set(problems)


def test_an_edited_phone_is_checked(form):
    broken = replace(form, address=replace(form.address, phone="020-8555"))
    assert any("020-8555" in p for p in form_problems(broken))


def test_a_full_phone_in_the_note_is_warned_about_only_while_the_sms_is_on(form):
    noisy = replace(form, note=f"有问题请打 {PHONE}")
    assert form_problems(noisy) == []  # it would be sent: the coach warns, nothing blocks
    warnings = form_warnings(noisy)
    assert [w.kind for w in warnings] == ["personal_data"]
    assert warnings[0].text.startswith("短信里有未打码的手机号（139****5678）")
    assert form_warnings(replace(noisy, sms_on=False)) == []


def test_strategies_follow_the_switch_and_never_auto_agree_a_return(form, policy):
    everything_on = policy.with_strategies(auto_agree_return=True)
    on = strategies_for(form, everything_on)
    assert Strategy.REFUND_AFTER_REFUSAL in on and Strategy.AUTO_AGREE_RETURN not in on
    off = strategies_for(replace(form, refund_after_refusal=False), everything_on)
    assert Strategy.REFUND_AFTER_REFUSAL not in off
    assert Strategy.INTERCEPT_AUTO_REFUND in off  # the shop's other switches stay as they are


def test_an_incomplete_form_starts_nothing():
    with pytest.raises(FormInvalid) as error:
        start_with_form(form_for_supplier(None))
    assert error.value.problems and "没有保存" in str(error.value)


# ---- the SMS ------------------------------------------------------------------------------

def test_the_sms_asks_to_refuse_and_gives_the_return_address(form):
    sms = build_sms(form)
    assert "拒签" in sms.preview and LESSON_ORDER.id in sms.preview and "女士针织开衫" in sms.preview
    assert form.address.detail in sms.preview and form.address.phone in sms.preview
    assert LESSON_ORDER.buyer not in sms.preview  # an SMS to the buyer needs no name, masked or not
    assert sms.findings == () and sms.problems == []
    assert sms.text == sms.preview


def test_without_the_strategy_the_sms_does_not_ask_to_refuse(form):
    assert "拒签" not in build_sms(replace(form, refund_after_refusal=False)).preview


def test_personal_data_in_the_note_is_found_and_masked_in_the_preview(form):
    sms = build_sms(replace(form, note=f"收件人：王小明 {PHONE}"))
    assert [f.kind for f in sms.findings] == ["name", "phone"]
    assert PHONE in sms.text  # what would be sent, which is why the coach warns first
    assert PHONE not in sms.preview and "王小明" not in sms.preview
    assert "139****5678" in sms.preview and "王**" in sms.preview


def test_the_suppliers_business_address_is_not_taken_for_personal_data(form):
    packed = replace(form, address=replace(form.address, detail="三元里大道1688号B座3楼"))
    assert form_problems(packed) == []  # the same address, written without spaces
    assert "三元里大道1688号B座3楼" in build_sms(packed).preview


@around_the_engine()
@given(number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       words=st.text(alphabet="请拒签谢谢包裹，。 ", max_size=12))
def test_no_mobile_number_reaches_the_preview(number, words):
    form = form_for_supplier(find_supplier("P04").supplier, note=words + number + words)
    sms = build_sms(form)
    assert not MOBILE.search(sms.preview)
    assert [w.kind for w in form_warnings(form)] == ["personal_data"]


# ---- ③ the parcel, ④ the ledger ------------------------------------------------------------

def test_the_request_meets_refund_after_refusal_at_once(form):
    desk, case_id = start_with_form(form)
    case = desk.cases[case_id]
    assert case.type is AfterSaleType.SHIPPED_REFUND and case.status is Status.AWAIT_MERCHANT
    assert case.refusal_agreed and case.auto is AutoAuditKind.ASSISTANT_AUTO_REFUSAL_REFUND
    assert ledger(desk)[0].goods is GoodsPlace.TO_BUYER
    assert verdicts(desk) == [Verdict.PENDING]
    with pytest.raises(ActionNotAllowed, match="拒签"):
        step(desk, case_id, MerchantAction.AGREE_REFUND)


def test_buyer_refuses_the_parcel_goes_back_money_and_goods_square_up(form):
    desk, case_id = start_with_form(form)
    seen = []
    for move in (ParcelState.REFUSED_BY_BUYER, ParcelState.RETURNING,
                 ParcelState.SIGNED_BY_MERCHANT):
        step(desk, case_id, move)
        row = ledger(desk)[0]
        seen.append((row.refunded_fen, row.goods, row.verdict))
    paid = LESSON_ORDER.paid_fen
    assert seen == [(paid, GoodsPlace.COMING_BACK, Verdict.SETTLING),
                    (paid, GoodsPlace.COMING_BACK, Verdict.SETTLING),
                    (paid, GoodsPlace.BACK, Verdict.SETTLED)]


def test_buyer_signs_after_all_and_the_return_goes_to_the_supplier(form):
    desk, case_id = start_with_form(form)
    step(desk, case_id, ParcelState.SIGNED_BY_BUYER)
    assert desk.cases[case_id].type is AfterSaleType.RETURN_REFUND
    assert ledger(desk)[0].goods is GoodsPlace.WITH_BUYER and verdicts(desk) == [Verdict.PENDING]
    step(desk, case_id, MerchantAction.AGREE_RETURN, address=form.address)
    assert desk.cases[case_id].return_address == form.address
    step(desk, case_id, "买家寄回商品")
    assert ledger(desk)[0].goods is GoodsPlace.COMING_BACK
    assert verdicts(desk) == [Verdict.AWAITING_REFUND]
    step(desk, case_id, MerchantAction.CONFIRM_RETURN_RECEIVED)
    assert verdicts(desk) == [Verdict.SETTLED]


def test_refund_at_once_loses_the_goods_when_the_buyer_signs():
    desk, case_id = start_refund_at_once()
    assert desk.cases[case_id].status is Status.SUCCESS
    assert verdicts(desk) == [Verdict.AT_RISK]
    refused = fork(desk)
    assert mirror(desk, case_id, ParcelState.SIGNED_BY_BUYER)
    assert ledger(desk)[0].goods is GoodsPlace.WITH_BUYER and verdicts(desk) == [Verdict.LOSS]
    assert mirror(refused, case_id, ParcelState.REFUSED_BY_BUYER)
    assert verdicts(refused) == [Verdict.SETTLING]  # only if the buyer happens to refuse


def test_mirror_leaves_a_desk_unchanged_where_the_event_cannot_happen():
    desk, case_id = start_refund_at_once()
    before, log = desk.snapshot(), list(desk.log)
    assert not mirror(desk, case_id, ParcelState.RETURNING)  # nothing refused, nothing intercepted
    assert desk.snapshot() == before and desk.log == log


def test_interception_is_the_other_way(form):
    desk, case_id = start_with_form(replace(form, refund_after_refusal=False))
    assert not desk.cases[case_id].refusal_agreed
    play(desk, case_id, [MerchantAction.INTERCEPT_PARCEL])
    assert verdicts(desk) == [Verdict.PENDING]
    play(desk, case_id, [ParcelState.RETURNING])
    assert desk.cases[case_id].auto is AutoAuditKind.INTERCEPT_SUCCESS_REFUND
    assert verdicts(desk) == [Verdict.SETTLING]
    play(desk, case_id, [ParcelState.SIGNED_BY_MERCHANT])
    assert verdicts(desk) == [Verdict.SETTLED]


def test_refusing_the_refund_and_keeping_the_returned_goods_invites_a_dispute(form):
    desk, case_id = start_with_form(replace(form, refund_after_refusal=False))
    assert desk.cases[case_id].deadline is not None  # a person must answer in time
    play(desk, case_id, ["拒绝仅退款", "买家已拒签", "快递退回中", "商家已签收"])
    assert verdicts(desk) == [Verdict.OWED] and not Verdict.OWED.ok


@around_the_engine()
@given(st.lists(st.sampled_from(LESSON_MOVES), max_size=8))
def test_under_refund_after_refusal_money_never_leaves_while_the_goods_stay_out(moves):
    desk, case_id = start_with_form(form_for_supplier(find_supplier("P04").supplier))
    for move in moves:
        try:
            step(desk, case_id, move)
        except ActionNotAllowed:
            continue
        (row,) = ledger(desk)
        assert row.verdict not in (Verdict.AT_RISK, Verdict.LOSS), (moves, row)
        assert row.refunded_fen <= row.paid_fen
        if MerchantAction.REFUSE_REFUND not in moves:
            assert row.verdict is not Verdict.OWED


@pytest.mark.parametrize(("refunded", "goods", "open_", "expected"), [
    (0, GoodsPlace.TO_BUYER, True, Verdict.PENDING),
    (0, GoodsPlace.WITH_BUYER, False, Verdict.SOLD),
    (0, GoodsPlace.COMING_BACK, True, Verdict.AWAITING_REFUND),
    (0, GoodsPlace.BACK, False, Verdict.OWED),
    (100, GoodsPlace.COMING_BACK, False, Verdict.SETTLING),
    (100, GoodsPlace.BACK, False, Verdict.SETTLED),
    (100, GoodsPlace.NOT_SHIPPED, False, Verdict.SETTLED),
    (100, GoodsPlace.TO_BUYER, False, Verdict.AT_RISK),
    (100, GoodsPlace.WITH_BUYER, False, Verdict.LOSS),
])
def test_verdicts(refunded, goods, open_, expected):
    assert verdict_of(refunded, goods, open_) is expected
    assert expected.label and goods.label


def test_goods_of_other_flows():
    desk, case_id = start_case(AfterSaleType.UNSHIPPED_REFUND, strategies=[])
    assert goods_place(desk, desk.cases[case_id].order_id) is GoodsPlace.NOT_SHIPPED
    desk, case_id = start_case(AfterSaleType.EXCHANGE, strategies=[])
    order_id = desk.cases[case_id].order_id
    play(desk, case_id, ["同意换货申请", "买家寄回商品"])
    assert goods_place(desk, order_id) is GoodsPlace.COMING_BACK
    play(desk, case_id, ["确认收到换货并补发新品"])
    assert goods_place(desk, order_id) is GoodsPlace.WITH_BUYER  # the new item


def test_the_form_is_a_frozen_value(form):
    with pytest.raises(AttributeError):
        form.note = "x"
    assert isinstance(form, AssistantForm)
