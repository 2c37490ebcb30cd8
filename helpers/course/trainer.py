"""The trainer's view of a class: read a folder of progress files, summarise, draw bars.

    data = read_folder("/srv/class/progress")     # every *.json; a bad one becomes a Problem
    summary_rows(data)                            # one dict per trainee (plain Python)
    summary_frame(data)                           # the same as a pandas DataFrame
    bar_chart_svg([("小林", 94), ("小陈", 74)], pass_mark=80)   # inline SVG, no library

A malformed file never stops the summary: it is listed with its name and the reason (the same
check the progress store uses). pandas is imported only inside `summary_frame`, so importing
`helpers` stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import data_path
from ..strings import t
from .progress import Progress, parse_file, to_progress

if TYPE_CHECKING:
    import pandas

FONTS = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif'


class TrainerError(Exception):
    """The folder cannot be read at all (a missing folder); the message says which."""


@dataclass(frozen=True)
class Problem:
    file: str
    reason: str


@dataclass(frozen=True)
class ClassData:
    folder: Path
    records: tuple[tuple[str, Progress], ...]  # (file name, progress)
    problems: tuple[Problem, ...]


def sample_folder() -> Path:
    """The synthetic class shipped with the course (data/sample_progress/)."""
    return data_path("sample_progress")


def read_folder(folder: Path | str | None = None) -> ClassData:
    """Every progress file in `folder` (default: the sample class)."""
    folder = Path(folder).expanduser() if folder else sample_folder()
    if not folder.is_dir():
        raise TrainerError(t("trainer.no_folder", folder=folder))
    records, problems = [], []
    for path in sorted(folder.glob("*.json")):
        if ".corrupt-" in path.name:
            problems.append(Problem(path.name, t("trainer.problem_set_aside")))
            continue
        try:
            records.append((path.name, to_progress(parse_file(path))))
        except ValueError as error:
            problems.append(Problem(path.name, t("trainer.problem_read", reason=error)))
    return ClassData(folder, tuple(records), tuple(problems))


def quiz_percent(progress: Progress) -> int | None:
    """The mean of the best quiz scores, in percent (None when no quiz was taken)."""
    shares = [q.best / q.total for q in progress.quizzes.values() if q.total]
    return round(100 * sum(shares) / len(shares)) if shares else None


def summary_rows(data: ClassData) -> list[dict[str, object]]:
    """One row per trainee, keyed by the catalog's column names."""
    rows = []
    for file, progress in data.records:
        capstone = progress.capstone
        quiz = quiz_percent(progress)
        rows.append({
            t("trainer.col_trainee"): progress.trainee,
            t("trainer.col_done"): len(progress.lessons_done),
            t("trainer.col_quiz"): t("trainer.percent", value=quiz) if quiz is not None
            else t("trainer.not_taken"),
            t("trainer.col_capstone"): t("trainer.percent", value=capstone.percent) if capstone
            else t("trainer.not_taken"),
            t("trainer.col_passed"): (t("trainer.passed_yes") if capstone.passed else t("trainer.passed_no"))
            if capstone else t("trainer.not_taken"),
            t("trainer.col_certificate"): "、".join(progress.certificates) or t("trainer.not_taken"),
            t("trainer.col_updated"): progress.updated[:16].replace("T", " "),
            t("trainer.col_file"): file,
        })
    return rows


def find_certificate(data: ClassData, number: str) -> tuple[str, Progress] | None:
    """(file, record) of the trainee whose certificate has `number`, e.g. 「20261201-7F3A2C」."""
    wanted = number.strip().upper()
    return next(((file, p) for file, p in data.records if wanted in p.certificates), None)


def summary_frame(data: ClassData) -> pandas.DataFrame:
    import pandas

    return pandas.DataFrame(summary_rows(data))


def lesson_quiz_percents(data: ClassData) -> list[tuple[str, int]]:
    """Per lesson, the class's mean best quiz score in percent (lessons in course order)."""
    shares: dict[str, list[float]] = {}
    for _file, progress in data.records:
        for lesson, quiz in progress.quizzes.items():
            if quiz.total:
                shares.setdefault(lesson, []).append(quiz.best / quiz.total)
    return [(lesson, round(100 * sum(v) / len(v))) for lesson, v in sorted(shares.items())]


def capstone_percents(data: ClassData) -> list[tuple[str, int]]:
    return [(p.trainee, p.capstone.percent) for _file, p in data.records if p.capstone]


def class_line(data: ClassData) -> str:
    quizzes = [q for _f, p in data.records if (q := quiz_percent(p)) is not None]
    mean = (t("trainer.percent", value=round(sum(quizzes) / len(quizzes))) if quizzes
            else t("trainer.not_taken"))
    passed = sum(1 for _f, p in data.records if p.capstone and p.capstone.passed)
    return t("trainer.summary", count=len(data.records), passed=passed, quiz=mean)


def bar_chart_svg(bars: Sequence[tuple[str, int]], title: str = "", pass_mark: int | None = None,
                  width: int = 560) -> str:
    """Horizontal bars (0-100 %) as inline SVG: no library, no external font or script."""
    # CJK glyphs at 12 px are about 12 px wide: room for the longest label, within reason
    longest = max((len(label) for label, _value in bars), default=4)
    label_w = min(max(13 * longest + 12, 80), width // 2)
    bar_h, gap, top = 18, 8, 28 if title else 8
    plot_w = width - label_w - 50
    height = top + len(bars) * (bar_h + gap) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" style="font-family: {escape(FONTS)}">']
    if title:
        parts.append(f'<text x="0" y="16" font-size="14" font-weight="bold" '
                     f'fill="var(--jp-ui-font-color1, #222)">{escape(title)}</text>')
    for number, (label, value) in enumerate(bars):
        y = top + number * (bar_h + gap)
        length = max(0, min(100, value)) * plot_w / 100
        failing = pass_mark is not None and value < pass_mark
        colour = "var(--jp-error-color1, #d32f2f)" if failing else "var(--jp-brand-color1, #1976d2)"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" font-size="12" text-anchor="end" '
            f'fill="var(--jp-ui-font-color1, #222)">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h}" fill="{colour}">'
            f"<title>{escape(label)}: {value}%</title></rect>"
            f'<text x="{label_w + length + 4:.1f}" y="{y + 13}" font-size="12" '
            f'fill="var(--jp-ui-font-color1, #222)">{value}%</text>')
    if pass_mark is not None:
        x = label_w + pass_mark * plot_w / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 4}" '
                     f'stroke="var(--jp-warn-color1, #f57c00)" stroke-dasharray="4 3"/>')
    parts.append("</svg>")
    return "".join(parts)
