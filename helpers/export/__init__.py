"""Lesson 08's data side: a shop's after-sales export, read, checked and measured (pandas).

    from helpers.export import read_export, review
    result = read_export("导出.csv")          # never raises for a bad file: see result.report
    figures = review(result.frame, load_policy(), load_suppliers())

`importer` reads and checks, `analytics` measures and replays the strategies, `charts` draws,
`generate` makes the synthetic sample. Importing `helpers` does not import this package, so
pandas is loaded only by the lesson (and the command `python -m helpers check-export`) that
needs it.
"""

from .analytics import Review, review, select
from .importer import ImportReport, ImportResult, read_export, rejected_csv

__all__ = ["ImportReport", "ImportResult", "Review", "read_export", "rejected_csv", "review", "select"]
