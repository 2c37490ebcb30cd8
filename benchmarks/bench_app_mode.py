"""App mode against JupyterLab: from opening a lesson to every widget on it interactive (issue 10).

    .venv/bin/python benchmarks/bench_app_mode.py [--rounds 1] [--lessons 00 01 …]

One run, side by side, in headless Chromium at 1366×768 with the browser tests' harness:

- app mode: `make app`'s Voilà (helpers/course/app.py, every lesson's kernel preheated), the
  time from `page.goto` until Voilà shows the cells and every widget output has a rendered view
  (tests/browser/voila.py, `AppPage.open`);
- JupyterLab: the same lesson opened and run with Lab's own run-all, until every cell has run,
  the kernel is idle and every widget has rendered (tests/browser/lab.py, `Lab.open` + `run_all`).

Lessons alternate between the two, so a preheated pool refills while Lab runs. Prints a table
and the medians (target: app mode ≤ 2 s median and faster than Lab for every lesson); writes
benchmarks/out/app_mode.json. Figures only: nothing is asserted; the exit status is non-zero only
when a page cannot be driven.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from helpers.course.app import INDEX  # noqa: E402
from helpers.course.workspace import lessons  # noqa: E402
from tests.browser.lab import Lab, LabServer, chromium_missing, launch_chromium  # noqa: E402
from tests.browser.voila import AppPage, VoilaServer, voila_missing  # noqa: E402

OUT = REPO / "benchmarks" / "out"
LAPTOP = {"width": 1366, "height": 768}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="times each lesson is opened in each mode")
    parser.add_argument("--lessons", nargs="*", help="lesson number prefixes (default: all)")
    args = parser.parse_args()
    reason = chromium_missing() or voila_missing()
    if reason:
        print(f"bench_app_mode: skipped: {reason}")
        return 0
    stems = [x.stem for x in lessons() if not args.lessons or x.stem[:2] in args.lessons]
    from playwright.sync_api import sync_playwright

    rows: dict[str, dict[str, list[float]]] = {s: {"app": [], "lab": []} for s in stems}
    with VoilaServer(preheat=[INDEX, *(f"{s}.ipynb" for s in stems)]) as voila, LabServer() as lab_server:
        voila.wait_pools_filled(len(stems) + 1)
        time.sleep(5)  # the pools' notebooks finish running
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for _round in range(args.rounds):
                for stem in stems:
                    context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
                    rows[stem]["app"].append(AppPage(context.new_page(), voila).open(f"{stem}.ipynb"))
                    context.close()
                    context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
                    lab = Lab(context.new_page(), lab_server)
                    start = time.perf_counter()
                    lab.open(f"{stem}.ipynb")
                    lab.run_all()
                    rows[stem]["lab"].append(time.perf_counter() - start)
                    context.close()
                    lab_server.shutdown_kernels()
            browser.close()

    print(f"\n{'lesson':<28} {'app mode s':>10} {'Lab open+run-all s':>19} {'Lab / app':>9}")
    app_medians, lab_medians = [], []
    for stem in stems:
        app_s, lab_s = statistics.median(rows[stem]["app"]), statistics.median(rows[stem]["lab"])
        app_medians.append(app_s)
        lab_medians.append(lab_s)
        print(f"{stem:<28} {app_s:>10.2f} {lab_s:>19.2f} {lab_s / app_s:>8.1f}×")
    app_med, lab_med = statistics.median(app_medians), statistics.median(lab_medians)
    print(f"{'median over lessons':<28} {app_med:>10.2f} {lab_med:>19.2f} {lab_med / app_med:>8.1f}×")
    faster = sum(a < b for a, b in zip(app_medians, lab_medians, strict=True))
    print(f"app mode faster than Lab in {faster} of {len(stems)} lessons; target ≤ 2 s median: "
          f"{'met' if app_med <= 2 else 'not met'}")
    OUT.mkdir(exist_ok=True)
    (OUT / "app_mode.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
