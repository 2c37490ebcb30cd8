"""The quiz banks cannot be passed by pattern: over all banks, the right option is not the
uniquely longest (nor the uniquely shortest) much more often than chance, and no hedge word is a
tell that only right options carry.

Chance: a question of n options has its right one uniquely longest 1/n of the time when lengths
tell nothing, so over the banks it is the mean of 1/n; the test allows 10 points above that.
`pytest -s tests/course/test_quiz_fairness.py` prints the figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from helpers.course.quiz import Question, bank_files, load_bank_file

QUESTIONS = [(bank.lesson, q) for path in bank_files() for bank in [load_bank_file(path)]
             for q in bank.questions]
MARGIN = 0.10  # above chance
# Words that hedge a statement ("check the back office"): a trainee learns to pick them if only
# right options use them. A pattern, so 「以商家后台为准」 counts as 「以后台为准」.
HEDGES = {
    "以后台为准": r"以.{0,4}后台为准",
    "示例值": r"示例值",
    "示例": r"示例",
    "核对": r"核对",
    "确认": r"确认",
    "当前规则": r"当前规则",
    "具体": r"具体",
    "一般": r"一般",
    "通常": r"通常",
    "视情况": r"视情况",
}


def _unique(question: Question, pick) -> bool:
    lengths = [len(c.text) for c in question.choices]
    right = len(question.choice(question.answer).text)
    return right == pick(lengths) and lengths.count(right) == 1


@dataclass(frozen=True)
class Figures:
    questions: int
    chance: float  # mean of 1/n
    longest: int
    shortest: int


def figures() -> Figures:
    return Figures(
        questions=len(QUESTIONS),
        chance=sum(1 / len(q.choices) for _l, q in QUESTIONS) / len(QUESTIONS),
        longest=sum(_unique(q, max) for _l, q in QUESTIONS),
        shortest=sum(_unique(q, min) for _l, q in QUESTIONS),
    )


def hedge_counts() -> dict[str, tuple[int, int]]:
    """hedge → (right options using it, wrong options using it), over all banks."""
    counts = {}
    for name, pattern in HEDGES.items():
        right = wrong = 0
        for _lesson, question in QUESTIONS:
            for choice in question.choices:
                if re.search(pattern, choice.text):
                    if choice.id == question.answer:
                        right += 1
                    else:
                        wrong += 1
        counts[name] = (right, wrong)
    return counts


def test_report_the_figures(capsys):
    f = figures()
    with capsys.disabled():
        print(f"\nquiz banks: {f.questions} questions; chance {f.chance:.0%}; right option uniquely "
              f"longest {f.longest} ({f.longest / f.questions:.0%}), uniquely shortest {f.shortest} "
              f"({f.shortest / f.questions:.0%}); hedges (right, wrong): "
              + ", ".join(f"{h} {r}/{w}" for h, (r, w) in hedge_counts().items() if r or w))


@pytest.mark.parametrize("pick", ["longest", "shortest"])
def test_the_right_option_is_not_given_away_by_its_length(pick):
    f = figures()
    count = f.longest if pick == "longest" else f.shortest
    worst = [f"{lesson}:{q.id}" for lesson, q in QUESTIONS if _unique(q, max if pick == "longest" else min)]
    assert count / f.questions <= f.chance + MARGIN, (
        f"the right option is the uniquely {pick} in {count} of {f.questions} questions "
        f"({count / f.questions:.0%}); chance is {f.chance:.0%}, allowed {f.chance + MARGIN:.0%}: "
        f"{', '.join(worst)}")


@pytest.mark.parametrize("hedge", HEDGES)
def test_no_hedge_word_appears_only_in_right_options(hedge):
    right, wrong = hedge_counts()[hedge]
    assert not (right and not wrong), (
        f"「{hedge}」 appears in {right} right option(s) and in no wrong one: a tell")


def test_the_tests_would_catch_the_old_banks():
    """The checks bite: a bank where the right option is always the longest and alone hedges."""
    from helpers.course.quiz import parse_bank

    bank = parse_bank("\n".join(
        f'[[questions]]\nid = "q{i}"\nprompt = "?"\nanswer = "a"\nexplanation = "…"\n'
        '[[questions.choices]]\nid = "a"\ntext = "示例值，以商家后台为准"\n'
        '[[questions.choices]]\nid = "b"\ntext = "不是"\nwhy_wrong = "…"\n' for i in range(4)),
        "x", "x.toml")
    assert all(_unique(q, max) for q in bank.questions)
    assert all(re.search(HEDGES["以后台为准"], q.choice("a").text) for q in bank.questions)
