"""What the admin commands (``controlroom.cli``, ``controlroom.items_cli``) share: one
transaction on the configured database, tables that fit 80 columns, the acting user."""

from __future__ import annotations

import getpass
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from controlroom.files import BlobStore
    from controlroom.settings import ControlRoomSettings

HOST_NOTE = "Works on the Control Room database directly: run it on the Control Room host."
ID_HELP = "the id, or a unique prefix of it (tables show the first 8 characters)"
JSON_OPTION = typer.Option(False, "--json", help="print JSON (full ids) instead of a table")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ISO = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?(\+00:00|Z)?")


def actor() -> str:
    return f"cli:{getpass.getuser()}"


@contextmanager
def session() -> Iterator[tuple[Session, str, ControlRoomSettings, BlobStore]]:
    """One transaction on the configured database: (session, workspace id, settings,
    blobs). Service errors become a message and exit code 1."""
    from controlroom import db
    from controlroom.files import BlobStore
    from controlroom.services.errors import ServiceError
    from controlroom.services.processes import ensure_workspace
    from controlroom.settings import ControlRoomSettings

    settings = ControlRoomSettings()
    engine = db.make_engine(settings.database_url)
    try:
        db.upgrade(engine)
        with db.transaction(db.make_sessionmaker(engine)) as s:
            workspace = ensure_workspace(s, settings.workspace)
            yield s, workspace.id, settings, BlobStore(settings.files_dir)
    except ServiceError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


def cell(value: Any) -> str:
    """A table cell: ids as their first 8 characters (every command takes a unique
    prefix), times to the second in UTC."""
    if value is None:
        return ""
    text = str(value)
    if _UUID.fullmatch(text):
        return text[:8]
    if match := _ISO.fullmatch(text):
        return f"{match.group(1)} {match.group(2)}"
    return text


def short_ids(text: str) -> str:
    """Every UUID in ``text`` as its first 8 characters (``token:worker:1a2b3c4d``)."""
    return _UUID.sub(lambda match: match.group(0)[:8], text)


def took(started: str | None, ended: str | None) -> str:
    """How long a step run took, e.g. ``12.3 s``; empty while it has not ended."""
    from datetime import datetime

    if not (started and ended):
        return ""
    seconds = (datetime.fromisoformat(ended) - datetime.fromisoformat(started)).total_seconds()
    return f"{seconds:.1f} s" if seconds < 600 else f"{seconds / 60:.0f} min"


def print_table(rows: list[dict[str, Any]], columns: list[str], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    # No vertical rules: a run's row (id, state, who, two times) then fits 80 columns.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(cell(row.get(c)) for c in columns))
    Console().print(table)


def json_arg(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        typer.echo(f"error: {what} is not valid JSON ({exc}): {text!r}", err=True)
        raise typer.Exit(2) from None


def state_arg(state: str | None) -> str | None:
    """States are upper case in the database; ``--state failed`` means FAILED."""
    return state.strip().upper() if state else state


_AGE = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_AGE_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def since_arg(text: str | None) -> datetime | None:
    """``--since``: an age back from now (``30m``, ``2h``, ``7d``) or an ISO date or
    date/time, read as UTC when it names no zone."""
    if not text:
        return None
    from datetime import UTC, timedelta

    from controlroom._db_types import utcnow

    if match := _AGE.fullmatch(text.strip()):
        return utcnow() - timedelta(seconds=float(match.group(1)) * _AGE_SECONDS[match.group(2)])
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        typer.echo(
            f"error: --since {text!r} is neither an age (30m, 2h, 7d) nor a date "
            "(2026-12-06, 2026-12-06T08:00)",
            err=True,
        )
        raise typer.Exit(2) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
