"""The explorer app of lesson 01, driven headlessly: set values, click, read the app."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from helpers import AfterSaleType, AutoAuditKind, MerchantAction, Status, Strategy
from helpers.engine.codes import MODELLED_TYPES
from helpers.engine.scenarios import candidate_moves
from helpers.ui.diagram import ExplorerApp
from tests.widget_tree import walk as _walk


@pytest.fixture
def app():
    return ExplorerApp(AfterSaleType.RETURN_REFUND, strategies=[])




def test_it_builds_with_the_browser_contract(app):
    everything = list(_walk(app.widget))
    state = [w for w in everything if "explorer-state" in w._dom_classes]
    assert state == [app.state_html]
    assert "待商家同意" in app.state_html.value
    messages = [w for w in everything if "explorer-message" in w._dom_classes]
    assert messages == [app.message_html]
    actions = [w for w in everything if "explorer-action" in w._dom_classes]
    assert actions and all(isinstance(b, widgets.Button) for b in actions)
    assert {b.description for b in actions} == {m.label for m in candidate_moves(app.case.type)}
    assert "同意退货申请" in {b.description for b in actions}


def test_agree_with_the_right_address_then_the_whole_return(app):
    app.address_picker.value = "S01"
    app.button("同意退货申请").click()
    assert app.ok
    assert app.case.status is Status.AWAIT_BUYER_RETURN
    assert "待买家退货" in app.state_html.value
    assert "同意退货申请" in app.message_html.value
    app.button("买家寄回商品").click()
    app.button("确认收到退货并退款").click()
    assert app.case.status is Status.SUCCESS
    assert app.case.refunded_fen == app.order.paid_fen
    assert "售后已结束" in app.clock_html.value


def test_an_illegal_click_changes_nothing_and_shows_the_engine_message(app):
    before = app.desk.snapshot()
    log_before = list(app.desk.log)
    app.button("确认收到退货并退款").click()
    assert app.ok is False
    assert app.desk.snapshot() == before
    assert app.desk.log == log_before
    assert "待商家同意" in app.state_html.value
    assert "不能执行「确认收到退货并退款」" in app.message_html.value
    assert 'class="error"' in app.message_html.value


def test_another_suppliers_address_goes_through_with_the_coachs_warning(app):
    app.address_picker.value = "S02"
    app.button("同意退货申请").click()
    assert app.ok is False  # shown as a mistake
    assert app.case.status is Status.AWAIT_BUYER_RETURN  # but the back office agreed
    assert "义乌晨光日用品总店" in app.message_html.value and "后台不会拦" in app.message_html.value


def test_state_shows_deadline_countdown_and_next_moves(app):
    assert "模拟时钟：03-02 09:00" in app.clock_html.value
    assert "还剩 48 小时 0 分" in app.clock_html.value
    assert "接下来可以：" in app.next_html.value
    for move in app.possible():
        assert move.label in app.next_html.value
        assert app.buttons[move].button_style == "primary"
    assert app.buttons[MerchantAction.CONFIRM_RETURN_RECEIVED].button_style == ""


def test_deadline_passes(app):
    app.button("同意退货申请").click()
    app.button("超过处理时限").click()
    assert app.case.status is Status.FAILED
    assert "03-09 09:05" in app.clock_html.value
    assert "没有可做的操作" in app.next_html.value


def test_the_log_and_the_diagram_follow_along(app):
    app.button("同意退货申请").click()
    assert "同意退货申请" in app.log_html.value
    assert "买家申请售后" in app.log_html.value
    assert "<svg" in app.diagram_html.value
    assert "退货退款" in app.diagram_html.value
    assert "stroke-width:3px" in app.diagram_html.value


@pytest.mark.parametrize("case_type", MODELLED_TYPES)
def test_picking_a_type_restarts_with_its_buttons(app, case_type):
    app.button("同意退货申请").click()
    app.type_picker.value = case_type
    if case_type is AfterSaleType.RETURN_REFUND:
        app.restart_button.click()
    assert app.case.type is case_type
    assert app.case.status is Status.AWAIT_MERCHANT
    assert set(app.buttons) == set(candidate_moves(case_type))
    assert MerchantAction.AGREE_RETURN not in {e.move for e in app.desk.log}


def test_a_strategy_box_restarts_and_the_assistant_acts():
    app = ExplorerApp(AfterSaleType.UNSHIPPED_REFUND, strategies=[])
    assert app.case.status is Status.AWAIT_MERCHANT
    app.strategy_boxes[Strategy.UNSHIPPED_AUTO_REFUND].value = True
    assert app.strategies_on == [Strategy.UNSHIPPED_AUTO_REFUND]
    assert app.case.status is Status.SUCCESS
    assert app.case.auto is AutoAuditKind.PRE_SHIP_FAST_REFUND
    assert "售后小助手" in app.message_html.value


def test_default_strategies_come_from_the_policy(policy):
    app = ExplorerApp()
    assert set(app.strategies_on) == {s for s in Strategy if policy.is_on(s)}


def test_signing_for_a_refund_parcel_turns_it_into_a_return():
    app = ExplorerApp(AfterSaleType.SHIPPED_REFUND, strategies=[])
    app.button("买家已签收").click()
    assert app.case.type is AfterSaleType.RETURN_REFUND
    assert "退货退款" in app.message_html.value
    assert app.button("同意退货申请")
    with pytest.raises(KeyError):
        app.button("同意拒签后退款")


def test_refusal_then_refund_under_the_strategy():
    app = ExplorerApp(AfterSaleType.SHIPPED_REFUND, strategies=[Strategy.REFUND_AFTER_REFUSAL])
    assert app.case.refusal_agreed
    app.button("同意仅退款").click()
    assert app.ok is False and app.case.status is Status.AWAIT_MERCHANT
    app.button("买家已拒签").click()
    assert app.case.status is Status.SUCCESS


def test_no_full_phone_number_is_shown(app):
    import re

    shown = " ".join(w.value for w in _walk(app.widget) if isinstance(w, widgets.HTML))
    assert "138****5678" in shown
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", shown)
