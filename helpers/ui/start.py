"""Lesson 00's widgets: the name prompt, the table of example deadlines, and the first case.

    NameApp()          # 「你叫什么名字？」: a text box and a button; saved for every later lesson
    DeadlinesTable()   # the deadlines of the shop's rules file, as a small table
    FirstCase()        # the state explorer on a 未发货仅退款, compact enough for one screen

Browser contract: the name prompt has the CSS class `trainee-name`, its box `trainee-name-box`,
its buttons `trainee-name-use` and `trainee-name-same`, its message `trainee-name-message`;
the first case `first-case` (inside it the explorer's own classes).
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ..course import trainee
from ..course.progress import ProgressError, current_trainee, typed_name
from ..engine.codes import AfterSaleType, MerchantAction
from ..engine.policy import load_policy
from ..strings import t
from .base import App, div
from .diagram import ExplorerApp
from .style import style_widget

CSS = """
.trainee-name, .deadlines-table {
  font-family: var(--jp-ui-font-family), "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
  color: var(--jp-ui-font-color1);
}
.trainee-name .question { font-size: 1.15em; font-weight: bold; }
.trainee-name-message .ok { color: var(--jp-success-color1); }
.trainee-name-message .error { color: var(--jp-error-color1); }
.trainee-name-message .notice { color: var(--jp-warn-color1); }
.trainee-name-message div { padding: 2px 0; max-width: 46em; }
.deadlines-table table { border-collapse: collapse; }
.deadlines-table th, .deadlines-table td {
  border-bottom: 1px solid var(--jp-border-color2); padding: 2px 12px; text-align: left;
}
.deadlines-table .muted { color: var(--jp-ui-font-color2); font-size: 0.9em; }
"""


class NameApp(App):
    """「你叫什么名字？」: type it once; every lesson, quiz, capstone and certificate uses it."""

    def __init__(self) -> None:
        self.name = current_trainee()
        self.ok: bool | None = None
        self.message = ""
        self.box = widgets.Text(value=typed_name() or trainee.set_by_trainer(),
                                placeholder=t("trainee.placeholder"),
                                layout=widgets.Layout(width="16em"))
        self.box.add_class("trainee-name-box")
        self.use_button = widgets.Button(description=t("trainee.use"), button_style="primary",
                                         layout=widgets.Layout(width="auto"))
        self.use_button.add_class("trainee-name-use")
        self.same_button = widgets.Button(description=t("trainee.same_person"),
                                          layout=widgets.Layout(width="auto", display="none"))
        self.same_button.add_class("trainee-name-same")
        self.message_html = widgets.HTML()
        self.message_html.add_class("trainee-name-message")
        self.use_button.on_click(lambda _button: self.use())
        self.same_button.on_click(lambda _button: self.use(same_person=True))
        if trainee.set_by_trainer():
            self.box.disabled = self.use_button.disabled = True
        self.widget = widgets.VBox([
            style_widget(), widgets.HTML(f"<style>{CSS}</style>"),
            widgets.HTML(div("question", t("trainee.question"))),
            widgets.HBox([self.box, self.use_button, self.same_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.message_html,
        ])
        self.widget.add_class("trainee-name")
        self._show("", t("trainee.set_by_trainer", name=self.name) if trainee.set_by_trainer() else
                   t("trainee.now", name=self.name) if typed_name() else
                   t("trainee.none_yet", name=self.name))

    def use(self, same_person: bool = False) -> bool:
        """Save the typed name (see `trainee.choose_name`); False when it was not saved."""
        try:
            choice = trainee.choose_name(self.box.value, same_person=same_person)
        except ProgressError as error:
            self.ok = False
            self._show("error", str(error))
            return False
        self.name, self.ok = choice.name, choice.saved
        self.same_button.layout.display = "" if choice.clash else "none"
        self._show("ok" if choice.saved else "notice" if choice.clash else "error", choice.message)
        return choice.saved

    def _show(self, css: str, text: str) -> None:
        self.message = text
        self.message_html.value = div(css, text)


class DeadlinesTable(App):
    """The example deadlines of the shop's rules file, and the notice that they are examples."""

    def __init__(self) -> None:
        policy = load_policy()
        rows = "".join(f"<tr><td>{escape(d.label)}</td>"
                       f"<td>{escape(t('start.hours', hours=f'{d.hours:g}'))}</td></tr>"
                       for d in policy.deadlines.values())
        head = f"<tr><th>{escape(t('start.col_step'))}</th><th>{escape(t('start.col_limit'))}</th></tr>"
        self.widget = widgets.HTML(
            f"<style>{CSS}</style><div class=\"deadlines-table\"><table>{head}{rows}</table>"
            f"{div('muted', policy.notice)}</div>")


class FirstCase(App):
    """Lesson 00's first case on one screen: the order, its status, the merchant's buttons and
    the message; the other actors' buttons, the diagram and the event log folded away below (one
    click opens them). The buttons are the explorer's own, so they turn blue and grey with it."""

    def __init__(self) -> None:
        self.explorer = ExplorerApp(AfterSaleType.UNSHIPPED_REFUND, strategies=[])
        e = self.explorer
        merchant = [b for move, b in e.buttons.items() if isinstance(move, MerchantAction)]
        others = [b for move, b in e.buttons.items() if not isinstance(move, MerchantAction)]
        row = widgets.Layout(flex_flow="row wrap")
        more = widgets.Accordion(
            children=[widgets.VBox([widgets.HBox(others, layout=row), e.diagram_html, e.log_html])],
            titles=(t("start.more"),), selected_index=None)
        self.widget = widgets.VBox([style_widget(), e.order_html, e.state_html,
                                    widgets.HBox(merchant, layout=row), e.message_html, more])
        self.widget.add_class("explorer")
        self.widget.add_class("first-case")

    def button(self, label: str) -> widgets.Button:
        return self.explorer.button(label)
