"""The four apps of lesson 06, driven headlessly: set values, click, read the app."""

from __future__ import annotations

import pytest

from helpers import AfterSaleType, MerchantAction, Stage, Status, Strategy
from helpers.engine.scenarios import policy_with
from helpers.lessons.decide import BuyerAsk
from helpers.ui.decide import DecideApp
from helpers.ui.practice import AddressDrillApp, PrivacyDrillApp, QueueApp
from tests.widget_tree import walk as _walk

STORY = [Strategy.UNSHIPPED_AUTO_REFUND, Strategy.REFUND_AFTER_REFUSAL]




def _with_class(app, css):
    return [w for w in _walk(app.widget) if css in w._dom_classes]


# ---- the queue ---------------------------------------------------------------------------


@pytest.fixture
def queue(policy):
    return QueueApp(policy_with(STORY, policy))


def test_queue_builds_with_the_browser_contract(queue):
    for css, widget in (("queue-table", queue.table_html), ("queue-message", queue.message_html),
                        ("queue-summary", queue.summary_html)):
        assert _with_class(queue, css) == [widget]
    assert "practice" in queue.widget._dom_classes
    assert queue.case_picker.value == queue.rows[0]
    # The table shows the rows in the queue's order, the most urgent marked.
    table = queue.table_html.value
    positions = [table.index(case_id) for case_id in queue.rows]
    assert positions == sorted(positions)
    assert 'class="urgent"' in table
    assert "示例值" in queue.clock_html.value and "03-05 09:00" in queue.clock_html.value
    assert "超时 0 单" in queue.summary_html.value


def test_queue_handle_the_first_case(queue):
    first = queue.rows[0]
    queue.handle_button.click()
    assert queue.ok
    assert first not in queue.rows
    assert first in queue.message_html.value and "同意退货申请" in queue.message_html.value
    assert "你处理了 1 单" in queue.summary_html.value
    assert queue.case_picker.value == queue.rows[0]


def test_queue_handle_a_later_case_warns_about_the_nearer_deadline(queue):
    first, second = queue.rows[:2]
    queue.case_picker.value = second
    queue.handle_button.click()
    assert queue.ok
    assert f"提醒：{first}" in queue.message_html.value


def test_queue_clock_lets_the_most_urgent_case_run_out(queue):
    first = queue.rows[0]
    queue.hours_picker.value = 4
    queue.advance_button.click()
    assert [e.case_id for e in queue.expired] == [first]
    message = queue.message_html.value
    assert "时钟前进了 4 小时" in message and "记为商家超时" in message and "售后成功" in message
    assert "box error" in message
    assert first not in queue.rows
    assert "超时 1 单" in queue.summary_html.value
    assert queue.drill.desk.cases[first].missed_deadline
    assert "03-05 13:00" in queue.clock_html.value


def test_queue_a_quiet_hour_says_so(queue):
    queue.hours_picker.value = 1
    queue.advance_button.click()
    assert queue.expired == []
    assert "没有单子超时" in queue.message_html.value


def test_queue_an_empty_queue_disables_handling(queue):
    while queue.rows:
        queue.handle_button.click()
    assert queue.handle_button.disabled
    assert queue.case_picker.value is None
    assert "队列空了" in queue.table_html.value
    before = queue.drill.desk.snapshot()
    assert queue.handle() is False
    assert queue.drill.desk.snapshot() == before
    assert "没有可选的单" in queue.message_html.value


# ---- the addresses ----------------------------------------------------------------------


@pytest.fixture
def address():
    return AddressDrillApp()


def test_address_drill_starts_with_the_colleagues_draft(address):
    assert _with_class(address, "address-result") == [address.result_html]
    assert _with_class(address, "address-score") == [address.score_html]
    assert address.address == address.case.draft
    assert "第 1 / 5 单" in address.case_html.value
    assert address.case.product.name in address.case_html.value


def test_address_agreeing_another_upstreams_draft_goes_through_and_counts_as_wrong(address):
    wrong = address.case
    address.agree_button.click()
    assert address.agreement.ok is True and address.agreement.right is False
    assert address.agreement.status is Status.AWAIT_BUYER_RETURN
    assert "后台照样同意了" in address.result_html.value and wrong.expected.name in address.result_html.value
    assert "box error" in address.result_html.value
    assert address.first_try == {wrong.key: False}
    assert "0 / 1" in address.score_html.value
    address.agree_button.click()  # once agreed it can't be undone
    assert "撤不回" in address.result_html.value


def test_address_check_lists_the_problems_of_the_typed_fields(address):
    address.next_button.click()  # the draft without a province
    address.fields["phone"].value = "12345"
    assert set(address.check()) >= {"缺少省份"}
    assert any("12345" in p for p in address.problems)
    assert "发现 2 个问题" in address.result_html.value


def test_address_the_whole_drill_done_right(address):
    for _ in address.cases:
        address.book_picker.value = address.case.expected.id
        address.fill_button.click()
        address.agree_button.click()
        assert address.agreement.ok
        address.next_button.click()
    assert all(address.first_try.values()) and len(address.first_try) == 5
    assert "全部 5 单做完：5 单" in address.result_html.value


# ---- privacy ------------------------------------------------------------------------------


@pytest.fixture
def privacy():
    return PrivacyDrillApp()


def test_privacy_starts_without_any_message(privacy):
    assert _with_class(privacy, "privacy-result") == [privacy.result_html]
    assert _with_class(privacy, "privacy-sent") == [privacy.sent_html]
    assert privacy.editor.value == ""
    privacy.send_button.click()
    assert privacy.sent == [] and privacy.refused == 0
    assert "先点「收到下一条消息」" in privacy.result_html.value


def test_privacy_a_raw_message_is_not_sent_and_its_data_never_shown_raw(privacy):
    privacy.load_button.click()
    draft = privacy.messages[0]
    assert privacy.editor.value == draft.text
    privacy.send_button.click()
    assert privacy.sent == [] and privacy.refused == 1
    shown = privacy.result_html.value
    assert "没有发送" in shown and "手机号" in shown and "姓名" in shown and "详细地址" in shown
    for _kind, secret in draft.secrets:
        assert secret not in shown


def test_privacy_masking_is_not_enough_deleting_lets_it_go(privacy):
    privacy.load_button.click()
    secrets = dict(privacy.messages[0].secrets)
    text = privacy.editor.value.replace(secrets["phone"], secrets["phone"][:3] + "****"
                                        + secrets["phone"][-4:])
    privacy.editor.value = text
    result = privacy.check()
    assert not result.clean and "phone" not in result.leaks and "phone" in result.masked
    assert "打了码的买家手机号也要删掉" in privacy.result_html.value
    privacy.delete_button.click()
    assert privacy.check().clean
    assert "*" not in privacy.editor.value
    privacy.send_button.click()
    assert privacy.sent == [privacy.editor.value]
    assert "已发送给上家" in privacy.result_html.value
    assert privacy.editor.value in privacy.sent_html.value
    privacy.send_button.click()
    assert "已经发过了" in privacy.result_html.value and len(privacy.sent) == 1


def test_privacy_deleting_what_the_upstream_needs_is_refused(privacy):
    privacy.load_button.click()
    order_id = privacy.messages[0].must_keep[0]
    privacy.delete_button.click()
    privacy.editor.value = privacy.editor.value.replace(order_id, "")
    privacy.send_button.click()
    assert privacy.sent == []
    assert order_id in privacy.result_html.value


def test_privacy_all_messages_then_no_more(privacy):
    for _ in privacy.messages:
        assert privacy.load_next()
        privacy.delete_button.click()
        assert privacy.send()
    assert privacy.load_next() is False
    assert "都处理完了" in privacy.result_html.value
    assert "3 / 3" in privacy.score_html.value


# ---- the decision helper ----------------------------------------------------------------


@pytest.fixture
def decide_app(policy):
    return DecideApp(policy=policy_with(STORY, policy))


def test_decide_shows_the_engines_path(decide_app):
    assert _with_class(decide_app, "decide-result") == [decide_app.result_html]
    assert decide_app.decision.type is AfterSaleType.SHIPPED_REFUND
    html = decide_app.result_html.value
    assert "已发货仅退款" in html and "同意拒签后退款" in html and "售后成功" in html
    assert "如果「买家已签收」" in html


def test_decide_follows_every_picker(decide_app):
    decide_app.stage_picker.value = Stage.RECEIVED
    # 已收货 + 只要退钱: a 仅退款 with the goods kept (破损、变质、少件), not 「找店长」.
    assert decide_app.decision.type is AfterSaleType.SHIPPED_REFUND
    assert "照片" in decide_app.result_html.value and "找店长" not in decide_app.result_html.value
    decide_app.ask_picker.value = BuyerAsk.RETURN
    assert decide_app.decision.your_moves[0] is MerchantAction.AGREE_RETURN
    decide_app.product_picker.value = "P09"
    assert "泉州晋江鞋业总店" in decide_app.result_html.value
    assert "你来做" in decide_app.result_html.value
    assert "示例值" in decide_app.result_html.value  # the deadline is labelled an example
    decide_app.strategy_boxes[Strategy.AUTO_AGREE_RETURN].value = True
    assert decide_app.decision.assistant.strategy is Strategy.AUTO_AGREE_RETURN
    assert "小助手自动同意退货" in decide_app.result_html.value


def test_decide_resends_a_lost_parcel_once_the_box_says_it_is_lost(decide_app):
    decide_app.stage_picker.value = Stage.SHIPPED
    decide_app.ask_picker.value = BuyerAsk.RESEND
    assert decide_app.decision.type is None and "补寄只用于物流停滞" in decide_app.result_html.value
    decide_app.lost_box.value = True
    assert decide_app.decision.type is AfterSaleType.RESEND
    assert decide_app.decision.your_moves[:2] == [MerchantAction.AGREE_RESEND, MerchantAction.SHIP_RESEND]

