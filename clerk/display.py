"""An X display for desktop bots: ``$DISPLAY`` when there is one, else an Xvfb of our
own that ends with us; and a lock so that one bot at a time drives a display's keyboard.
``clerk worker`` starts one for its robots when it has no display
(``worker_display``); a robot run on its own starts its own (``ensure_display``).

``VirtualDisplay`` starts ``Xvfb -displayfd``, which picks a free display number itself
and writes it when the server is ready to take connections (no port guessing, no wait).
The server gets ``die_with_parent`` (``clerk.processes``), so a SIGKILLed worker or test
process does not leave it behind.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clerk.errors import ApplicationError
from clerk.processes import die_with_parent, stop_child

SCREEN = "1024x768x24"


class VirtualDisplay:
    def __init__(self, screen: str = SCREEN) -> None:
        self.screen = screen
        self.process: subprocess.Popen[bytes] | None = None
        self.name = ""

    def start(self, timeout: float = 20) -> VirtualDisplay:
        binary = shutil.which("Xvfb")
        if binary is None:
            raise ApplicationError(
                "BOT_ERROR",
                "no X display ($DISPLAY is unset) and no Xvfb to start one; install the "
                "Debian package xvfb (scripts/setup does) or run under a display",
            )
        read, write = os.pipe()
        self.process = subprocess.Popen(
            [binary, "-displayfd", str(write), "-screen", "0", self.screen, "-nolisten", "tcp",
             "-noreset"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )  # fmt: skip
        os.close(write)
        try:
            with os.fdopen(read) as ready:
                number = ready.readline().strip()  # written once the server accepts clients
        finally:
            if not number:
                self.stop()
        if not number:
            raise ApplicationError("BOT_ERROR", "Xvfb did not start (it printed no display)")
        self.name = f":{number}"
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop_child(self.process)

    def __enter__(self) -> VirtualDisplay:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


@contextmanager
def ensure_display() -> Iterator[str]:
    """``$DISPLAY`` if set; else an Xvfb of our own for the block, as ``$DISPLAY``."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    with VirtualDisplay() as display:
        os.environ["DISPLAY"] = display.name
        try:
            yield display.name
        finally:
            os.environ.pop("DISPLAY", None)


@contextmanager
def worker_display() -> Iterator[str | None]:
    """For a worker: ``$DISPLAY`` if set; else, when Xvfb is installed, one started here
    for the worker's robots (they inherit ``$DISPLAY``) and stopped with the worker;
    else none (desktop robots then start their own, or fail with a clear message)."""
    if os.environ.get("DISPLAY") or shutil.which("Xvfb") is None:
        yield os.environ.get("DISPLAY")
        return
    with ensure_display() as name:
        yield name


@contextmanager
def display_lock(display: str | None = None) -> Iterator[None]:
    """Hold the display's keyboard and mouse for one item: two robots on one display
    (a worker running two at once) take turns instead of typing into each other's
    windows. The kernel drops the lock of a killed robot."""
    name = (display or os.environ.get("DISPLAY", "")).replace("/", "_").replace(":", "")
    path = Path(tempfile.gettempdir()) / f".clerk-desktop-display-{name or 'none'}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
