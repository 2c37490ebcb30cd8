"""How long `import helpers` takes, and how long each lesson takes to run against the kernel's floor.

    .venv/bin/python benchmarks/bench_notebooks.py [--repeat 5] [--imports 7] [notebooks/01_*.ipynb ...]

1. `import helpers` in a fresh interpreter, best of N, and whether ipywidgets or pandas came along
   (they must not: the core stays light).
2. Every notebook executed headlessly (nbclient, a fresh kernel each time, as nbval does) beside an
   empty notebook, which costs only the kernel's start and shutdown: the floor. The runs are
   interleaved round by round, so a busy moment of the machine hits all of them alike.
   - wall: seconds from starting the kernel to its shutdown. The ratio is best against best (the
     least disturbed run of each, the usual "best of N" on a shared machine); the ratio of the
     medians is printed too (issue 2: keep the ratio under 2).
   - kernel CPU: the kernel process's own CPU seconds (user + system, from its start to the end
     of the last cell), read by one probe cell appended to every notebook, the empty one too. It
     hardly moves when other jobs load the machine, so it is the figure to compare across runs.

Figures are printed (and saved to benchmarks/out/notebooks.json); nothing here asserts a time.
The exit status is non-zero only when a notebook fails or the import pulls in a heavy library.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
OUT = REPO / "benchmarks" / "out"
FLOOR = "(empty notebook)"
CELL_TIMEOUT = 300  # s

IMPORT_PROBE = """
import json, sys, time
start = time.perf_counter()
import helpers
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "ipywidgets": "ipywidgets" in sys.modules,
                  "pandas": "pandas" in sys.modules}))
"""
CPU_PROBE = "import os as _o; _t = _o.times(); print('kernel-cpu', _t.user + _t.system)"


def import_cost(runs: int) -> dict:
    samples, last = [], {}
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True,
                                check=True, cwd=tempfile.gettempdir())
        last = json.loads(result.stdout.strip().splitlines()[-1])
        samples.append(last["seconds"])
    return {"best_ms": min(samples) * 1000, "median_ms": statistics.median(samples) * 1000,
            "runs": runs, "ipywidgets": last["ipywidgets"], "pandas": last["pandas"]}


def execute(notebook: nbformat.NotebookNode, workdir: Path) -> tuple[float, float]:
    """(wall seconds, kernel CPU seconds) to run `notebook` in a fresh kernel."""
    notebook = nbformat.from_dict(notebook)
    notebook.cells.append(nbformat.v4.new_code_cell(CPU_PROBE))
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    # The kernel's own chatter (a warning per start) goes to a log, not between the figures.
    with open(workdir / "kernels.log", "ab") as log:
        start = time.perf_counter()
        client.execute(stderr=log)
        wall = time.perf_counter() - start
    printed = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    return wall, float(printed.split("kernel-cpu", 1)[1])


def bench_notebooks(paths: list[Path], repeat: int) -> tuple[list[dict], list[str]]:
    empty = nbformat.v4.new_notebook()
    empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    sources = {FLOOR: empty} | {p.stem: nbformat.read(p, as_version=4) for p in paths}
    walls: dict[str, list[float]] = {name: [] for name in sources}
    cpus: dict[str, list[float]] = {name: [] for name in sources}
    failures: list[str] = []
    # A scratch working directory, as a trainee's copy would be: the lessons find data/ through
    # the installed package, and whatever they write stays out of the repository.
    with tempfile.TemporaryDirectory(prefix="bench-notebooks-") as scratch:
        execute(empty, Path(scratch))  # warm the disk cache; not counted
        for round_ in range(1, repeat + 1):
            for name, notebook in sources.items():
                if name in failures:
                    continue
                try:
                    wall, cpu = execute(notebook, Path(scratch))
                except CellExecutionError as error:
                    failures.append(name)
                    print(f"{name}: a cell failed:\n{str(error)[:2000]}", file=sys.stderr)
                    continue
                walls[name].append(wall)
                cpus[name].append(cpu)
            print(f"  round {round_}/{repeat} done", file=sys.stderr, flush=True)
    floor_best, floor_median = min(walls[FLOOR]), statistics.median(walls[FLOOR])
    floor_cpu = statistics.median(cpus[FLOOR])
    rows = []
    for name, samples in walls.items():
        if not samples:
            continue
        best, median, cpu = min(samples), statistics.median(samples), statistics.median(cpus[name])
        rows.append({"notebook": name, "cells": len(sources[name].cells), "runs": len(samples),
                     "best_s": best, "median_s": median, "max_s": max(samples),
                     "ratio": best / floor_best, "median_ratio": median / floor_median,
                     "cpu_s": cpu, "cpu_ratio": cpu / floor_cpu})
    return rows, failures


def print_table(rows: list[dict]) -> None:
    width = max(len(r["notebook"]) for r in rows)
    print(f"\n{'':<{width}}  {'':>5}  {'wall (s)':^24}  {'ratio to floor':^16}  {'kernel CPU':^14}")
    print(f"{'notebook':<{width}}  cells  {'best':>6}  {'median':>7}  {'max':>6}"
          f"  {'best':>6}  {'median':>7}  {'s':>5}  {'ratio':>6}")
    for r in rows:
        flag = "  (over 2)" if r["ratio"] >= 2 else ""
        print(f"{r['notebook']:<{width}}  {r['cells']:>5}  {r['best_s']:>6.2f}  {r['median_s']:>7.2f}"
              f"  {r['max_s']:>6.2f}  {r['ratio']:>6.2f}  {r['median_ratio']:>7.2f}"
              f"  {r['cpu_s']:>5.2f}  {r['cpu_ratio']:>6.2f}{flag}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--repeat", type=int, default=5, help="executions per notebook")
    parser.add_argument("--imports", type=int, default=7, help="fresh interpreters for the import")
    args = parser.parse_args()
    paths = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))

    cost = import_cost(args.imports)
    print(f"import helpers: best {cost['best_ms']:.1f} ms, median {cost['median_ms']:.1f} ms "
          f"(fresh interpreter, {cost['runs']} runs); "
          f"ipywidgets imported: {'YES' if cost['ipywidgets'] else 'no'}, "
          f"pandas imported: {'YES' if cost['pandas'] else 'no'}")

    rows: list[dict] = []
    failures: list[str] = []
    if paths:
        print(f"executing {len(paths)} notebook(s) + the empty floor, {args.repeat} interleaved round(s)…",
              file=sys.stderr)
        rows, failures = bench_notebooks(paths, args.repeat)
        print_table(rows)
        for name in failures:
            print(f"{name}: FAILED (see above)")
    else:
        print("no notebooks to run")

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "notebooks.json").write_text(json.dumps(
        {"import": cost, "notebooks": rows, "failures": failures, "python": sys.version.split()[0]},
        ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if failures or cost["ipywidgets"] or cost["pandas"] else 0


if __name__ == "__main__":
    sys.exit(main())
