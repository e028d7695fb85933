"""``clerk demo``: the main job, end to end, on the bundled samples, in one command.

It builds the models if they are missing, starts a Control Room, the sandbox ERP and CMS
and one worker on loopback (free ports), stores the sandbox's demo-only credentials in a
vault of its own, registers "Document processing" (Intake -> Understand -> Enter ERP ->
Publish CMS), drops ``samples/inbox`` (plus a resent copy of one invoice) into the inbox,
runs it with a live view of the items per step, and prints what happened, checked
against the sandbox's ledgers. State lives in ``$CLERK_HOME/demo``, wiped at each start
unless ``--keep``. ``--serve`` keeps everything running afterwards so a person can open
the console (a demo user is created and shown); Ctrl-C stops it all cleanly.
``--erp desktop`` puts "Enter ERP (desktop)" in the place of "Enter ERP": the invoices go
into the sandbox's desktop ERP client (the worker starts an Xvfb when there is no
``$DISPLAY``); the summary is the same.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from clerk_app._demo import DemoStack
    from clerk_app._demo_summary import Summary

RESENT = "invoice_en.pdf"  # dropped twice: intake must flag the copy DUPLICATE


def demo(
    keep: bool = typer.Option(False, "--keep", help="keep the previous demo state"),
    serve: bool = typer.Option(False, "--serve", help="keep the servers up for the console"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON"),
    home: Path | None = typer.Option(None, "--home", help="demo folder ($CLERK_HOME/demo)"),
    concurrency: int = typer.Option(2, "--concurrency", min=1, help="worker step runs at once"),
    timeout: float = typer.Option(600, "--timeout", help="seconds to wait for the run"),
    erp: str = typer.Option(
        "web",
        "--erp",
        help="ERP screens to enter into: web (browser) or desktop (the Tk "
        "client under X; the worker starts an Xvfb when there is no $DISPLAY)",
    ),
) -> None:
    """Run the main job on the bundled samples and print what it did."""
    from rich.console import Console

    from clerk.paths import clerk_home
    from clerk_app._demo import ERP_STEPS, DemoOptions, DemoStack

    if erp not in ERP_STEPS:
        raise typer.BadParameter(f"use one of {', '.join(ERP_STEPS)}", param_hint="--erp")
    out = Console(stderr=as_json)
    ensure_models(out)
    options = DemoOptions(home=(home or clerk_home() / "demo").resolve(), fresh=not keep,
                          concurrency=concurrency, erp=erp)  # fmt: skip
    stack = DemoStack(options)
    started = time.monotonic()
    try:
        with out.status("Starting the Control Room, the sandbox ERP/CMS and a worker..."):
            stack.start(console_user=serve)
        out.print(f"Control Room {stack.url}   ERP {stack.env['CLERK_ERP_URL']}   "
                  f"CMS {stack.env['CLERK_CMS_URL']}   state in {stack.home}")  # fmt: skip
        names = stack.drop_samples(duplicate=RESENT)
        out.print(f"Dropped {len(names)} files into {stack.inbox}; starting '{stack_process()}'.")
        run_id = stack.start_run()
        watch(stack, run_id, out, timeout)
        summary = _summarize(stack, run_id, time.monotonic() - started)
        if as_json:
            typer.echo(json.dumps(summary.as_json(), indent=2, default=str))
        else:
            print_summary(summary, out)
        if serve:
            serve_until_interrupted(stack, out)
        elif not as_json:
            out.print("The servers stop now; run `clerk demo --serve` to keep the console up "
                      "and review the failed items there.")  # fmt: skip
    except KeyboardInterrupt:
        out.print("[yellow]Interrupted: stopping the worker and the servers...[/]")
        raise typer.Exit(130) from None
    except (TimeoutError, RuntimeError) as exc:
        out.print(f"[red]The demo failed:[/] {exc}. Logs: {stack.home / 'worker.log'}")
        raise typer.Exit(1) from None
    finally:
        stack.stop()


def stack_process() -> str:
    from clerk_app._demo import PROCESS

    return PROCESS


def ensure_models(out: Console) -> None:
    """Build the models unless both kinds have a current version."""
    import subprocess
    import sys

    from clerk.processes import die_with_parent
    from clerk.registry import Registry

    registry = Registry()
    current = {k: registry.current_version(k) for k in ("classifier", "extractor")}
    if all(current.values()):
        out.print("Models: " + ", ".join(f"{k} {v}" for k, v in current.items()))
        return
    out.print("Models missing: building them (clerk models build, about two minutes)...")
    code = subprocess.call(
        [sys.executable, "-c", "from clerk_app.cli import main; main()", "models", "build"],
        preexec_fn=die_with_parent,  # the build ends with the demo, even on SIGKILL
    )
    if code != 0:
        out.print("[red]clerk models build failed[/]; run it alone to see why")
        raise typer.Exit(1)


def _summarize(stack: DemoStack, run_id: str, wall: float) -> Summary:
    from clerk_app._demo_summary import summarize

    return summarize(stack, run_id, wall)


def watch(stack: DemoStack, run_id: str, out: Console, timeout: float) -> str:
    """Wait for the run to end, showing items per step and state."""
    from rich.live import Live
    from rich.table import Table

    from clerk_app._demo import FINAL_RUN_STATES
    from clerk_app._demo_summary import progress

    started = time.monotonic()
    states = ("PENDING", "IN_PROGRESS", "COMPLETED", "FAILED")

    def table() -> Table:
        counts = progress(stack, run_id)
        view = Table(title=f"Run {run_id[:8]}  {time.monotonic() - started:5.1f} s")
        view.add_column("step")
        for state in states:
            view.add_column(state.lower().replace("_", " "), justify="right")
        for step in stack.options.process_steps:
            row = counts.get(step) or Counter()
            view.add_row(step, *(str(row.get(s, 0) or "") for s in states))
        return view

    with Live(table(), console=out, refresh_per_second=4, transient=False) as live:
        while True:
            state = stack.run_state(run_id)
            live.update(table())
            if state in FINAL_RUN_STATES:
                return state
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"run {run_id} did not end within {timeout:.0f} s")
            if stack.worker is not None and stack.worker.poll() is not None:
                raise RuntimeError(f"the worker exited with code {stack.worker.returncode}")
            time.sleep(0.5)


def print_summary(summary: Summary, out: Console) -> None:
    from rich.table import Table

    docs = Table(title="Documents understood")
    for column in ("type", "auto", "review"):
        docs.add_column(column, justify="left" if column == "type" else "right")
    for doc_type, counts in summary.documents_by_type.items():
        docs.add_row(doc_type, str(counts.get("auto", 0)), str(counts.get("review", 0)))
    out.print(docs)

    entered = Table(title="Entered (checked in the sandbox ledgers)")
    for column in ("system", "number", "what", "reference", "total"):
        entered.add_column(column)
    for d in summary.erp_entered:
        entered.add_row("ERP", d.get("document_number", ""), d.get("kind", ""),
                        f"{d.get('vendor_name', '')} {d.get('reference', '')}",
                        f"{d.get('total', '')} {d.get('currency', '')}")  # fmt: skip
    for d in summary.cms_drafts:
        entered.add_row("CMS", d.get("draft_number", ""), "product draft",
                        f"{d.get('sku', '')} {d.get('title', '')}",
                        f"{d.get('price', '')} {d.get('currency', '')}")  # fmt: skip
    out.print(entered)

    print_failures(summary, out)

    timing = Table(title="Time per step (per item, reserve to release)")
    for column in ("step", "items", "p50 s", "p95 s", "span s"):
        timing.add_column(column, justify="left" if column == "step" else "right")
    for t in summary.timings:
        timing.add_row(t.step, str(t.items), f"{t.p50_s:.2f}", f"{t.p95_s:.2f}", f"{t.span_s:.1f}")
    out.print(timing)
    by_code = ", ".join(f"{c} {n}" for (_, _, c), n in sorted(summary.failed_by_code().items()))
    meaning = {"FAILED": " (over; some items wait for a person)", "COMPLETED": " (every item done)"}
    out.print(
        f"Run {summary.run_id}: {summary.state}{meaning.get(summary.state, '')}. "
        f"{len(summary.erp_entered)} ERP entries, "
        f"{len(summary.cms_drafts)} CMS drafts, {len(summary.failed)} failed "
        f"({by_code or 'none'}), {summary.lost} lost. Wall time {summary.wall_s:.1f} s."
    )
    out.print(f"Failed items wait for review in the console: {summary.console_url}")


def why(message: str | None) -> str:
    """The first reason of a failure message, without the document's name again."""
    text = (message or "").split("needs review: ", 1)[-1]
    first, *rest = text.split("; ")
    return first + (f" (+{len(rest)} more)" if rest and "needs review" in (message or "") else "")


def print_failures(summary: Summary, out: Console) -> None:
    from collections import defaultdict

    from clerk_app._demo import ERP_STEPS, STEPS

    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in summary.failed:
        groups[(f["step"], f["type"] or "", f["code"] or "")].append(f)
    order = {step: i for i, step in enumerate(STEPS)} | {ERP_STEPS["desktop"]: 2}
    out.print("[bold]Failed items, waiting for a person in the console[/]")
    for (step, kind, code), found in sorted(
        groups.items(), key=lambda g: (order.get(g[0][0], 9), g[0][2])
    ):
        out.print(f"  [bold]{code}[/] ({kind}) at {step}: {len(found)}")
        for f in found:
            line = f"    {f['document']}: {why(f['message'])}"
            out.print(line, highlight=False, markup=False)


def serve_until_interrupted(stack: DemoStack, out: Console) -> None:
    user = stack.console_user
    if user:
        out.print(f"Console: {stack.console_url}  user [bold]{user[0]}[/], password "
                  f"[bold]{user[1]}[/] (demo only)")  # fmt: skip
    out.print("Serving until Ctrl-C.")
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        out.print("Stopping the worker and the servers...")
