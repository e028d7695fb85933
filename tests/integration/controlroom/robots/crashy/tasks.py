"""Test robot: records every item it completes in a ledger, and can be made to hang.

``CRASHY_DIR`` (inherited from the worker's environment) is where it keeps its files:

- ``ledger.txt``: one line ``<item id> <n> <pid>`` per completed item, appended just
  before the release, so a line means "processed to the end once";
- ``hang-on-<n>``: when present, the robot writes its pid to ``hanging.pid`` (and to
  ``hanging-<n>.pid``, for callers with several hangs at once) on item ``n``, removes
  the flag (so the next attempt goes through) and blocks until killed.

- an input with ``"emit": true`` gets an output (``{"n"}``) before the hang check, so a
  robot killed on it leaves that output behind; ``collect`` (a second step) appends
  ``<parent id> <n>`` to ``collected.txt`` for each output it gets.

``CRASHY_SECONDS`` (default 0): how long ``process`` works on each item, after making its
output and before releasing it.

``hold`` takes its first input and ends without releasing it (a task that passes with an
unreleased item: the Control Room must resolve it).

``leak`` spills every secret it can: its step-run token in an Authorization header on
stdout and in an artifact, the secrets the test planted in ``planted.txt``, and then an
output too large for the Control Room, whose HTTP error robocorp's ``output.robolog``
records with the request's headers.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from robocorp import workitems
from robocorp.tasks import task


def _dir() -> Path:
    return Path(os.environ["CRASHY_DIR"])


@task
def process() -> None:
    folder = _dir()
    for item in workitems.inputs:
        n = item.payload["n"]
        if item.payload.get("emit"):
            workitems.outputs.create(payload={"n": n, "parent": item.id})
        flag = folder / f"hang-on-{n}"
        if flag.exists():
            flag.unlink()
            (folder / "hanging.pid").write_text(str(os.getpid()))
            (folder / f"hanging-{n}.pid").write_text(str(os.getpid()))
            while True:  # the test SIGKILLs us here, mid-item
                time.sleep(0.05)
        time.sleep(float(os.environ.get("CRASHY_SECONDS", "0")))  # the item's "work"
        print(f"processing item {item.id} n={n} cid={os.environ.get('CLERK_CORRELATION_ID')}")
        with (folder / "ledger.txt").open("a") as ledger:
            ledger.write(f"{item.id} {n} {os.getpid()}\n")
        item.done()


@task
def collect() -> None:
    for item in workitems.inputs:
        with (_dir() / "collected.txt").open("a") as out:
            out.write(f"{item.payload['parent']} {item.payload['n']}\n")
        item.done()


@task
def hold() -> None:
    item = workitems.inputs.current  # reserved by the library as the task starts
    print(f"holding item {item.id} without releasing it")
    (_dir() / "held.txt").write_text(item.id)


@task
def leak() -> None:
    token = os.environ["RC_API_PROCESS_TOKEN"]
    planted = (_dir() / "planted.txt").read_text()
    print(f"Authorization: Bearer {token}")
    print(f"planted: {planted}")
    print(f"worker token in my environment: {os.environ.get('CLERK_WORKER_TOKEN')}")
    artifacts = Path(os.environ["ROBOT_ARTIFACTS"])
    (artifacts / "headers.txt").write_text(f"{{'Authorization': 'Bearer {token}'}} {planted}")
    workitems.outputs.create(payload={"big": "x" * (2 * 1024 * 1024)})  # 413: raises
