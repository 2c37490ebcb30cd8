"""Lesson 00 (开始) in a real JupyterLab: the trainee types a name once, clicks the first button,
runs the checkpoint, answers the quiz, and the progress panel shows the name (never 「学员：root」).

`LESSON` is the entry for LESSONS in test_lessons.py (same shape); this file runs it on its own.
Screenshot: tests/browser/screenshots/00_start_here.png.
"""

from __future__ import annotations

import re

from helpers import MerchantAction, Status, t
from tests.browser.lab import Lab
from tests.browser.test_lessons import Lesson, Step, explorer_move, quiz_step, run_lesson

NAME = "林小雨"
STDOUT = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stdout"]'  # what a cell printed


def type_name(lab: Lab) -> str:
    box = lab.locator(".trainee-name-box input").first
    box.scroll_into_view_if_needed()
    box.fill(NAME)
    lab.click(t("trainee.use"), ".trainee-name-use")
    return lab.wait_text(".trainee-name-message", re.escape(NAME))


def progress_shows_the_name(lab: Lab) -> str:
    lab.click(t("progress.refresh"))
    return lab.wait_text(".progress-panel", re.escape(t("progress.trainee", trainee=NAME)))


LESSON = Lesson("00_start_here", (
    Step("the name typed once is taken", type_name, expect=re.escape(t("trainee.saved", name=NAME))),
    Step("the first case starts at 待商家同意",
         lambda lab: lab.text(".first-case .explorer-state"), expect=Status.AWAIT_MERCHANT.label),
    Step("同意售前退申请 ends the unshipped refund in 售后成功",
         explorer_move(MerchantAction.AGREE_PRESALE_REFUND), expect=Status.SUCCESS.label),
    Step("the checkpoint prints one ✓ line",
         lambda lab: lab.wait_text(STDOUT, "✓ 通过"), expect=r"^✓ 通过："),
    quiz_step(),
    Step("the progress panel names the trainee", progress_shows_the_name, expect=NAME),
), focus=".trainee-name")


def test_lesson_00_in_browser(lab: Lab) -> None:
    run_lesson(lab, LESSON)


LAPTOP = {"width": 1366, "height": 650}  # what Chrome leaves of a 1366×768 office laptop
_TOP_OF_NOTEBOOK = """() => document.querySelector(
  '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer').getBoundingClientRect().top"""
_OVERFLOW = """() => { const o = document.querySelector(
  '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer'); return o.scrollWidth - o.clientWidth; }"""


def _run_as_a_trainee(lab: Lab, source_part: str) -> None:
    """Click the folded cell whose line contains `source_part` and press Shift+Enter, as lesson 00
    teaches; Lab then moves on to the next cell and scrolls."""
    index = lab._js(f"""const cells = panel.content.model.cells;
      for (let i = 0; i < cells.length; i++)
        if (cells.get(i).sharedModel.getSource().includes({source_part!r})) return i;
      return -1;""")
    cell = lab.locator(".jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").first.click()
    lab.page.keyboard.press("Shift+Enter")


def test_lesson_00_shows_each_widget_it_asks_for_on_a_laptop_screen(browser, lab_server) -> None:
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    try:
        lab = Lab(context.new_page(), lab_server)
        lab.open("00_start_here.ipynb")
        for source, widget, first_control in (("NameApp", ".trainee-name", ".trainee-name-use"),
                                              ("FirstCase", ".first-case", ".first-case .explorer-state")):
            _run_as_a_trainee(lab, source)
            lab.wait_for(first_control)
            lab.wait_kernel_idle()
            lab.settle()
            top = lab.page.evaluate(_TOP_OF_NOTEBOOK)
            box = lab.locator(widget).first.bounding_box()
            control = lab.locator(first_control).first.bounding_box()
            assert box["y"] >= top and control["y"] + control["height"] <= LAPTOP["height"], (
                f"{widget}: Lab scrolled it out of view ({box}, notebook top {top})")
            assert lab.page.evaluate(_OVERFLOW) <= 0, "the lesson scrolls sideways at 1366 px"
        lab.screenshot("00_start_here-1366x650", focus=".first-case")
        lab.assert_no_errors()
    finally:
        context.close()
        lab_server.shutdown_kernels()
