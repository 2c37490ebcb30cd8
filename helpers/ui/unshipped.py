"""The two apps of lesson 02 (未发货仅退款): the shop's days, and the race case.

`ShopDayApp` runs the seeded days (`helpers.lessons.unshipped.run_days`) with the strategy switched as
the trainee sets it and keeps every run, so runs of the same orders stand side by side.
`RaceApp` is one order whose parcel goes to the courier a minute after the refund request; the
engine decides what each click does. Both keep their state on the app, so a test drives them
without a browser:

    days = ShopDayApp(auto_on=False)
    days.run_button.click(); days.strategy.value = True; days.run_button.click()
    days.runs[-1].report.merchant_clicks < days.runs[-2].report.merchant_clicks   # True

    race = RaceApp()
    race.button("同意售前退申请").click()      # the coach warns first: the parcel is out
    race.coach_box.go_ahead_button.click()     # the trainee goes ahead: it goes through
    race.verdict.key                           # "goods_out": 钱货两失 (race.ledger_html shows it)

Browser contract: the days' summary has the CSS class `day-summary`, their table `day-table`;
the race's state `race-state`, its message `race-message`, its action buttons `race-action`
(description = the move's label), its log `race-log`, the money and goods `race-ledger`; the
coach's warning `coach-warning` (buttons `coach-go-ahead`, `coach-think-again`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape

import ipywidgets as widgets

from ..engine.codes import MerchantAction, Stage, Status
from ..engine.machine import ActionNotAllowed, Desk, Event, Move
from ..engine.model import load_products, yuan
from ..engine.policy import Policy, load_policy
from ..engine.scenarios import possible_moves, step, trail
from ..engine.simulate import Staff
from ..lessons.coach import before, consequence_lines
from ..lessons.unshipped import (
    RACE_GAP,
    RACE_MOVES,
    RUNS_KEPT,
    STRATEGY,
    DayRun,
    DaySettings,
    Verdict,
    difference_text,
    latest_difference,
    race_verdict,
    run_days,
    run_detail,
    start_race,
    summary,
    table,
)
from ..strings import t
from .base import App, CaseApp, CoachBox, div
from .style import style_widget

CSS = """
.unshipped { font-family: var(--jp-ui-font-family), "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
  color: var(--jp-ui-font-color1); }
.unshipped-title { font-weight: bold; margin: 4px 0; }
.unshipped-muted { color: var(--jp-ui-font-color2); font-size: 0.9em; }
.day-summary div, .race-state > div, .race-message div { padding: 4px 8px; margin: 2px 0; }
.day-summary, .race-state { border-left: 4px solid var(--jp-brand-color1);
  background: var(--jp-layout-color2); }
.day-table table { border-collapse: collapse; font-size: 0.9em; }
.day-table th, .day-table td, .race-log th, .race-log td {
  border-bottom: 1px solid var(--jp-border-color2); padding: 2px 10px; text-align: left; }
.day-table td.latest, .day-table th.latest { background: var(--jp-layout-color2); font-weight: bold; }
.race-log table { border-collapse: collapse; font-size: 0.9em; }
.unshipped .ok { color: var(--jp-success-color1); }
.unshipped .error { color: var(--jp-error-color1); }
.race-message div { border: 1px solid var(--jp-border-color2); background: var(--jp-layout-color1); }
"""

LABEL_STYLE = {"description_width": "initial"}
SLIDER_WIDTH = "460px"  # a long Chinese label still leaves the slider its track



def _clock(at: datetime) -> str:
    return at.strftime("%H:%M")


def _style() -> widgets.HTML:
    return widgets.HTML(f"<style>{CSS}</style>")


class ShopDayApp(App):
    """Switch 未发货仅退款 and the staff's capacity, run the days, compare the runs."""

    def __init__(self, *, auto_on: bool | None = None, seed: int = 7, days: int = 1,
                 staff: Staff | None = None, policy: Policy | None = None) -> None:
        self.policy = policy or load_policy()
        staff = staff or Staff()
        self.runs: list[DayRun] = []
        self.summary_lines: list[str] = []  # what the summary says, as plain text

        self.strategy = widgets.ToggleButtons(
            options=[(t("unshipped.on"), True), (t("unshipped.off"), False)],
            value=self.policy.is_on(STRATEGY) if auto_on is None else auto_on,
            description=t("unshipped.strategy"),
            style={"description_width": "initial", "button_width": "64px"})
        self.every_hours = widgets.IntSlider(value=staff.every_hours, min=1, max=8,
                                             description=t("unshipped.every_hours"), style=LABEL_STYLE,
                                             layout=widgets.Layout(width=SLIDER_WIDTH))
        self.cases_per_look = widgets.IntSlider(value=staff.cases_per_look, min=2, max=40,
                                                description=t("unshipped.cases_per_look"),
                                                style=LABEL_STYLE, layout=widgets.Layout(width=SLIDER_WIDTH))
        self.days = widgets.Dropdown(options=[(t("unshipped.days_option", days=n), n) for n in (1, 2, 3)],
                                     value=days, description=t("unshipped.days"), style=LABEL_STYLE,
                                     layout=widgets.Layout(width="200px"))
        self.seed = widgets.BoundedIntText(value=seed, min=0, max=9999, description=t("unshipped.seed"),
                                           style=LABEL_STYLE, layout=widgets.Layout(width="420px"))
        self.run_button = widgets.Button(description=t("unshipped.run"), button_style="primary",
                                         icon="play")
        self.run_both_button = widgets.Button(description=t("unshipped.run_both"), icon="columns",
                                              layout=widgets.Layout(width="auto"))
        self.clear_button = widgets.Button(description=t("unshipped.clear"), icon="trash")
        self.summary_html = widgets.HTML()
        self.summary_html.add_class("day-summary")
        self.table_html = widgets.HTML()
        self.table_html.add_class("day-table")

        self.run_button.on_click(lambda _button: self.run())
        self.run_both_button.on_click(lambda _button: self.run_both())
        self.clear_button.on_click(lambda _button: self.clear())

        deadline = self.policy.deadline_for(Status.AWAIT_MERCHANT)
        note = t("unshipped.rules_note", hours=f"{deadline.hours:g}") if deadline else ""
        self.widget = widgets.VBox([
            style_widget(), _style(),
            widgets.HTML(div("unshipped-title", t("unshipped.day_title"))),
            self.strategy,
            widgets.HBox([self.every_hours, self.cases_per_look],
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.days, self.seed], layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.run_button, self.run_both_button, self.clear_button]),
            widgets.HTML(div("unshipped-muted", note)),
            self.summary_html,
            self.table_html,
        ])
        self.widget.add_class("unshipped")
        self.refresh()

    @property
    def settings(self) -> DaySettings:
        """The days as the widgets set them now."""
        staff = Staff(every_hours=self.every_hours.value, cases_per_look=self.cases_per_look.value)
        return DaySettings(auto_on=self.strategy.value, seed=self.seed.value, days=self.days.value,
                           staff=staff)

    def run(self) -> DayRun:
        """Run the days with the current settings and add them as a new column."""
        run = run_days(self.settings, self.policy)
        self.runs.append(run)
        self.refresh()
        return run

    def run_both(self) -> None:
        """The same orders and staff once with the strategy off, once on."""
        settings = self.settings
        for auto_on in (False, True):
            self.runs.append(run_days(DaySettings(auto_on, settings.seed, settings.days, settings.staff),
                                      self.policy))
        self.refresh()

    def clear(self) -> None:
        self.runs.clear()
        self.refresh()

    def refresh(self) -> None:
        """Redraw the summary and the table from `runs` (the only source of what is shown)."""
        if not self.runs:
            self.summary_lines = [t("unshipped.empty")]
            self.summary_html.value = div("", self.summary_lines[0])
            self.table_html.value = ""
            return
        number = len(self.runs)
        found = latest_difference(self.runs)
        compared = t("unshipped.not_comparable") if found is None \
            else difference_text(found[1], found[0] + 1)
        self.summary_lines = [summary(self.runs[-1], number), compared]
        self.summary_html.value = div("", self.summary_lines[0]) \
            + div("unshipped-muted" if found is None else "ok", compared)

        shown = self.runs[-RUNS_KEPT:]
        first = number - len(shown) + 1
        rows = table(shown, first_number=first)
        last = len(rows[0]) - 1

        def cells(row: list[str], tag: str) -> str:
            return "".join(f'<{tag}{" class=latest" if i == last else ""}>{escape(v)}</{tag}>'
                           for i, v in enumerate(row))

        details = [""] + [run_detail(run) for run in shown]
        html = [f"<tr>{cells(rows[0], 'th')}</tr>",
                f'<tr class="unshipped-muted">{cells(details, "td")}</tr>']
        html += [f"<tr>{cells(row, 'td')}</tr>" for row in rows[1:]]
        self.table_html.value = f"<table>{''.join(html)}</table>"


class RaceApp(CaseApp):
    """One order: the refund request arrives as the parcel is handed to the courier."""

    def __init__(self, *, auto_on: bool = False, policy: Policy | None = None) -> None:
        self.policy = policy or load_policy()
        self.auto_box = widgets.Checkbox(value=auto_on, description=t("unshipped.race_auto"),
                                         indent=False)
        self.restart_button = widgets.Button(description=t("unshipped.race_restart"), icon="refresh")
        self.story_html = widgets.HTML()
        self.order_html = widgets.HTML()
        self.state_html = widgets.HTML()
        self.state_html.add_class("race-state")
        self.message_html = widgets.HTML()
        self.message_html.add_class("race-message")
        self.log_html = widgets.HTML()
        self.log_html.add_class("race-log")
        self.ledger_html = widgets.HTML()
        self.ledger_html.add_class("race-ledger")
        self.coach_box = CoachBox()
        self.buttons: dict[Move, widgets.Button] = {}
        rows = []
        for group, moves in RACE_MOVES.items():
            for move in moves:
                button = widgets.Button(description=move.label, layout=widgets.Layout(width="auto"))
                button.add_class("race-action")
                button.on_click(lambda _button, move=move: self.act(move))
                self.buttons[move] = button
            rows.append(widgets.HTML(div("unshipped-muted", t(group))))
            rows.append(widgets.HBox([self.buttons[m] for m in moves],
                                     layout=widgets.Layout(flex_flow="row wrap")))

        self.auto_box.observe(lambda _change: self.restart(), names="value")
        self.restart_button.on_click(lambda _button: self.restart())

        self.widget = widgets.VBox([
            style_widget(), _style(),
            widgets.HTML(div("unshipped-title", t("unshipped.race_title"))),
            widgets.HBox([self.auto_box, self.restart_button]),
            self.story_html, self.order_html, self.state_html,
            *rows,
            self.coach_box.widget,
            self.message_html,
            self.ledger_html,
            widgets.HTML(div("unshipped-muted", t("unshipped.log"))),
            self.log_html,
        ])
        self.widget.add_class("unshipped")

        self.desk: Desk
        self.case_id = ""
        self.handover_refusal = ""
        self.ok: bool | None = None
        self.message = ""
        self.restart()

    # -- reading

    @property
    def verdict(self) -> Verdict:
        return race_verdict(self.desk, self.case_id)

    # -- acting

    def restart(self) -> None:
        """A fresh race, with the strategy as the checkbox says."""
        if hasattr(self, "coach_box"):
            self.coach_box.clear()
        race = start_race(self.auto_box.value, self.policy)
        self.desk, self.case_id, self.handover_refusal = race.desk, race.case_id, race.handover_refusal
        self.ok = True
        self.message = t("unshipped.race_started")
        self.refresh()

    def act(self, move: Move) -> bool | None:
        """Make `move`, after the coach's warning if it has one (None: waiting for the trainee).

        False (and the engine's message, nothing changed) when the engine refuses it.
        """
        warnings = before(self.desk, self.case_id, move)
        result = self.coach_box.ask(warnings, lambda: self._do(move))
        if result is None:  # the coach is asking: the last message no longer applies
            self.ok, self.message = None, ""
            self.refresh()
        return result

    def _do(self, move: Move) -> bool:
        try:
            recorded = step(self.desk, self.case_id, move)
        except ActionNotAllowed as error:
            self.ok = False
            self.message = t("unshipped.race_refused", message=error)
        else:
            self.ok = True
            done = "unshipped.race_done" if isinstance(move, MerchantAction) else "unshipped.race_happened"
            went_ahead = [t("coach.went_ahead")] if self.coach_box.ignored else []
            self.message = " ".join([*went_ahead, t(done, move=move.label),
                                     *self._assistant_notes(recorded)])
        self.refresh()
        return bool(self.ok)

    def _assistant_notes(self, events: Iterable[Event]) -> list[str]:
        return [t("unshipped.race_assistant", move=e.move.label, kind=e.auto.label)
                for e in events if e.auto is not None]

    # -- showing

    def refresh(self) -> None:
        """Redraw everything from the desk."""
        case = self.case
        state = self.desk.orders[case.order_id]
        order = state.order
        request_at, handover_at = _clock(case.opened_at), _clock(case.opened_at + RACE_GAP)
        if self.auto_box.value:
            story = t("unshipped.race_story_on", request=request_at, handover=handover_at,
                      kind=case.auto.label if case.auto else "")
        else:
            story = t("unshipped.race_story_off", request=request_at, handover=handover_at)
        self.story_html.value = div("", story)
        product = load_products()[order.product_id]
        self.order_html.value = div("unshipped-muted", t(
            "unshipped.race_order", order=order.id, product=product.name, paid=yuan(order.paid_fen),
            buyer=order.buyer, phone=order.buyer_phone))

        if state.parcel is not None:
            parcel = state.parcel.label
        elif state.stage is Stage.UNSHIPPED:
            parcel = t("unshipped.race_parcel_home")
        else:
            parcel = t("unshipped.race_no_parcel")
        verdict = self.verdict
        css = {True: "ok", False: "error", None: ""}[verdict.good]
        self.state_html.value = "".join([
            div("", t("unshipped.race_stage", stage=state.stage.label, parcel=parcel,
                       intercept=t("unshipped.race_yes") if state.intercept_requested
                       else t("unshipped.race_no"))),
            div("", t("unshipped.race_case", case=case.id, type=case.type.label,
                       status=case.status.label, refunded=yuan(case.refunded_fen))),
            div(css, verdict.text),
        ])
        # Done despite the coach's warning: it went through, but it is shown as a mistake.
        css = "ok" if self.ok and not self.coach_box.ignored else "error"
        self.message_html.value = div(css, self.message)
        # Blue is what can be done now, as lesson 00 teaches (the engine says which).
        possible = set(possible_moves(self.desk, self.case_id))
        for move, button in self.buttons.items():
            button.button_style = "primary" if move in possible else ""
        self.ledger_html.value = div("unshipped-title", t("coach.ledger_title")) + "".join(
            div("", line) for line in consequence_lines(self.desk, case.order_id))

        rows = "".join(
            f"<tr><td>{_clock(m.event.at)}</td><td>{escape(m.event.actor.label)}</td>"
            f"<td>{escape(m.event.move.label)}</td><td>{escape(m.status.label)}</td></tr>"
            for m in trail(self.desk, self.case_id))
        head = "".join(f"<th>{escape(t(k))}</th>" for k in (
            "unshipped.log_time", "unshipped.log_actor", "unshipped.log_move", "unshipped.log_status"))
        self.log_html.value = f"<table><tr>{head}</tr>{rows}</table>"
