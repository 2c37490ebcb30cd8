"""The 退换货工作台 of lesson 04, driven headlessly: set values, click, read the app."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from helpers import AfterSaleType, AutoAuditKind, Status
from helpers.engine.privacy import find_personal_data
from helpers.lessons.returns import ADDRESS_FIELDS, FLOWS, RETURN_ORDER
from helpers.ui.returns import ReturnDeskApp
from tests.widget_tree import walk as _walk

MOBILE = "139" + "12345678"  # built at run time: no full number is stored in the repo


@pytest.fixture
def app():
    return ReturnDeskApp()




def _with_class(app, css):
    return [w for w in _walk(app.widget) if css in w._dom_classes]


def _html(app):
    return " ".join(w.value for w in _walk(app.widget) if isinstance(w, widgets.HTML))


def test_it_builds_with_the_browser_contract(app):
    assert _with_class(app, "returns-address-check") == [app.check_html]
    assert _with_class(app, "returns-flow") == [app.flow_html]
    assert _with_class(app, "returns-state") == [app.state_html]
    assert _with_class(app, "returns-message") == [app.message_html]
    assert _with_class(app, "returns-field") == [app.fields[name] for name in ADDRESS_FIELDS]
    actions = _with_class(app, "returns-action")
    assert [b.description for b in actions] == [m.label for m in FLOWS[AfterSaleType.RETURN_REFUND]]
    assert "待商家同意" in app.state_html.value
    assert "广州花城服饰档口" in app.order_html.value  # the supplier that ships the T-shirt
    assert RETURN_ORDER.buyer_phone in app.order_html.value


def test_an_empty_form_is_refused_and_nothing_changes(app):
    before, log = app.desk.snapshot(), list(app.desk.log)
    app.button("同意退货申请").click()
    assert app.ok is False
    assert app.desk.snapshot() == before and app.desk.log == log
    assert app.case.status is Status.AWAIT_MERCHANT
    for problem in ("缺少收件人", "缺少省份", "缺少城市", "缺少详细地址", "缺少联系电话"):
        assert problem in app.check_html.value
    assert "售后单没有任何变化" in app.message_html.value
    assert 'class="error"' in app.message_html.value


def test_another_suppliers_address_is_warned_then_goes_through_and_the_goods_go_astray(app):
    app.book_picker.value = "S01"
    assert app.fields["city"].value == "金华市"
    assert app.button("同意退货申请").click() is None
    assert app.case.status is Status.AWAIT_MERCHANT, "the coach only warns"
    assert [w.kind for w in app.coach_box.warnings] == ["wrong_upstream"]
    assert "后台不会拦" in app.coach_box.html.value and "广州花城服饰档口" in app.coach_box.html.value
    assert "你填的是「义乌晨光日用品总店」的地址" in app.check_html.value
    app.coach_box.go_ahead_button.click()
    assert app.case.status is Status.AWAIT_BUYER_RETURN and "撤不回" in app.message_html.value
    app.button("买家寄回商品").click()
    assert "寄到了别的上家" in app.state_html.value
    assert "钱还没退" in app.ledger_html.value
    assert app.button("确认收到退货并退款").click() is None  # the coach: goods not back
    assert [w.kind for w in app.coach_box.warnings] == ["goods_not_back"]
    app.coach_box.go_ahead_button.click()
    assert app.case.status is Status.SUCCESS and "钱货两失" in app.ledger_html.value


def test_the_checker_names_the_wrong_field(app):
    app.book_picker.value = "S02"
    app.fields["district"].value = "天河区"
    result = app.check()
    assert not result.ok and result.differs == ("district",)
    assert "区/县" in app.check_html.value
    app.fields["district"].value = "白云区"
    app.fields["phone"].value = "020-8555"
    app.check_button.click()
    assert "电话「020-8555」格式不对" in app.check_html.value
    app.fields["phone"].value = "020-85550202"
    app.fields["province"].value = ""
    app.check_button.click()
    assert "缺少省份" in app.check_html.value


def test_a_typed_mobile_is_not_the_address_books(app):
    app.book_picker.value = "S02"
    app.fields["phone"].value = MOBILE
    assert not app.check().ok
    assert "电话" in app.check_html.value and MOBILE not in app.check_html.value


def test_the_whole_return_with_both_reviews(app):
    app.book_picker.value = "S02"
    assert app.check().ok and "地址可以用" in app.check_html.value
    app.button("同意退货申请").click()
    assert app.ok and app.case.status is Status.AWAIT_BUYER_RETURN
    assert "退货寄往：广州花城服饰档口" in app.state_html.value
    assert "直接寄给上家" in app.state_html.value
    assert app.buttons[FLOWS[AfterSaleType.RETURN_REFUND][1]].button_style == "primary"
    app.button("买家寄回商品").click()
    assert app.case.status is Status.AWAIT_SECOND_REVIEW
    assert app.case.refunded_fen == 0
    assert "等上家验收" in app.state_html.value
    app.button("确认收到退货并退款").click()
    assert app.case.status is Status.SUCCESS
    assert app.case.refunded_fen == RETURN_ORDER.paid_fen
    assert "¥79.00" in app.state_html.value
    assert app.flow_html.value.count("✓ 已完成") == 3


def test_the_whole_exchange(app):
    app.type_picker.value = AfterSaleType.EXCHANGE
    assert [b.description for b in _with_class(app, "returns-action")] == [
        m.label for m in FLOWS[AfterSaleType.EXCHANGE]]
    app.book_picker.value = "S02"
    for label, status in (("同意换货申请", Status.AWAIT_BUYER_RETURN),
                          ("买家寄回商品", Status.AWAIT_SECOND_REVIEW),
                          ("确认收到换货并补发新品", Status.AWAIT_BUYER_RECEIVE),
                          ("买家确认收到换货", Status.EXCHANGE_SUCCESS)):
        app.button(label).click()
        assert app.ok, app.message
        assert app.case.status is status
    assert app.case.refunded_fen == 0
    assert "买家已收到新品" in app.state_html.value


def test_a_step_out_of_order_is_refused(app):
    app.book_picker.value = "S02"
    before = app.desk.snapshot()
    app.button("确认收到退货并退款").click()
    assert app.ok is False and app.desk.snapshot() == before
    assert "不能执行「确认收到退货并退款」" in app.message_html.value


def test_the_assistant_agrees_with_the_suppliers_address(app):
    app.auto_box.value = True
    assert app.case.status is Status.AWAIT_BUYER_RETURN
    assert app.case.auto is AutoAuditKind.ASSISTANT_AUTO_RETURN
    assert "小助手自动同意退货" in app.message_html.value
    assert "退货寄往：广州花城服饰档口" in app.state_html.value


def test_restart_keeps_the_typed_address(app):
    app.book_picker.value = "S02"
    app.button("同意退货申请").click()
    app.restart_button.click()
    assert app.case.status is Status.AWAIT_MERCHANT
    assert app.fields["city"].value == "广州市"


def test_nothing_shown_holds_personal_data(app):
    app.book_picker.value = "S02"
    for move in FLOWS[AfterSaleType.RETURN_REFUND]:
        app.act(move)
    assert find_personal_data(_html(app)) == []
