"""The 退换货工作台 of lesson 04: agree a return or an exchange with the right upstream address,
then play the goods back to the supplier and through the second review.

The app wires widgets to `helpers.engine.scenarios` (the engine) and `helpers.lessons.returns` (the path, the
address check); it decides nothing itself. Its state lives on the app (`desk`, `case_id`, `ok`,
`message`, `address_check`), so a test or a checkpoint drives it without a browser:

    app = ReturnDeskApp()
    app.book_picker.value = "S02"            # fills the address fields from the address book
    app.button("同意退货申请").click()
    app.case.status                          # Status.AWAIT_BUYER_RETURN

Browser contract: the address form's fields have the CSS class `returns-field`, the check result
`returns-address-check`, the path `returns-flow`, the current status `returns-state`, every
action button `returns-action` (its description is the move's label), the message
`returns-message`, the money and goods `returns-ledger`; the coach's warning `coach-warning`
(buttons `coach-go-ahead`, `coach-think-again`). Another upstream's valid address is not
refused (the back office cannot know): the coach warns, the trainee may go ahead.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import ipywidgets as widgets

from ..engine.codes import ACTIONS_NEEDING_ADDRESS, AfterSaleType
from ..engine.machine import ActionNotAllowed, Case, Desk, Move
from ..engine.model import Address, Order, Supplier, load_products, load_suppliers, yuan
from ..engine.policy import Policy, Strategy, load_policy
from ..engine.scenarios import start_case, step
from ..lessons.coach import before, consequence_lines
from ..lessons.returns import (
    ADDRESS_FIELDS,
    FLOWS,
    RETURN_ORDER,
    AddressCheck,
    check_address,
    flow_progress,
    goods_place,
    shipping_supplier,
    supplier_at,
)
from ..strings import t
from .base import CaseApp, CoachBox, div, done_line
from .style import style_widget

CSS = """
.returns { font-family: var(--jp-ui-font-family), "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
  color: var(--jp-ui-font-color1); }
.returns-title { color: var(--jp-ui-font-color2); font-size: 0.9em; margin-top: 6px; }
.returns-muted { color: var(--jp-ui-font-color2); }
.returns-state, .returns-flow {
  border-left: 4px solid var(--jp-brand-color1); background: var(--jp-layout-color2);
  padding: 4px 10px; margin: 4px 0; }
.returns-state .status { font-size: 1.2em; font-weight: bold; color: var(--jp-brand-color1); }
.returns-flow .done { color: var(--jp-success-color1); }
.returns-flow .next { font-weight: bold; color: var(--jp-brand-color1); }
.returns-flow .todo { color: var(--jp-ui-font-color2); }
.returns-address-check .ok, .returns-message .ok { color: var(--jp-success-color1); }
.returns-address-check .error, .returns-message .error { color: var(--jp-error-color1); }
.returns-address-check .widget-html-content > div, .returns-message .widget-html-content > div {
  border: 1px solid var(--jp-border-color2); background: var(--jp-layout-color1); padding: 4px 8px; }
.returns-address-check ul { margin: 2px 0 2px 18px; padding: 0; }
"""

TYPES = (AfterSaleType.RETURN_REFUND, AfterSaleType.EXCHANGE)



class ReturnDeskApp(CaseApp):
    """One received order, a return or exchange request, an address form and the path's moves."""

    def __init__(self, type: AfterSaleType = AfterSaleType.RETURN_REFUND, *,
                 order: Order = RETURN_ORDER, auto_agree: bool = False,
                 policy: Policy | None = None,
                 suppliers: Mapping[str, Supplier] | None = None) -> None:
        self.policy = policy or load_policy()
        self.suppliers = suppliers or load_suppliers()
        self.products = load_products()
        self.order = order
        self.supplier = shipping_supplier(order, self.products, self.suppliers)

        self.type_picker = widgets.ToggleButtons(
            options=[(m.label, m) for m in TYPES], value=type, description=t("returns.type"),
            style={"description_width": "initial"})
        self.auto_box = widgets.Checkbox(
            value=auto_agree, indent=False, layout=widgets.Layout(width="auto"),
            description=t("returns.auto", strategy=Strategy.AUTO_AGREE_RETURN.label))
        self.restart_button = widgets.Button(description=t("returns.restart"), icon="refresh")
        self.order_html = widgets.HTML()

        self.book_picker = widgets.Dropdown(
            options=[(t("returns.book_none"), "")] + [(s.name, s.id) for s in self.suppliers.values()],
            value="", description=t("returns.book"), style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"))
        self.fields: dict[str, widgets.Text] = {}
        for name in ADDRESS_FIELDS:
            field = widgets.Text(description=t(f"returns.field_{name}"),
                                 layout=widgets.Layout(width="340px" if name != "detail" else "520px"))
            field.add_class("returns-field")
            self.fields[name] = field
        self.check_button = widgets.Button(description=t("returns.check"), icon="check")
        self.check_html = widgets.HTML()
        self.check_html.add_class("returns-address-check")

        self.flow_html = widgets.HTML()
        self.flow_html.add_class("returns-flow")
        self.state_html = widgets.HTML()
        self.state_html.add_class("returns-state")
        self.buttons: dict[Move, widgets.Button] = {}
        self.button_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.message_html = widgets.HTML()
        self.message_html.add_class("returns-message")
        self.ledger_html = widgets.HTML()
        self.ledger_html.add_class("returns-ledger")
        self.coach_box = CoachBox()

        self.type_picker.observe(lambda _change: self.restart(), names="value")
        self.auto_box.observe(lambda _change: self.restart(), names="value")
        self.restart_button.on_click(lambda _button: self.restart())
        self.book_picker.observe(lambda _change: self.fill_from_book(), names="value")
        self.check_button.on_click(lambda _button: self.check())

        form = widgets.VBox([
            widgets.HBox([self.fields["contact"], self.fields["phone"]],
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.fields["province"], self.fields["city"], self.fields["district"]],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.fields["detail"],
        ])
        self.widget = widgets.VBox([
            style_widget(),
            widgets.HTML(f"<style>{CSS}</style>"),
            widgets.HBox([self.type_picker, self.restart_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.auto_box,
            self.order_html,
            widgets.HTML(div("returns-title", t("returns.address_title"))),
            self.book_picker,
            form,
            self.check_button,
            self.check_html,
            self.flow_html,
            self.state_html,
            widgets.HTML(div("returns-title", t("returns.actions"))),
            self.button_box,
            self.coach_box.widget,
            self.message_html,
            self.ledger_html,
            widgets.HTML(div("returns-muted", t("returns.deadline_example"))),
        ])
        self.widget.add_class("returns")

        self.desk: Desk
        self.case_id = ""
        self.ok: bool | None = None
        self.message = ""
        self.address_check: AddressCheck | None = None
        self.restart()

    # -- reading

    @property
    def address(self) -> Address:
        """The address as typed in the form (what 同意退货/换货 would give the buyer)."""
        return Address(**{name: field.value for name, field in self.fields.items()})

    # -- acting

    def restart(self) -> None:
        """A fresh request of the picked type; the address form keeps what was typed."""
        strategies = [Strategy.AUTO_AGREE_RETURN] if self.auto_box.value else []
        if hasattr(self, "coach_box"):
            self.coach_box.clear()
        self.desk, self.case_id = start_case(
            self.type_picker.value, strategies=strategies, order=self.order, policy=self.policy,
            suppliers=self.suppliers)
        self.ok = True
        self.message = " ".join([t("returns.started", type=self.case.type.label),
                                 *self._assistant_notes(self.desk.log)])
        self.buttons = {}
        for move in FLOWS[self.case.type]:
            button = widgets.Button(description=move.label, layout=widgets.Layout(width="auto"))
            button.add_class("returns-action")
            button.on_click(lambda _button, move=move: self.act(move))
            self.buttons[move] = button
        self.button_box.children = list(self.buttons.values())
        self.refresh()

    def fill_from_book(self) -> None:
        """Copy the picked supplier's return address into the form (the trainee may still edit)."""
        if not self.book_picker.value:
            return
        address = self.suppliers[self.book_picker.value].address
        for name, field in self.fields.items():
            field.value = getattr(address, name)
        self.address_check = None
        self.refresh()

    def check(self) -> AddressCheck:
        """Check the typed address against the supplier that ships this item."""
        self.address_check = check_address(self.address, self.supplier, self.suppliers)
        self.refresh()
        return self.address_check

    def act(self, move: Move) -> bool | None:
        """Make `move`; 同意退货/换货 gives the typed address. The coach warns first when the
        address is another upstream's (None: waiting for the trainee); False when refused."""
        address = self.address if move in ACTIONS_NEEDING_ADDRESS else None
        if address is not None:
            self.address_check = check_address(address, self.supplier, self.suppliers)
        warnings = before(self.desk, self.case_id, move, address=address)
        result = self.coach_box.ask(warnings, lambda: self._do(move, address))
        if result is None:  # the coach is asking: the last message no longer applies
            self.ok, self.message = None, ""
            self.refresh()
        return result

    def _do(self, move: Move, address: Address | None) -> bool:
        before = self.case
        try:
            recorded = step(self.desk, self.case_id, move, address=address)
        except ActionNotAllowed as error:
            self.ok = False
            self.message = " ".join([t("returns.refused", message=error), t("returns.unchanged")])
        else:
            self.ok = True
            went_ahead = [t("coach.went_ahead")] if self.coach_box.ignored else []
            self.message = " ".join([
                *went_ahead,
                done_line("returns", move, before.status, self.case.status),
                *self._assistant_notes(recorded[1:])])
        self.refresh()
        return bool(self.ok)

    def _assistant_notes(self, events: list) -> list[str]:
        return [t("returns.auto_did", kind=e.auto.label) for e in events if e.auto is not None]

    # -- showing

    def refresh(self) -> None:
        """Redraw every output from the desk and the last address check."""
        product = self.products[self.order.product_id]
        self.order_html.value = div("returns-muted", t(
            "returns.order", order=self.order.id, product=product.name, paid=yuan(self.order.paid_fen),
            buyer=self.order.buyer, phone=self.order.buyer_phone)) + div(
                "", t("returns.ships_from", supplier=self.supplier.name))
        self.check_html.value = self._check_text()

        case = self.case
        rows, progress = [], flow_progress(self.desk, self.case_id)
        for flow_step in progress:
            css, mark = (("done", "returns.flow_done") if flow_step.done else
                         ("next", "returns.flow_next") if flow_step.current else
                         ("todo", "returns.flow_todo"))
            rows.append(f'<li class="{css}">{escape(flow_step.move.label)} — {escape(t(mark))}</li>')
        self.flow_html.value = (div("", t("returns.flow_title", type=case.type.label))
                                + f"<ol>{''.join(rows)}</ol>")
        for flow_step in progress:
            self.buttons[flow_step.move].button_style = "primary" if flow_step.current else ""

        lines = [t("returns.case", case=case.id, type=case.type.label, refunded=yuan(case.refunded_fen)),
                 t("returns.goods", place=t(f"returns.goods_{goods_place(self.desk, case)}")),
                 self._sent_to(case)]
        if case.auto is not None:
            lines.append(t("returns.auto_did", kind=case.auto.label))
        self.state_html.value = (
            f'<div>{escape(t("returns.status"))}<span class="status">{escape(case.status.label)}'
            "</span></div>" + "".join(div("", line) for line in lines))
        # Done despite the coach's warning: it went through, but it is shown as a mistake.
        css = "ok" if self.ok and not self.coach_box.ignored else "error"
        self.message_html.value = div(css, self.message)
        self.ledger_html.value = div("returns-title", t("coach.ledger_title")) + "".join(
            div("", line) for line in consequence_lines(self.desk, case.order_id))

    def _sent_to(self, case: Case) -> str:
        if case.return_address is None:
            return t("returns.sent_to_none")
        owner = supplier_at(case.return_address, self.suppliers)
        return t("returns.sent_to", place=owner.name if owner else t("returns.sent_to_other"))

    def _check_text(self) -> str:
        result = self.address_check
        if result is None:
            return ""
        if result.ok:
            return div("ok", t("returns.check_ok", supplier=self.supplier.name))
        items = [escape(p) for p in result.problems]
        if result.belongs_to is not None:
            items.append(escape(t("returns.belongs_to", other=result.belongs_to.name,
                                  supplier=self.supplier.name)))
        elif result.differs:
            fields = "、".join(t(f"returns.field_{name}") for name in result.differs)
            items.append(escape(t("returns.differs", supplier=self.supplier.name, fields=fields)))
        bullets = "".join(f"<li>{item}</li>" for item in items)
        return f'<div class="error">{escape(t("returns.check_bad"))}<ul>{bullets}</ul></div>'
