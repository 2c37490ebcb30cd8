"""Lesson 03 (已发货未收到) in a real JupyterLab: look up the supplier, save the 售后小助手 form,
let the buyer sign for the parcel, and read the money/goods ledger off the page.

The app's CSS classes are its browser contract (helpers/ui/shipped.py); the screenshot is
tests/browser/screenshots/03_shipped_not_received.png, scrolled to the ledger.
"""

from __future__ import annotations

import re

from helpers import ParcelState, t
from helpers.lessons.shipped import Verdict
from tests.browser.lab import Lab
from tests.browser.test_lessons import LAPTOP, Lesson, Step, in_view, layout_problems, quiz_step, run_lesson

LESSON = Lesson("03_shipped_not_received", (
    Step("按商品查上家 finds the Guangzhou supplier",
         lambda lab: lab.click_and_read(t("shipped.lookup_button"), ".shipped-lookup"),
         expect="广州花城服饰档口"),
    Step("the SMS preview passes the privacy check",
         lambda lab: lab.text(".shipped-sms"), expect=re.escape(t("shipped.sms_clean"))),
    Step("saving lets the request in and the assistant agrees 拒签后退款",
         lambda lab: lab.click_and_read(t("shipped.save"), ".shipped-state"),
         expect=re.escape(t("shipped.refusal_waiting"))),
    Step("the buyer refuses the parcel: the ledger beside the buttons is in view",
         lambda lab: lab.click_and_read(ParcelState.REFUSED_BY_BUYER.label, ".shipped-ledger",
                                        selector=".shipped-action") + in_view(lab, ".shipped-ledger"),
         expect=r"在视野内"),
    Step("the parcel starts back: a move that keeps the status says so",
         lambda lab: lab.click_and_read(ParcelState.RETURNING.label, ".shipped-message",
                                        selector=".shipped-action"),
         expect=r"^(?!.*售后成功 → 售后成功).*售后单仍是「售后成功」"),
    Step("包裹重来一遍 starts the parcel again",
         lambda lab: lab.click_and_read(t("shipped.restart"), ".shipped-state"),
         expect=re.escape(t("shipped.refusal_waiting"))),
    Step("the buyer signs: refunding at once would have lost money and goods",
         lambda lab: lab.click_and_read(ParcelState.SIGNED_BY_BUYER.label, ".shipped-ledger",
                                        selector=".shipped-action"),
         expect=re.escape(Verdict.LOSS.label)),
    quiz_step(),
), focus=".shipped-ledger", laptop=True)


def test_lesson_03_in_browser(lab: Lab) -> None:
    run_lesson(lab, LESSON)


# Boxes lighter than this (0 black … 1 white) in the lesson's outputs are white boxes in dark mode.
_LIGHT_BOXES_JS = """() => {
  const root = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const out = [];
  for (const el of root.querySelectorAll('.jp-OutputArea-output, .jp-OutputArea-output *')) {
    const m = getComputedStyle(el).backgroundColor.match(/[\\d.]+/g);
    if (!m || (m.length > 3 && Number(m[3]) === 0)) continue;
    const [r, g, b] = m.map(Number);
    if ((0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 > 0.6) {
      out.push(`${el.tagName.toLowerCase()}.${String(el.className).split(' ').join('.')}`);
    }
  }
  return out.slice(0, 10);
}"""


def _theme(lab: Lab, name: str, light: bool) -> None:
    lab.page.evaluate("(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", name)
    lab.page.wait_for_function("(light) => document.body.dataset.jpThemeLight === String(light)",
                               arg=light, timeout=30_000)


def test_lesson_03_in_the_dark_after_a_kernel_restart_and_a_second_run(lab: Lab) -> None:
    """Dark theme at 1366×650; run all, restart the kernel, run all again: every widget answers."""
    lab.page.set_viewport_size(LAPTOP)
    lab.open(f"{LESSON.notebook}.ipynb")
    _theme(lab, "JupyterLab Dark", light=False)
    try:
        lab.run_all()
        lab.restart_kernel()
        lab.run_all()
        for step in LESSON.steps[:4]:  # lookup, SMS, save, refusal with the ledger in view
            shown = step.do(lab)
            assert re.search(step.expect, shown), f"after a restart: {step.what}: {shown!r}"
        lab.assert_no_errors()
        assert lab.page.evaluate(_LIGHT_BOXES_JS) == [], "white boxes in the dark theme"
        assert layout_problems(lab) == []
        lab.screenshot(f"{LESSON.notebook}-dark", focus=".shipped-ledger")
    finally:
        _theme(lab, "JupyterLab Light", light=True)  # the theme is a server setting: put it back
