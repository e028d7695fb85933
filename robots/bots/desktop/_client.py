"""The desktop ERP client as a bot's child process: started when the bot needs it,
started again after it crashed, and never outliving the bot (``die_with_parent``)."""

from __future__ import annotations

import logging
import shlex
import subprocess
import sys

from clerk.processes import die_with_parent, stop_child

log = logging.getLogger("clerk.bots.desktop")


def default_command() -> str:
    return f"{shlex.quote(sys.executable)} -m sandbox.desktop"


class ClientProcess:
    def __init__(self, command: str) -> None:
        self.command = shlex.split(command or default_command())
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ends(self, within: float) -> bool:
        """Whether the client ends within ``within`` seconds (at once if it has). A
        client that dies closes its X connection before the kernel reports it ended:
        an X error about its windows may come while it still looks alive."""
        if self.process is None:
            return True
        try:
            self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            return False
        return True

    def start(self) -> None:
        self.stop()
        self.starts += 1
        log.info("starting the desktop ERP client: %s", shlex.join(self.command))
        self.process = subprocess.Popen(
            self.command, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent
        )

    def stop(self) -> None:
        if self.process is None:
            return
        stop_child(self.process)
        self.process = None
