"""Every lesson in a real JupyterLab: open it, run all cells, interact, read the result off the page.

Each notebook has one `Lesson` entry: its `Step`s each do one thing through the widgets (click,
pick, answer) and return the text the page then shows; `expect` is a regular expression that text
must match (`re.search`). After every step no cell, Output widget or widget callback may show an
error, and a screenshot is kept in tests/browser/screenshots/<notebook>.png. `run_lesson` does all
of that for an entry.

An entry lives either in LESSONS below, or as `LESSON` in the lesson's own file
tests/browser/test_lesson_NN.py, e.g.:

    from test_lessons import Lesson, Step, quiz_step, run_lesson

    LESSON = Lesson("06_good_practice", (
        Step("the queue is sorted by deadline",
             lambda lab: lab.click_and_read("开始计时", ".queue-table"), expect=r"剩余"),
        quiz_step(),
    ), focus=".queue-table")

    def test_lesson_06_in_browser(lab):
        run_lesson(lab, LESSON)

The CSS classes are the lesson's browser contract, set with `widget.add_class(...)` in its app.
`Lab` (tests/browser/lab.py) has the verbs: click, click_and_read, select, toggle, text, wait_text,
answer_quiz, screenshot. A notebook without an entry still runs here (run all, no errors), and
test_every_notebook_has_an_entry fails until it gets one.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import AfterSaleType, MerchantAction, Status, t
from tests.browser.lab import NOTEBOOKS, Lab

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Step:
    what: str  # said in the failure message
    do: Callable[[Lab], str]  # acts on the page, returns the text it then shows
    expect: str  # regular expression the returned text must match


@dataclass(frozen=True)
class Lesson:
    notebook: str  # file stem in notebooks/
    steps: tuple[Step, ...] = ()
    focus: str | None = None  # CSS selector scrolled into view for the screenshot
    run_only: bool = False  # True only for a lesson with nothing to click (then no steps)
    laptop: bool = False  # run in a 1366×650 page (a 1366×768 laptop) and check nothing overflows


def run_lesson(lab: Lab, lesson: Lesson) -> None:
    """Open the lesson, run all cells, do its steps, check each result, keep a screenshot."""
    path = NOTEBOOKS / f"{lesson.notebook}.ipynb"
    if not path.exists():
        pytest.fail(f"{path} has a Lesson entry but does not exist", pytrace=False)
    if lesson.laptop:
        lab.page.set_viewport_size(LAPTOP)
    lab.open(path.name)
    lab.run_all()
    for step in lesson.steps:
        shown = step.do(lab)
        assert re.search(step.expect, shown), (
            f"{lesson.notebook}: {step.what}: expected /{step.expect}/, the page shows {shown!r}")
        lab.assert_no_errors()
    lab.assert_no_errors()
    if lesson.laptop:
        assert layout_problems(lab) == [], f"{lesson.notebook}: does not fit 1366×650"
    lab.screenshot(lesson.notebook, focus=lesson.focus)


# ---- the laptop screen: 1366×768, of which Chrome leaves about 1366×650 to the page ----------
LAPTOP = {"width": 1366, "height": 650}

# In the lesson's outputs: anything reaching past the window's right edge, any box that scrolls
# sideways, any button whose label is cut off.
_LAYOUT_JS = """() => {
  const root = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const out = [];
  const name = (el) => `${el.tagName.toLowerCase()}.${String(el.className).split(' ').join('.')}`
    + ` «${(el.textContent || '').trim().slice(0, 24)}»`;
  if (document.documentElement.scrollWidth > window.innerWidth) out.push('the page scrolls sideways');
  for (const el of root.querySelectorAll('.jp-OutputArea-output *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > window.innerWidth + 1) out.push('wider than the window: ' + name(el));
    const overflow = getComputedStyle(el).overflowX;
    if (overflow !== 'visible' && el.scrollWidth > el.clientWidth + 1) {
      out.push((el.tagName === 'BUTTON' ? 'label cut off: ' : 'scrolls sideways: ') + name(el));
    }
  }
  return out.slice(0, 10);
}"""


def layout_problems(lab: Lab) -> list[str]:
    """What does not fit the window in the open lesson's outputs (empty when all fits)."""
    return lab.page.evaluate(_LAYOUT_JS)


def in_view(lab: Lab, selector: str) -> str:
    """「在视野内」 when the middle of the first `selector` is inside the notebook's visible area."""
    script = """(sel) => {
      const el = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) ' + sel);
      const area = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
      if (!el || !area) return 'missing';
      const box = el.getBoundingClientRect(), view = area.getBoundingClientRect();
      const middle = (box.top + Math.min(box.bottom, box.top + 120)) / 2;
      return middle > view.top && middle < view.bottom ? '在视野内'
        : `不在视野内：${Math.round(box.top)}–${Math.round(box.bottom)}，`
          + `可见 ${Math.round(view.top)}–${Math.round(view.bottom)}`;
    }"""
    return lab.page.evaluate(script, selector)


def quiz_step(question: int = 1, choice: int = 1) -> Step:
    """Answer one quiz question; the feedback must say right or wrong (and why)."""
    verdict = "|".join(re.escape(t(key)) for key in ("quiz.right", "quiz.wrong"))
    return Step(f"quiz question {question} gives feedback",
                lambda lab: lab.answer_quiz(question, choice), expect=verdict)


def explorer_start(type_: AfterSaleType) -> Callable[[Lab], str]:
    """Pick the after-sale type in the explorer and wait for a fresh case at 待商家同意."""
    def start(lab: Lab) -> str:
        lab.select(t("explorer.type"), type_.label)
        return lab.wait_text(".explorer-state", re.escape(Status.AWAIT_MERCHANT.label))
    return start


def explorer_move(move: MerchantAction) -> Callable[[Lab], str]:
    """Click an explorer action and return the state it leads to."""
    return lambda lab: lab.click_and_read(move.label, ".explorer-state", selector=".explorer-action")


def grey_click_in_view(lab: Lab) -> str:
    """Click 「确认收到退货并退款」 while nothing came back: refused; is the reason on screen?"""
    lab.click_and_read(MerchantAction.CONFIRM_RETURN_RECEIVED.label, ".explorer-message",
                       selector=".explorer-action")
    return lab.text(".explorer-message") + " " + in_view(lab, ".explorer-message")


LESSONS = (
    Lesson("00_start_here", (
        Step("the demo explorer starts at 待商家同意",
             lambda lab: lab.text(".explorer-state"), expect=Status.AWAIT_MERCHANT.label),
        Step("同意售前退申请 ends the unshipped refund in 售后成功",
             explorer_move(MerchantAction.AGREE_PRESALE_REFUND), expect=Status.SUCCESS.label),
        quiz_step(),
    ), focus=".explorer-state"),
    Lesson("01_aftersales_basics", (
        Step("a 退货退款 case starts at 待商家同意",
             explorer_start(AfterSaleType.RETURN_REFUND), expect=Status.AWAIT_MERCHANT.label),
        Step("a grey button is refused, and the reason is in view beside the buttons",
             grey_click_in_view, expect="在视野内"),
        Step("同意退货申请 leads to 待买家退货",
             explorer_move(MerchantAction.AGREE_RETURN), expect=Status.AWAIT_BUYER_RETURN.label),
        Step("the message names the move",
             lambda lab: lab.wait_text(".explorer-message", re.escape(MerchantAction.AGREE_RETURN.label)),
             expect=MerchantAction.AGREE_RETURN.label),
        quiz_step(),
    ), focus=".explorer-state", laptop=True),
)


def lesson_files() -> Iterator[tuple[str, Lesson]]:
    """(module, entry) for every `LESSON` / `LESSONS` in tests/browser/test_lesson_*.py."""
    for path in sorted(HERE.glob("test_lesson_*.py")):
        try:
            module = importlib.import_module(f"{__package__}.{path.stem}")
        except Exception:  # pytest reports the broken file when it collects it
            continue
        entries = getattr(module, "LESSONS", ()) or (getattr(module, "LESSON", None),)
        for lesson in entries:
            # By shape, not isinstance: under pytest's importlib mode this module can be loaded
            # twice, each copy with its own Lesson class.
            if isinstance(getattr(lesson, "notebook", None), str):
                yield path.stem, lesson


def notebook_stems() -> set[str]:
    return {path.stem for path in NOTEBOOKS.glob("*.ipynb")}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Lazily, at collection: a lesson file imports this module, so this module must not import
    # it while being imported itself.
    if "lesson" in metafunc.fixturenames:
        elsewhere = {lesson.notebook for _module, lesson in lesson_files()}
        here = {lesson.notebook: lesson for lesson in LESSONS}
        for stem in notebook_stems() - here.keys() - elsewhere:
            here[stem] = Lesson(stem, run_only=True)  # runs; test_every_notebook_has_an_entry fails
        lessons = sorted(here.values(), key=lambda lesson: lesson.notebook)
        metafunc.parametrize("lesson", lessons, ids=[lesson.notebook for lesson in lessons])


def test_every_notebook_has_an_entry() -> None:
    """Every lesson has exactly one entry, with at least one interaction (see the docstring)."""
    entries = [("test_lessons", lesson) for lesson in LESSONS] + list(lesson_files())
    owners: dict[str, list[str]] = {}
    for module, lesson in entries:
        owners.setdefault(lesson.notebook, []).append(module)
        assert lesson.steps or lesson.run_only, f"{lesson.notebook}: add a Step that uses its widgets"
        assert not (lesson.steps and lesson.run_only), f"{lesson.notebook}: run_only with steps"
    missing = sorted(notebook_stems() - owners.keys())
    assert missing == [], "give these notebooks a Lesson entry (see tests/browser/test_lessons.py)"
    twice = {stem: modules for stem, modules in owners.items() if len(modules) > 1}
    assert twice == {}, "a notebook has more than one Lesson entry"


def test_lesson_in_browser(lab: Lab, lesson: Lesson) -> None:
    run_lesson(lab, lesson)
