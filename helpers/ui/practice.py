"""The three drills of lesson 06 (注意事项) as widget apps: answer fast, get the return address
right, protect the buyer's privacy.

Each app only wires widgets to `helpers.lessons.practice`; its state lives on the app, so a test or a
checkpoint cell drives it without a browser:

    app = QueueApp()
    app.hours_picker.value = 4
    app.advance_button.click()
    app.drill.missed                    # 1: the most urgent case ran out

    app = AddressDrillApp()
    app.agree_button.click()            # the colleague's draft is another supplier's address
    app.agreement.ok                    # False, and app.result_html says why

    app = PrivacyDrillApp()
    app.load_button.click(); app.delete_button.click(); app.send_button.click()
    app.sent                            # [the message without the buyer's data]

Browser contract (CSS classes): `queue-table` (the queue), `queue-message` (what the last click
did), `queue-summary` (handled / auto / missed); `address-result`, `address-score`;
`privacy-result`, `privacy-sent`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from html import escape

import ipywidgets as widgets

from ..engine.addresses import address_problems
from ..engine.machine import ActionNotAllowed
from ..engine.model import Address, Product, Supplier, load_products, load_suppliers, yuan
from ..engine.policy import Policy, load_policy
from ..lessons.practice import (
    AddressCase,
    Agreement,
    Expired,
    PrivacyCheck,
    QueueDrill,
    address_cases,
    agree_return,
    delete_personal_data,
    privacy_check,
    privacy_messages,
)
from ..strings import t
from .base import App, clock, div
from .style import style_widget

CLOCK_STEPS = (1, 4, 12, 24)  # hours the trainee can move the simulated clock at a time
ADDRESS_FIELDS = ("contact", "phone", "province", "city", "district", "detail")

CSS = """
.practice {
  font-family: var(--jp-ui-font-family), "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
  color: var(--jp-ui-font-color1);
}
.practice-title { font-weight: bold; margin: 4px 0; }
.practice-muted { color: var(--jp-ui-font-color2); font-size: 0.9em; }
.queue-table table, .address-products table { border-collapse: collapse; font-size: 0.92em; }
.queue-table th, .queue-table td, .address-products th, .address-products td {
  border-bottom: 1px solid var(--jp-border-color2);
  padding: 2px 8px;
  text-align: left;
}
.queue-table tr.urgent td { color: var(--jp-error-color1); font-weight: bold; }
.practice .box {
  border: 1px solid var(--jp-border-color2);
  background: var(--jp-layout-color1);
  padding: 4px 8px;
  margin: 4px 0;
}
.practice .ok { color: var(--jp-success-color1); }
.practice .error { color: var(--jp-error-color1); }
.queue-summary, .address-score, .privacy-score { font-weight: bold; }
.privacy-sent pre { white-space: pre-wrap; background: var(--jp-layout-color2); padding: 4px 8px; }
.decide-result ol { padding-left: 1.6em; }
.decide-result .yours { color: var(--jp-brand-color1); font-weight: bold; }
.decide-result .branch { color: var(--jp-ui-font-color2); }
"""


def practice_style() -> widgets.VBox:
    """The shared CSS plus this lesson's, as <style> widgets in one box."""
    return widgets.VBox([style_widget(), widgets.HTML(f"<style>{CSS}</style>")])



def _left(span: timedelta) -> str:
    minutes = max(int(span.total_seconds() // 60), 0)
    return t("practice.queue_left", hours=minutes // 60, minutes=minutes % 60)



def _message(ok: bool | None, text: str) -> str:
    """A bordered message box, green when `ok`, red when not, plain when None."""
    css = "box" if ok is None else ("box ok" if ok else "box error")
    return div(css, text)


def _title(key: str) -> widgets.HTML:
    return widgets.HTML(div("practice-title", t(key)))



# ---- 1. the queue ------------------------------------------------------------------------

class QueueApp(App):
    """Open cases sorted by deadline, a simulated clock, and what a passing deadline does."""

    def __init__(self, policy: Policy | None = None, suppliers: Mapping[str, Supplier] | None = None,
                 products: Mapping[str, Product] | None = None) -> None:
        self.drill = QueueDrill(policy or load_policy(), suppliers or load_suppliers(),
                                products or load_products())
        self.clock_html = widgets.HTML()
        self.clock_html.add_class("queue-clock")
        self.table_html = widgets.HTML()
        self.table_html.add_class("queue-table")
        self.case_picker = widgets.Dropdown(description=t("practice.queue_pick"),
                                            style={"description_width": "initial"},
                                            layout=widgets.Layout(width="auto"))
        self.handle_button = widgets.Button(description=t("practice.queue_handle"),
                                            button_style="primary", layout=widgets.Layout(width="auto"))
        self.hours_picker = widgets.Dropdown(
            options=[(t("practice.queue_hours", hours=h), h) for h in CLOCK_STEPS], value=4,
            description=t("practice.queue_advance_by"), style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"))
        self.advance_button = widgets.Button(description=t("practice.queue_advance"), icon="clock-o",
                                             layout=widgets.Layout(width="auto"))
        self.message_html = widgets.HTML()
        self.message_html.add_class("queue-message")
        self.summary_html = widgets.HTML()
        self.summary_html.add_class("queue-summary")

        self.handle_button.on_click(lambda _b: self.handle())
        self.advance_button.on_click(lambda _b: self.advance())

        self.widget = widgets.VBox([
            practice_style(), _title("practice.queue_title"), self.clock_html, self.table_html,
            widgets.HBox([self.case_picker, self.handle_button]),
            widgets.HBox([self.hours_picker, self.advance_button]),
            self.message_html, self.summary_html,
        ])
        self.widget.add_class("practice")
        self.ok: bool | None = True
        self.message = t("practice.queue_start", count=len(self.drill.queue()))
        self.expired: list[Expired] = []
        self.refresh()

    @property
    def rows(self) -> list[str]:
        """The case ids of the queue, in the order shown."""
        return [c.id for c in self.drill.queue()]

    def handle(self) -> bool:
        """Handle the picked case the recommended way; False (nothing changed) when refused."""
        case_id = self.case_picker.value
        if case_id is None:
            self.ok, self.message = False, t("practice.queue_nothing_picked")
            self.refresh()
            return False
        try:
            done = self.drill.handle(case_id)
        except ActionNotAllowed as error:
            self.ok, self.message = False, t("practice.queue_refused", message=error)
            self.refresh()
            return False
        self.expired = list(done.expired)
        parts = [t("practice.queue_done", case=done.case_id, status=done.status.label,
                   moves="、".join(m.label for m in done.moves))]
        if done.more_urgent:
            urgent = self.drill.desk.cases[done.more_urgent]
            left = _left(self.drill.left(urgent)) if urgent.deadline else "—"
            parts.append(t("practice.queue_more_urgent", case=done.more_urgent, left=left))
        parts += [self._expired_text(e) for e in done.expired]
        self.ok, self.message = True, " ".join(parts)
        self.refresh()
        return True

    def advance(self) -> list[Expired]:
        """Move the clock by the picked hours; the deadlines that passed, as the engine ran them."""
        hours = self.hours_picker.value
        self.expired = self.drill.advance(hours)
        parts = [t("practice.queue_advanced", hours=hours, now=clock(self.drill.now))]
        parts += [self._expired_text(e) for e in self.expired] or [t("practice.queue_quiet")]
        self.ok, self.message = not self.expired, " ".join(parts)
        self.refresh()
        return self.expired

    def _expired_text(self, expired: Expired) -> str:
        limit = self.drill.policy.deadline_for(expired.before)
        return t("practice.queue_expired", case=expired.case_id, limit=limit.label if limit else "",
                 on_timeout=expired.on_timeout, status=expired.after.label,
                 refunded=yuan(expired.refunded_fen),
                 missed=t("practice.queue_missed") if expired.missed else "")

    def refresh(self) -> None:
        """Redraw the clock, the queue, the picker and the figures from the drill's desk."""
        drill = self.drill
        limits = "、".join(t("practice.queue_limit", label=d.label, hours=f"{d.hours:g}")
                          for d in drill.policy.deadlines.values())
        self.clock_html.value = div("", t("practice.queue_clock", now=clock(drill.now))) \
            + div("practice-muted", t("practice.queue_example", limits=limits))
        queue = drill.queue()
        head = "".join(f"<th>{escape(t(key))}</th>" for key in (
            "practice.queue_col_rank", "practice.queue_col_case", "practice.queue_col_product",
            "practice.queue_col_type", "practice.queue_col_status", "practice.queue_col_deadline",
            "practice.queue_col_left"))
        rows = "".join(
            f'<tr class="{"urgent" if drill.urgent(c) else ""}"><td>{n}</td><td>{c.id}</td>'
            f"<td>{escape(drill.product_of(c).name)}</td><td>{escape(c.type.label)}</td>"
            f"<td>{escape(c.status.label)}</td>"
            f"<td>{clock(c.deadline) if c.deadline else '—'}</td>"
            f"<td>{escape(_left(drill.left(c)) if c.deadline else '—')}</td></tr>"
            for n, c in enumerate(queue, start=1))
        self.table_html.value = (f"<table><tr>{head}</tr>{rows}</table>" if queue
                                 else div("", t("practice.queue_empty")))
        self.case_picker.options = [
            (t("practice.queue_pick_option", case=c.id, product=drill.product_of(c).name,
               left=_left(drill.left(c)) if c.deadline else "—"), c.id) for c in queue]
        self.case_picker.value = queue[0].id if queue else None
        self.handle_button.disabled = not queue
        self.message_html.value = _message(self.ok, self.message)
        self.summary_html.value = escape(t("practice.queue_summary", mine=len(drill.handled),
                                           auto=drill.auto_handled, missed=drill.missed))


# ---- 2. the return-address drill ----------------------------------------------------------

class AddressDrillApp(App):
    """Orders to agree a return for, each with a colleague's draft address to check first."""

    def __init__(self, policy: Policy | None = None, suppliers: Mapping[str, Supplier] | None = None,
                 products: Mapping[str, Product] | None = None) -> None:
        self.policy = policy or load_policy()
        self.suppliers = suppliers or load_suppliers()
        self.products = products or load_products()
        self.cases = address_cases(self.suppliers, self.products)
        self.index = 0
        self.problems: list[str] = []
        self.agreement: Agreement | None = None
        self.first_try: dict[str, bool] = {}  # case key → whether its first 「同意」 was accepted

        self.case_html = widgets.HTML()
        self.case_html.add_class("address-case")
        self.fields = {name: widgets.Text(description=t(f"practice.field_{name}"),
                                          layout=widgets.Layout(width="420px"))
                       for name in ADDRESS_FIELDS}
        self.book_picker = widgets.Dropdown(
            options=[(s.name, s.id) for s in self.suppliers.values()],
            description=t("practice.address_book"), style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"))
        self.fill_button = widgets.Button(description=t("practice.address_fill"),
                                          layout=widgets.Layout(width="auto"))
        self.check_button = widgets.Button(description=t("practice.address_check"))
        self.agree_button = widgets.Button(description=t("practice.address_agree"), button_style="primary")
        self.next_button = widgets.Button(description=t("practice.address_next"), icon="arrow-right")
        self.result_html = widgets.HTML()
        self.result_html.add_class("address-result")
        self.score_html = widgets.HTML()
        self.score_html.add_class("address-score")

        self.fill_button.on_click(lambda _b: self.fill_from_book())
        self.check_button.on_click(lambda _b: self.check())
        self.agree_button.on_click(lambda _b: self.agree())
        self.next_button.on_click(lambda _b: self.next_case())

        self.widget = widgets.VBox([
            practice_style(), _title("practice.address_title"), self.case_html,
            widgets.HTML(self._products_table()),
            widgets.HBox([self.book_picker, self.fill_button]),
            *self.fields.values(),
            widgets.HBox([self.check_button, self.agree_button, self.next_button]),
            self.result_html, self.score_html,
        ])
        self.widget.add_class("practice")
        self.ok: bool | None = None
        self.message = ""
        self.load(0)

    @property
    def case(self) -> AddressCase:
        return self.cases[self.index]

    @property
    def address(self) -> Address:
        """The address as the fields show it now."""
        return Address(**{name: box.value for name, box in self.fields.items()})

    def load(self, index: int) -> None:
        """Show order `index` with its colleague's draft in the fields."""
        self.index = index
        self.problems, self.agreement = [], None
        for name, box in self.fields.items():
            box.value = getattr(self.case.draft, name)
        self.ok, self.message = None, t("practice.address_hint")
        self.refresh()

    def fill_from_book(self) -> None:
        supplier = self.suppliers[self.book_picker.value]
        for name, box in self.fields.items():
            box.value = getattr(supplier.address, name)
        self.ok, self.message = True, t("practice.address_filled", supplier=supplier.name)
        self.refresh()

    def check(self) -> list[str]:
        """What `address_problems` finds in the fields, for this order's item (nothing is agreed)."""
        self.problems = address_problems(self.address, self.case.expected)
        self.ok = not self.problems
        self.message = (t("practice.address_problems", count=len(self.problems),
                          problems="；".join(self.problems)) if self.problems
                        else t("practice.address_fine", supplier=self.case.expected.name))
        self.refresh()
        return self.problems

    def agree(self) -> Agreement | None:
        """Agree the return with the fields' address; the engine accepts it or says why not."""
        if self.agreement is not None and self.agreement.ok:
            self.ok, self.message = False, t("practice.address_already")
            self.refresh()
            return self.agreement
        self.agreement = agree_return(self.case, self.address, policy=self.policy,
                                      suppliers=self.suppliers)
        agreement = self.agreement
        self.first_try.setdefault(self.case.key, agreement.ok and agreement.right)
        self.ok = agreement.ok and agreement.right
        if not agreement.ok:
            self.message = t("practice.address_refused", message=agreement.message)
        elif not agreement.right:
            self.message = t("practice.address_agreed_wrong", status=agreement.status.label,
                             warning=agreement.warning)
        else:
            self.message = t("practice.address_agreed", status=agreement.status.label,
                             supplier=self.case.expected.name)
        self.refresh()
        return self.agreement

    def next_case(self) -> None:
        if self.index + 1 < len(self.cases):
            self.load(self.index + 1)
            return
        self.ok = True
        self.message = t("practice.address_finished", total=len(self.cases),
                         right=sum(self.first_try.values()))
        self.refresh()

    def _products_table(self) -> str:
        rows = "".join(f"<tr><td>{escape(p.name)}</td>"
                       f"<td>{escape(self.suppliers[p.supplier_id].name)}</td></tr>"
                       for p in self.products.values())
        head = (f"<tr><th>{escape(t('practice.address_col_product'))}</th>"
                f"<th>{escape(t('practice.address_col_supplier'))}</th></tr>")
        return (f'<details class="address-products"><summary>{escape(t("practice.address_products"))}'
                f"</summary><table>{head}{rows}</table></details>")

    def refresh(self) -> None:
        case = self.case
        self.case_html.value = (
            div("practice-muted", t("practice.address_progress", number=self.index + 1,
                                     total=len(self.cases)))
            + div("", t("practice.address_order", product=case.product.name,
                         price=yuan(case.product.price_fen)))
            + div("practice-muted", t(f"practice.address_story_{case.key}")))
        self.result_html.value = _message(self.ok, self.message)
        self.score_html.value = escape(t("practice.address_score", right=sum(self.first_try.values()),
                                         done=len(self.first_try)))


# ---- 3. the privacy drill -----------------------------------------------------------------

class PrivacyDrillApp(App):
    """Messages to the upstream supplier: delete the buyer's data (masked is not enough: the
    upstream needs none of it); only a clean message is sent.

    No message is loaded until the trainee asks for one, so an executed notebook shows none of
    the drill's (synthetic) personal data.
    """

    def __init__(self, seed: int | None = None) -> None:
        self.messages = privacy_messages() if seed is None else privacy_messages(seed)
        self.index = -1
        self.result: PrivacyCheck | None = None
        self.sent: list[str] = []
        self.sent_keys: set[str] = set()
        self.refused = 0

        self.editor = widgets.Textarea(rows=5, layout=widgets.Layout(width="98%"))
        self.load_button = widgets.Button(description=t("practice.privacy_load"), icon="envelope")
        self.check_button = widgets.Button(description=t("practice.privacy_check"))
        self.delete_button = widgets.Button(description=t("practice.privacy_delete"), icon="eraser")
        self.send_button = widgets.Button(description=t("practice.privacy_send"), button_style="primary",
                                          icon="paper-plane")
        self.result_html = widgets.HTML()
        self.result_html.add_class("privacy-result")
        self.sent_html = widgets.HTML()
        self.sent_html.add_class("privacy-sent")
        self.score_html = widgets.HTML()
        self.score_html.add_class("privacy-score")

        self.load_button.on_click(lambda _b: self.load_next())
        self.check_button.on_click(lambda _b: self.check())
        self.delete_button.on_click(lambda _b: self.delete())
        self.send_button.on_click(lambda _b: self.send())

        self.widget = widgets.VBox([
            practice_style(), _title("practice.privacy_title"), self.load_button, self.editor,
            widgets.HBox([self.check_button, self.delete_button, self.send_button]),
            self.result_html, self.score_html, self.sent_html,
        ])
        self.widget.add_class("practice")
        self.ok: bool | None = None
        self.message = t("practice.privacy_start")
        self.refresh()

    @property
    def message_loaded(self) -> bool:
        return 0 <= self.index < len(self.messages)

    def load_next(self) -> bool:
        if self.index + 1 >= len(self.messages):
            self.ok, self.message = True, t("practice.privacy_no_more")
            self.refresh()
            return False
        self.index += 1
        draft = self.messages[self.index]
        self.editor.value = draft.text
        self.result = None
        self.ok = None
        self.message = t("practice.privacy_loaded", number=self.index + 1, total=len(self.messages),
                         hint=t(f"practice.msg_hint_{draft.key}"))
        self.refresh()
        return True

    def check(self) -> PrivacyCheck | None:
        """What is still personal or missing in the editor's text (shown masked, never raw)."""
        if not self.message_loaded:
            self.ok, self.message = False, t("practice.privacy_no_message")
            self.refresh()
            return None
        self.result = privacy_check(self.messages[self.index], self.editor.value)
        self.ok = self.result.clean
        self.message = t("practice.privacy_clean") if self.result.clean else self._problems(self.result)
        self.refresh()
        return self.result

    def delete(self) -> None:
        """Delete what the upstream does not need: every clause with the buyer's data in it."""
        if not self.message_loaded:
            self.ok, self.message = False, t("practice.privacy_no_message")
        else:
            self.editor.value = delete_personal_data(self.editor.value)
            self.ok, self.message = None, t("practice.privacy_deleted")
        self.refresh()

    def send(self) -> bool:
        """Send the editor's text to the upstream supplier, only when the check passes."""
        if not self.message_loaded:
            self.ok, self.message = False, t("practice.privacy_no_message")
            self.refresh()
            return False
        draft = self.messages[self.index]
        if draft.key in self.sent_keys:
            self.ok, self.message = False, t("practice.privacy_already")
            self.refresh()
            return False
        self.result = privacy_check(draft, self.editor.value)
        if not self.result.clean:
            self.refused += 1
            self.ok, self.message = False, t("practice.privacy_refused",
                                             problems=self._problems(self.result))
            self.refresh()
            return False
        self.sent.append(self.editor.value)
        self.sent_keys.add(draft.key)
        self.ok, self.message = True, t("practice.privacy_sent")
        self.refresh()
        return True

    def _problems(self, result: PrivacyCheck) -> str:
        parts = []
        if result.findings:
            items = "、".join(t("practice.privacy_finding", kind=f.label, masked=f.masked)
                             for f in result.findings)
            parts.append(t("practice.privacy_findings", count=len(result.findings), items=items))
        found_kinds = {f.kind for f in result.findings}
        hidden = [k for k in result.leaks if k not in found_kinds]
        if hidden:
            parts.append(t("practice.privacy_leaks",
                           kinds="、".join(t(f"privacy.kind_{k}") for k in hidden)))
        if result.masked:
            parts.append(t("practice.privacy_masked_left",
                           kinds="、".join(t(f"privacy.kind_{k}") for k in result.masked)))
        if result.missing:
            parts.append(t("practice.privacy_missing", items="、".join(result.missing)))
        return " ".join(parts)

    def refresh(self) -> None:
        self.result_html.value = _message(self.ok, self.message)
        self.score_html.value = escape(t("practice.privacy_score", sent=len(self.sent),
                                         total=len(self.messages), refused=self.refused))
        self.sent_html.value = (
            div("practice-title", t("practice.privacy_sent_title"))
            + "".join(f"<pre>{escape(text)}</pre>" for text in self.sent)) if self.sent else ""
