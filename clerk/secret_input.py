"""Passwords for the command line: prompted without echo, or read from standard input.

``--password-stdin`` is for scripts and service managers: no terminal is needed and the
password never appears in the process list, as ``--password VALUE`` would.
"""

from __future__ import annotations

import sys

import typer

STDIN_HELP = "Read the password from the first line of standard input (no terminal needed)."


def read_password(label: str, *, from_stdin: bool, given: str | None = None) -> str:
    """The password from ``--password-stdin``, from ``--password``, else a prompt
    (asked twice, without echo)."""
    if from_stdin and given is not None:
        raise typer.BadParameter("give --password or --password-stdin, not both")
    if from_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            raise typer.BadParameter(
                "--password-stdin read an empty line: pipe the password in, "
                "e.g. `printf '%s\\n' \"$PASSWORD\" | clerk ...`"
            )
        return value
    if given is not None:
        return given
    try:
        return str(typer.prompt(label, hide_input=True, confirmation_prompt=True))
    except typer.Abort:  # end of input: no terminal, nothing piped
        raise typer.BadParameter(
            f"no {label} given: type it at the prompt, or pipe it in with --password-stdin"
        ) from None
