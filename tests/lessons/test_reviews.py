"""helpers.lessons.reviews: the reply checklist, the report rules and data/reviews.toml."""

from __future__ import annotations

import pytest

from helpers import AfterSaleType, Status, t
from helpers.course.quiz import load_bank
from helpers.engine.privacy import find_personal_data
from helpers.lessons.reviews import (
    KINDS,
    ReviewRulesError,
    amounts_in,
    check_reply,
    check_review_reply,
    judge_report,
    known_amounts,
    load_review_rules,
    parse_review_rules,
    review_case,
)
from helpers.paths import data_path

PHONE = "138" + "12345678"  # built at run time: no full number is stored in the repo
RULES = load_review_rules()
TEXT = data_path("reviews.toml").read_text(encoding="utf-8")


def _names(check, passed):
    return [item.name for item in check.items if item.passed is passed]


# ---- the shipped file ----------------------------------------------------------------------

def test_the_practice_reviews_cover_the_lesson():
    kinds = [r.kind for r in RULES.reviews]
    assert {"good", "fair_negative", "malicious"} <= set(kinds)
    assert set(kinds) <= set(KINDS)
    for kind in kinds:
        assert t(f"reviews.kind_{kind}")


@pytest.mark.parametrize("review", RULES.reviews, ids=lambda r: r.id)
def test_every_model_reply_passes_its_checklist(review):
    check = check_review_reply(review, review.reply, RULES)
    assert check.passed, [(i.name, i.found) for i in check.items if i.passed is False]
    assert check.item("facts").found


@pytest.mark.parametrize("review", RULES.reviews, ids=lambda r: r.id)
def test_reviews_and_replies_hold_no_personal_data(review):
    assert find_personal_data(review.text) == []
    assert find_personal_data(review.reply) == []
    assert review.nickname.endswith("*")


@pytest.mark.parametrize("review", RULES.reviews, ids=lambda r: r.id)
def test_every_review_follows_a_finished_after_sale_the_engine_played(review):
    case = review_case(review)
    assert not case.is_open
    if review.type is AfterSaleType.RETURN_REFUND:
        assert case.status is Status.SUCCESS and case.refunded_fen == review.order.paid_fen
    else:
        assert case.status is Status.EXCHANGE_SUCCESS and case.refunded_fen == 0
    assert known_amounts(review) == {review.order.paid_fen}


def test_only_the_malicious_looking_review_may_be_reported():
    for review in RULES.reviews:
        assert bool(review.grounds) == (review.kind == "malicious"), review.id
    assert {"abuse", "extortion"} <= set(RULES.review("malicious").grounds)
    assert RULES.not_grounds


def test_every_time_window_is_an_example_from_another_platform():
    assert RULES.windows
    for window in RULES.windows:
        assert window.example
        assert "快手" in window.source
        shown = t("reviews.window", label=window.label, days=window.days, source=window.source)
        assert shown.startswith("示例")
    assert "示例" in RULES.notice


def test_the_quiz_reply_choices_agree_with_the_checklist():
    question = load_bank("05_reviews_after_return").question("pick-a-reply")
    review = RULES.review("fair-negative")
    for choice in question.choices:
        assert check_review_reply(review, choice.text, RULES).passed is (choice.id == question.answer), \
            choice.id


# ---- the checklist -------------------------------------------------------------------------

GOOD = "很抱歉没让您满意。您寄回的杯子已经收到，¥59.00 已经退款。"


def test_a_good_reply_passes_every_check():
    check = check_reply(GOOD, apology_due=True, amounts={5900}, rules=RULES)
    assert check.passed and not check.empty
    assert _names(check, True) == ["facts", "amount", "apology", "privacy", "pressure", "respect"]


def test_an_empty_reply_is_not_passed():
    check = check_reply("   ", apology_due=True, rules=RULES)
    assert check.empty and not check.passed


def test_a_reply_without_facts_fails():
    check = check_reply("很抱歉，我们会努力的。", apology_due=True, rules=RULES)
    assert _names(check, False) == ["facts"]


def test_apology_only_where_due():
    no_apology = "您寄回的杯子已经收到，已经退款。"
    assert _names(check_reply(no_apology, apology_due=True, rules=RULES), False) == ["apology"]
    check = check_reply(no_apology, apology_due=False, rules=RULES)
    assert check.passed and check.item("apology").passed is None


@pytest.mark.parametrize("words", ["麻烦您改成好评", "能不能删评", "好评返现 5 元", "送您一个红包",
                                   "请修改评价", "追加好评有惊喜"])
def test_pressure_to_change_the_review_fails(words):
    check = check_reply(f"{GOOD}{words}", apology_due=True, amounts={5900, 500}, rules=RULES)
    assert _names(check, False) == ["pressure"]
    assert check.item("pressure").found


def test_attacking_the_buyer_fails():
    check = check_reply(f"{GOOD}别以为我们不知道你是差评师。", apology_due=True, amounts={5900},
                        rules=RULES)
    assert _names(check, False) == ["respect"]
    assert check.item("respect").found == ("差评师",)


def test_buyer_data_fails_and_is_only_shown_masked():
    check = check_reply(f"{GOOD}有问题打 {PHONE}。", apology_due=True, amounts={5900}, rules=RULES)
    assert _names(check, False) == ["privacy"]
    shown = " ".join(check.item("privacy").found)
    assert PHONE not in shown and "138****5678" in shown


def test_a_masked_phone_is_not_flagged_as_a_full_one():
    check = check_reply(f"{GOOD}尾号 138****5678 的订单。", apology_due=True, amounts={5900}, rules=RULES)
    assert check.item("privacy").passed


def test_an_amount_must_match_the_record():
    wrong = check_reply(GOOD.replace("59.00", "69.00"), apology_due=True, amounts={5900}, rules=RULES)
    assert _names(wrong, False) == ["amount"]
    assert wrong.item("amount").found == ("¥69.00",)
    no_amount = check_reply("很抱歉，已经退款。", apology_due=True, amounts={5900}, rules=RULES)
    assert no_amount.item("amount").passed is None


def test_amounts_are_read_in_the_usual_forms():
    assert amounts_in("¥59.00、￥59、59 元、59.9元、共 3 件") == (5900, 5900, 5900, 5990)


def test_keywords_are_data_a_manager_can_extend():
    extended = parse_review_rules(TEXT.replace('"五星好评",', '"五星好评", "好评有礼",'))
    reply = f"{GOOD}好评有礼。"
    assert check_reply(reply, apology_due=True, amounts={5900}, rules=RULES).passed
    assert not check_reply(reply, apology_due=True, amounts={5900}, rules=extended).passed


# ---- reporting -----------------------------------------------------------------------------

@pytest.mark.parametrize(("review_id", "ground", "correct"), [
    ("fair-negative", None, True),
    ("harsh-honest", "", True),
    ("harsh-honest", "abuse", False),
    ("malicious", "extortion", True),
    ("malicious", "ads", True),
    ("malicious", None, False),
    ("malicious", "off_topic", False),
])
def test_judge_report(review_id, ground, correct):
    verdict = judge_report(RULES.review(review_id), ground, RULES)
    assert verdict.correct is correct
    assert verdict.reportable is (review_id == "malicious")


# ---- loader errors name the file and the entry ---------------------------------------------

@pytest.mark.parametrize(("old", "new", "message"), [
    ('kind = "good"', 'kind = "great"', "kind「great」无效"),
    ('stars = 5', 'stars = 6', "stars 应为 1 到 5"),
    ('product = "P03"', 'product = "P99"', "商品「P99」"),
    ('type = "换货"', 'type = "维修"', "type「维修」"),
    ('"买家确认收到换货"]', '"买家签收了"]', "「买家签收了」不是操作"),
    ('grounds = ["abuse", "extortion", "ads"]', 'grounds = ["rude"]', "「rude」不是举报理由"),
    ('[checks.apology]', '[checks.sorry]', "[checks.apology] words"),
    ('example = true', 'example = "yes"', "「example」"),
    ('id = "malicious"', 'id = "good"', "id 有重复"),
])
def test_a_broken_rules_file_says_where(old, new, message):
    assert old in TEXT
    with pytest.raises(ReviewRulesError, match="reviews.toml") as error:
        parse_review_rules(TEXT.replace(old, new, 1), "reviews.toml")
    assert message in str(error.value)


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(ReviewRulesError, match="读不到"):
        load_review_rules(tmp_path / "nothing.toml")
