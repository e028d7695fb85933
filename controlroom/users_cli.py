"""``clerk users``: console accounts (add, list, change role, disable) and
``clerk corrections``: reviewers' corrections as JSON lines for retraining (``export``)
and the vendor memory they teach (``add``, ``list``, ``forget``;
``controlroom.services.vendor_memory``).

Both work on the Control Room database named by ``CLERK_DATABASE_URL`` (migrated first).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from clerk.secret_input import STDIN_HELP, read_password

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(help="Console users: add, list, change role, disable.", no_args_is_help=True)
corrections_app = typer.Typer(
    help="Reviewers' corrections (labelled examples) and the vendor memory they teach.",
    no_args_is_help=True,
)
ROLES_HELP = "viewer (read) < operator (+ start/stop runs) < reviewer (+ fix failed items) < admin"


@contextmanager
def _session() -> Iterator[Session]:
    from controlroom import db
    from controlroom.settings import ControlRoomSettings

    engine = db.make_engine(ControlRoomSettings().database_url)
    try:
        db.upgrade(engine)
        with db.transaction(db.make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


def _actor() -> str:
    import getpass

    return f"cli:{getpass.getuser()}"


@app.command("add")
def add(
    username: str = typer.Argument(..., help="Log-in name."),
    role: str = typer.Option("viewer", "--role", help=ROLES_HELP),
    password: str | None = typer.Option(
        None,
        "--password",
        help="At least 8 characters; visible in the process list, prefer --password-stdin. "
        "Prompted for when neither is given.",
    ),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
) -> None:
    """Create a console user; the password is prompted for (or read with
    --password-stdin) and stored as an argon2 hash."""
    from controlroom.services import users as accounts
    from controlroom.services.errors import ServiceError

    password = read_password("password", from_stdin=password_stdin, given=password)
    try:
        with _session() as session:
            accounts.create_user(session, username, password, role, actor=_actor())
    except ServiceError as exc:
        raise _fail(exc.message) from None
    typer.echo(f"user {username} created with role {role}")


@app.command("list")
def list_users(
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """Every console user with role, status and last sign-in."""
    import json

    from controlroom.services import users as accounts

    with _session() as session:
        users = accounts.list_users(session)
        if as_json:
            rows = [
                {
                    "username": u.username,
                    "role": u.role,
                    "disabled": u.disabled,
                    "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
                }
                for u in users
            ]
            typer.echo(json.dumps(rows, indent=2))
            return
        if not users:
            typer.echo("no users yet: add one with `clerk users add NAME --role admin`")
            return
        typer.echo(f"{'USERNAME':<24} {'ROLE':<9} {'STATUS':<9} LAST SIGN-IN")
        for u in users:
            last = u.last_login_at.isoformat(timespec="seconds") if u.last_login_at else "never"
            status = "disabled" if u.disabled else "active"
            typer.echo(f"{u.username:<24} {u.role:<9} {status:<9} {last}")


@app.command("role")
def set_role(
    username: str = typer.Argument(..., help="Log-in name."),
    role: str = typer.Argument(..., help=ROLES_HELP),
) -> None:
    """Change a user's role."""
    from controlroom.services import users as accounts
    from controlroom.services.errors import ServiceError

    try:
        with _session() as session:
            accounts.update_user(session, username, actor=_actor(), role=role)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    typer.echo(f"user {username} is now {role}")


@app.command("disable")
def disable(
    username: str = typer.Argument(..., help="Log-in name."),
    enable: bool = typer.Option(False, help="enable the user again instead"),
) -> None:
    """Disable a user (their sessions end at once), or --enable them again."""
    from controlroom.services import users as accounts
    from controlroom.services.errors import ServiceError

    try:
        with _session() as session:
            accounts.update_user(session, username, actor=_actor(), disabled=not enable)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    typer.echo(f"user {username} {'enabled' if enable else 'disabled'}")


@corrections_app.command("export")
def export(
    out: Path = typer.Argument(..., help="JSON-lines file to write."),
    with_text: bool = typer.Option(
        False,
        "--with-text",
        help="Add each document's text, read again from the item's file (for "
        "`clerk models build --with-corrections --corrections FILE`).",
    ),
) -> None:
    """Write every correction (document sha256, doc type, field, original value and raw
    text, corrected value, reviewer, time) as one JSON object per line."""
    from controlroom.services.review import export_corrections

    if with_text:
        from controlroom.cli_support import session
        from controlroom.services.retraining import write_records

        with session() as (s, _, _, blobs):
            count = write_records(s, blobs, out)
    else:
        with _session() as db_session:
            count = export_corrections(db_session, out)
    typer.echo(f"{count} correction(s) written to {out}")


@corrections_app.command("add")
def corrections_add(
    file: Path = typer.Argument(..., help="The document whose values you confirm."),
    doc_type: str = typer.Option(..., "--type", help="invoice, purchase_order, receipt, ..."),
    fields: list[str] = typer.Option(
        ..., "--field", help="NAME=VALUE, e.g. total_amount=12.50 (repeat the option)"
    ),
) -> None:
    """Teach the vendor memory from FILE with confirmed values, as a console approval
    with those values does (runs as a local admin; audited as cli:<user>)."""
    from clerk.errors import ClerkError
    from controlroom import cli_support
    from controlroom.services import vendor_memory
    from pipeline.understander import Understander

    submitted: dict[str, str] = {}
    for given in fields:
        name, sep, value = given.partition("=")
        if not sep or not name.strip():
            raise _fail(f"--field {given!r} is not NAME=VALUE (e.g. total_amount=12.50)")
        submitted[name.strip()] = value.strip()
    try:
        understander = Understander.load()
    except ClerkError as exc:
        raise _fail(f"{exc.code}: {exc.message}") from None
    with cli_support.session() as (session, ws, _, _):
        taught = vendor_memory.teach_file(
            session, ws, file, doc_type, submitted,
            understander=understander, actor=_actor(), role="admin",
        )  # fmt: skip
    entry = taught.entry
    names = ", ".join(f.name for f in entry.fields)
    typer.echo(
        f"{'learned' if taught.created else 'confirmed'} {entry.vendor_name} "
        f"({entry.vendor_key}), layout {entry.layout.signature[:8]}: {names}; "
        f"{entry.confirmations} confirmation(s), version {entry.version}"
    )


@corrections_app.command("list")
def corrections_list(
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """The vendor memory: vendor, layout, fields, confirmations, version, who and when."""
    import json

    from controlroom import cli_support
    from controlroom.services import vendor_memory

    with cli_support.session() as (session, ws, _, _):
        rows = [vendor_memory.summary(r) for r in vendor_memory.rows(session, ws)]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("the vendor memory is empty: `clerk corrections add FILE ...` teaches it")
        return
    typer.echo(f"{'VENDOR':<28} {'TYPE':<8} {'LAYOUT':<8} {'CONF':>4} {'VER':>3}  FIELDS / BY")
    for r in rows:
        typer.echo(
            f"{str(r['vendor_name'])[:28]:<28} {str(r['doc_type'])[:8]:<8} "
            f"{str(r['layout'])[:8]:<8} {r['confirmations']:>4} {r['version']:>3}  "
            f"{', '.join(r['fields'])}; {r['taught_by']} {cli_support.cell(r['taught_at'])}"
        )


@corrections_app.command("forget")
def corrections_forget(
    vendor: str = typer.Argument(..., help="The vendor's name or key, as `list` shows it."),
) -> None:
    """Forget everything the vendor memory holds about VENDOR (audited)."""
    from controlroom import cli_support
    from controlroom.services import vendor_memory

    with cli_support.session() as (session, ws, _, _):
        count = vendor_memory.forget(session, ws, vendor, actor=_actor())
    typer.echo(f"forgot {count} layout(s) of {vendor}")
