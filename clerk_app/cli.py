"""The ``clerk`` command line. Heavy imports happen inside commands, never at start-up."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="clerk",
    help="Clerk: on-premises robots, document understanding and the Control Room.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)

# Each package owns its commands in its own ``cli`` module; this list wires them in.
# (module, attribute, name): a Typer app becomes a group, a function a command.
_COMMANDS: list[tuple[str, str, str | None]] = [
    ("clerk_app.errors_cli", "errors", "errors"),
    ("clerk_app.understand_cli", "understand", "understand"),
    ("controlroom.worker.cli", "worker", "worker"),
    ("controlroom.audit_cli", "app", "audit"),
    ("clerk_app.models_cli", "app", "models"),
    ("controlroom.users_cli", "app", "users"),
    ("controlroom.users_cli", "corrections_app", "corrections"),
    ("controlroom.cli", "serve", "controlroom"),
    ("controlroom.cli", "processes", "processes"),
    ("controlroom.cli", "runs", "runs"),
    ("controlroom.items_cli", "app", "items"),
    ("controlroom.tokens_cli", "tokens", "tokens"),
    ("controlroom.workers_cli", "workers", "workers"),
    ("sandbox.cli", "serve", "sandbox"),
    ("robots.credentials_cli", "app", "credentials"),
    ("clerk_app.demo_cli", "demo", "demo"),
]


@app.callback()
def _root() -> None:
    """Clerk: on-premises robots, document understanding and the Control Room."""


def _register() -> None:
    for module_name, attribute, name in _COMMANDS:
        target = getattr(importlib.import_module(module_name), attribute)
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name)
        else:
            app.command(name=name)(target)


_register()


def main() -> None:
    app()
