"""helpers.lessons.returns: the usual paths of a return and an exchange, where the goods are, and an
address check that says more than the engine and never disagrees with it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from helpers import ActionNotAllowed, AfterSaleType, AutoAuditKind, Status, Strategy, t
from helpers.engine.model import load_products
from helpers.engine.scenarios import play, start_case, step
from helpers.lessons.returns import (
    FLOWS,
    GOODS_PLACE,
    RETURN_ORDER,
    check_address,
    flow_progress,
    goods_place,
    shipping_supplier,
    supplier_at,
)

T = AfterSaleType
MOBILE = "139" + "12345678"  # built at run time: no full number is stored in the repo


def _case(type_, strategies=()):
    return start_case(type_, strategies=list(strategies), order=RETURN_ORDER)


@pytest.mark.parametrize(("case_type", "end", "refunded"), [
    (T.RETURN_REFUND, Status.SUCCESS, RETURN_ORDER.paid_fen),
    (T.EXCHANGE, Status.EXCHANGE_SUCCESS, 0),
])
def test_the_usual_path_is_one_the_engine_accepts_to_the_end(case_type, end, refunded):
    desk, case_id = _case(case_type)
    case = play(desk, case_id, FLOWS[case_type])
    assert case.status is end
    assert case.refunded_fen == refunded
    assert case.return_address == desk.supplier_of(case.order_id).address


def test_progress_marks_done_steps_and_the_next_one():
    desk, case_id = _case(T.RETURN_REFUND)
    progress = flow_progress(desk, case_id)
    assert [s.move for s in progress] == list(FLOWS[T.RETURN_REFUND])
    assert [(s.done, s.current) for s in progress] == [(False, True), (False, False), (False, False)]
    step(desk, case_id, FLOWS[T.RETURN_REFUND][0])
    assert [(s.done, s.current) for s in flow_progress(desk, case_id)] == [
        (True, False), (False, True), (False, False)]
    play(desk, case_id, FLOWS[T.RETURN_REFUND][1:])
    assert [(s.done, s.current) for s in flow_progress(desk, case_id)] == [(True, False)] * 3


def test_progress_counts_the_assistants_agreement():
    desk, case_id = _case(T.RETURN_REFUND, [Strategy.AUTO_AGREE_RETURN])
    case = desk.cases[case_id]
    assert case.status is Status.AWAIT_BUYER_RETURN
    assert case.auto is AutoAuditKind.ASSISTANT_AUTO_RETURN
    assert [s.done for s in flow_progress(desk, case_id)] == [True, False, False]


def test_a_closed_case_off_the_path_has_no_next_step():
    desk, case_id = _case(T.RETURN_REFUND)
    play(desk, case_id, ["拒绝退货申请"])
    assert not any(s.current or s.done for s in flow_progress(desk, case_id))


@pytest.mark.parametrize(("case_type", "moves", "place"), [
    (T.RETURN_REFUND, [], "buyer"),
    (T.RETURN_REFUND, ["同意退货申请"], "buyer_to_send"),
    (T.RETURN_REFUND, ["同意退货申请", "买家寄回商品"], "supplier_check"),
    (T.RETURN_REFUND, ["同意退货申请", "买家寄回商品", "确认收到退货并退款"], "supplier"),
    (T.RETURN_REFUND, ["同意退货申请", "买家寄回商品", "拒绝退货（二审）"], "supplier_refused"),
    (T.RETURN_REFUND, ["同意退货申请", "超过处理时限"], "buyer"),  # the buyer never sent it
    (T.RETURN_REFUND, ["同意退货申请", "买家撤销申请"], "buyer"),
    (T.EXCHANGE, ["同意换货申请", "买家寄回商品", "确认收到换货并补发新品"], "new_to_buyer"),
    (T.EXCHANGE, FLOWS[T.EXCHANGE], "buyer_new"),
])
def test_goods_place_follows_the_goods(case_type, moves, place):
    desk, case_id = _case(case_type)
    case = play(desk, case_id, moves)
    assert goods_place(desk, case) == place


def test_every_goods_place_has_a_text():
    for place in {*GOODS_PLACE.values(), "buyer", "supplier_refused"}:
        assert t(f"returns.goods_{place}")


def test_the_lesson_order_is_shipped_by_the_guangzhou_supplier(suppliers):
    assert shipping_supplier(RETURN_ORDER, load_products(), suppliers).id == "S02"
    assert "****" in RETURN_ORDER.buyer_phone and RETURN_ORDER.buyer.endswith("**")


def test_every_product_has_a_supplier_in_the_address_book(suppliers):
    products = load_products()
    for product in products.values():
        order = replace(RETURN_ORDER, product_id=product.id)
        assert shipping_supplier(order, products, suppliers).id == product.supplier_id


def test_the_right_address_passes(suppliers):
    result = check_address(suppliers["S02"].address, suppliers["S02"], suppliers)
    assert result.ok and result.problems == () and result.belongs_to is None


def test_spaces_do_not_matter(suppliers):
    right = suppliers["S02"].address
    assert check_address(replace(right, detail=right.detail.replace(" ", "")), suppliers["S02"],
                         suppliers).ok


def test_another_suppliers_address_says_whose_it_is(suppliers):
    result = check_address(suppliers["S01"].address, suppliers["S02"], suppliers)
    assert not result.ok
    assert result.belongs_to == suppliers["S01"]
    assert any("广州花城服饰档口" in p for p in result.problems)
    assert supplier_at(suppliers["S01"].address, suppliers) == suppliers["S01"]


@pytest.mark.parametrize(("change", "problem", "differs"), [
    ({"province": ""}, "缺少省份", ()),
    ({"city": ""}, "缺少城市", ()),
    ({"detail": ""}, "缺少详细地址", ()),
    ({"contact": ""}, "缺少收件人", ()),
    ({"phone": "020-8555"}, "格式不对", ("phone",)),
    ({"phone": "12345"}, "格式不对", ("phone",)),
    ({"province": "广东"}, "不是有效的省级行政区", ("province",)),
    ({"district": "天河区"}, "不是「广州花城服饰档口」的地址", ("district",)),
    ({"phone": MOBILE}, "不是「广州花城服饰档口」的地址", ("phone",)),
])
def test_a_bad_address_says_what_is_wrong(suppliers, change, problem, differs):
    address = replace(suppliers["S02"].address, **change)
    result = check_address(address, suppliers["S02"], suppliers)
    assert not result.ok
    assert any(problem in p for p in result.problems), result.problems
    assert result.differs == differs
    assert result.belongs_to is None
    assert MOBILE not in " ".join(result.problems)


@pytest.mark.parametrize("supplier_id", ["S01", "S02", "S03"])
@pytest.mark.parametrize("case_type", [T.RETURN_REFUND, T.EXCHANGE])
@pytest.mark.parametrize("change", [{}, {"province": ""}, {"phone": "0579-8555"}, {"detail": "仓"}])
def test_the_engine_refuses_only_what_is_invalid_the_check_also_names_another_upstream(
        suppliers, supplier_id, case_type, change):
    address = replace(suppliers[supplier_id].address, **change)
    expected = suppliers[RETURN_ORDER.supplier_id]
    desk, case_id = _case(case_type)
    try:
        step(desk, case_id, FLOWS[case_type][0], address=address)
        accepted = True
    except ActionNotAllowed:
        accepted = False
    check = check_address(address, expected, suppliers)
    assert accepted is not bool(change)  # valid goes through, whichever upstream it is
    assert check.ok is (accepted and supplier_id == RETURN_ORDER.supplier_id)
    if accepted and not check.ok:
        assert check.belongs_to is suppliers[supplier_id]
