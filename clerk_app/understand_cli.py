"""``clerk understand``: read, classify and extract files, print one JSON object per document.

Results go to stdout as JSON Lines (``--pretty`` for indented JSON), each object opening
with the decision, its reasons and the type, then the fields; the progress bar and
the closing summary go to stderr, so ``clerk understand inbox/ > results.jsonl`` works.

Exit codes (the command's help says the same): 0 every file was understood (decision ``auto`` or
``review``); 1 at least one file failed (its error record is printed, the other files
are still done); 2 a usage error (bad option, no file under the paths given); 3 nothing
could run (models or master data missing).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from extractors.memory import MemorySource
    from pipeline.understander import Outcome, Understander

EXIT_OK, EXIT_FILE_FAILED, EXIT_USAGE, EXIT_CANNOT_RUN = 0, 1, 2, 3
LEADING = ("decision", "reasons", "doc_type", "type_confidence", "top3")
_worker_understander: Understander | None = None
_worker_error: Exception | None = None  # why the worker could not load (models, master)
_memory: MemorySource | None = None  # the Control Room's vendor memory, read before forking


def understand(
    paths: list[Path] = typer.Argument(..., help="Files or folders (folders are walked)."),
    workers: int | None = typer.Option(
        None,
        "--workers",
        "-w",
        min=1,
        help="Parallel processes, each with its models loaded once (default: one per core).",
    ),
    pretty: bool = typer.Option(
        False,
        "--pretty",
        help="Indented JSON instead of JSON Lines; the decision and its reasons come first.",
    ),
    memory: bool = typer.Option(
        True,
        "--memory/--no-memory",
        help="Use the vendor memory of the Control Room database (CLERK_DATABASE_URL, "
        "default the home's): what `clerk corrections add` and console approvals taught.",
    ),
) -> None:
    """Understand documents: type, fields, checks and the auto/review decision.

    Exit codes: 0 every file understood (auto or review); 1 at least one file failed
    (a missing or unreadable file too; the others are still done); 2 usage error;
    3 nothing could run (models or master data missing).
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from clerk.errors import ClerkError

    files = list(_walk(paths))
    workers = workers or default_workers()
    err = Console(stderr=True)
    if not files:
        err.print("[red]No files found[/] in " + ", ".join(str(p) for p in paths))
        raise typer.Exit(EXIT_USAGE)
    try:
        global _memory
        _memory = _load_memory() if memory else None
        results = _run(files, workers)
        counts: Counter[str] = Counter()
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task("Understanding", total=len(files))
            for path, outcomes in results:
                for outcome in outcomes:
                    record = _record(path, outcome)
                    counts[_tally(record)] += 1
                    typer.echo(json.dumps(record, indent=2 if pretty else None))
                progress.advance(task)
    except ClerkError as exc:  # models missing and the like: nothing could run
        err.print(f"[red]{exc.code}[/]: {exc.message}")
        raise typer.Exit(EXIT_CANNOT_RUN) from exc
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    err.print(f"{len(files)} file(s), {sum(counts.values())} document(s): {summary}")
    if any(key.startswith("failed ") for key in counts):
        raise typer.Exit(EXIT_FILE_FAILED)


def _load_memory() -> MemorySource | None:
    from controlroom.services.vendor_memory import DatabaseMemory
    from controlroom.settings import ControlRoomSettings

    settings = ControlRoomSettings()
    return DatabaseMemory.load(settings.database_url, settings.workspace)


def default_workers() -> int:
    """One process per core this process may run on: OCR is one thread per page."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _walk(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path


def _run(files: list[Path], workers: int) -> Iterator[tuple[Path, list[Outcome]]]:
    if workers == 1 or len(files) == 1:
        from pipeline.understander import Understander

        understander = Understander.load(memory=_memory)
        for path in files:
            yield path, understander.understand_path(path)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker) as pool:
        yield from zip(files, pool.map(_understand_in_worker, files), strict=True)


def _init_worker() -> None:
    from clerk.errors import ClerkError
    from pipeline.understander import Understander

    global _worker_understander, _worker_error
    try:
        _worker_understander = Understander.load(memory=_memory)
    except ClerkError as exc:  # raised with the first file, so the parent reports it
        _worker_error = exc


def _understand_in_worker(path: Path) -> list[Outcome]:
    if _worker_error is not None:
        raise _worker_error
    assert _worker_understander is not None
    return _worker_understander.understand_path(path)


def _record(path: Path, outcome: Outcome) -> dict[str, Any]:
    from clerk.documents import understanding_to_json
    from pipeline.understander import Failure

    if isinstance(outcome, Failure):
        error = {"type": outcome.type, "code": outcome.code, "message": outcome.message}
        return {"file": str(path), "document": outcome.name, "error": error}
    body = understanding_to_json(outcome)
    # What a person looks for first leads, the fields and pages (hundreds of lines with
    # --pretty) follow: the decision, why, and the type.
    lead = {k: body.pop(k) for k in LEADING if k in body}
    return {"file": str(path), "document": outcome.document_name, **lead, **body}


def _tally(record: dict[str, Any]) -> str:
    if "error" in record:
        return f"failed {record['error']['code']}"
    return str(record["decision"])
