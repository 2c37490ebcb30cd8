"""What every widget app shares: it shows itself, and (for a case) finds its move buttons.

An app keeps its state on the object and its widgets in `self.widget`; the last line of a
notebook cell that names the app displays it.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

import ipywidgets as widgets

from ..engine.machine import Case, Desk, Move


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
