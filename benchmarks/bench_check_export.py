"""check-export on hostile files against a normal 3000-row export: time and peak memory.

    .venv/bin/python benchmarks/bench_check_export.py [--repeat R]

The files are made by tests/make_corpus.py (a 1 MB zip bomb that unpacks to 1 GiB, a NUL byte
deep in a 3000-row file, a 2 MB header, 100,000 columns, …). Each run is a fresh
`python -m helpers check-export FILE`; its peak RSS comes from wait4 (this script stays small and
imports nothing heavy, so the figure is the child's own). "import only" is the same process
doing nothing but importing the importer: what is left is the work on the file. Printed, never
asserted (tests do not time anything); the median of R runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORT_ONLY = [sys.executable, "-c", "import helpers.__main__, helpers.export.importer"]


def measure(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of one run of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    peak = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return wall, peak, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-check-export-"))
    # The corpus is made in its own process, so this one stays small (see wait4 above).
    subprocess.run([sys.executable, str(ROOT / "tests" / "make_corpus.py"), str(folder)], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    files = sorted((p for p in folder.iterdir() if p.is_file()), key=lambda p: -p.stat().st_size)
    normal = folder / "normal_3000.csv"
    rows = [("import only", None, IMPORT_ONLY)]
    rows += [(p.name, p, [sys.executable, "-m", "helpers", "check-export", str(p)])
             for p in [normal, *(f for f in files if f != normal)]]
    print(f"check-export, median of {args.repeat} runs (peak = the process's peak RSS)")
    print(f"{'file':26} {'size':>10} {'exit':>4} {'time s':>7} {'peak MiB':>9} {'over import':>11}")
    base_peak = 0.0
    for name, path, command in rows:
        runs = [measure(command) for _ in range(args.repeat)]
        wall = statistics.median(r[0] for r in runs)
        peak = statistics.median(r[1] for r in runs)
        if path is None:
            base_peak = peak
        size = f"{path.stat().st_size / 1e6:.2f} MB" if path else "—"
        print(f"{name:26} {size:>10} {runs[0][2]:>4} {wall:>7.2f} {peak:>9.1f} {peak - base_peak:>+11.1f}")
    bomb = folder / "zip_bomb.xlsx"
    if bomb.exists():
        import zipfile

        with zipfile.ZipFile(bomb) as book:
            unpacked = sum(i.file_size for i in book.infolist())
        print(f"(zip_bomb.xlsx unpacks to {unpacked / 2**30:.2f} GiB; it is refused from its zip directory)")


if __name__ == "__main__":
    main()
