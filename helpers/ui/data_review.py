"""Lesson 08's app: import an after-sales export, filter it, read the figures, replay strategies.

The app keeps its state on itself (`result`, `report`, `view`, `review`) and only wires widgets
to `helpers.export`: reading and checking is `read_export`, every figure is `analytics`, every
chart and table is `charts`. A test drives it without a browser: set a widget's `.value` or call
`.click()`, then read the attributes.

For the browser test: `.dr-summary` holds the headline figures (also as data-* attributes),
`.dr-report` the import report, `.dr-chart` the charts (inline SVG with Chinese labels).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from ..course.lab_settings import UPLOAD_LIMIT_BYTES
from ..engine.model import load_suppliers, yuan
from ..engine.policy import Policy, Strategy, load_policy
from ..errors import CourseError
from ..export.analytics import Review, export_moment, review, select
from ..export.charts import Col, bar_chart, column_chart, table
from ..export.generate import broken_export
from ..export.importer import ImportReport, ImportResult, read_export, rejected_csv
from ..paths import data_path
from ..strings import t
from .base import App

DOWNLOAD_ROWS = 5000   # a bigger download link would bloat the notebook; the CLI handles more
SHOWN_PROBLEMS = 20


def _hours(value: object) -> str:
    return "—" if pd.isna(value) else t("data_review.hours_value", hours=f"{value:.1f}")


def _percent(value: object) -> str:
    return "—" if pd.isna(value) else f"{value:.1%}"


def _count(value: object) -> str:
    return f"{int(value):,}"


def _money(value: object) -> str:
    return yuan(int(value))


class DataReviewApp(App):
    """Import → filter → figures, tables and charts → strategy replay."""

    def __init__(self, policy: Policy | None = None, source: str | Path | None = None) -> None:
        self.policy = policy or load_policy()
        self.suppliers = load_suppliers()
        self.result: ImportResult | None = None      # the import whose rows are shown
        self.report: ImportReport | None = None      # the latest import, even a failed one
        self.source_name = ""
        self.view = pd.DataFrame()
        self.review: Review | None = None
        self._as_of: pd.Timestamp | None = None
        self._quiet = False

        self.upload = widgets.FileUpload(accept=".csv,.xlsx", multiple=False,
                                         description=t("data_review.upload"))
        # Beyond the upload limit (one websocket message) a file is read from a path on the server.
        self.limit_html = widgets.HTML(escape(t("data_review.upload_limit", mb=UPLOAD_LIMIT_BYTES >> 20)))
        self.path_text = widgets.Text(placeholder=t("data_review.path_placeholder"),
                                      layout=widgets.Layout(width="28em"))
        self.path_button = widgets.Button(description=t("data_review.read_path"), icon="folder-open")
        self.sample_button = widgets.Button(description=t("data_review.use_sample"), icon="table")
        self.broken_button = widgets.Button(description=t("data_review.try_broken"), icon="bug")
        self.report_html = widgets.HTML()
        self.start = widgets.DatePicker(description=t("data_review.start"))
        self.end = widgets.DatePicker(description=t("data_review.end"))
        self.type_filter = widgets.Dropdown(description=t("data_review.type"))
        self.supplier_filter = widgets.Dropdown(description=t("data_review.supplier"))
        self.summary_html = widgets.HTML()
        self.strategy_boxes = {s: widgets.Checkbox(value=self.policy.is_on(s), description=s.label,
                                                   indent=False)
                               for s in Strategy}
        self.tabs = {key: widgets.HTML() for key in ("times", "refunds", "reasons", "places", "hours",
                                                     "replay")}
        replay_box = widgets.VBox([widgets.HTML(escape(t("data_review.strategies"))),
                                   widgets.HBox(list(self.strategy_boxes.values())), self.tabs["replay"]])
        pages = [self.tabs[k] for k in ("times", "refunds", "reasons", "places", "hours")] + [replay_box]
        self.tab = widgets.Tab(children=pages, titles=[t(f"data_review.tab_{k}") for k in self.tabs])
        filters = widgets.HBox([self.start, self.end, self.type_filter, self.supplier_filter],
                               layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([
            widgets.HBox([self.upload, self.sample_button, self.broken_button]),
            self.limit_html, widgets.HBox([self.path_text, self.path_button]),
            self.report_html, filters, self.summary_html, self.tab,
        ])

        self.upload.observe(self._on_upload, names="value")
        self.sample_button.on_click(lambda _: self.load_sample())
        self.path_button.on_click(lambda _: self.load_typed_path())
        self.broken_button.on_click(lambda _: self.load_bytes(broken_export(), t("data_review.broken_name")))
        for control in (self.start, self.end, self.type_filter, self.supplier_filter):
            control.observe(self._on_filter, names="value")
        for box in self.strategy_boxes.values():
            box.observe(self._on_strategy, names="value")

        if source is None:
            self.load_sample()
        else:
            self.load_path(source)

    # -- loading

    def load_sample(self) -> ImportReport | None:
        return self.load_path(data_path("sample_aftersales.csv"), t("data_review.sample_name"))

    def load_path(self, path: str | Path, name: str | None = None) -> ImportReport | None:
        return self._load(lambda: read_export(path, name))

    def load_typed_path(self) -> ImportReport | None:
        """Read the file whose path is typed in the path box (for files beyond the upload limit)."""
        typed = self.path_text.value.strip().strip('"')
        if not typed:
            self.report_html.value = self._box(escape(t("data_review.path_empty")), error=True)
            return None
        return self.load_path(Path(typed).expanduser())

    def load_bytes(self, content: bytes, name: str) -> ImportReport | None:
        return self._load(lambda: read_export(content, name))

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if files:
            upload = files[0]
            self.load_bytes(bytes(upload["content"]), upload["name"])
            # Let go of the file: it may be large, and the same file can then be chosen again.
            self.upload.value = ()

    def _load(self, read: Callable[[], ImportResult]) -> ImportReport | None:
        try:
            result = read()
        except CourseError as error:  # e.g. products.csv broken since the lesson opened
            self.report_html.value = self._box(escape(str(error)), error=True)
            return self.report
        except Exception as error:  # a callback's traceback would go unseen: say it here
            self.report_html.value = self._box(t("data_review.unexpected", error=type(error).__name__),
                                               error=True)
            return self.report
        self.report = result.report
        if result.report.fatal is None:
            self.result = result
            self.source_name = result.report.source
            self._as_of = export_moment(result.frame)
            self._reset_filters()
        self.report_html.value = self._report_html(result)
        return result.report

    def _reset_filters(self) -> None:
        frame = self.result.frame
        self._quiet = True
        try:
            days = frame["applied_at"].dt.date
            self.start.value = days.min() if len(frame) else None
            self.end.value = days.max() if len(frame) else None
            present_types = [str(c) for c in frame["type"].cat.categories if (frame["type"] == c).any()]
            self.type_filter.options = [(t("data_review.all_types"), "")] + [(c, c) for c in present_types]
            self.type_filter.value = ""
            suppliers = sorted(str(s) for s in frame["supplier"].unique() if str(s))
            everyone = (t("data_review.all_suppliers"), "")
            self.supplier_filter.options = [everyone] + [(s, s) for s in suppliers]
            self.supplier_filter.value = ""
        finally:
            self._quiet = False
        self.refresh()

    # -- filtering and figures

    def _on_filter(self, _: dict) -> None:
        if not self._quiet:
            self.refresh()

    def _on_strategy(self, _: dict) -> None:
        for strategy, box in self.strategy_boxes.items():
            self.policy = self.policy.with_strategy(strategy, box.value)
        self.refresh()

    def refresh(self) -> None:
        """Select the rows the filters ask for and redraw every figure."""
        if self.result is None:
            return
        start: date | None = self.start.value
        end: date | None = self.end.value
        self.view = select(self.result.frame, start, end, self.type_filter.value or None,
                           self.supplier_filter.value or None)
        self.review = review(self.view, self.policy, self.suppliers, self._as_of)
        self.summary_html.value = self._summary_html()
        self._draw_tabs()

    # -- drawing (text from the catalog, figures from the review)

    def _box(self, html: str, error: bool = False, css_class: str = "dr-report") -> str:
        colour = "var(--jp-error-color1, #d32f2f)" if error else "var(--jp-border-color1, #bdbdbd)"
        return (f'<div class="{css_class}" style="border-left:4px solid {colour};padding:4px 10px;'
                f'margin:6px 0;color:var(--jp-ui-font-color1)">{html}</div>')

    def _report_html(self, result: ImportResult) -> str:
        report = result.report
        lines = [escape(report.lines()[0]), f"<b>{escape(report.headline())}</b>"]
        if report.fatal is None:
            lines += [escape(line) for line in report.problem_lines(SHOWN_PROBLEMS)]
            if len(report.problems) > SHOWN_PROBLEMS:
                lines.append(escape(t("export.more_problems", count=len(report.problems) - SHOWN_PROBLEMS)))
            lines += [escape(t("export.note", note=note)) for note in report.notes]
            if report.rows_rejected:
                lines.append(self._download_link(result))
        if self.result is not None:
            key = "data_review.showing" if report.fatal is None else "data_review.kept_old"
            lines.append(escape(t(key, source=self.source_name, rows=f"{len(self.result.frame):,}")))
        return self._box("<br>".join(lines), error=report.exit_code != 0)

    def _download_link(self, result: ImportResult) -> str:
        first_rows = ImportResult(result.frame, result.rejected.head(DOWNLOAD_ROWS), result.report)
        payload = base64.b64encode(rejected_csv(first_rows)).decode("ascii")
        name = escape(Path(result.report.source).stem + "_被拒绝的行.csv")
        return (f'<a download="{name}" href="data:text/csv;base64,{payload}">'
                f'{escape(t("data_review.download"))}</a>')

    def _summary_html(self) -> str:
        s = self.review.summary
        if not s.cases:
            return self._box(escape(t("data_review.no_rows")), css_class="dr-summary")
        cards = [
            (t("data_review.cases"), t("data_review.cases_value", count=f"{s.cases:,}"),
             t("data_review.period", first=s.first.date(), last=s.last.date())),
            (t("data_review.on_time"), _percent(s.on_time_share),
             t("data_review.on_time_note", hours=f"{s.deadline_h:g}") + "；"
             + t("data_review.missed", count=f"{s.missed:,}")),
            (t("data_review.answer_median"), _hours(s.answer_median_h), ""),
            (t("data_review.refund_rate"), _percent(s.refund_rate),
             t("data_review.refund_total", amount=yuan(s.refund_fen))),
        ]
        html = "".join(
            f'<div style="flex:1 1 140px;padding:6px 10px;border:1px solid var(--jp-border-color2);'
            f'border-radius:4px"><div style="color:var(--jp-ui-font-color2)">{escape(title)}</div>'
            f'<div style="font-size:20px;font-weight:bold">{escape(value)}</div>'
            f'<div style="color:var(--jp-ui-font-color2);font-size:12px">{escape(note)}</div></div>'
            for title, value, note in cards)
        return (f'<div class="dr-summary" data-cases="{s.cases}" data-on-time="{s.on_time_share:.4f}" '
                f'data-missed="{s.missed}" style="display:flex;flex-wrap:wrap;gap:8px;margin:6px 0;'
                f'color:var(--jp-ui-font-color1)">{html}</div>')

    def _draw_tabs(self) -> None:
        r = self.review
        empty = t("data_review.no_rows")
        type_header = t("data_review.col_type")
        self.tabs["times"].value = table(r.times, [
            Col("cases", t("data_review.col_cases"), _count),
            Col("answered", t("data_review.col_answered"), _count),
            Col("answer_median_h", t("data_review.col_answer_median"), _hours),
            Col("answer_p90_h", t("data_review.col_answer_p90"), _hours),
            Col("finish_median_h", t("data_review.col_finish_median"), _hours),
            Col("finish_p90_h", t("data_review.col_finish_p90"), _hours),
            Col("on_time_share", t("data_review.col_on_time"), _percent),
            Col("missed", t("data_review.col_missed"), _count),
        ], index_header=type_header, css_class="dr-times", empty=empty) + bar_chart(
            list(r.times.index), list(r.times["answer_median_h"]), title=t("data_review.chart_answer"),
            value_text=lambda v: "—" if v != v else f"{v:.1f}", css_class="dr-chart-answer")
        self.tabs["refunds"].value = table(r.refunds, [
            Col("cases", t("data_review.col_cases"), _count),
            Col("refunded", t("data_review.col_refunded"), _count),
            Col("refund_rate", t("data_review.col_refund_rate"), _percent),
            Col("refund_fen", t("data_review.col_refund_total"), _money),
        ], index_header=type_header, css_class="dr-refunds", empty=empty) + bar_chart(
            list(r.refunds.index), list(r.refunds["refund_rate"] * 100), title=t("data_review.chart_refund"),
            value_text=lambda v: f"{v:.1f}%", css_class="dr-chart-refund")
        self.tabs["reasons"].value = table(r.reasons, [
            Col("cases", t("data_review.col_cases"), _count),
            Col("share", t("data_review.col_share"), _percent),
        ], index_header=t("data_review.col_reason"), css_class="dr-reasons", empty=empty) + bar_chart(
            list(r.reasons.index), list(r.reasons["cases"]), title=t("data_review.chart_reasons"),
            css_class="dr-chart-reasons")
        place_cols = [
            Col("cases", t("data_review.col_cases"), _count),
            Col("returns", t("data_review.col_returns"), _count),
            Col("fault_share", t("data_review.col_fault"), _percent),
            Col("refund_fen", t("data_review.col_refund_total"), _money),
            Col("top_reason", t("data_review.col_top_reason")),
        ]
        self.tabs["places"].value = (
            bar_chart(list(r.suppliers.index), list(r.suppliers["returns"]),
                      title=t("data_review.chart_suppliers"), css_class="dr-chart-suppliers")
            + table(r.suppliers, place_cols, index_header=t("data_review.col_supplier"),
                    css_class="dr-suppliers", empty=empty)
            + f"<p>{escape(t('data_review.fault_note'))}</p>"
            + table(r.products, [*place_cols, Col("supplier", t("data_review.col_supplier"))],
                    index_header=t("data_review.col_product"), css_class="dr-products", empty=empty))
        self.tabs["hours"].value = column_chart(
            [str(h) for h in r.hours.index], list(r.hours["cases"]), title=t("data_review.chart_hours"),
            highlight=list(r.hours["missed"]),
            legend=(t("data_review.hours_legend_all"), t("data_review.hours_legend_missed")),
            css_class="dr-chart-hours")
        self.tabs["replay"].value = table(r.replay, [
            Col("handled", t("data_review.col_handled"), _count),
            Col("share", t("data_review.col_share"), _percent),
            Col("hours_saved", t("data_review.col_hours_saved"), _hours),
            Col("missed_saved", t("data_review.col_missed_saved"), _count),
            Col("refused_before", t("data_review.col_refused_before"), _count),
        ], index_header=t("data_review.col_strategy"), css_class="dr-replay", empty=empty) + bar_chart(
            list(r.replay.index), list(r.replay["hours_saved"]), title=t("data_review.chart_replay"),
            css_class="dr-chart-replay") + f"<p>{escape(t('data_review.replay_note'))}</p>"
