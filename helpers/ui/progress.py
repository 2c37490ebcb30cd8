"""The progress panel of lesson 00, and a button that resets one lesson's quiz.

    ProgressPanel()                          # every lesson: done?, quiz best / last; the capstone
    ResetQuizButton("02_unshipped_refund")   # one button, for a lesson's quiz

Both read and write through `helpers.course.progress` (the trainee's JSON file); a file that could not
be read is set aside there, and the panel shows the message saying where the old file went.

Browser contract: the panel has the CSS class `progress-panel`, its table `progress-table`, the
capstone line `progress-capstone`, messages `progress-message`; the reset button `progress-reset`.
"""

from __future__ import annotations

import os
from html import escape

import ipywidgets as widgets

from ..course.progress import ENV_TRAINEE, Progress, ProgressError, ProgressStore, typed_name
from ..course.progress import store as default_store
from ..course.workspace import lessons
from ..strings import t
from .base import App, div
from .style import style_widget

CSS = """
.progress-panel {
  font-family: var(--jp-ui-font-family), "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
  color: var(--jp-ui-font-color1);
}
.progress-table table { border-collapse: collapse; }
.progress-table th, .progress-table td {
  border-bottom: 1px solid var(--jp-border-color2);
  padding: 2px 10px;
  text-align: left;
}
.progress-table .done { color: var(--jp-success-color1); }
.progress-capstone { font-weight: bold; margin: 4px 0; }
.progress-message .ok { color: var(--jp-success-color1); }
.progress-message .error { color: var(--jp-error-color1); }
.progress-message .notice {
  color: var(--jp-warn-color1);
  border: 1px solid var(--jp-border-color2);
  padding: 4px 8px;
}
.progress-muted { color: var(--jp-ui-font-color2); font-size: 0.9em; }
"""



class ResetQuizButton(App):
    """"重置这一课的小测验成绩" for one lesson; `message` says what happened."""

    def __init__(self, lesson: str, store: ProgressStore | None = None) -> None:
        self.lesson = lesson
        self.store = store
        self.ok: bool | None = None
        self.message = ""
        self.button = widgets.Button(description=t("progress.reset_quiz"), icon="undo")
        self.button.add_class("progress-reset")
        self.button.on_click(lambda _button: self.reset())
        self.message_html = widgets.HTML()
        self.message_html.add_class("progress-message")
        self.widget = widgets.VBox([style_widget(), widgets.HTML(f"<style>{CSS}</style>"),
                                    self.button, self.message_html])

    def reset(self) -> bool:
        store = self.store or default_store()
        try:
            found = store.reset_quiz(self.lesson)
        except ProgressError as error:
            self.ok, self.message = False, str(error)
        else:
            self.ok = True
            self.message = t("progress.reset_done" if found else "progress.reset_nothing",
                             lesson=self.lesson)
        notes = [div("notice", notice) for notice in store.notices]
        self.message_html.value = "".join(notes) + div("ok" if self.ok else "error", self.message)
        return bool(self.ok)


class ProgressPanel(App):
    """The trainee's progress: a row per lesson, the capstone, and a quiz reset."""

    def __init__(self, store: ProgressStore | None = None) -> None:
        self.given_store = store
        self.store = store or default_store()
        self.lessons = lessons()
        self.progress: Progress | None = None
        self.message = ""
        self.header_html = widgets.HTML()
        self.table_html = widgets.HTML()
        self.table_html.add_class("progress-table")
        self.capstone_html = widgets.HTML()
        self.capstone_html.add_class("progress-capstone")
        self.message_html = widgets.HTML()
        self.message_html.add_class("progress-message")
        self.refresh_button = widgets.Button(description=t("progress.refresh"), icon="refresh")
        self.lesson_picker = widgets.Dropdown(
            options=[(t("progress.reset_pick"), "")]
            + [(lesson.title, lesson.stem) for lesson in self.lessons],
            value="", layout=widgets.Layout(width="auto"))
        # As wide as its words: a fixed-width button cut 「重置这一课的小…」 off.
        self.reset_button = widgets.Button(description=t("progress.reset_quiz"), icon="undo",
                                           layout=widgets.Layout(width="auto"))
        self.reset_button.add_class("progress-reset")
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.reset_button.on_click(lambda _button: self.reset())
        self.widget = widgets.VBox([
            style_widget(), widgets.HTML(f"<style>{CSS}</style>"),
            widgets.HTML(f"<h4>{escape(t('progress.title'))}</h4>"), self.header_html,
            self.table_html, self.capstone_html,
            widgets.HBox([self.refresh_button, self.lesson_picker, self.reset_button]),
            self.message_html,
        ])
        self.widget.add_class("progress-panel")
        self.refresh()

    def refresh(self) -> None:
        """Read the file again and redraw (a notice is shown once, when a file was set aside).
        Without a store given, the trainee is looked up again: a name typed meanwhile counts."""
        if self.given_store is None and self.store.trainee != default_store().trainee:
            self.store = default_store()
        try:
            self.progress = self.store.load()
        except ProgressError as error:
            self.progress = None
            self._show([("error", str(error))])
            return
        self._draw()
        self._show([("notice", notice) for notice in self.progress.notices])

    def reset(self) -> bool:
        lesson = self.lesson_picker.value
        if not lesson:
            self._show([("error", t("progress.reset_first"))])
            return False
        title = next((x.title for x in self.lessons if x.stem == lesson), lesson)
        try:
            found = self.store.reset_quiz(lesson)
        except ProgressError as error:
            self._show([("error", str(error))])
            return False
        self.progress = self.store.load()
        self._draw()
        self._show([("ok", t("progress.reset_done" if found else "progress.reset_nothing", lesson=title))])
        return True

    def _show(self, parts: list[tuple[str, str]]) -> None:
        """Show (css class, text) lines; `message` keeps the plain text."""
        self.message = " ".join(text for _css, text in parts)
        self.message_html.value = "".join(div(css, text) for css, text in parts)

    def _draw(self) -> None:
        progress = self.progress
        unnamed = (self.given_store is None and not os.environ.get(ENV_TRAINEE, "").strip()
                   and not typed_name())
        self.header_html.value = div("progress-muted", t("progress.trainee_unnamed" if unnamed else
                                                         "progress.trainee", trainee=progress.trainee)) \
            + div("progress-muted", t("progress.file", file=self.store.path))
        head = "".join(f"<th>{escape(t(k))}</th>" for k in (
            "progress.col_lesson", "progress.col_done", "progress.col_quiz"))
        rows = []
        for lesson in self.lessons:
            done = lesson.stem in progress.lessons_done
            quiz = progress.quizzes.get(lesson.stem)
            quiz_text = t("progress.quiz_score", best=quiz.best, last=quiz.last, total=quiz.total) \
                if quiz else t("progress.quiz_none")
            rows.append(
                f"<tr><td>{escape(lesson.title)}</td>"
                f'<td class="{"done" if done else ""}">'
                f"{escape(t('progress.done_yes' if done else 'progress.done_no'))}</td>"
                f"<td>{escape(quiz_text)}</td></tr>")
        self.table_html.value = f"<table><tr>{head}</tr>{''.join(rows)}</table>"
        capstone = progress.capstone
        if capstone is None:
            self.capstone_html.value = escape(t("progress.capstone_none"))
        else:
            self.capstone_html.value = escape(t(
                "progress.capstone_result", score=capstone.score, total=capstone.total,
                percent=capstone.percent, at=capstone.at[:16].replace("T", " "),
                verdict=t("progress.passed" if capstone.passed else "progress.failed")))
