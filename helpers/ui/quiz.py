"""The quiz widget that closes every lesson: radio choices, a check button, the reason at once.

    app = QuizApp("01_aftersales_basics")      # data/quiz/01_aftersales_basics.toml
    app.radios["return-agreed-status"].value = "b"
    app.check_buttons["return-agreed-status"].click()
    app.feedback["return-agreed-status"].correct    # True
    app.score                                       # Score(lesson=..., right=1, total=8, answered=1)

The choices are shuffled per trainee and question, in the same order on every run for that
trainee; a radio's value is the choice id, so grading and progress never depend on the order.
A question counts by the first answer checked; later tries still get feedback, so a trainee
learns from a wrong pick without the score being gamed. When every question has an answer the
score goes into the trainee's progress file (lesson done, best and last score); the reset
button clears the quiz here and in that file. Browser contract: the container has
the CSS class `quiz`, each feedback area the class `quiz-feedback`.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TypeVar

import ipywidgets as widgets

from ..course.progress import Progress, ProgressError, ProgressStore, current_trainee
from ..course.progress import store as default_store
from ..course.quiz import Bank, Feedback, Score, grade, load_bank, score, shuffled
from ..strings import t
from .base import App
from .style import style_widget

T = TypeVar("T")


class QuizApp(App):
    """One lesson's quiz; its answers and score live on the app."""

    def __init__(self, bank: Bank | str, *, store: ProgressStore | None = None,
                 record: bool = True, trainee: str | None = None) -> None:
        self.bank = load_bank(bank) if isinstance(bank, str) else bank
        self.store = store or (default_store() if record else None)
        # Whose order of choices: the trainee recording progress, so a re-run shows the same order.
        self.trainee = trainee or (self.store.trainee if self.store is not None else current_trainee())
        self.recorded = False
        self.radios: dict[str, widgets.RadioButtons] = {}
        self.check_buttons: dict[str, widgets.Button] = {}
        self.feedback_html: dict[str, widgets.HTML] = {}
        self.first_answers: dict[str, str] = {}
        self.feedback: dict[str, Feedback] = {}

        blocks = [style_widget()]
        if self.bank.title:
            blocks.append(widgets.HTML(f"<h4>{escape(self.bank.title)}</h4>"))
        for number, question in enumerate(self.bank.questions, start=1):
            radio = widgets.RadioButtons(options=[(c.text, c.id) for c in
                                                  shuffled(question, self.trainee, self.bank.lesson)],
                                         value=None, layout=widgets.Layout(width="auto"))
            button = widgets.Button(description=t("quiz.check"), button_style="primary")
            button.on_click(lambda _button, qid=question.id: self.check(qid))
            feedback = widgets.HTML()
            feedback.add_class("quiz-feedback")
            self.radios[question.id] = radio
            self.check_buttons[question.id] = button
            self.feedback_html[question.id] = feedback
            prompt = widgets.HTML(
                f"<b>{escape(t('quiz.question_number', number=number))}</b> "
                f"{escape(question.prompt)}")
            block = widgets.VBox([prompt, radio, button, feedback])
            block.add_class("quiz-question")
            blocks.append(block)
        self.score_html = widgets.HTML()
        self.score_html.add_class("quiz-score")
        self.reset_button = widgets.Button(description=t("quiz.reset"), icon="undo")
        self.reset_button.on_click(lambda _button: self.reset())
        self.progress_html = widgets.HTML()
        self.progress_html.add_class("quiz-progress")
        blocks.append(widgets.HBox([self.score_html, self.reset_button]))
        blocks.append(self.progress_html)
        self.widget = widgets.VBox(blocks)
        self.widget.add_class("quiz")
        self._show_score()

    @property
    def score(self) -> Score:
        return score(self.bank, self.first_answers)

    def check(self, question_id: str) -> Feedback | None:
        """Grade the picked choice of one question and show why; None when nothing is picked."""
        picked = self.radios[question_id].value
        html = self.feedback_html[question_id]
        if picked is None:
            self.feedback.pop(question_id, None)
            html.value = f'<div class="error">{escape(t("quiz.pick_first"))}</div>'
            return None
        result = grade(self.bank.question(question_id), picked)
        self.first_answers.setdefault(question_id, picked)
        self.feedback[question_id] = result
        if result.correct:
            html.value = (f'<div class="ok"><b>{escape(t("quiz.right"))}</b> '
                          f'{escape(t("quiz.explanation"))}{escape(result.reason)}</div>')
        else:
            html.value = (f'<div class="error"><b>{escape(t("quiz.wrong"))}</b> '
                          f'{escape(t("quiz.why_wrong"))}{escape(result.reason)}</div>')
        self._show_score()
        self._record_if_complete()
        return result

    def reset(self) -> None:
        """Clear every answer, here and in the progress file, so the quiz can be taken again."""
        self.first_answers.clear()
        self.feedback.clear()
        for question_id, radio in self.radios.items():
            radio.value = None
            self.feedback_html[question_id].value = ""
        self.recorded = False
        self.progress_html.value = ""
        if self.store is not None:
            self._keep(lambda: self.store.reset_quiz(self.bank.lesson))
        self._show_score()

    def _record_if_complete(self) -> None:
        current = self.score
        if self.store is None or self.recorded or current.answered < current.total:
            return

        def write() -> Progress:
            self.store.record_quiz(self.bank.lesson, current.right, current.total)
            return self.store.mark_done(self.bank.lesson)

        kept = self._keep(write)
        if kept is not None:
            self.recorded = True
            notices = "".join(f'<div class="error">{escape(n)}</div>' for n in kept.notices)
            self.progress_html.value = notices + f'<div class="ok">{escape(t("quiz.saved"))}</div>'

    def _keep(self, write: Callable[[], T]) -> T | None:
        """Write to the progress file; a file that cannot be written costs a message, not the quiz."""
        try:
            return write()
        except (ProgressError, OSError) as error:
            self.progress_html.value = (
                f'<div class="error">{escape(t("quiz.not_saved", reason=str(error)))}</div>')
            return None

    def _show_score(self) -> None:
        current = self.score
        self.score_html.value = escape(t("quiz.score", right=current.right, total=current.total,
                                         answered=current.answered))
