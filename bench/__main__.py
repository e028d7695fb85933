"""The performance race: every comparison of Clerk with its peer, in one run, one table.

    .venv/bin/python -m bench [--quick] [--pg URL] [--only text,ocr,memory,queue,erp]

(``make bench``.) Rows: a text-layer invoice against invoice2data, an OCR page against
bare tesseract, the Control Room queue on SQLite and PostgreSQL (cycles/s, p99, a large
queue), ERP entry against a hand-written script, and the memory of a worker and of
``clerk understand --workers N``. Each row is measured side by side in this run; the
sections print their own detail as they go and the table comes last. A comparison that
cannot run here (no PostgreSQL, invoice2data or chromium missing) says why in its row.

``--quick`` is a smoke run (a few files, 1.5 s per queue configuration, one ERP entry):
it checks that every comparison still runs, and its figures are rough. Timings are never
asserted in tests; on a shared machine repeat a run before trusting a ratio. The
bench-only peers install with ``pip install -e '.[bench]'`` (invoice2data) and Debian's
``poppler-utils`` (its ``pdftotext`` fallback).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bench import race_documents, race_memory, race_services
from bench.table import Row, failed, render

SECTIONS = ("text", "ocr", "memory", "queue", "erp")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run, rough figures")
    parser.add_argument("--pg", default=os.environ.get("CLERK_TEST_DATABASE_URL"))
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections, comma-separated")
    args = parser.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    started = time.perf_counter()
    rows: list[Row] = []
    with race_documents.tempdir() as tmp:
        folder = Path(tmp)
        for section in SECTIONS:
            if section in only:
                print(f"\n== {section} ==", flush=True)
                rows += _run(section, folder / section, args)
    print(f"\n== Clerk against its peers ({'quick' if args.quick else 'full'} run, "
          f"{time.perf_counter() - started:.0f} s; machine load {_load()}) ==")  # fmt: skip
    render(rows)


def _run(section: str, folder: Path, args: argparse.Namespace) -> list[Row]:
    folder.mkdir(parents=True, exist_ok=True)
    quick = args.quick
    if section == "text":
        return race_documents.text_layer(folder, n=4 if quick else 20, repeats=1 if quick else 3)
    if section == "ocr":
        return race_documents.ocr_page(folder, repeats=1 if quick else 7)
    if section == "memory":
        from clerk_app.understand_cli import default_workers

        inbox = race_documents.corpus_folder(folder, n=4 if quick else 30, scans=1 if quick else 4)
        workers = default_workers()
        return race_memory.worker_rows(inbox) + race_memory.understand_rows(inbox, workers)
    if section == "queue":
        return _queue(folder, args)
    if section == "erp":
        return race_services.erp_rows(runs=1 if quick else 7)
    raise AssertionError(section)


def _queue(folder: Path, args: argparse.Namespace) -> list[Row]:
    from bench import bench_queue

    qargs = race_services.queue_args(args.quick)
    ceiling = race_services.ceiling(folder, qargs)
    rows = race_services.queue_rows(
        "sqlite", bench_queue.sqlite_database(folder / "sqlite"), folder / "sqlite", qargs, ceiling
    )
    if args.pg:
        database = bench_queue.pg_database(args.pg)
        rows += race_services.queue_rows("postgresql", database, folder / "pg", qargs, ceiling)
    else:
        why = "skipped: pass --pg URL or set CLERK_TEST_DATABASE_URL"
        rows.append(failed("Control Room postgresql", "-", "-", why))
    return rows


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min), {os.cpu_count()} cores"


if __name__ == "__main__":
    main()
