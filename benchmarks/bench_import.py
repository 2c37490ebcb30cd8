"""Lesson 08 at scale: a 1,000,000-row export, imported and checked, then analysed.

    .venv/bin/python benchmarks/bench_import.py [--rows N] [--repeat R]

Three comparisons, printed side by side (never asserted: tests do not time anything):
- import-and-validate (`read_export`) against plain `pandas.read_csv` of the same file: time and
  peak memory. Each run is a fresh process that imports the same modules first; peak memory is
  its peak RSS (VmHWM, Linux) less its RSS before the work, the same way for both. "Raw
  DataFrame" is what `pandas.read_csv` returns; its deep size counts a repeated string once per
  row, so it overstates what the frame really holds.
- the lesson's analytics (`analytics.review`) against the same aggregations in DuckDB, both on
  data already in memory (the frame for pandas, a DuckDB table for DuckDB). The strategy
  decisions come from the engine for both, inside the timing.
The runs alternate between the two sides and the median is reported, so a busy machine slows
both alike. Needs the `bench` extra (duckdb).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"import_time": 3.0, "import_memory": 2.0, "analytics_time": 2.0}


def _status(field: str) -> int:
    """A size from /proc/self/status, in bytes (VmRSS now, VmHWM the peak of this process)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def _reset_peak() -> None:
    # ru_maxrss would carry the parent's peak across fork+exec; VmHWM belongs to this process,
    # and writing 5 to clear_refs starts it again from the current RSS.
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


# ---- the child processes -------------------------------------------------------------------

def child_import(side: str, path: str) -> dict:
    import gc

    import pandas as pd

    from helpers.export.importer import read_export

    gc.collect()
    _reset_peak()
    before = _status("VmRSS")
    wall, cpu = time.perf_counter(), time.process_time()
    if side == "read_csv":
        frame = pd.read_csv(path)
        rejected = 0
    else:
        result = read_export(path)
        frame, rejected = result.frame, result.report.rows_rejected
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"wall": wall, "cpu": cpu, "peak": _status("VmHWM") - before, "rows": len(frame),
            "rejected": rejected, "frame": int(frame.memory_usage(deep=True).sum())}


DUCKDB_SETUP = """
CREATE OR REPLACE TABLE cases AS SELECT * FROM frame;
"""

DUCKDB_MEASURES = """
CREATE OR REPLACE TEMP TABLE m AS
WITH base AS (
    SELECT type, status, supplier, product, reason, refund_fen, applied_at,
           logistics = '拦截成功' AS intercepted,
           epoch(answered_at - applied_at) / 3600 AS answer_h,
           epoch(closed_at - applied_at) / 3600 AS finish_h
    FROM cases
), flags AS (
    SELECT *,
           NOT ((answer_h IS NULL AND status = '买家已撤销')
                OR (answer_h IS NULL AND status = '待商家同意'
                    AND applied_at > (SELECT max(greatest(applied_at, answered_at, closed_at)) FROM cases)
                                     - to_seconds(CAST($deadline * 3600 AS BIGINT)))) AS needs
    FROM base
)
SELECT *, needs AND coalesce(answer_h <= $deadline, false) AS on_time,
       needs AND NOT coalesce(answer_h <= $deadline, false) AS missed,
       type IN ('退货退款', '换货') AS is_return,
       reason IN ('质量问题', '收到商品破损', '发错货', '与商品描述不符') AS fault,
       status IN ('商家一次拒绝', '商家二次拒绝') AS refused
FROM flags;
"""

DUCKDB_QUERIES = {
    "summary": """
        SELECT count(*), min(applied_at), max(applied_at), sum(on_time::INT) / sum(needs::INT),
               sum(missed::INT), median(answer_h), avg((refund_fen > 0)::INT), sum(refund_fen)
        FROM m""",
    "times": """
        SELECT type, count(*), count(answer_h), median(answer_h), quantile_cont(answer_h, 0.9),
               median(finish_h), quantile_cont(finish_h, 0.9), sum(on_time::INT) / sum(needs::INT),
               sum(missed::INT)
        FROM m GROUP BY type ORDER BY type""",
    "refunds": """
        SELECT type, count(*), sum((refund_fen > 0)::INT), sum(refund_fen), avg((refund_fen > 0)::INT)
        FROM m GROUP BY type ORDER BY type""",
    "reasons": """
        SELECT reason, count(*) AS n, n / (SELECT count(*) FROM m) FROM m GROUP BY reason ORDER BY n DESC""",
    "suppliers": """
        SELECT p.supplier, count(*), sum(is_return::INT), avg(fault::INT), sum(refund_fen), any_value(t.top)
        FROM m p LEFT JOIN (
            SELECT supplier, arg_max(reason, n) AS top FROM (
                SELECT supplier, reason, count(*) AS n FROM m WHERE is_return GROUP BY ALL)
            GROUP BY supplier) t USING (supplier)
        GROUP BY p.supplier ORDER BY 3 DESC, 2 DESC""",
    "products": """
        SELECT p.product, count(*), sum(is_return::INT), avg(fault::INT), sum(refund_fen), any_value(t.top),
               any_value(p.supplier)
        FROM m p LEFT JOIN (
            SELECT product, arg_max(reason, n) AS top FROM (
                SELECT product, reason, count(*) AS n FROM m WHERE is_return GROUP BY ALL)
            GROUP BY product) t USING (product)
        GROUP BY p.product ORDER BY 3 DESC, 2 DESC""",
    "hours": "SELECT hour(applied_at) AS h, count(*), sum(missed::INT) FROM m GROUP BY h ORDER BY h",
    "replay": """SELECT d.config, count(*) FILTER (d.handled), sum(answer_h) FILTER (d.handled),
                        count(*) FILTER (d.handled AND missed), count(*) FILTER (d.handled AND refused)
                 FROM m JOIN decisions d USING (type, intercepted, supplier)
                 GROUP BY d.config""",
}


def _decisions(kinds: list[tuple[str, bool, str]], policy, suppliers):
    """The engine's answer for every kind of request (type, intercepted, supplier), under every
    replay policy: the same calls `analytics.handled` makes."""
    import pandas as pd

    from helpers.engine.codes import AfterSaleType
    from helpers.engine.model import Address, Supplier
    from helpers.export.analytics import _decides, replay_policies

    by_name = {s.name: s for s in suppliers.values()}
    nobody = Address("", "", "", "", "", "")
    rows = []
    for config, policy_ in replay_policies(policy).items():
        for kind, intercepted, name in kinds:
            supplier = by_name.get(name) or Supplier("", name, nobody)
            rows.append((config, kind, intercepted, name,
                         _decides(policy_, AfterSaleType.from_label(kind), intercepted, supplier)))
    return pd.DataFrame(rows, columns=["config", "type", "intercepted", "supplier", "handled"])


def child_analytics(path: str, repeat: int) -> dict:
    import duckdb
    import pandas as pd

    from helpers import Status, load_policy, load_suppliers
    from helpers.export.analytics import review
    from helpers.export.importer import read_export

    frame = read_export(path).frame
    policy, suppliers = load_policy(), load_suppliers()
    deadline = policy.deadline_for(Status.AWAIT_MERCHANT).hours
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    text_columns = ("type", "status", "supplier", "product", "reason", "logistics")
    plain = frame.assign(**{c: frame[c].astype(str) for c in text_columns})
    con.register("frame", plain)
    con.execute(DUCKDB_SETUP)
    con.unregister("frame")
    del plain

    def run_pandas() -> None:
        review(frame, policy, suppliers)

    def run_duckdb() -> None:
        kinds = con.execute("SELECT DISTINCT type, logistics = '拦截成功', supplier FROM cases").fetchall()
        decisions = _decisions(kinds, policy, suppliers)
        con.register("decisions", decisions)
        con.execute(DUCKDB_MEASURES, {"deadline": deadline})
        for sql in DUCKDB_QUERIES.values():
            con.execute(sql).df()
        con.unregister("decisions")

    times: dict[str, list[float]] = {"pandas": [], "duckdb": []}
    run_pandas(), run_duckdb()          # warm up both (first-call costs, caches)
    for _ in range(repeat):
        for side, run in (("pandas", run_pandas), ("duckdb", run_duckdb)):
            start = time.perf_counter()
            run()
            times[side].append(time.perf_counter() - start)
    # The two sides must compute the same thing: compare the p90 answer times per type.
    ours = review(frame, policy, suppliers).times["answer_p90_h"]
    con.execute(DUCKDB_MEASURES, {"deadline": deadline})
    theirs = {row[0]: row[4] for row in con.execute(DUCKDB_QUERIES["times"]).fetchall()}
    same = all(abs(ours[kind] - theirs[kind]) < 1e-9 for kind in ours.index)
    return {"pandas": times["pandas"], "duckdb": times["duckdb"], "same_p90": same,
            "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
            "pandas_version": pd.__version__, "duckdb_version": duckdb.__version__}


# ---- the parent ----------------------------------------------------------------------------

def _child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = child_import(*rest) if kind == "import" else child_analytics(rest[0], int(rest[1]))
        print(json.dumps(result))
        return

    from helpers.export.generate import write_export

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        start = time.perf_counter()
        write_export(path, rows=args.rows, seed=1)
        print(f"export: {args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB, made in "
              f"{time.perf_counter() - start:.1f} s; load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs")
        runs: dict[str, list[dict]] = {"read_csv": [], "read_export": []}
        for _ in range(args.repeat):
            for side in runs:
                runs[side].append(_child("import", side, str(path)))
        analytics = _child("analytics", str(path), str(args.repeat))

    def median(side: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[side])

    base_wall, base_cpu = median("read_csv", "wall"), median("read_csv", "cpu")
    base_peak, base_frame = median("read_csv", "peak"), median("read_csv", "frame")
    wall, cpu = median("read_export", "wall"), median("read_export", "cpu")
    peak = median("read_export", "peak")
    mb = 1e6
    pandas_t, duck_t = statistics.median(analytics["pandas"]), statistics.median(analytics["duckdb"])
    print(f"medians of {args.repeat} runs; pandas {analytics['pandas_version']}, duckdb "
          f"{analytics['duckdb_version']} ({analytics['threads']} threads)\n")
    rows = [
        ("pandas.read_csv", f"{base_wall:.2f}", f"{base_cpu:.2f}", f"{base_peak / mb:,.0f}",
         f"{base_frame / mb:,.0f}", "", ""),
        ("read_export (import + validate)", f"{wall:.2f}", f"{cpu:.2f}", f"{peak / mb:,.0f}",
         f"{runs['read_export'][0]['frame'] / mb:,.0f}",
         f"time {wall / base_wall:.2f}x (cpu {cpu / base_cpu:.2f}x); peak {peak / base_frame:.2f}x raw "
         f"frame, {peak / base_peak:.2f}x read_csv peak",
         f"<= {TARGETS['import_time']:g}x, <= {TARGETS['import_memory']:g}x"),
        ("analytics: DuckDB", f"{duck_t:.2f}", "", "", "", "", ""),
        ("analytics: pandas (review)", f"{pandas_t:.2f}", "", "", "", f"{pandas_t / duck_t:.2f}x DuckDB",
         f"<= {TARGETS['analytics_time']:g}x"),
    ]
    header = ("step", "wall s", "cpu s", "peak MB", "frame MB", "ratio", "target")
    widths = [max(len(str(r[i])) for r in [*rows, header]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    print(f"\nrows kept {runs['read_export'][0]['rows']:,}, rejected {runs['read_export'][0]['rejected']:,}; "
          f"pandas and DuckDB agree on the p90s: {analytics['same_p90']}")


if __name__ == "__main__":
    main()
