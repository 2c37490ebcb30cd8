"""Lesson 07 (结业实战) in a real JupyterLab: a whole shift through the widgets, its report, the
certificate written and then opened in the browser.

Follows tests/browser/test_lessons.py (LESSON is this lesson's entry). The kernel's progress
folder is pointed at a tmp folder first, so finishing the shift never writes the real user folder.
One decision is made wrong on purpose (the courier race), so the report shows a lost point with
its reason. Screenshots: 07_capstone_shift.png (the report), 07_capstone_shift-certificate.png.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from helpers import t
from helpers.lessons.capstone import OPTION_IDS, Shift
from tests.browser.lab import NOTEBOOKS, SCREENSHOTS, Lab
from tests.browser.test_lessons import Lesson, Step, quiz_step

WRONG = ("unshipped-race", "move", "同意售前退申请")  # the one decision made wrong on purpose


def planned_answers() -> list[dict[str, str]]:
    """The engine's answers for each request, with the one planned mistake."""
    shift, plan = Shift(), []
    for situation in shift.situations:
        answers = shift.key(situation)
        if situation.spec.id == WRONG[0]:
            ask = next(a for a in situation.asks if a.kind == WRONG[1])
            answers[WRONG[1]] = next(o.id for o in ask.options if o.label == WRONG[2])
        plan.append(answers)
    return plan


def play_shift(lab: Lab) -> str:
    """Answer every request by clicking its radio buttons, submit, next; return the report."""
    shift = Shift()
    total = len(shift.situations)
    for number, (situation, answers) in enumerate(zip(shift.situations, planned_answers(), strict=True),
                                                  start=1):
        lab.wait_text(".capstone-counter", re.escape(f"第 {number} / {total} 单"))
        lab.wait_text(".capstone-request", re.escape(situation.spec.title))
        # The answered request's radios stay on the page, disabled, until the next one renders.
        radios = lab.locator(".capstone .capstone-ask input[type=radio]:not([disabled])")
        options = sum(len(ask.options) for ask in situation.asks)
        lab.page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length === n",
                                   arg=[".jp-NotebookPanel:not(.lm-mod-hidden) .capstone .capstone-ask "
                                        "input[type=radio]:not([disabled])", options])
        first = 0
        for ask in situation.asks:
            radio = radios.nth(first + OPTION_IDS.index(answers[ask.kind]))
            radio.scroll_into_view_if_needed()
            radio.check()
            first += len(ask.options)
        lab.click(t("capstone.submit"), selector=".capstone-submit")
        lab.wait_text(".capstone-feedback", "[✓✗]")
        if number < total:
            lab.click(t("capstone.next"), selector=".capstone-next")
    return lab.wait_text(".capstone-report", re.escape(t("capstone.report_lost_title")), timeout=60)


def write_certificate(lab: Lab) -> str:
    lab.locator(".capstone-name input").fill("小林")
    lab.click(t("capstone.certificate"), selector=".capstone-certificate")
    return lab.wait_text(".capstone-certificate-path", re.escape("证书已保存"))


LESSON = Lesson("07_capstone_shift", (
    Step("a full shift: 21 requests through the widgets, the report with the score and the lost point",
         play_shift, expect=r"得分 \d+ / \d+（\d+%）[\s\S]*退款申请和快递揽收撞在一起[\s\S]*钱货两失"),
    Step("after a pass the certificate is written", write_certificate,
         expect=r"certificate-小林-\d{8}\.html"),
    quiz_step(),
), focus=".capstone-report")


def point_progress_at(lab: Lab, folder: Path) -> None:
    """Set the kernel's DOUDIAN_COURSE_PROGRESS (the app reads it when it records the result)."""
    code = f"import os; os.environ['DOUDIAN_COURSE_PROGRESS'] = {str(folder)!r}"
    lab._js("const future = panel.sessionContext.session.kernel.requestExecute("
            f"{{code: {json.dumps(code)}, silent: true, store_history: false}});"
            "await future.done; return true;")


def test_lesson_07_in_browser(lab: Lab, tmp_path: Path) -> None:
    path = NOTEBOOKS / f"{LESSON.notebook}.ipynb"
    assert path.exists(), f"{path} is missing"
    lab.open(path.name)
    lab.run_all()
    progress = tmp_path / "progress"
    point_progress_at(lab, progress)

    report = ""
    for step in LESSON.steps:
        shown = step.do(lab)
        assert re.search(step.expect, shown), f"{LESSON.notebook}: {step.what}: expected /{step.expect}/, " \
                                              f"the page shows {shown!r}"
        lab.assert_no_errors()
        if step is LESSON.steps[0]:
            report = shown
            lab.screenshot(LESSON.notebook, focus=LESSON.focus)

    expected = Shift()
    while not expected.finished:
        answers = planned_answers()[expected.index]
        expected.decide(answers)
    result = expected.report()
    assert f"得分 {result.score} / {result.total}（{result.percent}%）" in report
    print(f"browser capstone run: {result.score} / {result.total} ({result.percent}%), "
          f"lost: {[(v.request_id, v.ask, v.points) for v in result.lost]}")

    record = json.loads(next(progress.glob("*.json")).read_text(encoding="utf-8"))
    assert record["capstone"]["score"] == result.score and record["capstone"]["passed"]
    certificate = next((progress / "certificates").glob("certificate-小林-*.html"))

    page = lab.page.context.new_page()
    try:
        page.goto(certificate.as_uri())
        assert page.locator(".name").inner_text() == "小林"
        assert "结业证书" in page.locator("h1").inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{LESSON.notebook}-certificate.png"), full_page=True)
    finally:
        page.close()
