"""The Control Room queue and ERP entry, as rows of ``python -m bench``'s table.

Queue: ``bench.bench_queue`` (a real ``clerk controlroom``, 16 robot processes looping
reserve + release over HTTP). The peer is the same HTTP stack with no database (the
ceiling of this bench on this machine); the goals are absolute: at least 1,000 cycles/s
with a p99 of at most 25 ms, and as fast against a queue of ``big`` items (goal: at least
0.9x the small queue's rate).

ERP entry: ``bench.bench_erp_entry`` (ErpBot with its trace on, as shipped, against a
minimal hand-written Playwright script, interleaved).
"""

from __future__ import annotations

import argparse
from contextlib import AbstractContextManager
from pathlib import Path

from bench.table import Row, failed

RATE_GOAL = 1000.0
P99_GOAL_MS = 25.0
FLAT_GOAL = 0.9


def queue_args(quick: bool) -> argparse.Namespace:
    from bench.bench_queue import SERVER_WORKERS as workers

    if quick:
        return argparse.Namespace(
            server_workers=workers, duration=1.5, items=3_000, big=20_000, check_items=500
        )
    return argparse.Namespace(
        server_workers=workers, duration=10.0, items=50_000, big=1_000_000, check_items=20_000
    )


def ceiling(folder: Path, args: argparse.Namespace) -> float:
    from bench import bench_queue

    return bench_queue.ceiling(folder, args).rate


def queue_rows(
    name: str, database: AbstractContextManager[str], folder: Path, args: argparse.Namespace,
    http_ceiling: float | None,
) -> list[Row]:  # fmt: skip
    from bench import bench_queue

    label = f"Control Room {name}, 16 robots, {args.server_workers} server processes"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with database as url:
            figures = bench_queue.bench_backend(name, url, folder, args, service=False)
    except Exception as exc:  # one comparison failing must not lose the table
        return [
            failed(label, "HTTP ceiling", f">= {RATE_GOAL:,.0f}/s", f"{type(exc).__name__}: {exc}")
        ]
    small, big = figures.small, figures.big
    assert big is not None, "the race always measures a queue of --big items"
    return [
        Row(
            f"{label}: cycles/s",
            "same HTTP, no database",
            http_ceiling,
            small.rate,
            "/s",
            f">= {RATE_GOAL:,.0f}/s",
            small.rate >= RATE_GOAL,
            f"reserve + release cycles, {figures.items:,}-item queue, "
            f"{args.duration:.0f} s; p50 {small.pct(0.5):.1f} ms",
        ),
        Row(
            f"{label}: p99 per cycle",
            "-",
            None,
            small.pct(0.99),
            "ms",
            f"<= {P99_GOAL_MS:.0f} ms",
            small.pct(0.99) <= P99_GOAL_MS,
        ),
        Row(
            f"{label}: {figures.big_items:,} queued",
            f"{figures.items:,}-item queue",
            small.rate,
            big.rate,
            "/s",
            f"ratio >= {FLAT_GOAL}",
            big.rate >= FLAT_GOAL * small.rate,
            f"p99 {big.pct(0.99):.1f} ms",
        ),
    ]


def erp_rows(runs: int) -> list[Row]:
    what = "ERP entry, 3-line invoice"
    goal = "<= 1.2x peer"
    try:
        from bench.bench_erp_entry import measure

        script, bot = measure(runs, trace=True)
    except Exception as exc:
        return [failed(what, "hand-written script", goal, f"{type(exc).__name__}: {exc}")]
    note = f"median of {runs} each, interleaved; bot trace on (as shipped)"
    return [Row(what, "hand-written script", script, bot, "s", goal, bot <= 1.2 * script, note)]
