"""``clerk items``: list work items and act on failed ones (retry, approve, reject, retype), as
the console's review screen does. Works on the Control Room database directly (see
``controlroom.cli``); every item id may be a unique prefix."""

from __future__ import annotations

from typing import Any

import typer

from controlroom.cli_support import (
    HOST_NOTE,
    ID_HELP,
    JSON_OPTION,
    actor,
    json_arg,
    print_table,
    state_arg,
)
from controlroom.cli_support import session as db_session

app = typer.Typer(help=f"Work items and operator actions. {HOST_NOTE}", no_args_is_help=True)


@app.command("list")
def items_list(
    run: str | None = typer.Option(None, "--run", help=f"the run: {ID_HELP}"),
    state: str | None = typer.Option(None, "--state", help="e.g. FAILED, PENDING (any case)"),
    step: int | None = typer.Option(None, "--step", min=1, help="step position, from 1"),
    exception_type: str | None = typer.Option(None, "--exception-type", help="BUSINESS, ..."),
    exception_code: str | None = typer.Option(None, "--exception-code", help="e.g. NEEDS_REVIEW"),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="at most this many items"),
    offset: int = typer.Option(0, "--offset", min=0, help="skip this many items first"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List work items, oldest first: id, step, state, exception code and the document
    (all fields, attempts included, with --json)."""
    from controlroom.services import items as svc
    from controlroom.services.ids import resolve
    from controlroom.services.views import item_view

    with db_session() as (session, ws, _, _):
        run_id = resolve(session, ws, "run", run) if run else None
        f = svc.ItemFilter(
            run_id,
            state_arg(state),
            step,
            state_arg(exception_type),
            state_arg(exception_code),
            None,
            limit,
            offset,
        )
        rows = [item_view(i, step_position=p) for i, p in svc.list_items(session, ws, f)]
    if not as_json:
        for row in rows:
            row["exception"] = (row["exception"] or {}).get("code")  # a code has one type
            row["step"] = row["step_position"]
            row["state"] += " (rejected)" if row["rejected"] else ""
            row["document"] = _document_name(row["payload"])
    print_table(rows, ["id", "step", "state", "exception", "document"], as_json)


def _document_name(payload: object) -> str | None:
    """The file name of a Clerk item's document, so a person sees which item is which."""
    document = payload.get("document") if isinstance(payload, dict) else None
    name = document.get("name") if isinstance(document, dict) else None
    return name if isinstance(name, str) else None


def _done(item: Any) -> None:
    from controlroom.services.views import item_view

    result = item_view(item)
    typer.echo(
        f"item {result['id']} is now {result['state']}"
        + (" (rejected)" if result["rejected"] else "")
    )


@app.command("retry")
def items_retry(
    item: str = typer.Argument(..., help=ID_HELP),
    reason: str = typer.Option("", "--reason", help="kept in the audit log"),
    payload: str | None = typer.Option(None, "--payload", help="replace the whole payload first"),
) -> None:
    """Put a FAILED item back in its queue, to run its step again (optionally with a
    corrected payload). To accept a reviewed item as it is, use `clerk items approve`."""
    from controlroom.services import items as svc
    from controlroom.services.ids import resolve

    new_payload = json_arg(payload, "--payload") if payload is not None else None
    with db_session() as (session, ws, settings, _):
        item_id = resolve(session, ws, "item", item)
        if new_payload is not None:
            done = svc.edit_and_retry(
                session,
                ws,
                item_id,
                actor=actor(),
                payload=new_payload,
                reason=reason,
                max_payload_bytes=settings.max_payload_bytes,
            )
        else:
            done = svc.retry(session, ws, item_id, actor=actor(), reason=reason)
        _done(done)


@app.command("reject")
def items_reject(
    item: str = typer.Argument(..., help=ID_HELP),
    reason: str = typer.Option(..., "--reason", help="kept in the audit log"),
) -> None:
    """Reject a FAILED item for good (it stays FAILED, marked rejected)."""
    from controlroom.services import items as svc
    from controlroom.services.ids import resolve

    with db_session() as (session, ws, _, _):
        _done(
            svc.reject(
                session, ws, resolve(session, ws, "item", item), actor=actor(), reason=reason
            )
        )


@app.command("approve")
def items_approve(
    item: str = typer.Argument(..., help=ID_HELP),
    field: list[str] = typer.Option(
        [], "--field", help="NAME=VALUE: correct a field first (repeat for more)"
    ),
) -> None:
    """Approve a FAILED item as the console's "Approve and continue" does: apply the
    --field corrections (kept as labelled examples), complete the item and queue its
    output for the next step. Refused while a reviewer has the item open."""
    import getpass

    from controlroom.services import review
    from controlroom.services.ids import resolve

    submitted: dict[str, str] = {}
    for pair in field:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="--field")
        submitted[name.strip()] = value
    with db_session() as (session, ws, settings, _):
        item_id = resolve(session, ws, "item", item)
        done, output, fixes = review.approve(
            session,
            ws,
            item_id,
            submitted,
            username=getpass.getuser(),
            actor=actor(),
            max_payload_bytes=settings.max_payload_bytes,
        )
        where = f"output {output.id} queued for the next step" if output else "it was the last step"
        typer.echo(f"item {done.id} approved with {len(fixes)} correction(s); {where}")


@app.command("retype")
def items_retype(
    item: str = typer.Argument(..., help=ID_HELP),
    doc_type: str = typer.Option(
        ..., "--as", help="the document's type: invoice, purchase_order, receipt, ..."
    ),
    reason: str = typer.Option("", "--reason", help="kept in the audit log"),
) -> None:
    """Read a FAILED item again as another document type, as the console's "Read again as
    this type" does: the type goes on the payload (a changed type is kept as a labelled
    example), the fields read as the old type are dropped, and the item goes back to its
    Understand step. Refused while a reviewer has the item open."""
    import getpass

    from controlroom.services import retype
    from controlroom.services.ids import resolve

    with db_session() as (session, ws, settings, _):
        item_id = resolve(session, ws, "item", item)
        done = retype.retype(
            session,
            ws,
            item_id,
            doc_type,
            username=getpass.getuser(),
            actor=actor(),
            max_payload_bytes=settings.max_payload_bytes,
            reason=reason,
        )
        typer.echo(
            f"item {done.id} goes back to be read again as {retype.type_label(doc_type.strip())}"
        )
