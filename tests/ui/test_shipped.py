"""Lesson 03's 售后小助手 app, driven headlessly: set values, click, read the app."""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest

from helpers import AfterSaleType, AutoAuditKind, MerchantAction, ParcelState, Status
from helpers.lessons.shipped import LESSON_ORDER, MOVE_GROUPS, GoodsPlace, Verdict
from helpers.ui.shipped import ShippedApp
from tests.widget_tree import walk as _walk

PHONE = "139" + "12345678"  # built at run time: no full number is stored in the repo
MOBILE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?![\d*])")


@pytest.fixture
def app():
    return ShippedApp()


@pytest.fixture
def saved(app):
    app.lookup_button.click()
    app.save_button.click()
    assert app.form_ok
    return app




def _shown(app) -> str:
    return " ".join(w.value for w in _walk(app.widget) if isinstance(w, widgets.HTML))


def test_it_builds_with_the_browser_contract(app):
    everything = list(_walk(app.widget))
    assert "shipped" in app.widget._dom_classes
    for css, widget in (("shipped-lookup", app.lookup_html), ("shipped-sms", app.sms_html),
                        ("shipped-form-message", app.form_message_html),
                        ("shipped-message", app.message_html), ("shipped-state", app.state_html),
                        ("shipped-ledger", app.ledger_html)):
        assert [w for w in everything if css in w._dom_classes] == [widget], css
    actions = [w for w in everything if "shipped-action" in w._dom_classes]
    assert {b.description for b in actions} == {m.label for ms in MOVE_GROUPS.values() for m in ms}
    assert "还没开始" in app.state_html.value and "还没开始" in app.ledger_html.value
    assert LESSON_ORDER.id in _shown(app) and "女士针织开衫" in _shown(app)


def test_lookup_finds_the_supplier_and_fills_the_address(app, suppliers):
    app.lookup_button.click()
    assert app.supplier_picker.value == "S02"
    assert "P04" in app.lookup_html.value and "广州花城服饰档口" in app.lookup_html.value
    assert app.form.address == suppliers["S02"].address
    app.address_boxes["detail"].value = "随手改错"
    app.lookup_button.click()  # looking up again restores the address book's entry
    assert app.form.address == suppliers["S02"].address


def test_picking_a_supplier_fills_its_address(app, suppliers):
    app.supplier_picker.value = "S04"
    assert app.form.address == suppliers["S04"].address
    assert "成都蜀味食品上家" in app.form_message_html.value
    app.supplier_picker.value = None
    assert app.address_boxes["province"].value == ""


def test_the_wrong_suppliers_address_is_warned_about_and_saves_when_the_trainee_goes_ahead(app):
    app.supplier_picker.value = "S01"
    app.save_button.click()
    assert app.desk is None and app.coach_box.warnings  # the coach asks first
    assert "广州花城服饰档口" in app.coach_box.html.value
    app.coach_box.think_again_button.click()
    assert app.desk is None and "还没开始" in app.state_html.value
    app.save_button.click()
    app.coach_box.go_ahead_button.click()  # the back office takes it: the form is saved
    assert app.form_ok and app.saved_form.supplier_id == "S01"
    assert 'class="error"' in app.form_message_html.value  # saved, but shown as the mistake it is
    for label in ["买家已签收", "同意退货申请", "买家寄回商品"]:
        app.button(label).click()
    assert app.case.return_address == app.suppliers["S01"].address
    assert "寄到了别的上家" in app.ledger_html.value and "钱还没退" in app.ledger_html.value


def test_the_sms_preview_follows_the_form(app):
    app.lookup_button.click()
    assert "拒签" in app.sms_html.value and "隐私检查" in app.sms_html.value
    assert "三元里大道" in app.sms_html.value and "最多可发 3 条" in app.sms_html.value
    app.refusal_switch.value = False
    assert "拒签" not in app.sms_html.value
    app.sms_switch.value = False
    assert "短信通知已关闭" in app.sms_html.value


def test_a_full_phone_in_the_note_is_masked_and_the_coach_warns_before_saving(app):
    app.lookup_button.click()
    app.note_box.value = f"有事打 {PHONE}"
    assert PHONE not in app.sms_html.value and "139****5678" in app.sms_html.value
    assert 'class="error"' in app.sms_html.value
    app.save_button.click()
    assert app.desk is None and "后台不会替你拦" in app.coach_box.html.value
    assert not MOBILE.search(_shown(app))
    app.coach_box.think_again_button.click()
    app.note_box.value = ""
    app.save_button.click()
    assert app.form_ok and not app.coach_box.warnings


def test_saving_lets_the_request_in_and_the_assistant_agrees_refusal_first(saved):
    assert saved.case.type is AfterSaleType.SHIPPED_REFUND
    assert saved.case.refusal_agreed
    assert saved.case.auto is AutoAuditKind.ASSISTANT_AUTO_REFUSAL_REFUND
    assert "同意拒签后退款" in saved.form_message_html.value
    assert "待商家同意" in saved.state_html.value and "等买家拒签" in saved.state_html.value
    assert saved.buttons[ParcelState.REFUSED_BY_BUYER].button_style == "primary"
    assert saved.buttons[MerchantAction.AGREE_REFUND].button_style == ""
    yours, at_once = saved.rows
    assert (yours.refunded_fen, yours.verdict) == (0, Verdict.PENDING)
    assert (at_once.refunded_fen, at_once.verdict) == (LESSON_ORDER.paid_fen, Verdict.AT_RISK)
    assert "对照：立即同意仅退款" in saved.ledger_html.value


def test_refused_parcel_refund_and_goods_back(saved):
    saved.button("买家已拒签").click()
    assert saved.ok and saved.case.status is Status.SUCCESS
    assert "已退款 ¥129.00" in saved.message_html.value
    saved.button("快递退回中").click()
    saved.button("商家已签收").click()
    yours, at_once = saved.rows
    assert yours.verdict is Verdict.SETTLED and yours.goods is GoodsPlace.BACK
    assert at_once.verdict is Verdict.SETTLED  # refunding at once only works if the buyer refuses
    assert "钱货两清" in saved.ledger_html.value


def test_buyer_signs_then_the_return_uses_the_forms_address(saved):
    saved.button("买家已签收").click()
    assert saved.case.type is AfterSaleType.RETURN_REFUND and saved.case.refunded_fen == 0
    assert "退货退款" in saved.message_html.value
    yours, at_once = saved.rows
    assert yours.verdict is Verdict.PENDING and at_once.verdict is Verdict.LOSS
    assert "钱货两失" in saved.ledger_html.value
    for label in ("同意退货申请", "买家寄回商品", "确认收到退货并退款"):
        saved.button(label).click()
        assert saved.ok, saved.message
    assert saved.case.return_address == saved.saved_form.address
    assert saved.rows[0].verdict is Verdict.SETTLED


def test_a_wrong_click_shows_the_engine_message_and_changes_nothing(saved):
    before, log = saved.desk.snapshot(), list(saved.desk.log)
    compare = saved.compare_desk.snapshot()
    saved.button("同意仅退款").click()
    assert saved.ok is False
    assert saved.desk.snapshot() == before and saved.desk.log == log
    assert saved.compare_desk.snapshot() == compare
    assert "拒签" in saved.message_html.value and 'class="error"' in saved.message_html.value


def test_moves_before_saving_are_refused(app):
    app.button("买家已拒签").click()
    assert app.ok is False and app.desk is None
    assert "保存设置" in app.message_html.value
    app.restart_button.click()
    assert app.ok is False and app.desk is None


def test_interception_with_the_strategy_off(app):
    app.lookup_button.click()
    app.refusal_switch.value = False
    app.save_button.click()
    assert not app.case.refusal_agreed and "处理时限" in app.form_message_html.value
    app.button("申请快递拦截").click()
    app.button("快递退回中").click()
    assert app.case.status is Status.SUCCESS
    assert app.case.auto is AutoAuditKind.INTERCEPT_SUCCESS_REFUND
    assert "不适用" in app.message_html.value  # the comparison's parcel was not intercepted
    assert app.rows[0].verdict is Verdict.SETTLING


def test_restart_replays_under_the_saved_form(saved):
    saved.button("买家已签收").click()
    saved.note_box.value = "改了但没保存"
    saved.restart_button.click()
    assert saved.ok and saved.case.type is AfterSaleType.SHIPPED_REFUND
    assert saved.desk.orders[LESSON_ORDER.id].parcel is None
    assert saved.saved_form.note == ""
    assert [r.verdict for r in saved.rows] == [Verdict.PENDING, Verdict.AT_RISK]


def test_no_full_phone_number_is_ever_shown(saved):
    saved.button("买家已签收").click()
    shown = _shown(saved)
    assert "139****0217" in shown
    assert not MOBILE.search(shown)


def test_a_move_that_keeps_the_status_says_so_instead_of_a_non_transition():
    app = ShippedApp()
    app.lookup_button.click()
    app.save_button.click()
    app.button("买家已拒签").click()
    app.button("快递退回中").click()
    assert "售后成功 → 售后成功" not in app.message
    assert "售后单仍是「售后成功」" in app.message
