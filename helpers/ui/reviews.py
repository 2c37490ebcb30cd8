"""The 评价回复练习 of lesson 05: reply to a review written after a return, get checklist feedback,
and decide whether the review may be reported.

The app wires widgets to `helpers.lessons.reviews` (the checklist, the report rules, the practice reviews
from data/reviews.toml); it judges nothing itself. Its state lives on the app (`result`,
`verdict`), so a test or a checkpoint drives it without a browser:

    app = ReviewReplyApp("fair-negative")
    app.reply_box.value = "很抱歉……您寄回的杯子已经收到，¥59.00 已经退款。"
    app.check_button.click()
    app.result.passed                        # True

Browser contract: the review shown has the CSS class `review-card`, the reply box
`review-reply`, the checklist `review-check`, the model reply `review-sample`, the report verdict
`review-report`.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ..engine.model import load_products, yuan
from ..lessons.reviews import (
    ReplyCheck,
    ReportVerdict,
    Review,
    ReviewRules,
    check_review_reply,
    judge_report,
    load_review_rules,
    review_case,
)
from ..strings import t
from .base import App, div
from .style import style_widget

CSS = """
.reviews { font-family: var(--jp-ui-font-family), "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
  color: var(--jp-ui-font-color1); }
.review-card { border-left: 4px solid var(--jp-brand-color1); background: var(--jp-layout-color2);
  padding: 4px 10px; margin: 4px 0; }
.review-card .stars { color: var(--jp-warn-color1); letter-spacing: 1px; }
.review-card .text { font-size: 1.1em; margin: 4px 0; }
.reviews-muted { color: var(--jp-ui-font-color2); font-size: 0.9em; }
.review-check .pass, .review-report .ok, .review-check .ok { color: var(--jp-success-color1); }
.review-check .fail, .review-report .error, .review-check .error { color: var(--jp-error-color1); }
.review-check .na { color: var(--jp-ui-font-color2); }
.review-check .widget-html-content > div, .review-report .widget-html-content > div,
.review-sample .widget-html-content > div {
  border: 1px solid var(--jp-border-color2); background: var(--jp-layout-color1); padding: 4px 8px; }
.review-check ul { list-style: none; margin: 2px 0; padding: 0; }
"""

MARK_CLASS = {True: ("pass", "reviews.mark_pass"), False: ("fail", "reviews.mark_fail"),
              None: ("na", "reviews.mark_na")}
SUFFIX = {True: "pass", False: "fail", None: "na"}



class ReviewReplyApp(App):
    """Pick a practice review, write a public reply, check it; decide whether to report."""

    def __init__(self, review_id: str | None = None, *, rules: ReviewRules | None = None) -> None:
        self.rules = rules or load_review_rules()
        self.products = load_products()
        self.review_picker = widgets.ToggleButtons(
            options=[(t(f"reviews.kind_{r.kind}"), r.id) for r in self.rules.reviews],
            value=review_id or self.rules.reviews[0].id, description=t("reviews.pick"),
            style={"description_width": "initial", "button_width": "auto"})
        self.card_html = widgets.HTML()
        self.card_html.add_class("review-card")
        self.reply_box = widgets.Textarea(
            placeholder=t("reviews.reply_placeholder"), description=t("reviews.reply"),
            rows=4, layout=widgets.Layout(width="95%"))
        self.reply_box.add_class("review-reply")
        self.check_button = widgets.Button(description=t("reviews.check"), button_style="primary",
                                           icon="check")
        self.sample_button = widgets.Button(description=t("reviews.sample"), icon="eye")
        self.check_html = widgets.HTML()
        self.check_html.add_class("review-check")
        self.sample_html = widgets.HTML()
        self.sample_html.add_class("review-sample")
        self.report_picker = widgets.RadioButtons(
            options=[(t("reviews.report_no"), "")] + [(g.label, g.id) for g in self.rules.grounds],
            value=None, layout=widgets.Layout(width="auto"))
        self.report_button = widgets.Button(description=t("reviews.report_check"))
        self.report_html = widgets.HTML()
        self.report_html.add_class("review-report")
        windows = "".join(
            div("reviews-muted", t("reviews.window" if w.example else "reviews.window_confirmed",
                                    label=w.label, days=w.days, source=w.source))
            for w in self.rules.windows)

        self.review_picker.observe(lambda _change: self.pick(), names="value")
        self.check_button.on_click(lambda _button: self.check())
        self.sample_button.on_click(lambda _button: self.show_sample())
        self.report_button.on_click(lambda _button: self.judge())

        self.widget = widgets.VBox([
            style_widget(),
            widgets.HTML(f"<style>{CSS}</style>"),
            self.review_picker,
            self.card_html,
            self.reply_box,
            widgets.HBox([self.check_button, self.sample_button]),
            self.check_html,
            self.sample_html,
            widgets.HTML(f"<b>{escape(t('reviews.report_title'))}</b>"),
            self.report_picker,
            self.report_button,
            self.report_html,
            widgets.HTML(div("reviews-muted", t("reviews.windows_title")) + windows),
        ])
        self.widget.add_class("reviews")

        self.result: ReplyCheck | None = None
        self.verdict: ReportVerdict | None = None
        self.pick()

    @property
    def review(self) -> Review:
        return self.rules.review(self.review_picker.value)

    # -- acting

    def pick(self) -> None:
        """Show the picked review; clear the reply and every earlier verdict."""
        self.reply_box.value = ""
        self.report_picker.value = None
        self.result = None
        self.verdict = None
        self.sample_html.value = ""
        self.report_html.value = ""
        self.check_html.value = ""
        review, case = self.review, review_case(self.review)
        stars = "★" * review.stars + "☆" * (5 - review.stars)
        self.card_html.value = (
            div("reviews-muted", t("reviews.card", stars=stars, nickname=review.nickname,
                                    order=review.order.id,
                                    product=self.products[review.order.product_id].name))
            + div("text", review.text)
            + div("reviews-muted", t("reviews.record", type=case.type.label,
                                      status=case.status.label, refunded=yuan(case.refunded_fen))))

    def check(self) -> ReplyCheck:
        """Run the checklist on the reply box and show each line."""
        self.result = check_review_reply(self.review, self.reply_box.value, self.rules)
        self.check_html.value = self._check_text(self.result)
        return self.result

    def show_sample(self) -> None:
        self.sample_html.value = div("", t("reviews.sample_title")) + div("", self.review.reply)

    def judge(self) -> ReportVerdict | None:
        """Check the report choice; None (and a hint) when nothing is picked."""
        picked = self.report_picker.value
        if picked is None:
            self.verdict = None
            self.report_html.value = div("error", t("reviews.report_pick_first"))
            return None
        self.verdict = judge_report(self.review, picked or None, self.rules)
        everything = "；".join(g.label for g in self.verdict.grounds)
        ground = self.rules.ground(picked).label if picked else ""
        if self.verdict.correct:
            key = "reviews.report_right_yes" if picked else "reviews.report_right_no"
        elif not picked:
            key = "reviews.report_wrong_no"
        else:
            key = "reviews.report_wrong_ground" if self.verdict.reportable else "reviews.report_wrong_yes"
        self.report_html.value = div("ok" if self.verdict.correct else "error",
                                      t(key, ground=ground, all=everything))
        return self.verdict

    # -- showing

    def _check_text(self, result: ReplyCheck) -> str:
        if result.empty:
            return div("error", t("reviews.empty"))
        case = review_case(self.review)
        lines = []
        for item in result.items:
            css, mark = MARK_CLASS[item.passed]
            text = t(f"reviews.{item.name}_{SUFFIX[item.passed]}", found="、".join(item.found),
                     paid=yuan(self.review.order.paid_fen), refunded=yuan(case.refunded_fen))
            lines.append(f'<li class="{css}">{escape(t(mark))} {escape(text)}</li>')
        verdict = div("ok" if result.passed else "error",
                       t("reviews.passed" if result.passed else "reviews.failed"))
        return f"<div>{verdict}<ul>{''.join(lines)}</ul></div>"


class ReportGrounds(App):
    """What may be reported and what may not, as the shop's review rules file lists them."""

    def __init__(self, rules: ReviewRules | None = None) -> None:
        rules = rules or load_review_rules()
        can = "".join(f"<li>{escape(g.label)}</li>" for g in rules.grounds)
        cannot = "".join(f"<li>{escape(case)}</li>" for case in rules.not_grounds)
        self.widget = widgets.HTML(
            f"<style>{CSS}</style><div class=\"reviews review-grounds\">"
            f"<b>{escape(t('reviews.grounds_can'))}</b><ul>{can}</ul>"
            f"<b>{escape(t('reviews.grounds_cannot'))}</b><ul>{cannot}</ul></div>")
