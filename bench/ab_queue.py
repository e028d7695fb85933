"""Two versions of the Control Room, one queue bench: alternating windows, so the
machine's drift falls on both alike.

    .venv/bin/python bench/ab_queue.py --a /path/to/base/checkout [--b .] [--pg URL]
                                       [--clients 16] [--window 5] [--rounds 6]

``bench/bench_queue.py`` runs one version; on a machine shared with other work its rates
move by a third from run to run, and its CPU per cycle by a fifth (one slow hour makes
every statement dearer), so two runs of it, one per version, cannot show a change of a
few per cent. Here both versions serve at once, each started with the product's own
command (``clerk controlroom``) from its own checkout (``PYTHONPATH``; the same virtual
environment), each on its own fresh database (PostgreSQL with ``--pg`` or
``CLERK_TEST_DATABASE_URL``, else SQLite). ``--clients`` robots run against A for
``--window`` seconds, then against B, then A again, ``--rounds`` times (each window a
fresh run of queued items, the server idle meanwhile). Per round and as medians: cycles/s,
p99, CPU per cycle (server processes, and PostgreSQL's backends on this machine), and
the ratio B/A of each median.

``git worktree add /tmp/base HEAD~1`` gives a base checkout to compare the working tree
against.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_queue import (
    SERVER_WORKERS,
    Result,
    database_meter,
    new_run,
    pg_database,
    prepare,
    run_clients,
    server,
    sqlite_database,
)


def _figures(r: Result) -> dict[str, float]:
    cycles = max(r.cycles, 1)
    out = {"cycles/s": r.rate, "p99 ms": r.pct(0.99)}
    for meter in ("server", "postgres"):
        if meter in r.cpu:
            out[f"{meter} CPU ms/cycle"] = 1000 * r.cpu[meter] / cycles
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", required=True, help="checkout of version A (the base)")
    parser.add_argument("--b", default=".", help="checkout of version B (default: here)")
    parser.add_argument("--pg", default=os.environ.get("CLERK_TEST_DATABASE_URL"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--window", type=float, default=5.0, help="seconds per window")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--items", type=int, default=20_000, help="queued per window")
    parser.add_argument("--server-workers", type=int, default=SERVER_WORKERS)
    args = parser.parse_args()
    versions = {"A": Path(args.a).resolve(), "B": Path(args.b).resolve()}
    for name, checkout in versions.items():
        if not (checkout / "controlroom" / "__init__.py").exists():
            raise SystemExit(f"{name}: {checkout} is not a Clerk checkout")
    figures: dict[str, list[dict[str, float]]] = {name: [] for name in versions}
    with tempfile.TemporaryDirectory(prefix="ab-queue-") as tmp, ExitStack() as stack:
        served = {}
        for name, checkout in versions.items():
            folder = Path(tmp) / name
            folder.mkdir()
            if args.pg:
                url = stack.enter_context(pg_database(args.pg))
            else:
                url = stack.enter_context(sqlite_database(folder))
            ws, token = prepare(url)
            os.environ["PYTHONPATH"] = str(checkout)  # the server's code, not this bench's
            base, meters = stack.enter_context(server(url, folder, args.server_workers))
            database = database_meter(url) if args.pg else None
            if database is not None:
                meters = {**meters, "postgres": database}
            served[name] = (url, base, ws, token, meters)
        print(
            f"{'postgresql' if args.pg else 'sqlite'}: {args.clients} clients, "
            f"{args.server_workers} server process(es) per version, {args.window:.0f} s "
            f"windows, {args.rounds} rounds; A = {versions['A']}, B = {versions['B']}"
        )
        for round_ in range(1, args.rounds + 1):
            order = ("A", "B") if round_ % 2 else ("B", "A")  # neither always goes first
            for name in order:
                url, base, ws, token, meters = served[name]
                clients = new_run(url, base, ws, token, args.items, args.clients)
                r = run_clients(clients, args.window, meters=meters)
                figures[name].append(_figures(r))
                shown = "  ".join(f"{k} {v:7.2f}" for k, v in figures[name][-1].items())
                print(f"  round {round_} {name}: {shown}", flush=True)
    print("medians:")
    keys = list(figures["A"][0])
    for key in keys:
        a = statistics.median(f[key] for f in figures["A"])
        b = statistics.median(f[key] for f in figures["B"])
        print(f"  {key:<22} A {a:8.2f}  B {b:8.2f}  B/A {b / a:5.3f}")


if __name__ == "__main__":
    main()
