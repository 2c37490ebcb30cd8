"""这单该怎么处理？ The job aid of lesson 06: describe the order, read the path and its steps.

The app wires the pickers to `helpers.lessons.decide.decide`, which asks the engine; every change of a
picker shows the new decision at once. Its state lives on the app (`decision`), so a test or a
checkpoint cell drives it without a browser:

    app = DecideApp()
    app.stage_picker.value = Stage.SHIPPED
    app.ask_picker.value = BuyerAsk.REFUND
    app.decision.type               # AfterSaleType.SHIPPED_REFUND

Browser contract: the result area has the CSS class `decide-result`; the pickers are Dropdowns
described 「货到哪了」, 「买家想要」 and 「商品」.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import ipywidgets as widgets

from ..engine.codes import Stage
from ..engine.model import Product, Supplier, load_products, load_suppliers, yuan
from ..engine.policy import Policy, Strategy, load_policy
from ..lessons.decide import BuyerAsk, Decision, PathStep, Situation, decide
from ..strings import t
from .base import App
from .practice import practice_style


class DecideApp(App):
    """Pick the order's situation; the engine's path, step by step."""

    def __init__(self, stage: Stage = Stage.SHIPPED, ask: BuyerAsk = BuyerAsk.REFUND, *,
                 policy: Policy | None = None, suppliers: Mapping[str, Supplier] | None = None,
                 products: Mapping[str, Product] | None = None) -> None:
        self.policy = policy or load_policy()
        self.suppliers = suppliers or load_suppliers()
        self.products = products or load_products()
        wide = {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="auto")}
        self.stage_picker = widgets.Dropdown(options=[(s.label, s) for s in Stage], value=stage,
                                             description=t("decide.stage"), **wide)
        self.ask_picker = widgets.Dropdown(options=[(a.label, a) for a in BuyerAsk], value=ask,
                                           description=t("decide.ask"), **wide)
        self.product_picker = widgets.Dropdown(
            options=[(p.name, p.id) for p in self.products.values()],
            description=t("decide.product"), **wide)
        self.strategy_boxes = {
            s: widgets.Checkbox(value=self.policy.is_on(s), description=s.label, indent=False,
                                layout=widgets.Layout(width="auto", margin="0 16px 0 0"))
            for s in Strategy}
        self.lost_box = widgets.Checkbox(value=False, description=t("decide.lost"), indent=False,
                                         layout=widgets.Layout(width="auto"))
        self.result_html = widgets.HTML()
        self.result_html.add_class("decide-result")

        for picker in (self.stage_picker, self.ask_picker, self.product_picker, self.lost_box,
                       *self.strategy_boxes.values()):
            picker.observe(self._on_change, names="value")

        self.widget = widgets.VBox([
            practice_style(),
            widgets.HTML(f'<div class="practice-title">{escape(t("decide.title"))}</div>'),
            widgets.HBox([self.stage_picker, self.ask_picker, self.product_picker, self.lost_box],
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HTML(f'<div class="practice-muted">{escape(t("decide.strategies"))}</div>'),
            widgets.HBox(list(self.strategy_boxes.values()), layout=widgets.Layout(flex_flow="row wrap")),
            self.result_html,
        ])
        self.widget.add_class("practice")
        self.decision: Decision
        self.show()

    @property
    def situation(self) -> Situation:
        on = frozenset(s for s, box in self.strategy_boxes.items() if box.value)
        return Situation(self.stage_picker.value, self.ask_picker.value, on, self.product_picker.value,
                         lost=self.lost_box.value)

    def _on_change(self, _change: dict) -> None:
        self.show()

    def show(self) -> Decision:
        """Ask the engine about the pickers' situation and show its answer."""
        self.decision = decide(self.situation, policy=self.policy, suppliers=self.suppliers,
                               products=self.products)
        self.result_html.value = render(self.decision)
        return self.decision


def _p(text: str, css: str = "") -> str:
    return f'<div class="{css}">{escape(text)}</div>'


def _step(step: PathStep) -> str:
    who = t("decide.step_line", actor=step.actor.label, text=step.text)
    if step.auto is not None:
        who += t("decide.step_auto", kind=step.auto.label)
    badge = f'<span class="yours">{escape(t("decide.step_yours"))}</span> ' if step.yours else ""
    branches = "".join(_p(t("decide.branch", move=b.move.label, type=b.type.label,
                            status=b.status.label), "branch") for b in step.branches)
    return (f"<li>{badge}{escape(who)} <b>{escape(t('decide.step_after', status=step.status.label))}</b>"
            f"{branches}</li>")


def render(decision: Decision) -> str:
    """The decision as HTML: type, the assistant, the steps, the result, the cautions."""
    supplier = decision.supplier.name
    if decision.type is None:
        return _p(t("decide.no_type", stage=decision.situation.stage.label,
                    types="、".join(x.label for x in decision.types_at_stage)), "box")
    parts = [_p(t("decide.result_type", type=decision.type.label, product=decision.product.name,
                  supplier=supplier), "box")]
    assistant = decision.assistant
    parts.append(_p(t("decide.assistant_acts", move=assistant.move.label, kind=assistant.kind.label,
                      strategy=assistant.strategy.label) if assistant else t("decide.assistant_idle")))
    parts.append(_p(t("decide.steps_title"), "practice-title"))
    parts.append("<ol>" + "".join(_step(s) for s in decision.steps) + "</ol>")
    final = decision.final
    parts.append(_p(t("decide.final", status=final.status.label, refunded=yuan(final.refunded_fen)),
                    "box"))
    late = decision.late
    parts.append(_p(t("decide.late", label=late.deadline.label, hours=f"{late.deadline.hours:g}",
                      status=late.status.label, refunded=yuan(late.refunded_fen))
                    if late else t("decide.late_none")))
    parts.append(_p(t("decide.cautions_title"), "practice-title"))
    address = "decide.caution_address" if decision.needs_address else "decide.caution_no_address"
    parts.append("<ul>" + "".join(f"<li>{escape(t(k, supplier=supplier))}</li>" for k in (
        "decide.caution_fast", address, "decide.caution_privacy")) + "</ul>")
    return "".join(parts)
