"""Lesson 09's workbench: pick a case, pick how to handle it, read what the engine plays out.

The app only wires widgets to `helpers.lessons.everyday`; its state lives on the app
(`story`, `result`), so a test drives it without a browser:

    app = EverydayApp()
    app.story_picker.value = "missing"
    app.answer_picker.value = "propose"
    app.go_button.click()
    app.result.case.part_type          # PartType.PART

Browser contract: the story text has the CSS class `everyday-scene`, the answers are a radio
group, the button has `everyday-go`, and the result area `everyday-result` (one `everyday-line`
per fact, the verdict in `everyday-verdict`).
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ..engine.policy import Policy, load_policy
from ..lessons.everyday import Result, Story, play, stories
from ..strings import t
from .base import App, div


class EverydayApp(App):
    """Six everyday cases, answered on a fresh desk each time."""

    def __init__(self, story: str = "broken", *, policy: Policy | None = None) -> None:
        # The shop's rules are read now, so a bad edit of them shows here as one line.
        self.policy = policy or load_policy()
        self.stories = stories()
        self.result: Result | None = None
        wide = {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="auto")}
        self.story_picker = widgets.Dropdown(
            options=[(s.title, s.key) for s in self.stories.values()], value=story,
            description=t("everyday.pick_story"), **wide)
        self.scene_html = widgets.HTML()
        self.answer_picker = widgets.RadioButtons(description="", layout=widgets.Layout(width="auto"))
        self.go_button = widgets.Button(description=t("everyday.go"), button_style="primary",
                                        layout=widgets.Layout(width="auto"))
        self.go_button.add_class("everyday-go")
        self.result_html = widgets.HTML()
        self.result_html.add_class("everyday-result")
        self.story_picker.observe(lambda _change: self._show_story(), names="value")
        self.go_button.on_click(lambda _button: self.handle())
        self.widget = widgets.VBox([
            widgets.HTML(f"<b>{escape(t('everyday.title'))}</b>"),
            self.story_picker, self.scene_html,
            widgets.HTML(escape(t("everyday.pick_answer"))), self.answer_picker,
            self.go_button, self.result_html,
        ])
        self._show_story()

    @property
    def story(self) -> Story:
        return self.stories[self.story_picker.value]

    def _show_story(self) -> None:
        story = self.story
        self.scene_html.value = div("everyday-scene", story.scene.replace("\\*", "*"))
        self.answer_picker.options = [(a.label, a.id) for a in story.answers]
        self.answer_picker.value = None
        self.result = None
        self.result_html.value = div("everyday-hint", t("everyday.hint"))

    def handle(self) -> Result | None:
        """Play the picked answer on a fresh desk and show what it led to."""
        if self.answer_picker.value is None:
            self.result_html.value = div("everyday-hint", t("everyday.hint"))
            return None
        answer = self.story.answer(self.answer_picker.value)
        self.result = play(self.story, answer, self.policy)
        verdict = t("everyday.right") if answer.right else t("everyday.wrong")
        self.result_html.value = (
            f"<b>{escape(t('everyday.result_title'))}</b>"
            + "".join(div("everyday-line", line) for line in self.result.lines())
            + div("everyday-verdict", f"{verdict}{answer.why}"))
        return self.result
