"""The shift app of lesson 07 (结业实战): one request at a time, instant feedback, a report.

The app only wires widgets to `helpers.lessons.capstone` (which asks the engine); its state lives on the
app (`shift`, `verdicts`, `report`), so a checkpoint or a test drives it without a browser:

    app = CapstoneApp(record=False)
    app.choose(app.shift.key())          # the engine's answers for the request on show
    app.submit_button.click()            # scored at once, with the reason
    app.next_button.click()

At the end the report shows the score per lesson and each lost point with its reason; the
result goes into the trainee's progress file, and after a pass a certificate can be written.

Browser contract: the request on show has the CSS class `capstone-request`, each question block
`capstone-ask`, the submit button `capstone-submit`, the next button `capstone-next`, the feedback
`capstone-feedback`, the counter `capstone-counter`, the report `capstone-report`, the certificate
name box `capstone-name`, its button `capstone-certificate` and the line with the certificate's
path `capstone-certificate-path`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from html import escape
from pathlib import Path

import ipywidgets as widgets

from ..course.certificate import certificate_html, certificate_number, write_certificate
from ..course.progress import ProgressError, ProgressStore, typed_name
from ..course.progress import store as default_store
from ..course.trainee import set_by_trainer
from ..engine.model import SHANGHAI
from ..lessons.capstone import DEFAULT_SCRIPT, Report, Script, Shift, Verdict, load_script
from ..strings import t
from .base import App, div
from .style import style_widget

LESSON = "07_capstone_shift"

CSS = """
.capstone {
  font-family: var(--jp-ui-font-family), "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
  color: var(--jp-ui-font-color1);
}
.capstone-request {
  border-left: 4px solid var(--jp-brand-color1);
  background: var(--jp-layout-color2);
  padding: 6px 12px;
  margin: 6px 0;
}
.capstone-request h4 { margin: 2px 0 6px; }
.capstone-request .story { margin-bottom: 6px; }
.capstone-request .fact { color: var(--jp-ui-font-color2); font-size: 0.92em; }
.capstone-ask { border-top: 1px solid var(--jp-border-color2); padding-top: 4px; margin-top: 4px; }
.capstone-ask .widget-radio-box label { white-space: normal; line-height: 1.4; }
.capstone-feedback .ok, .capstone-feedback .error, .capstone-message .error {
  border: 1px solid var(--jp-border-color2);
  background: var(--jp-layout-color1);
  padding: 4px 8px;
  margin: 2px 0;
}
.capstone-feedback .ok { color: var(--jp-success-color1); }
.capstone-feedback .error, .capstone-message .error { color: var(--jp-error-color1); }
.capstone-counter { font-weight: bold; }
.capstone-report table { border-collapse: collapse; }
.capstone-report th, .capstone-report td {
  border-bottom: 1px solid var(--jp-border-color2);
  padding: 2px 10px;
  text-align: left;
}
.capstone-report .passed { color: var(--jp-success-color1); font-weight: bold; }
.capstone-report .failed { color: var(--jp-error-color1); font-weight: bold; }
.capstone-muted { color: var(--jp-ui-font-color2); font-size: 0.9em; }
.capstone-certificate-path a.capstone-download {
  display: inline-block; margin: 6px 0; padding: 4px 12px; border-radius: 4px;
  border: 1px solid var(--jp-brand-color1); color: var(--jp-brand-color1);
  text-decoration: underline; font-weight: bold;
}
.capstone-certificate-path a.capstone-download::before { content: "⬇ "; }
"""



def report_html(report: Report, clock: bool) -> str:
    """The shift report as HTML (formatting only: every figure comes from `report`)."""
    verdict = t("capstone.report_passed" if report.passed else "capstone.report_failed")
    score = t("capstone.report_score", score=report.score, total=report.total, percent=report.percent,
              pass_score=report.pass_score, verdict=verdict)
    rows = "".join(f"<tr><td>{escape(s.title)}</td><td>{s.earned} / {s.total}</td></tr>"
                   for s in report.by_lesson)
    lost = [t("capstone.report_lost_item", title=v.request_title, ask=t(f"capstone.ask_kind_{v.ask}"),
              reason=v.reason) for v in report.lost] or [t("capstone.report_lost_none")]
    clock_line = div("capstone-muted", t("capstone.report_clock", start=report.started.strftime("%H:%M"),
                                          end=report.ended.strftime("%H:%M"))) if clock else ""
    return (
        f"<h4>{escape(t('capstone.report_title', title=report.title))}</h4>"
        + div("passed" if report.passed else "failed", score)
        + f"<table><tr><th>{escape(t('capstone.report_lesson'))}</th>"
        f"<th>{escape(t('capstone.report_points'))}</th></tr>{rows}</table>"
        f"<h4>{escape(t('capstone.report_lost_title'))}</h4>"
        f"<ul>{''.join(f'<li>{escape(item)}</li>' for item in lost)}</ul>{clock_line}")


class CapstoneApp(App):
    """The 结业实战 shift as widgets; the shift itself is `self.shift`."""

    def __init__(self, script: Script | str = DEFAULT_SCRIPT, *, clock: bool = False,
                 record: bool = True, store: ProgressStore | None = None,
                 certificate_folder: Path | str | None = None) -> None:
        self.script = load_script(script) if isinstance(script, str) else script
        self.record = record
        self.store = store
        self.certificate_folder = certificate_folder
        self.verdicts: list[Verdict] = []
        self.report: Report | None = None
        self.certificate_path: Path | None = None
        self.certificate_number = ""
        self.message = ""

        self.clock_box = widgets.Checkbox(value=clock, description=t("capstone.clock_option"),
                                          indent=False, layout=widgets.Layout(width="auto"))
        self.restart_button = widgets.Button(description=t("capstone.restart"), icon="refresh")
        self.counter_html = widgets.HTML()
        self.counter_html.add_class("capstone-counter")
        self.request_html = widgets.HTML()
        self.request_html.add_class("capstone-request")
        # The fair clock: with the clock on, the queue and its deadlines are shown and the
        # trainee picks which request to handle next; reading time is not counted.
        self.queue_html = widgets.HTML()
        self.queue_html.add_class("capstone-queue")
        self.queue_picker = widgets.Dropdown(description=t("capstone.queue_pick"),
                                             style={"description_width": "initial"},
                                             layout=widgets.Layout(width="auto"))
        self.queue_picker.add_class("capstone-queue-pick")
        self._queue_box = widgets.VBox([self.queue_html, self.queue_picker])
        self._showing_queue = False
        self.queue_picker.observe(lambda _change: self._pick_from_queue(), names="value")
        self.asks_box = widgets.VBox()
        self._blocks: list[tuple[widgets.HTML, widgets.RadioButtons, widgets.VBox]] = []
        self.radios: dict[str, widgets.RadioButtons] = {}
        self.submit_button = widgets.Button(description=t("capstone.submit"), button_style="primary")
        self.submit_button.add_class("capstone-submit")
        self.next_button = widgets.Button(description=t("capstone.next"), disabled=True)
        self.next_button.add_class("capstone-next")
        self.message_html = widgets.HTML()
        self.message_html.add_class("capstone-message")
        self.feedback_html = widgets.HTML()
        self.feedback_html.add_class("capstone-feedback")
        self.report_html = widgets.HTML()
        self.report_html.add_class("capstone-report")
        # The name given in lesson 00 (or set by the trainer); the trainee may still change it here.
        self.name_text = widgets.Text(value=set_by_trainer() or typed_name(),
                                      description=t("capstone.name_label"),
                                      placeholder=t("capstone.name_placeholder"),
                                      style={"description_width": "initial"})
        self.name_text.add_class("capstone-name")
        self.certificate_button = widgets.Button(description=t("capstone.certificate"),
                                                 button_style="success", icon="certificate")
        self.certificate_button.add_class("capstone-certificate")
        self.certificate_html = widgets.HTML()
        self.certificate_html.add_class("capstone-certificate-path")
        self.certificate_box = widgets.VBox(
            [widgets.HBox([self.name_text, self.certificate_button]), self.certificate_html],
            layout=widgets.Layout(display="none"))

        self.clock_box.observe(lambda _change: self.restart(), names="value")
        self.restart_button.on_click(lambda _button: self.restart())
        self.submit_button.on_click(lambda _button: self.submit())
        self.next_button.on_click(lambda _button: self.next())
        self.certificate_button.on_click(lambda _button: self.make_certificate())

        suppliers = widgets.Accordion(children=[widgets.HTML()])
        suppliers.set_title(0, t("capstone.supplier_table"))
        self._supplier_html = suppliers.children[0]
        self.widget = widgets.VBox([
            style_widget(), widgets.HTML(f"<style>{CSS}</style>"),
            widgets.HTML(f"<h3>{escape(self.script.title)}</h3>"
                         + div("capstone-muted", self.script.note)),
            widgets.HBox([self.clock_box, self.restart_button]),
            suppliers, self.counter_html, self._queue_box, self.request_html, self.asks_box,
            widgets.HBox([self.submit_button, self.next_button]),
            self.message_html, self.feedback_html, self.report_html, self.certificate_box,
        ])
        self.widget.add_class("capstone")
        self.restart()

    # -- reading

    @property
    def finished(self) -> bool:
        return self.shift.finished

    def choose(self, answers: Mapping[str, str]) -> None:
        """Pick an option per ask (what a trainee does by clicking the radio buttons)."""
        for kind, option_id in answers.items():
            self.radios[kind].value = option_id

    # -- acting

    def restart(self) -> None:
        """A fresh shift (with the clock if ticked)."""
        self.shift = Shift(self.script, clock=self.clock_box.value)
        self.verdicts = []
        self.report = None
        self.certificate_path = None
        self.report_html.value = ""
        self.certificate_html.value = ""
        self.certificate_box.layout.display = "none"
        self._supplier_html.value = self._supplier_table()
        self._show_request()

    def submit(self) -> list[Verdict]:
        """Score the picked answers; nothing changes when a question is unanswered."""
        if self.shift.finished or self.next_button.disabled is False:
            return []
        answers = {kind: radio.value for kind, radio in self.radios.items()}
        if any(value is None for value in answers.values()):
            self._say(t("capstone.pick_all"))
            return []
        verdicts = self.shift.decide(answers)
        self.verdicts += verdicts
        self._say("")
        for radio in self.radios.values():
            radio.disabled = True
        self.feedback_html.value = "".join(
            div("ok" if v.correct else "error",
                 f"{t(f'capstone.ask_kind_{v.ask}')}：{v.reason}") for v in verdicts)
        self.submit_button.disabled = True
        self._show_counter()
        if self.shift.finished:
            self._finish()
        else:
            self.next_button.disabled = False
        return verdicts

    def next(self) -> None:
        if self.next_button.disabled:
            return
        self._show_request()

    def _finish(self) -> None:
        self._clear_asks()  # the report takes their place
        self.report = self.shift.report()
        self.report_html.value = report_html(self.report, self.shift.clock)
        self.next_button.disabled = True
        notes = [t("capstone.finished")]
        if self.record:
            store = self.store or default_store()
            try:
                result = store.record_capstone(self.report.shift, self.report.score, self.report.total,
                                               self.report.passed, self.report.lesson_points())
                if self.report.passed:
                    result = store.mark_done(LESSON)
                notes += [t("capstone.recorded"), *result.notices]
            except ProgressError as error:
                notes.append(t("capstone.not_recorded", error=error))
        self.message = " ".join(notes)
        self.message_html.value = div("capstone-muted", self.message)
        if self.report.passed:
            self.certificate_box.layout.display = "flex"

    def make_certificate(self) -> Path | None:
        """Write the certificate (after a pass, with a name); shows its path and a download link."""
        if self.report is None or not self.report.passed:
            self.certificate_html.value = div("error", t("capstone.certificate_not_passed"))
            return None
        name = self.name_text.value.strip()
        if not name:
            self.certificate_html.value = div("error", t("capstone.certificate_need_name"))
            return None
        day = datetime.now(SHANGHAI).date()
        try:
            number = certificate_number(name, self.report, day)
            html = certificate_html(name, self.report, day, number)
        except ValueError as error:
            self.certificate_html.value = div("error", str(error))
            return None
        self.certificate_number = number
        if self.record:  # the trainer's class summary finds the certificate by its number
            try:
                (self.store or default_store()).record_certificate(number)
            except ProgressError:
                pass  # the certificate is still offered below; the progress message said why
        try:
            self.certificate_path = write_certificate(name, self.report, self.certificate_folder, day, number)
            shown = div("", t("capstone.certificate_written", path=self.certificate_path))
            file_name = self.certificate_path.name
        except OSError as error:
            # A read-only folder must not cost the trainee the certificate: it is offered from memory.
            shown = div("error", t("capstone.certificate_only_download", error=error))
            file_name = "certificate.html"
        # The file may lie outside Lab's root, so the page always offers it as a download.
        data = base64.b64encode(html.encode("utf-8")).decode("ascii")
        self.certificate_html.value = (
            shown + div("", t("capstone.certificate_number", number=number))
            + f'<a class="capstone-download" download="{escape(file_name)}" '
            f'href="data:text/html;charset=utf-8;base64,{data}">{escape(t("capstone.certificate_download"))}</a>')
        return self.certificate_path

    # -- showing

    def _say(self, text: str) -> None:
        self.message = text
        self.message_html.value = div("error", text) if text else ""

    def _show_counter(self) -> None:
        total = len(self.shift.situations)
        number = min(self.shift.index + 1, total)
        line = t("capstone.counter", number=number, total=total, score=self.shift.score)
        if self.shift.clock:
            line += " · " + t("capstone.clock", now=self.shift.now.strftime("%H:%M"))
        self.counter_html.value = escape(line)

    def _show_request(self) -> None:
        situation = self.shift.current
        self.feedback_html.value = ""
        self._say("")
        self._show_counter()
        self._clear_asks()
        if situation is None:
            return
        spec = situation.spec
        self.request_html.value = (
            f"<h4>{escape(spec.title)}</h4>" + div("story", spec.story)
            + "".join(div("fact", line) for line in self.shift.facts(situation)))
        self.radios = {}
        blocks = self._ask_blocks(len(situation.asks))
        for ask, (prompt, radio, block) in zip(situation.asks, blocks, strict=True):
            prompt.value = (f"<b>{escape(ask.prompt)}</b>"
                            f"{escape(t('capstone.ask_points', points=ask.points))}")
            radio.options = [(o.label, o.id) for o in ask.options]
            radio.value = None
            radio.disabled = False
            block.layout.display = None
            self.radios[ask.kind] = radio
        self.submit_button.disabled = False
        self.next_button.disabled = True
        self._show_queue()

    def _show_queue(self) -> None:
        """The requests left, most urgent first, and the picker of the next one (clock on)."""
        shift = self.shift
        if not shift.clock or shift.finished:
            self._queue_box.layout.display = "none"
            return
        entries = shift.queue()
        self._showing_queue = True
        try:
            self.queue_html.value = f"<b>{escape(t('capstone.queue_title'))}</b>" + "".join(
                div("capstone-queue-item", t("capstone.queue_line", title=e.title, left=e.left))
                for e in entries)
            self.queue_picker.options = [(e.title, e.number) for e in entries]
            self.queue_picker.value = shift.index
        finally:
            self._showing_queue = False
        self._queue_box.layout.display = None

    def _pick_from_queue(self) -> None:
        """The trainee chose another request to handle next (only before answering this one)."""
        number = self.queue_picker.value
        if self._showing_queue or number is None or number == self.shift.index \
                or self.submit_button.disabled:
            return
        self.shift.pick(number)
        self._show_request()

    def _ask_blocks(self, count: int) -> list[tuple[widgets.HTML, widgets.RadioButtons, widgets.VBox]]:
        """`count` question blocks, reused from request to request (building new widgets for
        every request is what made a shift slow)."""
        while len(self._blocks) < count:
            prompt = widgets.HTML()
            radio = widgets.RadioButtons(options=[], value=None, layout=widgets.Layout(width="auto"))
            block = widgets.VBox([prompt, radio])
            block.add_class("capstone-ask")
            self._blocks.append((prompt, radio, block))
            self.asks_box.children = [b for _, _, b in self._blocks]
        return self._blocks[:count]

    def _clear_asks(self) -> None:
        """Hide the answered request's questions and drop their options: the kernel would
        otherwise keep them (the privacy traps' made-up data among them)."""
        for prompt, radio, block in self._blocks:
            prompt.value = ""
            radio.options = []
            block.layout.display = "none"

    def _supplier_table(self) -> str:
        shift = self.shift
        rows = "".join(
            div("", t("capstone.supplier_row", product_id=p.id, product=p.name,
                       supplier=shift.suppliers[p.supplier_id].name))
            for p in shift.products.values())
        return rows



def practice(script: str) -> CapstoneApp:
    """A shift for extra practice (lesson 09's shift_02): scored as in lesson 07, never recorded,
    so it cannot replace the trainee's capstone result or certificate."""
    return CapstoneApp(script, record=False)
