"""The 评价回复练习 of lesson 05, driven headlessly: set values, click, read the app."""

from __future__ import annotations

import pytest

from helpers.lessons.reviews import load_review_rules
from helpers.ui.reviews import ReviewReplyApp
from tests.widget_tree import walk as _walk

PHONE = "138" + "12345678"  # built at run time: no full number is stored in the repo
FAIR = "很抱歉保温杯没让您满意。您寄回的杯子已经收到，¥59.00 已经退款。"


@pytest.fixture
def app():
    return ReviewReplyApp("fair-negative")




def _with_class(app, css):
    return [w for w in _walk(app.widget) if css in w._dom_classes]


def test_it_builds_with_the_browser_contract(app):
    assert _with_class(app, "review-card") == [app.card_html]
    assert _with_class(app, "review-reply") == [app.reply_box]
    assert _with_class(app, "review-check") == [app.check_html]
    assert _with_class(app, "review-sample") == [app.sample_html]
    assert _with_class(app, "review-report") == [app.report_html]
    labels = [label for label, _id in app.review_picker.options]
    assert labels == ["好评", "中肯的差评", "难听但真实的差评", "像是恶意的差评"]


def test_the_card_shows_the_review_and_the_engines_record(app):
    assert "★★☆☆☆" in app.card_html.value
    assert "保温效果一般" in app.card_html.value
    assert "退货退款 · 售后成功 · 已退款 ¥59.00" in app.card_html.value


def test_the_time_windows_are_labelled_examples(app):
    shown = " ".join(w.value for w in _walk(app.widget) if hasattr(w, "value")
                     and isinstance(w.value, str) and "天内" in w.value)
    assert "示例（其他平台，不是抖店规则）：商家回复评价 30 天内" in shown
    assert "买家追评 180 天内" in shown


def test_a_good_reply_passes(app):
    app.reply_box.value = FAIR
    app.check_button.click()
    assert app.result.passed
    assert "可以发" in app.check_html.value
    assert "✗" not in app.check_html.value


def test_pressure_and_buyer_data_fail_and_the_phone_is_shown_masked(app):
    app.reply_box.value = f"{FAIR}麻烦改成好评，送您红包。有事打 {PHONE}"
    app.check_button.click()
    assert not app.result.passed
    assert "还不能发" in app.check_html.value
    assert "不要在回复里谈改评价或好处" in app.check_html.value
    assert "138****5678" in app.check_html.value
    assert PHONE not in app.check_html.value


def test_a_missing_apology_and_a_wrong_amount(app):
    app.reply_box.value = "您寄回的杯子已经收到，¥69.00 已经退款。"
    app.check_button.click()
    assert "先道歉" in app.check_html.value
    assert "金额对不上售后记录：¥69.00" in app.check_html.value


def test_an_empty_reply_asks_for_one(app):
    app.check_button.click()
    assert app.result.empty
    assert "先写下回复" in app.check_html.value


def test_picking_another_review_starts_over(app):
    app.reply_box.value = FAIR
    app.check_button.click()
    app.review_picker.value = "good"
    assert app.reply_box.value == "" and app.result is None and app.check_html.value == ""
    assert "换货 · 换货成功 · 已退款 ¥0.00" in app.card_html.value


def test_the_model_reply_is_shown_and_passes(app):
    app.sample_button.click()
    review = load_review_rules().review("fair-negative")
    assert review.reply in app.sample_html.value
    app.reply_box.value = review.reply
    assert app.check().passed


def test_report_needs_a_choice(app):
    app.report_button.click()
    assert app.verdict is None
    assert "先选一项" in app.report_html.value


def test_an_honest_bad_review_may_not_be_reported(app):
    app.report_picker.value = ""
    app.report_button.click()
    assert app.verdict.correct and not app.verdict.reportable
    assert "不能举报" in app.report_html.value
    app.report_picker.value = "abuse"
    app.report_button.click()
    assert not app.verdict.correct
    assert "它是真实的评价" in app.report_html.value


def test_the_malicious_looking_review_may_be_reported():
    app = ReviewReplyApp("malicious")
    app.report_picker.value = "extortion"
    app.report_button.click()
    assert app.verdict.correct
    assert "可以举报" in app.report_html.value and "附上截图" in app.report_html.value
    app.report_picker.value = ""
    app.report_button.click()
    assert not app.verdict.correct
    assert "可以举报" in app.report_html.value
    app.report_picker.value = "off_topic"
    app.report_button.click()
    assert "理由不对" in app.report_html.value
