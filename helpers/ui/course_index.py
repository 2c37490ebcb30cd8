"""The course index of app mode (`make app`): a link to every lesson and the trainee's progress.

    CourseIndex()        # the page notebooks/app/index.ipynb shows

Under Voilà with preheated kernels a page's notebook runs before anyone asks for it; the index
waits for its request first (`voila.utils.wait_for_request`), so the progress it shows is read
when the trainee opens the page, not when the kernel was warmed. The links are relative to the
index (`../00_start_here.ipynb`), which Voilà serves at `/voila/render/app/index.ipynb`.

Browser contract: the container has the CSS class `course-index`, its table `course-index-table`
(one `a.course-index-lesson` per lesson), the summary line `course-index-summary`.
"""

from __future__ import annotations

import os
from html import escape
from urllib.parse import quote

import ipywidgets as widgets

from ..course.progress import Progress, ProgressError, ProgressStore
from ..course.progress import store as default_store
from ..course.workspace import lessons
from ..strings import t
from .base import App, div
from .progress import CSS as PROGRESS_CSS
from .style import style_widget

CSS = PROGRESS_CSS + """
.course-index a.course-index-lesson { color: var(--jp-content-link-color); text-decoration: underline; }
.course-index-summary { font-weight: bold; margin: 4px 0; }
"""


def wait_for_page_request() -> None:
    """In a preheated Voilà kernel, block until the page is really requested; elsewhere nothing."""
    if os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import wait_for_request

        wait_for_request()


class CourseIndex(App):
    """Every lesson with a link, whether it is done, and its best quiz score."""

    def __init__(self, store: ProgressStore | None = None, link_prefix: str = "../") -> None:
        wait_for_page_request()
        self.store = store or default_store()
        self.link_prefix = link_prefix
        self.lessons = lessons()
        self.progress: Progress | None = None
        self.message = ""
        self.header_html = widgets.HTML()
        self.summary_html = widgets.HTML()
        self.summary_html.add_class("course-index-summary")
        self.table_html = widgets.HTML()
        self.table_html.add_class("course-index-table")
        self.table_html.add_class("progress-table")
        self.message_html = widgets.HTML()
        self.message_html.add_class("progress-message")
        self.refresh_button = widgets.Button(description=t("app.refresh"), icon="refresh")
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.widget = widgets.VBox([
            style_widget(), widgets.HTML(f"<style>{CSS}</style>"),
            widgets.HTML(f"<h3>{escape(t('app.title'))}</h3><p>{escape(t('app.intro'))}</p>"),
            self.header_html, self.summary_html, self.table_html, self.refresh_button,
            self.message_html,
        ])
        self.widget.add_class("course-index")
        self.widget.add_class("progress-panel")
        self.refresh()

    def href(self, stem: str) -> str:
        return self.link_prefix + quote(f"{stem}.ipynb")

    def refresh(self) -> None:
        """Read the progress file again and redraw."""
        try:
            self.progress = self.store.load()
        except ProgressError as error:
            self.progress = None
            self.message = str(error)
            self.message_html.value = div("error", self.message)
            return
        self.message = " ".join(self.progress.notices)
        self.message_html.value = "".join(div("notice", n) for n in self.progress.notices)
        self._draw(self.progress)

    def _draw(self, progress: Progress) -> None:
        self.header_html.value = div("progress-muted", t("app.trainee", trainee=progress.trainee))
        head = "".join(f"<th>{escape(t(k))}</th>" for k in ("app.col_lesson", "app.col_done", "app.col_quiz"))
        rows = []
        for lesson in self.lessons:
            done = lesson.stem in progress.lessons_done
            quiz = progress.quizzes.get(lesson.stem)
            quiz_text = t("app.quiz_score", best=quiz.best, total=quiz.total) if quiz else t("app.quiz_none")
            rows.append(
                f'<tr><td><a class="course-index-lesson" href="{escape(self.href(lesson.stem))}">'
                f"{escape(lesson.title)}</a></td>"
                f'<td class="{"done" if done else ""}">'
                f"{escape(t('app.done_yes' if done else 'app.done_no'))}</td>"
                f"<td>{escape(quiz_text)}</td></tr>")
        self.table_html.value = f"<table><tr>{head}</tr>{''.join(rows)}</table>"
        done = sum(1 for lesson in self.lessons if lesson.stem in progress.lessons_done)
        self.summary_html.value = escape(t("app.summary", done=done, total=len(self.lessons)))
