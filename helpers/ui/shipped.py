"""The 售后小助手 form of lesson 03 (已发货未收到): find the supplier, fill the form, play the parcel.

The app wires widgets to `helpers.lessons.shipped` (lookup, form check, SMS, ledger) and
`helpers.engine.scenarios` (moves); the engine decides everything. Its state lives on the app
(`saved_form`, `desk`, `case_id`, `compare_desk`, `ok`, `message`), so a test or a checkpoint
cell drives it without a browser:

    app = ShippedApp()
    app.lookup_button.click()        # products.csv → suppliers.csv, the form is filled
    app.save_button.click()          # the request comes in; 拒签后退款 is agreed at once
    app.button("买家已拒签").click()
    app.rows[0].verdict              # Verdict.SETTLING: refunded, goods on their way back

Browser contract: the container has the CSS class `shipped`; the lookup result `shipped-lookup`;
the SMS preview `shipped-sms`; the form's message `shipped-form-message`; every move button
`shipped-action` (its description is the move's label); the message of a move `shipped-message`;
the case `shipped-state`; the ledger `shipped-ledger`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

import ipywidgets as widgets

from ..engine.codes import AfterSaleType, MerchantAction, ParcelState, Stage, Status
from ..engine.machine import ActionNotAllowed, Case, Desk, Event, Move
from ..engine.model import Address, Order, Supplier, load_products, load_suppliers, yuan
from ..engine.policy import Policy, load_policy
from ..engine.scenarios import possible_moves, step
from ..lessons.shipped import (
    LESSON_ORDER,
    MOVE_GROUPS,
    AssistantForm,
    FormInvalid,
    LedgerRow,
    Sms,
    build_sms,
    find_supplier,
    form_for_supplier,
    form_warnings,
    ledger,
    mirror,
    start_refund_at_once,
    start_with_form,
)
from ..strings import t
from .base import CaseApp, CoachBox, div, done_line
from .style import style_widget

# Only what this app adds to the shared style; JupyterLab variables keep the dark theme readable.
CSS = """
.shipped { font-family: var(--jp-ui-font-family), "WenQuanYi Micro Hei", "Noto Sans CJK SC",
  sans-serif; color: var(--jp-ui-font-color1); }
.shipped-step { font-weight: bold; margin-top: 10px; padding-bottom: 2px;
  border-bottom: 1px solid var(--jp-border-color2); }
.shipped-muted { color: var(--jp-ui-font-color2); }
.shipped-sms .sms { background: var(--jp-layout-color2); padding: 6px 10px;
  border-left: 4px solid var(--jp-brand-color1); white-space: pre-wrap; }
.shipped-state { border-left: 4px solid var(--jp-brand-color1); background: var(--jp-layout-color2);
  padding: 4px 10px; margin: 4px 0; }
.shipped-state .status { font-size: 1.2em; font-weight: bold; color: var(--jp-brand-color1); }
.shipped .ok { color: var(--jp-success-color1); }
.shipped .error { color: var(--jp-error-color1); }
.shipped-message div, .shipped-form-message div { border: 1px solid var(--jp-border-color2);
  background: var(--jp-layout-color1); padding: 4px 8px; }
.shipped-ledger table { border-collapse: collapse; }
.shipped-ledger th, .shipped-ledger td { border-bottom: 1px solid var(--jp-border-color2);
  padding: 3px 10px; text-align: left; }
"""

ADDRESS_FIELDS = ("contact", "phone", "province", "city", "district", "detail")



class ShippedApp(CaseApp):
    """One shipped order whose buyer wants 仅退款: the form, the parcel, the ledger."""

    def __init__(self, order: Order = LESSON_ORDER, *, policy: Policy | None = None,
                 suppliers: Mapping[str, Supplier] | None = None) -> None:
        self.order = order
        self.policy = policy or load_policy()
        self.suppliers = suppliers or load_suppliers()
        self.product = load_products()[order.product_id]

        # ① the supplier
        self.supplier_picker = widgets.Dropdown(
            options=[(t("shipped.pick_supplier"), None)]
            + [(f"{s.id} {s.name}", s.id) for s in self.suppliers.values()],
            value=None, description=t("shipped.supplier"), style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"))
        self.lookup_button = widgets.Button(description=t("shipped.lookup_button"), icon="search")
        self.lookup_html = widgets.HTML(div("shipped-muted", t("shipped.lookup_hint")))
        self.lookup_html.add_class("shipped-lookup")

        # ② the form
        self.address_boxes = {
            name: widgets.Text(description=t(f"shipped.{name}"),
                               style={"description_width": "initial"},
                               layout=widgets.Layout(width="auto" if name != "detail" else "60%"))
            for name in ADDRESS_FIELDS}
        self.refusal_switch = widgets.Checkbox(value=True, description=t("shipped.refusal_switch"),
                                               indent=False, layout=widgets.Layout(width="auto"))
        self.sms_switch = widgets.Checkbox(value=True, description=t("shipped.sms_switch"),
                                           indent=False, layout=widgets.Layout(width="auto"))
        self.note_box = widgets.Textarea(description=t("shipped.note"),
                                         placeholder=t("shipped.note_placeholder"),
                                         style={"description_width": "initial"},
                                         layout=widgets.Layout(width="80%", height="3.2em"))
        self.sms_html = widgets.HTML()
        self.sms_html.add_class("shipped-sms")
        self.save_button = widgets.Button(description=t("shipped.save"), button_style="primary",
                                          icon="check")
        self.restart_button = widgets.Button(description=t("shipped.restart"), icon="refresh")
        self.form_message_html = widgets.HTML()
        self.form_message_html.add_class("shipped-form-message")
        self.coach_box = CoachBox()  # another upstream's address, personal data in the SMS

        # ③ the parcel and the moves, ④ the ledger
        self.buttons: dict[Move, widgets.Button] = {}
        groups = []
        for key, moves in MOVE_GROUPS.items():
            for move in moves:
                button = widgets.Button(description=move.label, layout=widgets.Layout(width="auto"))
                button.add_class("shipped-action")
                button.on_click(lambda _button, move=move: self.act(move))
                self.buttons[move] = button
            groups.append(widgets.HTML(div("shipped-muted", t(key))))
            groups.append(widgets.HBox([self.buttons[m] for m in moves],
                                       layout=widgets.Layout(flex_flow="row wrap")))
        self.message_html = widgets.HTML()
        self.message_html.add_class("shipped-message")
        self.state_html = widgets.HTML()
        self.state_html.add_class("shipped-state")
        self.ledger_html = widgets.HTML()
        self.ledger_html.add_class("shipped-ledger")

        self.supplier_picker.observe(self._supplier_picked, names="value")
        self.lookup_button.on_click(lambda _button: self.lookup())
        for box in (*self.address_boxes.values(), self.refusal_switch, self.sms_switch,
                    self.note_box):
            box.observe(self._form_changed, names="value")
        self.save_button.on_click(lambda _button: self.save())
        self.restart_button.on_click(lambda _button: self.restart())

        def step_title(key: str) -> widgets.HTML:
            return widgets.HTML(div("shipped-step", t(key)))

        self.widget = widgets.VBox([
            style_widget(),
            widgets.HTML(f"<style>{CSS}</style>"),
            step_title("shipped.step_lookup"),
            widgets.HTML(div("shipped-muted", t(
                "shipped.order", order=order.id, product=self.product.name,
                product_id=self.product.id, paid=yuan(order.paid_fen), buyer=order.buyer,
                phone=order.buyer_phone, stage=Stage.SHIPPED.label,
                type=AfterSaleType.SHIPPED_REFUND.label))),
            widgets.HBox([self.supplier_picker, self.lookup_button]),
            self.lookup_html,
            step_title("shipped.step_form"),
            widgets.HBox([self.address_boxes[n] for n in ("contact", "phone")]),
            widgets.HBox([self.address_boxes[n] for n in ("province", "city", "district")]),
            self.address_boxes["detail"],
            widgets.HBox([self.refusal_switch, self.sms_switch]),
            self.note_box,
            self.sms_html,
            widgets.HBox([self.save_button, self.restart_button]),
            self.coach_box.widget,
            self.form_message_html,
            # The moves on the left, what they did and the ledger beside them: the result of a
            # click stays in view at 1366 px (the two columns stack on a narrower screen).
            widgets.HBox([
                widgets.VBox([step_title("shipped.step_events"), *groups],
                             layout=widgets.Layout(flex="1 1 420px", min_width="0")),
                widgets.VBox([self.message_html, step_title("shipped.step_ledger"),
                              self.ledger_html, self.state_html],
                             layout=widgets.Layout(flex="1 1 420px", min_width="0")),
            ], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start",
                                     grid_gap="0 16px")),
        ])
        self.widget.add_class("shipped")

        self.saved_form: AssistantForm | None = None
        self.desk: Desk | None = None
        self.case_id = ""
        self.compare_desk: Desk | None = None
        self.compare_case_id = ""
        self.ok: bool | None = None
        self.message = ""
        self.form_ok: bool | None = None
        self.form_message = ""
        self.refresh()

    # -- reading

    @property
    def form(self) -> AssistantForm:
        """The form as the widgets show it now (saved or not)."""
        address = Address(**{name: box.value for name, box in self.address_boxes.items()})
        return AssistantForm(self.supplier_picker.value, address,
                             refund_after_refusal=self.refusal_switch.value,
                             sms_on=self.sms_switch.value, note=self.note_box.value)

    @property
    def sms(self) -> Sms:
        """The SMS the form would send now (show only its `preview`)."""
        return build_sms(self.form, self.order)

    @property
    def case(self) -> Case | None:
        return self.desk.cases[self.case_id] if self.desk else None

    @property
    def rows(self) -> list[LedgerRow]:
        """The ledger: your order's row, then the 立即同意仅退款 comparison's (empty before saving)."""
        if self.desk is None or self.compare_desk is None:
            return []
        return ledger(self.desk) + ledger(self.compare_desk)

    def possible(self) -> list[Move]:
        return possible_moves(self.desk, self.case_id) if self.desk else []

    # -- acting

    def lookup(self) -> None:
        """Find the item's supplier in the data files and pick it (which fills the address)."""
        found = find_supplier(self.order.product_id, suppliers=self.suppliers)
        self.lookup_html.value = div("ok", found.text())
        if self.supplier_picker.value == found.supplier.id:
            self._fill(found.supplier.id)  # picked already: refill what may have been edited
        else:
            self.supplier_picker.value = found.supplier.id

    def _supplier_picked(self, change: dict) -> None:
        self._fill(change["new"])

    def _fill(self, supplier_id: str | None) -> None:
        supplier = self.suppliers.get(supplier_id) if supplier_id else None
        filled = form_for_supplier(supplier).address
        for name, box in self.address_boxes.items():
            box.value = getattr(filled, name)
        if supplier is not None:
            self.form_ok, self.form_message = True, t("shipped.filled", supplier=supplier.name)
        self.refresh()

    def _form_changed(self, _change: dict) -> None:
        self._show_sms()

    def save(self) -> bool:
        """Save the form and let the request come in; False (nothing changed) when the address is
        incomplete, or while the coach's warning waits for 「仍然执行」 / 「先不做」."""
        form = self.form
        warnings = form_warnings(form, self.order, suppliers=self.suppliers)
        saved = self.coach_box.ask(warnings, lambda: self._save(form))
        if saved is None:  # the coach is asking: the last message no longer applies
            self.form_ok, self.form_message = None, ""
            self.refresh()
        return bool(saved)

    def _save(self, form: AssistantForm) -> bool:
        try:
            self._start(form)
        except FormInvalid as error:
            self.form_ok = False
            self.form_message = f"{error} {t('shipped.form_unchanged')}"
        else:
            self.saved_form = form
            self.form_ok = True
            went_ahead = [t("coach.went_ahead")] if self.coach_box.ignored else []
            self.form_message = " ".join([
                *went_ahead, t("shipped.saved", buyer=self.order.buyer, type=self.case.type.label),
                *self._assistant_notes(self.desk.log)])
            if self.case.is_open and not self.case.refusal_agreed:
                hours = self.policy.deadline_for(Status.AWAIT_MERCHANT).hours
                self.form_message += " " + t("shipped.saved_manual", hours=f"{hours:g}")
            self.ok, self.message = None, ""
        self.refresh()
        return bool(self.form_ok)

    def _start(self, form: AssistantForm) -> None:
        desk, case_id = start_with_form(form, self.order, policy=self.policy,
                                        suppliers=self.suppliers)
        self.desk, self.case_id = desk, case_id
        self.compare_desk, self.compare_case_id = start_refund_at_once(
            self.order, policy=self.policy, suppliers=self.suppliers)

    def restart(self) -> None:
        """The parcel starts on its way again, under the saved form."""
        if self.saved_form is None:
            self.ok, self.message = False, t("shipped.save_first")
        else:
            self._start(self.saved_form)
            self.ok, self.message = True, t("shipped.restarted")
        self.refresh()

    def act(self, move: Move) -> bool:
        """Make `move` on your order (a parcel event happens to the comparison's too)."""
        if self.desk is None:
            self.ok, self.message = False, t("shipped.save_first")
            self.refresh()
            return False
        before = self.case
        address = self.saved_form.address if move is MerchantAction.AGREE_RETURN else None
        try:
            recorded = step(self.desk, self.case_id, move, address=address)
        except ActionNotAllowed as error:
            self.ok = False
            self.message = " ".join([t("shipped.refused", message=error), t("shipped.unchanged")])
        else:
            after = self.case
            parts = [done_line("shipped", move, before.status, after.status),
                     *self._assistant_notes(recorded[1:])]
            if after.type is not before.type:
                parts.append(t("shipped.converted", type=after.type.label))
            if after.refunded_fen > before.refunded_fen:
                parts.append(t("shipped.refunded", amount=yuan(after.refunded_fen)))
            if isinstance(move, ParcelState) and not mirror(self.compare_desk,
                                                            self.compare_case_id, move):
                parts.append(t("shipped.mirror_skipped"))
            self.ok, self.message = True, " ".join(parts)
        self.refresh()
        return bool(self.ok)

    def _assistant_notes(self, events: Iterable[Event]) -> list[str]:
        return [t("shipped.saved_assistant", move=e.move.label, kind=e.auto.label)
                for e in events if e.auto is not None]

    # -- showing

    def refresh(self) -> None:
        """Redraw every output from the form, the desks and the messages."""
        self._show_sms()
        self.form_message_html.value = (
            # Saved despite the coach's warning: it went through, but it is shown as a mistake.
            div("ok" if self.form_ok and not self.coach_box.ignored else "error", self.form_message)
            if self.form_message else "")
        self.message_html.value = (
            div("ok" if self.ok else "error", self.message) if self.message else "")
        self._show_state()
        self._show_ledger()

    def _show_sms(self) -> None:
        form = self.form
        if not form.sms_on:
            self.sms_html.value = div("shipped-muted", t("shipped.sms_off"))
            return
        sms = build_sms(form, self.order)
        check = (div("error", "；".join(sms.problems)) if sms.problems
                 else div("ok", t("shipped.sms_clean")))
        self.sms_html.value = (
            div("shipped-muted", t("shipped.sms_title")) + div("sms", sms.preview) + check
            + div("shipped-muted", t("shipped.sms_limit", count=self.policy.sms_notices_per_case)))

    def _show_state(self) -> None:
        case = self.case
        if case is None:
            self.state_html.value = div("shipped-muted", t("shipped.not_started"))
            for button in self.buttons.values():
                button.button_style = ""
            return
        order_state = self.desk.orders[case.order_id]
        lines = [t("shipped.case", case=case.id, type=case.type.label,
                   refunded=yuan(case.refunded_fen)),
                 t("shipped.parcel", stage=order_state.stage.label,
                   parcel=order_state.parcel.label if order_state.parcel
                   else t("shipped.no_parcel"))]
        if case.refusal_agreed and case.is_open:
            lines.append(t("shipped.refusal_waiting"))
        if case.auto is not None and case.type is AfterSaleType.SHIPPED_REFUND:
            # a converted return keeps the bit of the refusal it no longer waits for
            lines.append(t("shipped.auto", kind=case.auto.label))
        if case.is_open and case.deadline is not None:
            lines.append(t("shipped.deadline", deadline=case.deadline.strftime("%m-%d %H:%M")))
        possible = [m for m in self.possible() if m in self.buttons]
        lines.append(t("shipped.next") + "、".join(m.label for m in possible) if possible
                     else t("shipped.next_none"))
        for move, button in self.buttons.items():
            button.button_style = "primary" if move in possible else ""
        self.state_html.value = (
            f'<div>{escape(t("shipped.status"))}<span class="status">'
            f"{escape(case.status.label)}</span></div>" + "".join(div("", x) for x in lines))

    def _show_ledger(self) -> None:
        rows = self.rows
        if not rows:
            self.ledger_html.value = div("shipped-muted", t("shipped.not_started"))
            return
        head = "".join(f"<th>{escape(t(k))}</th>" for k in (
            "shipped.col_approach", "shipped.col_order", "shipped.col_paid",
            "shipped.col_refunded", "shipped.col_goods", "shipped.col_verdict"))
        body = "".join(
            f"<tr><td>{escape(t(approach))}</td><td>{escape(row.order_id)}</td>"
            f"<td>{yuan(row.paid_fen)}</td><td>{yuan(row.refunded_fen)}</td>"
            f"<td>{escape(row.goods.label)}</td>"
            f'<td class="{"ok" if row.verdict.ok else "error"}">{escape(row.verdict.label)}</td></tr>'
            for approach, row in zip(("shipped.yours", "shipped.at_once"), rows, strict=True))
        self.ledger_html.value = (div("shipped-muted", t("shipped.ledger_title"))
                                  + f"<table><tr>{head}</tr>{body}</table>")
