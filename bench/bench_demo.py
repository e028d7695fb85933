"""``clerk demo``'s main job on the bundled samples: wall time, split by step.

Runs the demo stack (Control Room, sandbox, one worker with concurrency 2) in a temp
folder over ``samples/inbox`` and prints the start-up time, the run's wall time, and per
step the items, p50/p95 of reserve-to-release per item, and the step's span. Baseline,
measured in the same run: the same files understood in one warm process with no Control
Room, worker or robots (``Understander.understand_path``), so the ratio is what the
orchestration around understanding costs. Entry throughput (invoices per minute per
worker, zero injected latency) is ``bench/bench_erp_entry.py``'s figure, run here and
quoted, not measured twice.

    .venv/bin/python bench/bench_demo.py [--no-entry-bench]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clerk_app._demo import SAMPLES, DemoOptions, DemoStack, wait_for_run
from clerk_app._demo_summary import summarize


def bare_understanding() -> float:
    from pipeline.understander import Understander

    understander = Understander.load()
    files = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    understander.understand_path(files[0])  # warm: first-call costs are not the files'
    started = time.perf_counter()
    for path in files:
        understander.understand_path(path)
    return time.perf_counter() - started


def entry_throughput() -> str:
    script = Path(__file__).with_name("bench_erp_entry.py")
    result = subprocess.run(
        [sys.executable, str(script), "--runs", "3"], capture_output=True, text=True, timeout=600
    )
    lines = [line for line in result.stdout.splitlines() if "per minute" in line]
    return lines[-1].strip() if lines else f"bench_erp_entry failed: {result.stderr[-500:]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-entry-bench", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    bare = bare_understanding()
    with tempfile.TemporaryDirectory(prefix="clerk-bench-demo-") as home:
        started = time.perf_counter()
        stack = DemoStack(DemoOptions(home=Path(home)))
        try:
            stack.start()
            ready = time.perf_counter() - started
            files = stack.drop_samples()
            run_started = time.perf_counter()
            run_id = stack.start_run()
            state = wait_for_run(stack, run_id, timeout=900)
            run_s = time.perf_counter() - run_started
            summary = summarize(stack, run_id, time.perf_counter() - started)
        finally:
            stack.stop()
    print(f"samples: {len(files)} files; run {state}; worker concurrency 2; machine cores "
          f"{os.cpu_count()}")  # fmt: skip
    print(f"start-up (Control Room, sandbox, worker): {ready:.1f} s")
    print(f"{'step':<12} {'items':>5} {'p50 s':>7} {'p95 s':>7} {'span s':>7}")
    for t in summary.timings:
        print(f"{t.step:<12} {t.items:>5} {t.p50_s:>7.2f} {t.p95_s:>7.2f} {t.span_s:>7.1f}")
    print(f"run wall time: {run_s:.1f} s; total with start-up: {summary.wall_s:.1f} s")
    print(f"baseline, the same files understood in one warm process: {bare:.1f} s")
    print(f"ratio run / baseline: {run_s / bare:.2f}  (orchestration, robots, browser entry)")
    entered = len(summary.erp_entered) + len(summary.cms_drafts)
    failed = summary.failed_by_code()
    print(f"entered {entered}, failed {sum(failed.values())}, lost {summary.lost}")
    if not args.no_entry_bench:
        print(f"entry throughput (bench_erp_entry.py): {entry_throughput()}")


if __name__ == "__main__":
    main()
