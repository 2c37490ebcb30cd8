"""From a click to the result on screen: lesson 01's explorer in a real JupyterLab (issue 3).

    .venv/bin/python benchmarks/bench_click_latency.py [--cycles 6] [--notebook 01_aftersales_basics]

Opens the lesson in headless Chromium with the browser tests' harness (tests/browser/lab.py), runs
all cells, then walks the explorer through a whole 退货退款 case again and again: 同意退货申请 →
买家寄回商品 → 确认收到退货并退款 → 重新开始, four clicks per cycle, each changing the state shown.

For every click it records the time from the page receiving the click to the first frame in
which `.explorer-state` shows the new state (the widget's round trip through the kernel and
the redraw), and the same seen from the Python driver. It prints the median and p90 (target: a
median under 200 ms). Figures only: nothing is asserted on them; the exit status is non-zero
only when the lesson cannot be driven.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from lab import Lab, LabServer, chromium_missing, in_ci, launch_chromium  # noqa: E402

from helpers import BuyerAction, MerchantAction, Status, t  # noqa: E402

OUT = REPO / "benchmarks" / "out"
STATE = ".explorer-state"
TARGET_MS = 200.0
WARM_UP_CYCLES = 1  # the first clicks load code paths in kernel and page; not counted


def cycle() -> list[tuple[str, str, str]]:
    """(button text, button selector, state label expected after the click) for one whole case."""
    return [
        (MerchantAction.AGREE_RETURN.label, ".explorer-action", Status.AWAIT_BUYER_RETURN.label),
        (BuyerAction.SHIP_BACK.label, ".explorer-action", Status.AWAIT_SECOND_REVIEW.label),
        (MerchantAction.CONFIRM_RETURN_RECEIVED.label, ".explorer-action", Status.SUCCESS.label),
        (t("explorer.restart"), "button", Status.AWAIT_MERCHANT.label),
    ]


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def measure(lab: Lab, cycles: int) -> list[dict]:
    samples = []
    for number in range(WARM_UP_CYCLES + cycles):
        for text, selector, expected in cycle():
            shown, page_ms, driver_ms = lab.timed_click(text, STATE, selector)
            if expected not in shown:
                raise SystemExit(f"after「{text}」the explorer shows {shown!r}, expected「{expected}」")
            if number >= WARM_UP_CYCLES:
                samples.append({"click": text, "page_ms": page_ms, "driver_ms": driver_ms})
    lab.assert_no_errors()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=6, help="whole cases, 4 clicks each (default 6)")
    parser.add_argument("--notebook", default="01_aftersales_basics")
    parser.add_argument("--screenshot", action="store_true", help="save benchmarks/out/click_latency.png")
    args = parser.parse_args()

    reason = chromium_missing()
    if reason:
        print(f"click latency not measured: {reason}")
        return 1 if in_ci() else 0

    from playwright.sync_api import sync_playwright

    with LabServer() as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        lab = Lab(page, server, screenshots=OUT)
        lab.open(f"{args.notebook}.ipynb")
        lab.run_all()
        start = lab.wait_text(STATE, Status.AWAIT_MERCHANT.label)
        print(f"{args.notebook}: explorer ready ({start[:40]}…); {args.cycles} cycles × 4 clicks "
              f"after {WARM_UP_CYCLES} warm-up cycle", file=sys.stderr)
        samples = measure(lab, args.cycles)
        if args.screenshot:
            lab.screenshot("click_latency", focus=STATE)
        browser.close()

    page_ms = [s["page_ms"] for s in samples]
    driver_ms = [s["driver_ms"] for s in samples]
    print(f"\nclick → new state visible, lesson {args.notebook}, {len(samples)} clicks")
    print(f"{'':<34}{'median':>8}{'p90':>8}{'min':>8}{'max':>8}  (ms)")
    for name, values in (("in the page (click event → frame)", page_ms),
                         ("seen from the Python driver", driver_ms)):
        print(f"{name:<34}{statistics.median(values):>8.1f}{p90(values):>8.1f}"
              f"{min(values):>8.1f}{max(values):>8.1f}")
    print("\nper button (in the page, median ms):")
    for text, _selector, _expected in cycle():
        mine = [s["page_ms"] for s in samples if s["click"] == text]
        print(f"{statistics.median(mine):>8.1f}  {text} ({len(mine)} clicks)")
    median = statistics.median(page_ms)
    verdict = "under" if median < TARGET_MS else "OVER"
    print(f"\nmedian {median:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "click_latency.json").write_text(json.dumps(
        {"notebook": args.notebook, "median_ms": median, "p90_ms": p90(page_ms),
         "driver_median_ms": statistics.median(driver_ms), "samples": samples},
        ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
