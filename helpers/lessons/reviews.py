"""退货后的评价 (lesson 05): a checklist for a reply to a buyer's review, and what may be reported.

The rules are data: `data/reviews.toml` holds the checklist's keywords, the grounds for a report,
the example time windows (each labelled 示例: Douyin's review rules could not be confirmed) and
the practice reviews. A shop manager edits that file; nothing here hard-codes a word.

The checklist: a reply states the facts of the after-sale (and any amount it names is the one the
engine refunded), apologises where an apology is due, shows no buyer data (`helpers.engine.privacy`),
puts no pressure on the buyer to change the review, and does not attack the buyer.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..checkpoints import Verdict, check
from ..engine.codes import MODELLED_TYPES, AfterSaleType
from ..engine.machine import Case
from ..engine.model import Order, load_products, yuan
from ..engine.privacy import find_personal_data
from ..engine.scenarios import parse_move, play, start_case
from ..paths import data_path
from ..strings import t

CHECKS = ("facts", "apology", "pressure", "respect")
KINDS = ("good", "fair_negative", "harsh_honest", "malicious")
# An amount as a reply writes it: ¥59.00, ￥59, 59 元, 59.9元.
AMOUNT = re.compile(r"[¥￥]\s*(\d+(?:\.\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s*元")


class ReviewRulesError(Exception):
    """reviews.toml is missing or malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Ground:
    """A reason a merchant may report a review for."""

    id: str
    label: str


@dataclass(frozen=True)
class Window:
    """A time window around reviews. `example` = a stand-in value, shown as 示例."""

    label: str
    days: int
    example: bool
    source: str


@dataclass(frozen=True)
class Review:
    """A practice review, written after an after-sale the engine plays (`type`, `moves`)."""

    id: str
    kind: str
    stars: int
    nickname: str
    order: Order
    type: AfterSaleType
    moves: tuple[str, ...]
    text: str
    apology_due: bool
    grounds: tuple[str, ...]
    reply: str


@dataclass(frozen=True)
class ReviewRules:
    words: dict[str, tuple[str, ...]]  # check name (CHECKS) → keywords
    grounds: tuple[Ground, ...]
    not_grounds: tuple[str, ...]
    windows: tuple[Window, ...]
    reviews: tuple[Review, ...]
    notice: str = ""

    def review(self, review_id: str) -> Review:
        for review in self.reviews:
            if review.id == review_id:
                return review
        raise KeyError(review_id)

    def ground(self, ground_id: str) -> Ground:
        for ground in self.grounds:
            if ground.id == ground_id:
                return ground
        raise KeyError(ground_id)


# ---- loading ---------------------------------------------------------------------------------

def load_review_rules(path: Path | None = None) -> ReviewRules:
    """The rules in `data/reviews.toml` (or `path`)."""
    path = path or data_path("reviews.toml")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ReviewRulesError(t("reviews.error_read", file=path, error=error.strerror)) from error
    return parse_review_rules(text, path.name)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ReviewRulesError(t("reviews.error_list", where=where))
    return tuple(v.strip() for v in value)


def _field(table: dict, key: str, kind: type, where: str) -> object:
    value = table.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)) \
            or (kind is str and not value.strip()):
        raise ReviewRulesError(t("reviews.error_field", where=where, field=key))
    return value


def parse_review_rules(text: str, file: str = "reviews.toml") -> ReviewRules:
    """Build ReviewRules from TOML text; every error names `file` and the entry."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ReviewRulesError(t("reviews.error_toml", file=file, error=error)) from error
    checks = raw.get("checks", {})
    words = {name: _strings(checks.get(name, {}).get("words"), f"{file} [checks.{name}] words")
             for name in CHECKS}

    report = raw.get("report", {})
    grounds = []
    for number, entry in enumerate(report.get("grounds", []), start=1):
        where = t("reviews.error_entry", file=file, number=number, table="report.grounds", id="")
        grounds.append(Ground(_field(entry, "id", str, where), _field(entry, "label", str, where)))
    if not grounds:
        raise ReviewRulesError(t("reviews.error_missing", file=file, table="[[report.grounds]]"))
    not_grounds = _strings(report.get("not_grounds"), f"{file} [report] not_grounds")

    windows = []
    for number, entry in enumerate(raw.get("windows", []), start=1):
        where = t("reviews.error_entry", file=file, number=number, table="windows", id="")
        windows.append(Window(_field(entry, "label", str, where), _field(entry, "days", int, where),
                              _field(entry, "example", bool, where),
                              _field(entry, "source", str, where)))

    known_grounds = {g.id for g in grounds}
    reviews = [_review(entry, number, file, known_grounds)
               for number, entry in enumerate(raw.get("reviews", []), start=1)]
    if not reviews:
        raise ReviewRulesError(t("reviews.error_missing", file=file, table="[[reviews]]"))
    if len({r.id for r in reviews}) != len(reviews):
        raise ReviewRulesError(t("reviews.error_duplicate", file=file))
    return ReviewRules(words=words, grounds=tuple(grounds), not_grounds=not_grounds,
                       windows=tuple(windows), reviews=tuple(reviews),
                       notice=str(raw.get("meta", {}).get("notice", "")))


def _review(entry: dict, number: int, file: str, known_grounds: set[str]) -> Review:
    where = t("reviews.error_entry", file=file, number=number, table="reviews",
              id=f"（{entry.get('id', '?')}）")
    kind = _field(entry, "kind", str, where)
    if kind not in KINDS:
        raise ReviewRulesError(t("reviews.error_kind", where=where, kind=kind, known="、".join(KINDS)))
    stars = _field(entry, "stars", int, where)
    if not 1 <= stars <= 5:
        raise ReviewRulesError(t("reviews.error_stars", where=where))
    products = load_products()
    product_id = _field(entry, "product", str, where)
    if product_id not in products:
        raise ReviewRulesError(t("reviews.error_product", where=where, product=product_id))
    try:
        type = AfterSaleType.from_label(_field(entry, "type", str, where))
    except KeyError:
        type = None
    if type not in MODELLED_TYPES:
        raise ReviewRulesError(t("reviews.error_type", where=where, type=entry.get("type")))
    moves = _strings(entry.get("moves", []), f"{where} moves") if entry.get("moves") else ()
    for move in moves:
        try:
            parse_move(move)
        except KeyError:
            raise ReviewRulesError(t("reviews.error_move", where=where, move=move)) from None
    grounds = _strings(entry.get("grounds", []), f"{where} grounds") if entry.get("grounds") else ()
    unknown = [g for g in grounds if g not in known_grounds]
    if unknown:
        raise ReviewRulesError(t("reviews.error_ground", where=where, grounds="、".join(unknown)))
    product = products[product_id]
    order = Order(id=_field(entry, "order", str, where), product_id=product.id,
                  supplier_id=product.supplier_id, paid_fen=product.price_fen,
                  buyer=_field(entry, "nickname", str, where), buyer_phone="")
    return Review(id=_field(entry, "id", str, where), kind=kind, stars=stars, nickname=order.buyer,
                  order=order, type=type, moves=moves, text=_field(entry, "text", str, where),
                  apology_due=_field(entry, "apology_due", bool, where), grounds=grounds,
                  reply=_field(entry, "reply", str, where))


# ---- the after-sale behind a review ------------------------------------------------------------

@cache
def review_case(review: Review) -> Case:
    """The after-sale the review was written after, as the engine plays it (no strategies on)."""
    desk, case_id = start_case(review.type, strategies=[], order=review.order)
    return play(desk, case_id, review.moves)


def known_amounts(review: Review) -> frozenset[int]:
    """Amounts (fen) a reply about this order may name: what was paid and what was refunded."""
    case = review_case(review)
    return frozenset(a for a in (review.order.paid_fen, case.refunded_fen) if a > 0)


# ---- the checklist ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckItem:
    """One line of the checklist. `passed` is None when the check does not apply."""

    name: str  # "facts", "amount", "apology", "privacy", "pressure", "respect"
    passed: bool | None
    found: tuple[str, ...] = ()  # what was found (masked forms only for personal data)


@dataclass(frozen=True)
class ReplyCheck:
    items: tuple[CheckItem, ...]

    @property
    def empty(self) -> bool:
        return not self.items

    @property
    def passed(self) -> bool:
        return bool(self.items) and all(item.passed is not False for item in self.items)

    def item(self, name: str) -> CheckItem:
        for item in self.items:
            if item.name == name:
                return item
        raise KeyError(name)


def _found(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    lowered = text.lower()
    return tuple(w for w in words if w.lower() in lowered)


def amounts_in(text: str) -> tuple[int, ...]:
    """Every amount the text names, in fen ("¥59.00" and "59 元" are both 5900)."""
    return tuple(round(float(m[1] or m[2]) * 100) for m in AMOUNT.finditer(text))


def check_reply(reply: str, *, apology_due: bool, amounts: Collection[int] = (),
                rules: ReviewRules | None = None) -> ReplyCheck:
    """The checklist for `reply`; an empty reply gives an empty check (not passed).

    `amounts` are the fen values the reply may name (see `known_amounts`); with none given,
    the amount check does not apply.
    """
    if not reply.strip():
        return ReplyCheck(())
    rules = rules or load_review_rules()
    facts = _found(reply, rules.words["facts"])
    named = amounts_in(reply)
    wrong = tuple(yuan(fen) for fen in named if fen not in amounts)
    apology = _found(reply, rules.words["apology"])
    personal = tuple(f"{f.label}「{f.masked}」" for f in find_personal_data(reply))
    pressure = _found(reply, rules.words["pressure"])
    attack = _found(reply, rules.words["respect"])
    return ReplyCheck((
        CheckItem("facts", bool(facts), facts),
        CheckItem("amount", None if not named or not amounts else not wrong, wrong),
        CheckItem("apology", bool(apology) if apology_due else None, apology),
        CheckItem("privacy", not personal, personal),
        CheckItem("pressure", not pressure, pressure),
        CheckItem("respect", not attack, attack),
    ))


def check_review_reply(review: Review, reply: str, rules: ReviewRules | None = None) -> ReplyCheck:
    """`check_reply` with what the review's after-sale says (apology due, amounts)."""
    return check_reply(reply, apology_due=review.apology_due, amounts=known_amounts(review),
                       rules=rules)


# ---- reporting -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportVerdict:
    correct: bool
    grounds: tuple[Ground, ...]  # the review's real grounds; empty = it may not be reported

    @property
    def reportable(self) -> bool:
        return bool(self.grounds)


def judge_report(review: Review, ground_id: str | None,
                 rules: ReviewRules | None = None) -> ReportVerdict:
    """Is reporting `review` for `ground_id` right? None or "" means "do not report"."""
    rules = rules or load_review_rules()
    grounds = tuple(rules.ground(g) for g in review.grounds)
    correct = ground_id in review.grounds if ground_id else not review.grounds
    return ReportVerdict(correct, grounds)


# ---- the lesson's checkpoints (each on fresh state: any number of times, in any order) --------

def _practice_reply(review_id: str, reply: str) -> ReplyCheck:
    return check_review_reply(load_review_rules().review(review_id), reply)


@check("05-1", "合格的回复：道歉，说清已收到退货、已退款，金额和售后记录一致")
def fair_reply_passes() -> Verdict:
    review = load_review_rules().review("fair-negative")
    refunded = review_case(review).refunded_fen
    if refunded != review.order.paid_fen:
        return Verdict(False, "这单的售后记录应该是全额退款")
    result = _practice_reply("fair-negative",
                             f"很抱歉保温杯没让您满意。您寄回的杯子已经收到，{yuan(refunded)} 已经退款。")
    return Verdict(True) if result.passed else Verdict(False, "这条道歉、说事实的回复应该合格")


@check("05-2", "回复里提改评价、提红包就不合格，哪怕前面道了歉")
def pressure_fails() -> Verdict:
    result = _practice_reply("fair-negative", "很抱歉！已经给您退款了，麻烦您改成好评，再送您一个红包。")
    if result.passed:
        return Verdict(False, "提「改成好评」「红包」的回复不该合格")
    found = result.item("pressure").found
    if found != ("改成好评", "红包"):
        shown = "、".join(found) or "没有"
        return Verdict(False, f"检查清单应该指出「改成好评」和「红包」，现在指出的是：{shown}")
    return Verdict(True)


@check("05-3", "回复里有买家的手机号就不合格；提示里只显示打码后的号码")
def phone_fails() -> Verdict:
    phone = "138" + "1234" + "5678"  # made up on the spot, never shown
    result = _practice_reply("fair-negative", f"很抱歉，您寄回的杯子已经收到，已经退款。有问题请打 {phone}。")
    privacy = result.item("privacy")
    if privacy.passed is not False:
        return Verdict(False, "带手机号的回复，「不带买家信息」这一项应该打 ✗")
    if any(phone in piece for piece in privacy.found):
        return Verdict(False, "提示里不该出现完整的手机号")
    return Verdict(True)


@check("05-4", "回复里的金额要和售后记录对得上，说错了就不合格")
def wrong_amount_fails() -> Verdict:
    review = load_review_rules().review("fair-negative")
    wrong = yuan(review_case(review).refunded_fen + 1000)
    result = _practice_reply("fair-negative", f"很抱歉，您寄回的杯子已经收到，{wrong} 已经退款。")
    return (Verdict(True) if result.item("amount").passed is False
            else Verdict(False, f"售后记录里没有 {wrong}，金额这一项应该打 ✗"))


@check("05-5", "好评不需要道歉：感谢加上事实就够了")
def good_review_needs_no_apology() -> Verdict:
    result = _practice_reply("good", "谢谢您的认可！这次换货已经完成，新品合身我们就放心了。")
    if result.item("apology").passed is not None:
        return Verdict(False, "好评的回复不该要求道歉")
    return Verdict(True) if result.passed else Verdict(False, "感谢加事实的回复应该合格")


@check("05-6", "真实的差评不能举报，哪怕话很难听；骂人加要挟的可以举报")
def what_may_be_reported() -> Verdict:
    rules = load_review_rules()
    if not judge_report(rules.review("harsh-honest"), None, rules).correct:
        return Verdict(False, "难听但真实的差评，应该选「不能举报」")
    malicious = rules.review("malicious")
    if not judge_report(malicious, "extortion", rules).correct:
        return Verdict(False, "以差评要挟、索要好处的评价可以举报")
    if judge_report(malicious, None, rules).correct:
        return Verdict(False, "骂人加要挟的评价，不该算作「不能举报」")
    return Verdict(True)
