"""What every widget app shares: it shows itself, and (for a case) finds its move buttons.

An app keeps its state on the object and its widgets in `self.widget`; the last line of a
notebook cell that names the app displays it.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

import ipywidgets as widgets

from ..engine.machine import Case, Desk, Move
from ..strings import t


def div(css_class: str, text: str) -> str:
    """A `<div>` of escaped text with a CSS class a browser test can read."""
    return f'<div class="{css_class}">{escape(text)}</div>'


def clock(at: datetime) -> str:
    return at.strftime("%m-%d %H:%M")


class App:
    """A widget app: `self.widget` is what the notebook shows."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs: object) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)


class CaseApp(App):
    """An app around one after-sale case on a desk, with a button per move."""

    desk: Desk
    case_id: str
    buttons: dict[Move, widgets.Button]

    @property
    def case(self) -> Case:
        return self.desk.cases[self.case_id]

    def button(self, label: str) -> widgets.Button:
        """The button of the move named `label`: its platform name (同意退货申请) or shown label."""
        for move, button in self.buttons.items():
            if label in (move.zh, move.label):
                return button
        raise KeyError(label)


class CoachBox:
    """The coach's warning before a risky click, with 「仍然执行」 and 「先不做」.

    `ask(warnings, go)` shows the warnings and keeps `go` until the trainee decides; with no
    warnings it runs `go` at once. Browser contract: the box has the CSS class `coach-warning`,
    its buttons `coach-go-ahead` and `coach-think-again`.
    """

    def __init__(self) -> None:
        self.html = widgets.HTML()
        self.go_ahead_button = widgets.Button(description=t("coach.go_ahead"), button_style="danger",
                                              layout=widgets.Layout(width="auto"))
        self.go_ahead_button.add_class("coach-go-ahead")
        self.think_again_button = widgets.Button(description=t("coach.think_again"),
                                                 layout=widgets.Layout(width="auto"))
        self.think_again_button.add_class("coach-think-again")
        self.buttons = widgets.HBox([self.go_ahead_button, self.think_again_button])
        self.widget = widgets.VBox([self.html, self.buttons])
        self.widget.add_class("coach-warning")
        self.warnings: list = []
        self.pending = None
        self.ignored = False  # the last action went ahead despite a warning
        self.go_ahead_button.on_click(lambda _button: self.go_ahead())
        self.think_again_button.on_click(lambda _button: self.clear())
        self.clear()

    def ask(self, warnings: list, go) -> object:
        """Warn first when there is something to say; otherwise do it now."""
        self.ignored = False
        if not warnings:
            self.clear()
            return go()
        self.warnings, self.pending = list(warnings), go
        self.html.value = (f'<div class="coach-title">{escape(t("coach.title"))}</div>'
                           + "".join(div("coach-text", w.text) for w in warnings))
        self.buttons.layout.display = "flex"
        self.widget.layout.display = "flex"
        return None

    def go_ahead(self) -> object:
        go = self.pending
        if go is None:
            return None
        self.clear()
        self.ignored = True
        return go()

    def clear(self) -> None:
        self.warnings, self.pending = [], None
        self.html.value = ""
        self.buttons.layout.display = "none"
        self.widget.layout.display = "none"


def done_line(area: str, move: object, before: object, after: object) -> str:
    """「已执行「X」：A → B」, or 「已执行「X」：售后单仍是「A」」 when the status did not change."""
    label = getattr(move, "label", str(move))
    if before == after:
        return t(f"{area}.done_same", move=label, status=getattr(after, "label", after))
    return t(f"{area}.done", move=label, before=getattr(before, "label", before),
             after=getattr(after, "label", after))
