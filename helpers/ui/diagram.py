"""The 售后状态探索器 of lesson 01: pick a type and strategies, make moves, watch the state.

The app only wires widgets to `helpers.engine.scenarios` and `helpers.lessons.diagram`; the engine decides
what is allowed. Its state lives on the app (`desk`, `case_id`, `ok`, `message`), so a test or
a checkpoint cell drives it without a browser:

    app = ExplorerApp(AfterSaleType.RETURN_REFUND)
    app.button("同意退货申请").click()
    app.case.status            # Status.AWAIT_BUYER_RETURN

Browser contract (tests/browser relies on it): the current-status HTML has the CSS class
`explorer-state`, every action button the class `explorer-action` with the move's label as its
description, the message area the class `explorer-message`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from html import escape

import ipywidgets as widgets

from ..engine.codes import (
    ACTIONS_NEEDING_ADDRESS,
    MODELLED_TYPES,
    AfterSaleType,
    BuyerAction,
    ClockEvent,
    MerchantAction,
    ParcelState,
)
from ..engine.machine import ActionNotAllowed, Desk, Move, OrderEvent
from ..engine.model import Supplier, load_products, load_suppliers, yuan
from ..engine.policy import Policy, Strategy, load_policy
from ..engine.scenarios import SAMPLE_ORDER, candidate_moves, possible_moves, start_case, step, trail
from ..lessons.coach import before as coach_before
from ..lessons.diagram import state_diagram
from ..strings import t
from .base import CaseApp, clock, div, done_line
from .style import style_widget

GROUPS: dict[type, str] = {
    MerchantAction: "explorer.group_merchant",
    OrderEvent: "explorer.group_order",
    BuyerAction: "explorer.group_buyer",
    ParcelState: "explorer.group_parcel",
    ClockEvent: "explorer.group_clock",
}



def _left(span: timedelta) -> str:
    minutes = max(int(span.total_seconds() // 60), 0)
    return t("explorer.left", hours=minutes // 60, minutes=minutes % 60)



class ExplorerApp(CaseApp):
    """One order, one after-sale case, every move as a button."""

    def __init__(self, type: AfterSaleType = AfterSaleType.RETURN_REFUND, *,
                 strategies: Iterable[Strategy] | None = None, policy: Policy | None = None,
                 suppliers: Mapping[str, Supplier] | None = None) -> None:
        self.policy = policy or load_policy()
        self.suppliers = suppliers or load_suppliers()
        self.order = SAMPLE_ORDER
        on = set(strategies) if strategies is not None else {
            s for s in Strategy if self.policy.is_on(s)}

        self.type_picker = widgets.Dropdown(
            options=[(m.label, m) for m in MODELLED_TYPES], value=type,
            description=t("explorer.type"), style={"description_width": "initial"})
        self.strategy_boxes = {
            s: widgets.Checkbox(value=s in on, description=s.label, indent=False,
                                layout=widgets.Layout(width="auto", margin="0 16px 0 0"))
            for s in Strategy}
        self.address_picker = widgets.Dropdown(
            options=[(s.name, s.id) for s in self.suppliers.values()],
            value=self.order.supplier_id, description=t("explorer.address"),
            style={"description_width": "initial"}, layout=widgets.Layout(width="auto"))
        self.restart_button = widgets.Button(description=t("explorer.restart"), icon="refresh")
        self.order_html = widgets.HTML()
        self.state_html = widgets.HTML()
        self.state_html.add_class("explorer-state")
        self.clock_html = widgets.HTML()
        self.next_html = widgets.HTML()
        self.message_html = widgets.HTML()
        self.message_html.add_class("explorer-message")
        self.buttons: dict[Move, widgets.Button] = {}
        self.button_box = widgets.VBox()
        self.diagram_html = widgets.HTML()
        self.log_html = widgets.HTML()
        self.log_html.add_class("explorer-log")

        self.type_picker.observe(self._restart_on_change, names="value")
        for box in self.strategy_boxes.values():
            box.observe(self._restart_on_change, names="value")
        self.restart_button.on_click(lambda _button: self.restart())

        self.widget = widgets.VBox([
            style_widget(),
            widgets.HBox([self.type_picker, self.restart_button]),
            widgets.HTML(div("explorer-group-title", t("explorer.strategies"))),
            widgets.HBox(list(self.strategy_boxes.values()),
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.address_picker,
            self.order_html,
            self.state_html,
            self.clock_html,
            self.next_html,
            # Right above the buttons, so the answer to a click (above all a grey one) is in view.
            self.message_html,
            self.button_box,
            widgets.HTML(div("explorer-group-title", t("explorer.diagram"))),
            self.diagram_html,
            widgets.HTML(div("explorer-group-title", t("explorer.log"))),
            self.log_html,
        ])
        self.widget.add_class("explorer")

        self.desk: Desk
        self.case_id = ""
        self.ok: bool | None = None
        self.message = ""
        self.restart()

    # -- reading

    @property
    def strategies_on(self) -> list[Strategy]:
        return [s for s, box in self.strategy_boxes.items() if box.value]

    def possible(self) -> list[Move]:
        return possible_moves(self.desk, self.case_id)

    # -- acting

    def _restart_on_change(self, _change: dict) -> None:
        self.restart()

    def restart(self) -> None:
        """A fresh order and request of the picked type, under the ticked strategies."""
        self.desk, self.case_id = start_case(
            self.type_picker.value, strategies=self.strategies_on, order=self.order,
            policy=self.policy, suppliers=self.suppliers)
        self.ok = True
        self.message = " ".join([t("explorer.started", type=self.case.type.label),
                                 *self._assistant_notes(self.desk.log)])
        self._build_buttons()
        self.refresh()

    def act(self, move: Move) -> bool:
        """Make `move` on the case; False (and the engine's message) when it is refused."""
        before = self.case
        address = (self.suppliers[self.address_picker.value].address
                   if move in ACTIONS_NEEDING_ADDRESS else None)
        # The explorer shows what the coach would say, and then what the back office does.
        warnings = [w.text for w in coach_before(self.desk, self.case_id, move, address=address)]
        try:
            recorded = step(self.desk, self.case_id, move, address=address)
        except ActionNotAllowed as error:
            self.ok = False
            self.message = " ".join([t("explorer.refused", message=error), t("explorer.unchanged")])
        else:
            self.ok = True
            after = self.case
            self.ok = not warnings
            self.message = " ".join([
                *warnings,
                done_line("explorer", move, before.status, after.status),
                *self._assistant_notes(recorded[1:])])
            if after.type is not before.type:
                self.message += " " + t("explorer.converted", type=after.type.label)
                self._build_buttons()
        self.refresh()
        return bool(self.ok)

    def _assistant_notes(self, events: Iterable) -> list[str]:
        return [t("explorer.assistant_did", move=e.move.label, kind=e.auto.label)
                for e in events if e.auto is not None]

    def _build_buttons(self) -> None:
        self.buttons = {}
        rows = []
        moves = candidate_moves(self.case.type)
        for kind, key in GROUPS.items():
            group = [m for m in moves if isinstance(m, kind)]
            if not group:
                continue
            for move in group:
                button = widgets.Button(description=move.label,
                                        layout=widgets.Layout(width="auto"))
                button.add_class("explorer-action")
                button.on_click(lambda _button, move=move: self.act(move))
                self.buttons[move] = button
            rows.append(widgets.HTML(div("explorer-group-title", t(key))))
            rows.append(widgets.HBox([self.buttons[m] for m in group],
                                     layout=widgets.Layout(flex_flow="row wrap")))
        self.button_box.children = rows

    # -- showing

    def refresh(self) -> None:
        """Redraw every output from the desk (the only source of what is shown)."""
        case, order_state = self.case, self.desk.orders[self.order.id]
        product = load_products()[self.order.product_id]
        self.order_html.value = div("explorer-muted", t(
            "explorer.order", order=self.order.id, product=product.name,
            paid=yuan(self.order.paid_fen), buyer=self.order.buyer, phone=self.order.buyer_phone,
            supplier=self.suppliers[self.order.supplier_id].name)) + div("explorer-muted", t(
                "explorer.order_state", stage=order_state.stage.label,
                parcel=order_state.parcel.label if order_state.parcel else t("explorer.no_parcel")))

        lines = [t("explorer.case", case=case.id, type=case.type.label,
                   refunded=yuan(case.refunded_fen))]
        if case.refusal_agreed and case.is_open:
            lines.append(t("explorer.refusal_agreed"))
        if case.auto is not None:
            lines.append(t("explorer.auto", kind=case.auto.label))
        self.state_html.value = (
            f'<div>{escape(t("explorer.status"))}<span class="status">'
            f"{escape(case.status.label)}</span></div>"
            + "".join(div("", line) for line in lines))

        now = self.desk.now or case.opened_at
        if not case.is_open:
            timing = t("explorer.closed")
        elif case.deadline is None:
            timing = t("explorer.no_deadline")
        else:
            timing = t("explorer.deadline", deadline=clock(case.deadline),
                       left=_left(case.deadline - now))
        self.clock_html.value = div("", f'{t("explorer.clock", now=clock(now))} · {timing}') \
            + div("explorer-muted", t("explorer.deadline_example"))

        possible = self.possible()
        for move, button in self.buttons.items():
            button.button_style = "primary" if move in possible else ""
        self.next_html.value = div("", t("explorer.next") + "、".join(m.label for m in possible)
                                    if possible else t("explorer.next_none"))

        css = "ok" if self.ok else "error"
        self.message_html.value = div(css, self.message)

        marks = trail(self.desk, self.case_id)
        path = [m.status for m in marks if m.type is case.type]
        self.diagram_html.value = state_diagram(case.type, current=case.status, path=path)
        rows = "".join(
            f"<tr><td>{clock(m.event.at)}</td><td>{escape(m.event.actor.label)}</td>"
            f"<td>{escape(m.event.move.label)}</td><td>{escape(m.status.label)}</td></tr>"
            for m in marks)
        head = "".join(f"<th>{escape(t(k))}</th>" for k in (
            "explorer.log_time", "explorer.log_actor", "explorer.log_move", "explorer.log_status"))
        self.log_html.value = f"<table><tr>{head}</tr>{rows}</table>"
