"""The trainer's class summary: a folder of progress files as a table and two bar charts.

    TrainerApp()                         # the sample class in data/sample_progress/
    TrainerApp("/srv/class/progress")    # a real class

Browser contract: the summary table has the CSS class `trainer-table`, the charts `trainer-chart`,
the list of files that could not be read `trainer-problems`, the folder box `trainer-folder`, the
load button `trainer-load`.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import ipywidgets as widgets

from ..course.trainer import (
    ClassData,
    TrainerError,
    bar_chart_svg,
    capstone_percents,
    class_line,
    lesson_quiz_percents,
    read_folder,
    sample_folder,
    summary_frame,
)
from ..course.workspace import lessons
from ..lessons.capstone import load_script
from ..strings import t
from .base import App, div
from .style import style_widget

CSS = """
.trainer {
  font-family: var(--jp-ui-font-family), "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
  color: var(--jp-ui-font-color1);
}
.trainer-table table { border-collapse: collapse; }
.trainer-table th, .trainer-table td {
  border-bottom: 1px solid var(--jp-border-color2);
  padding: 2px 10px;
  text-align: left;
}
.trainer-problems .error { color: var(--jp-error-color1); }
.trainer-muted { color: var(--jp-ui-font-color2); font-size: 0.9em; }
"""



class TrainerApp(App):
    """Pick a folder, read it, see the class."""

    def __init__(self, folder: Path | str | None = None) -> None:
        self.data: ClassData | None = None
        self.error = ""
        self.folder_text = widgets.Text(value=str(folder or sample_folder()),
                                        description=t("trainer.folder"),
                                        style={"description_width": "initial"},
                                        layout=widgets.Layout(width="70%"))
        self.folder_text.add_class("trainer-folder")
        self.load_button = widgets.Button(description=t("trainer.load"), button_style="primary",
                                          icon="folder-open")
        self.load_button.add_class("trainer-load")
        self.load_button.on_click(lambda _button: self.load())
        self.summary_html = widgets.HTML()
        self.table_html = widgets.HTML()
        self.table_html.add_class("trainer-table")
        self.chart_html = widgets.HTML()
        self.chart_html.add_class("trainer-chart")
        self.problems_html = widgets.HTML()
        self.problems_html.add_class("trainer-problems")
        self.widget = widgets.VBox([
            style_widget(), widgets.HTML(f"<style>{CSS}</style>"),
            widgets.HTML(div("trainer-muted", t("trainer.sample_note"))),
            widgets.HBox([self.folder_text, self.load_button]),
            self.summary_html, self.table_html, self.chart_html, self.problems_html,
        ])
        self.widget.add_class("trainer")
        self.load()

    def load(self) -> ClassData | None:
        """Read the folder in the text box and redraw; a missing folder is reported, not raised."""
        try:
            self.data = read_folder(self.folder_text.value.strip() or None)
        except TrainerError as error:
            self.data, self.error = None, str(error)
            for html in (self.summary_html, self.table_html, self.chart_html):
                html.value = ""
            self.problems_html.value = div("error", self.error)
            return None
        self.error = ""
        data = self.data
        if not data.records:
            self.summary_html.value = div("trainer-muted", t("trainer.empty", folder=data.folder))
            self.table_html.value = ""
            self.chart_html.value = ""
        else:
            self.summary_html.value = div("", class_line(data))
            self.table_html.value = summary_frame(data).to_html(index=False, escape=True, border=0)
            pass_score = load_script().pass_score
            titles = {lesson.stem: lesson.title for lesson in lessons()}
            charts = (
                bar_chart_svg(capstone_percents(data), t("trainer.chart_capstone", pass_score=pass_score),
                              pass_mark=pass_score),
                bar_chart_svg([(titles.get(lesson, lesson), value)
                               for lesson, value in lesson_quiz_percents(data)], t("trainer.chart_quiz"),
                              width=720))
            self.chart_html.value = "".join(f"<div>{chart}</div>" for chart in charts)
        problems = "".join(div("error", t("trainer.problem_item", file=p.file, reason=p.reason))
                           for p in data.problems)
        self.problems_html.value = (f"<b>{escape(t('trainer.problems_title'))}</b>{problems}" if problems
                                    else div("trainer-muted", t("trainer.problems_none")))
        return data
