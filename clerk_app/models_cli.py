"""``clerk models``: build, list, pick and inspect the locally trained models.

``clerk models build`` trains every kind of model from the project's own synthetic corpus
(seeded, nothing downloaded) and publishes each to the registry in ``CLERK_MODELS_DIR``
(default ``$CLERK_HOME/models``); a kind whose current model was built from the same data
with the same recipe is skipped ("up to date").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from clerk.registry import ModelCard, Registry

app = typer.Typer(
    name="models",
    help="Build, list, choose and inspect the local models (classifier, extractor).",
    no_args_is_help=True,
)


class Kind(StrEnum):
    classifier = "classifier"
    extractor = "extractor"


# The figures worth a glance in `list` and after `build`: shown name -> dotted path in
# the card's metrics; a card without one simply does not show it.
KEY_METRICS = {
    "accuracy": "accuracy",
    "macro_f1": "macro_f1",
    "accuracy_noised": "accuracy_noised",
    "macro_f1_noised": "macro_f1_noised",
    "ece": "ece",
    "exact_match": "test_clean.exact_match_overall",
    "exact_match_noised": "test_noised.exact_match_overall",
}

Builder = Callable[..., "ModelCard"]


def _builder(kind: Kind) -> tuple[Builder | None, str]:
    """The kind's build function, or None and why it is not available."""
    if kind is Kind.classifier:
        from classifiers.training import build

        return build, ""
    try:
        from extractors.training.train import build as build_extractor
    except ImportError as exc:
        return None, f"the extractor trainer is not installed yet ({exc})"
    return build_extractor, ""


@app.command()
def build(
    seed: int = typer.Option(7, "--seed", help="Seed for the corpus and the trainers."),
    force: bool = typer.Option(False, "--force", help="Rebuild even when up to date."),
    only: Kind | None = typer.Option(None, "--only", help="Build one kind only."),
    n_train: int | None = typer.Option(
        None,
        "--n-train",
        min=30,
        help="Classifier training documents (default: the recipe's; smaller for smoke runs).",
    ),
    check: bool = typer.Option(
        False,
        "--check",
        help="Build every kind twice into temporary registries and compare the model "
        "files byte for byte; the registry in use is not touched. Exit 1 when they differ.",
    ),
    with_corrections: bool = typer.Option(
        False,
        "--with-corrections",
        help="Train a CANDIDATE from the corpus plus reviewers' corrections, compared "
        "with the current model in its card; it is not made current (`clerk models "
        "promote`).",
    ),
    corrections: Path | None = typer.Option(
        None,
        "--corrections",
        help="With --with-corrections: a JSON-lines file from `clerk corrections export "
        "--with-text` (default: the Control Room database's corrections).",
    ),
) -> None:
    """Train, check and publish the models; skip the ones that are up to date."""
    from rich.console import Console

    from clerk.registry import Registry

    console = Console()
    kinds = [only] if only else list(Kind)
    if with_corrections:
        from clerk_app._canary_cli import build_with_corrections

        names = [k.value for k in kinds]
        build_with_corrections(console, Registry(), names, seed, corrections, n_train)
        return
    if corrections is not None:
        console.print("[red]error[/]: --corrections needs --with-corrections")
        raise typer.Exit(2)
    if check:
        _check_reproducible(console, kinds, seed, n_train)
        return
    registry = Registry()
    cards: list[ModelCard] = []
    failed = False
    for kind in kinds:
        before = registry.current_version(kind.value)
        try:
            card = _build_kind(console, registry, kind, seed, force=force, n_train=n_train)
        except Exception as exc:  # a failed kind must not hide the others' results
            console.print(f"[red]{kind.value}: build failed[/]: {type(exc).__name__}: {exc}")
            failed = True
            continue
        if card is None:
            continue
        if card.version == before and not force:
            console.print(f"{kind.value}: up to date ({card.version})")
        else:
            console.print(f"{kind.value}: published {card.version} (files {card.files_hash[:12]})")
            cards.append(card)
    if cards:
        _print_metrics(console, cards)
    if failed:
        raise typer.Exit(1)


def _build_kind(
    console: Console,
    registry: Registry,
    kind: Kind,
    seed: int,
    *,
    force: bool,
    n_train: int | None,
) -> ModelCard | None:
    """One kind built (or found current) with a progress bar; None when unavailable.

    BLAS and OpenMP run on one thread while training: a multi-threaded reduction sums in
    an order that depends on the machine's load, and the same seed must give the same
    bytes (``--check``)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from threadpoolctl import threadpool_limits

    builder, why = _builder(kind)
    if builder is None:
        console.print(f"[yellow]{kind.value}: skipped[/]: {why}")
        return None
    kwargs: dict[str, Any] = {"force": force}
    if kind is Kind.classifier and n_train is not None:
        kwargs["n_train"] = n_train
    with (
        Progress(
            TextColumn(f"[bold]{kind.value:<10}[/]"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=console,
        ) as bar,
        threadpool_limits(limits=1),
    ):
        task = bar.add_task("starting", total=1.0)

        def report(stage: str, fraction: float) -> None:
            bar.update(task, completed=fraction, description=stage)

        card: ModelCard = builder(registry, seed, report, **kwargs)
        return card


def _check_reproducible(
    console: Console, kinds: list[Kind], seed: int, n_train: int | None
) -> None:
    """Two builds from nothing, each in its own process with its own string-hash seed and
    its own temporary registry, compared by the hash of their files."""
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from clerk.processes import die_with_parent
    from clerk.registry import Registry

    differ = False
    for kind in kinds:
        hashes: list[str] = []
        for attempt in (1, 2):
            with tempfile.TemporaryDirectory(prefix=f"clerk-check-{kind.value}-") as tmp:
                console.print(f"{kind.value}: build {attempt} of 2 in {tmp}")
                cli = "from clerk_app.cli import main; main()"
                command = [sys.executable, "-c", cli, "models", "build", "--only", kind.value,
                           "--force", "--seed", str(seed)]  # fmt: skip
                if n_train is not None and kind is Kind.classifier:
                    command += ["--n-train", str(n_train)]
                env = {**os.environ, "CLERK_MODELS_DIR": tmp, "PYTHONHASHSEED": str(attempt)}
                code = subprocess.call(command, env=env, preexec_fn=die_with_parent)
                if code != 0:
                    console.print(f"[red]{kind.value}: build {attempt} failed[/]")
                    raise typer.Exit(1)
                hashes.append(Registry(Path(tmp)).current(kind.value)[1].files_hash)
        same = hashes[0] == hashes[1]
        differ |= not same
        verdict = "[green]identical[/]" if same else "[red]DIFFERENT[/]"
        console.print(f"{kind.value}: {verdict}: {hashes[0]} / {hashes[1]}")
    if differ:
        raise typer.Exit(1)


@app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Every version of every kind, the current one marked (*) and a candidate on trial
    (c, `clerk models build --with-corrections`), with key metrics."""
    from rich.console import Console
    from rich.table import Table

    from clerk.canary import candidate
    from clerk.registry import Registry

    registry = Registry()
    rows: list[dict[str, Any]] = []
    for kind in Kind:
        current = registry.current_version(kind.value)
        on_trial = candidate(registry, kind.value)
        for card in registry.versions(kind.value):
            rows.append(
                {
                    "kind": card.kind,
                    "version": card.version,
                    "current": card.version == current,
                    "candidate": on_trial is not None and card.version == on_trial.version,
                    "created_at": card.created_at,
                    "seed": card.seed,
                    "data_hash": card.data_hash,
                    "source_hash": card.source_hash,
                    "files_hash": card.files_hash,
                    "metrics": _key_metrics(card),
                }
            )
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo(f"no models in {registry.root}; run `clerk models build`")
        return
    table = Table(title=f"Models in {registry.root}")
    table.add_column("")
    table.add_column("version", no_wrap=True)
    table.add_column("key metrics")
    for row in rows:
        metrics = "\n".join(f"{k} {v:.4f}" for k, v in row["metrics"].items())
        mark = "*" if row["current"] else "c" if row["candidate"] else ""
        table.add_row(mark, row["version"], metrics)
    Console().print(table)


@app.command()
def use(
    kind: Kind = typer.Argument(..., help="classifier or extractor"),
    version: str = typer.Argument(..., help="A version from `clerk models list`."),
) -> None:
    """Make VERSION the current model of KIND (roll back or forward)."""
    from clerk.registry import Registry

    registry = Registry()
    try:
        registry.set_current(kind.value, version)
    except ValueError as exc:
        typer.echo(f"{exc}; see `clerk models list` for the versions there are", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{kind.value}: now using {version}")


@app.command()
def card(
    kind: Kind = typer.Argument(..., help="classifier or extractor"),
    version: str | None = typer.Argument(None, help="Default: the current version."),
    as_json: bool = typer.Option(False, "--json", help="Print the raw card as JSON."),
) -> None:
    """Print a model's card: intended use, training data, metrics, limitations, version
    and hashes (--json: every figure, as stored)."""
    from clerk.errors import ClerkError
    from clerk.registry import ModelCard, Registry

    registry = Registry()
    try:
        if version is None:
            _, found = registry.current(kind.value)
        else:
            found = _find(registry, kind.value, version)
    except (ClerkError, LookupError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    assert isinstance(found, ModelCard)
    if as_json:
        typer.echo(json.dumps(asdict(found), indent=2, sort_keys=True))
        return
    import shutil

    from clerk.model_card import render

    typer.echo(render(found, min(shutil.get_terminal_size().columns, 100)))


def _find(registry: Registry, kind: str, version: str) -> ModelCard:
    for c in registry.versions(kind):
        if c.version == version:
            return c
    raise LookupError(
        f"no {kind} version {version!r} in {registry.root}; "
        "see `clerk models list` for the versions there are"
    )


def _key_metrics(card: ModelCard) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, path in KEY_METRICS.items():
        value: Any = card.metrics
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[name] = float(value)
    return out


def _print_metrics(console: Console, cards: list[ModelCard]) -> None:
    """One row per metric, one column per kind: fits an 80-column terminal."""
    from rich.table import Table

    table = Table(title="Held-out metrics")
    table.add_column("metric")
    for c in cards:
        table.add_column(c.kind, justify="right")
    values = [_key_metrics(c) for c in cards]
    for name in KEY_METRICS:
        if any(name in v for v in values):
            table.add_row(name, *(f"{v[name]:.4f}" if name in v else "" for v in values))
    console.print(table)


def _register_canary_commands() -> None:
    from clerk_app._canary_cli import promote, rollback

    app.command()(promote)
    app.command()(rollback)


_register_canary_commands()
