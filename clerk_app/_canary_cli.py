"""The canary's commands in ``clerk models``: build candidates from corrections, promote
one, roll back (registered on ``clerk_app.models_cli.app``). The rules are in
``clerk.canary`` and ``clerk_app._retrain``; promotions and rollbacks are written to the
Control Room's audit log (``controlroom.services.canary``), so these run on the
Control Room host, with its database (``CLERK_DATABASE_URL``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from clerk.registry import Registry


def build_with_corrections(
    console: Console,
    registry: Registry,
    kinds: list[str],
    seed: int,
    corrections: Path | None,
    n_train: int | None,
) -> None:
    """Candidates from the corpus plus the corrections in ``corrections`` (JSON lines)
    or, without a file, the Control Room database's."""
    from threadpoolctl import threadpool_limits

    from clerk.corrections import CorrectionsError, read_jsonl
    from clerk.errors import ClerkError
    from clerk_app._retrain import build_candidates

    try:
        records = read_jsonl(corrections) if corrections else _database_records()
        with threadpool_limits(limits=1):  # as `build`: same seed, same bytes

            def progress(kind: str) -> Any:
                return lambda stage, fraction: console.print(f"{kind}: {stage}", highlight=False)

            cards = build_candidates(registry, records, seed, kinds, progress, n_train=n_train)
    except (CorrectionsError, ClerkError) as exc:
        console.print(f"[red]error[/]: {getattr(exc, 'message', exc)}")
        raise typer.Exit(1) from exc
    for card in cards:
        comparison = card.metrics["comparison"]
        console.print(f"{card.kind}: candidate {card.version} (not in use)")
        for part in ("heldout", "corrections"):
            figures = comparison[part]
            console.print(
                f"  {part:<11} {figures['metric']}: current {_fmt(figures['current'])}, "
                f"candidate {_fmt(figures['candidate'])} (n={figures['n']})",
                highlight=False,
            )
    console.print("promote with `clerk models promote VERSION`; see the card for every figure")


def _fmt(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _database_records() -> list[dict[str, Any]]:
    from controlroom.cli_support import session
    from controlroom.services.retraining import correction_records

    with session() as (s, _, _, blobs):
        return correction_records(s, blobs)


def promote(
    version: str = typer.Argument(..., help="A candidate's version (`clerk models list`)."),
    force: bool = typer.Option(
        False, "--force", help="Promote even when its card shows lower held-out figures."
    ),
) -> None:
    """Make a candidate the model in use; refused when its card's comparison shows a
    lower held-out figure than the current model's (unless --force). Audited."""
    from clerk.registry import Registry
    from controlroom.cli_support import actor, session
    from controlroom.services import canary

    with session() as (s, _, _, _):
        change = canary.promote(s, Registry(), version, force=force, actor=actor())
    forced = " (forced)" if change.forced else ""
    typer.echo(f"{change.kind}: now using {change.current}{forced}, was {change.previous}")


def rollback(
    kind: str | None = typer.Option(
        None, "--kind", help="classifier or extractor (needed when both were promoted)."
    ),
) -> None:
    """Return to the model the last promotion replaced. Audited."""
    from clerk.registry import Registry
    from controlroom.cli_support import actor, session
    from controlroom.services import canary

    with session() as (s, _, _, _):
        change = canary.rollback(s, Registry(), kind, actor=actor())
    typer.echo(f"{change.kind}: rolled back to {change.current}, was {change.previous}")
