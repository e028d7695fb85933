"""``clerk audit list``: recent entries, newest first (``--action``, ``--since``,
``--limit``, ``--json``). ``clerk audit verify``: walk the hash chain and report the first
break.

A row is intact when its ``seq`` follows the previous one without a gap, its
``prev_hash`` is the previous row's ``hash`` (64 zeros for the first), and its ``hash``
is ``sha256(prev_hash + canonical JSON)`` recomputed from its own columns
(``controlroom._audit.entry_hash``). Editing any column of a row, deleting a row or
reordering rows breaks the chain at that row. Rows are streamed in ``seq`` order, so a
long log is verified in constant memory.

Exit status: 0 and ``OK: N entries`` when intact; 1 and the first broken ``seq`` with
the reason otherwise. The database is ``--database-url`` or ``CLERK_DATABASE_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

from controlroom.cli_support import JSON_OPTION, print_table, short_ids, since_arg
from controlroom.cli_support import session as db_session

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(
    help="The Control Room's append-only, hash-chained audit log.", no_args_is_help=True
)


@dataclass(frozen=True)
class ChainReport:
    count: int  # rows checked (up to and including the broken one)
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Check every audit row in ``seq`` order; stop at the first broken one."""
    from sqlalchemy import select

    from controlroom._audit import GENESIS_HASH, entry_hash
    from controlroom.models import AuditEntry

    prev_hash, prev_seq, count = GENESIS_HASH, 0, 0
    rows = session.scalars(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    )
    try:
        for entry in rows:
            count += 1
            if entry.seq != prev_seq + 1:
                return ChainReport(
                    count, entry.seq, f"rows {prev_seq + 1}..{entry.seq - 1} are missing"
                )
            if entry.prev_hash != prev_hash:
                return ChainReport(
                    count, entry.seq, "prev_hash does not match the previous row's hash"
                )
            if entry_hash(prev_hash, entry) != entry.hash:
                return ChainReport(count, entry.seq, "the row's content does not match its hash")
            prev_hash, prev_seq = entry.hash, entry.seq
    finally:
        rows.close()  # a server-side cursor on PostgreSQL: release it on early return
    return ChainReport(count)


@app.command("verify")
def verify(
    database_url: str | None = typer.Option(
        None, "--database-url", help="default: CLERK_DATABASE_URL"
    ),
) -> None:
    """Verify the audit hash chain; exit 1 at the first broken entry."""
    from controlroom.db import make_engine
    from controlroom.settings import ControlRoomSettings

    url = database_url or ControlRoomSettings().database_url
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            from sqlalchemy.orm import Session

            with Session(bind=connection) as session:
                report = verify_chain(session)
    finally:
        engine.dispose()
    if report.ok:
        typer.echo(f"OK: {report.count} entries, hash chain intact")
        return
    typer.echo(
        f"BROKEN at seq {report.broken_seq}: {report.reason} "
        f"(checked {report.count} entries); restore the audit log from backup "
        "and investigate who changed the database",
        err=True,
    )
    raise typer.Exit(1)


@app.command("list")
def list_entries(
    action: str | None = typer.Option(
        None, "--action", help="only this action, e.g. item.approve; 'item.' matches item.*"
    ),
    since: str | None = typer.Option(
        None, "--since", help="only entries from then on: an age (30m, 2h, 7d) or a UTC date/time"
    ),
    limit: int = typer.Option(50, "--limit", min=1, max=10_000, help="at most this many entries"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Recent audit entries, newest first: when, who, what, on which entity."""
    from sqlalchemy import select

    from controlroom.models import AuditEntry

    start = since_arg(since)
    with db_session() as (session, _, _, _):
        query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
        if action and action.endswith("."):
            query = query.where(AuditEntry.action.startswith(action))
        elif action:
            query = query.where(AuditEntry.action == action)
        if start is not None:
            query = query.where(AuditEntry.at >= start)
        rows: list[dict[str, Any]] = [
            {"seq": e.seq, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
             "entity": e.entity, "entity_id": e.entity_id, "before": e.before, "after": e.after,
             "correlation_id": e.correlation_id}
            for e in session.scalars(query)
        ]  # fmt: skip
    if not as_json:
        for row in rows:  # ids shortened, also inside actors (token:worker:<id>)
            row["actor"] = short_ids(row["actor"])
            row["id"] = row["entity_id"]
    print_table(rows, ["seq", "at", "actor", "action", "id"], as_json)
