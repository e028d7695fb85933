"""A worker's warm models and peak memory, and ``clerk understand --workers N``'s.

The worker is measured in a fresh process (``python -m bench.race_memory worker DIR``)
that does what the Understand robot's step run does: one process-wide ``Understander``
(``robots.understand.understander()``) for every item, files read one at a time. It
reports the first item's time (models loaded then) against the later items', and its
peak RSS. ``clerk understand --workers N`` runs as a subprocess; the resident memory of
its whole process tree is sampled every 20 ms and the peak of the sum reported.

What bounds the memory: each process holds one ``Understander`` (the models, loaded once)
and one document at a time, whose size ``CLERK_MAX_FILE_BYTES``, ``CLERK_MAX_PAGES`` and
``CLERK_MAX_IMAGE_PIXELS`` cap; ``--workers N`` is N such processes and the parent.
The tree's sum includes the tesseract processes the workers start for scans.
``WORKER_BUDGET_MB`` is the ceiling this bench holds a process to: the peak measured when
it was written (``python -m bench --only memory`` prints today's) with room for heavier
inputs, not a figure derived from the limits.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.table import Row, failed

WORKER_BUDGET_MB = 600
CLERK = str(Path(sys.executable).with_name("clerk"))


def _worker(inbox: Path) -> dict[str, Any]:
    started = time.perf_counter()
    from robots.understand import understander

    first = understander()
    loaded = time.perf_counter() - started
    times = []
    for path in sorted(inbox.iterdir()):
        began = time.perf_counter()
        understander().understand_path(path)
        times.append(time.perf_counter() - began)
    return {
        "load_s": loaded,
        "first_s": times[0],
        "warm_s": statistics.median(times[1:]),
        "items": len(times),
        "same_models": understander() is first,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def worker_rows(inbox: Path) -> list[Row]:
    what = "worker: warm item vs first (models)"
    done = subprocess.run(
        [sys.executable, "-m", "bench.race_memory", "worker", str(inbox)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        why = f"the worker run failed: {done.stderr.strip()[-300:]}"
        return [failed(what, "first item", "warm < first", why)]
    w = json.loads(done.stdout.splitlines()[-1])
    cold = w["load_s"] + w["first_s"]
    note = (
        f"{w['items']} items in one process, one Understander for all: "
        f"{'yes' if w['same_models'] else 'NO'}; models loaded in {w['load_s']:.2f} s"
    )
    peak_note = (
        "bounded by: one Understander per process + one document at a time "
        "(CLERK_MAX_FILE_BYTES, CLERK_MAX_PAGES, CLERK_MAX_IMAGE_PIXELS)"
    )
    return [
        Row(
            what,
            "first item, cold",
            cold,
            w["warm_s"],
            "s",
            "warm < first",
            w["warm_s"] < cold,
            note,
        ),
        Row(
            "worker: peak RSS",
            "budget",
            WORKER_BUDGET_MB,
            w["peak_mb"],
            "MB",
            f"<= {WORKER_BUDGET_MB} MB",
            w["peak_mb"] <= WORKER_BUDGET_MB,
            peak_note,
        ),
    ]


def understand_rows(inbox: Path, workers: int) -> list[Row]:
    import psutil

    what = f"clerk understand --workers {workers}: peak RSS"
    budget = WORKER_BUDGET_MB * (workers + 1)  # N workers and the parent
    goal = f"<= {budget} MB ((N+1) x {WORKER_BUDGET_MB})"
    started = time.perf_counter()
    process = subprocess.Popen(
        [CLERK, "understand", "--workers", str(workers), str(inbox)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    parent = psutil.Process(process.pid)
    peak = 0
    most = 0
    while process.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            rss = sum(p.memory_info().rss for p in tree)
        except psutil.Error:
            continue
        peak, most = max(peak, rss), max(most, len(tree))
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    _, err = process.communicate()
    if process.returncode not in (0, 1):  # 1: some file failed, the others were done
        return [failed(what, "budget", goal, f"exit {process.returncode}: {err[-300:]!r}")]
    files = sum(1 for _ in inbox.iterdir())
    peak_mb = peak / 2**20
    note = f"{files} files in {elapsed:.1f} s, up to {most} processes"
    return [Row(what, "budget", budget, peak_mb, "MB", goal, peak_mb <= budget, note)]


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        print(json.dumps(_worker(Path(sys.argv[2]))))
