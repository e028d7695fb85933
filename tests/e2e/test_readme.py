"""The README's "Using it" section, run as written: a new administrator's path from an
empty ``CLERK_HOME`` to COMPLETED runs with an ERP entry and a CMS draft.

The shell block that starts the Control Room is taken from README.md and each of its
commands is run in order, in the checkout, with only what a reader supplies put in: free
ports (the ``export CLERK_..._PORT`` line the README suggests), the URL, token, run and
item the earlier commands printed where the README writes ``http://cr:8765``,
``<token>``, ``<run>`` and ``<item>`` (and ``~/`` means the test's folder), the password
from ``clerk sandbox``'s output given on stdin (``--password-stdin``, as the README says
scripts do), and the model registry this test session uses (``clerk.paths.models_dir``)
for ``CLERK_MODELS_DIR``. The three serving commands (``clerk controlroom``, ``clerk
sandbox``, ``clerk worker``) run in the background, each in its own process group, and
are ended with their groups.
A run a command started is waited for before the next command that looks at runs or
items, as a reader waits for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import pytest

from clerk.paths import PROJECT_ROOT, models_dir
from clerk.registry import Registry
from clerk.serving import free_port
from sandbox.faults import read_ledger

pytestmark = [pytest.mark.browser, pytest.mark.slow]

README = PROJECT_ROOT / "README.md"
SERVING = ("controlroom", "sandbox", "worker")
CONSOLE_PASSWORD = "readme-admin-password"
RUN_TIMEOUT = 300.0


def using_it_commands(text: str) -> list[tuple[list[str], str]]:
    """The commands of the "Using it" shell block that sets up the Control Room, each as
    an argv with its line (comments say which document an item is): continuation lines
    joined, blank and comment lines dropped."""
    section = text.split("## Using it", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    block = next(b for b in blocks if "clerk controlroom" in b)
    # The prose's "ports of one's own" line comes first.
    ports = re.search(r"`(export CLERK_CONTROLROOM_PORT=[^`]*)`", section)
    commands = [(shlex.split(ports.group(1)), ports.group(1))] if ports else []
    for line in block.replace("\\\n", " ").splitlines():
        argv = shlex.split(line, comments=True)
        if argv:
            commands.append((argv, line))
    return commands


def test_the_readme_block_is_found_and_parsed() -> None:
    commands = [argv for argv, _ in using_it_commands(README.read_text(encoding="utf-8"))]
    assert commands[0][0] == "export"
    assert {"CLERK_CONTROLROOM_PORT", "CLERK_SANDBOX_ERP_PORT", "CLERK_SANDBOX_CMS_PORT"} <= {
        a.split("=")[0] for a in commands[0][1:]
    }
    assert commands[1] == ["clerk", "controlroom"]
    assert ["clerk", "sandbox"] in commands
    assert any(c[:3] == ["clerk", "runs", "start"] for c in commands)
    assert all(c[0] in ("clerk", "export", "install") for c in commands), commands


@dataclass
class Reader:
    """What a reader of the README has at hand: a shell environment and what the
    commands printed."""

    home: Path
    env: dict[str, str]
    background: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    printed: dict[str, str] = field(default_factory=dict)
    runs: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    approved: list[str] = field(default_factory=list)  # documents approved as written
    went_alone: list[str] = field(default_factory=list)  # documents no person had to see

    def log_of(self, name: str) -> str:
        path = self.home / f"{name}.out"
        return path.read_text(errors="replace") if path.exists() else ""

    def tail(self) -> str:
        logs = "".join(f"\n--- {n} ---\n{self.log_of(n)[-3000:]}" for n in self.background)
        return "\n".join(self.transcript[-30:]) + logs

    def clerk(self, args: list[str], stdin: str = "") -> str:
        binary = str(Path(sys.executable).parent / "clerk")
        result = subprocess.run(
            [binary, *args], cwd=PROJECT_ROOT, env=self.env, input=stdin,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        self.transcript.append(f"$ clerk {shlex.join(args)} -> {result.returncode}")
        self.transcript.append(result.stdout[-2000:] + result.stderr[-2000:])
        assert result.returncode == 0, self.tail()
        return result.stdout + result.stderr

    def start(self, name: str, args: list[str]) -> None:
        binary = str(Path(sys.executable).parent / "clerk")
        with (self.home / f"{name}.out").open("wb") as out:
            self.background[name] = subprocess.Popen(
                [binary, *args], cwd=PROJECT_ROOT, env=self.env, stdin=subprocess.DEVNULL,
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.transcript.append(f"$ clerk {shlex.join(args)} &")

    def wait_for(self, name: str, pattern: str, timeout: float = 60) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if match := re.search(pattern, self.log_of(name)):
                return match
            assert self.background[name].poll() is None, f"{name} ended early\n{self.tail()}"
            time.sleep(0.2)
        raise AssertionError(f"{name} did not print {pattern!r} in {timeout}s\n{self.tail()}")

    def run_state(self, run: str) -> str:
        return str(json.loads(self.clerk(["runs", "show", run, "--json"]))["state"])

    def wait_for_runs(self, states: tuple[str, ...] = ("COMPLETED", "FAILED")) -> None:
        for run in self.runs:
            deadline = time.monotonic() + RUN_TIMEOUT
            while (state := self.run_state(run)) not in states:
                assert time.monotonic() < deadline, f"run {run} still {state}\n{self.tail()}"
                time.sleep(2)

    def stop(self) -> None:
        """End the three servers and whatever they started (robots, browsers); fail if
        anything is left."""
        started = []
        for process in self.background.values():
            with contextlib.suppress(psutil.NoSuchProcess):
                started += psutil.Process(process.pid).children(recursive=True)
        for process in reversed(self.background.values()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.background.values():
            try:
                process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            # Anything left in a group (a robot, a browser) goes with it.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        _, alive = psutil.wait_procs(started, timeout=30)
        for left in alive:
            left.kill()
        assert not alive, f"still running after the servers ended: {alive}"


@pytest.fixture()
def reader(tmp_path: Path) -> Iterator[Reader]:
    if not all(Registry(models_dir()).current_version(k) for k in ("classifier", "extractor")):
        pytest.skip("no installed models: run `clerk models build` first")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLERK_", "RC_"))}
    env |= {
        "CLERK_HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    found = Reader(tmp_path, env)
    try:
        yield found
    finally:
        found.stop()


def _mine(reader: Reader, path: str) -> Path:
    """A ``~/`` path of the README in the reader's own home (this test's folder)."""
    return reader.home / path.removeprefix("~/")


def _export(reader: Reader, argv: list[str]) -> None:
    for assignment in argv[1:]:
        name, _, value = assignment.partition("=")
        if name.endswith("_PORT"):
            value = str(free_port())  # ports of one's own, as the README suggests
        elif name in ("CLERK_ERP_URL", "CLERK_CMS_URL"):
            value = reader.printed[name]  # "as `clerk sandbox` prints"
        elif name == "CLERK_MODELS_DIR":
            value = str(models_dir())
        reader.env[name] = value


def _step(reader: Reader, argv: list[str], line: str) -> None:
    """Run one README command, with what the reader would fill in."""
    if argv[0] == "export":
        _export(reader, argv)
        return
    if argv[0] == "install":  # the token into a file of its own: install ... FILE <<< TOKEN
        assert argv[-2] == "<<<" and argv[-1] == "<token>", line
        _mine(reader, argv[-3]).write_text(reader.printed["token"] + "\n")
        return
    args = argv[1:]
    if args[0] in SERVING:
        if args[0] == "worker":
            args = [a.replace("http://cr:8765", reader.printed["url"]) for a in args]
            args = [reader.printed["token"] if a == "<token>" else a for a in args]
            args = [str(_mine(reader, a)) if a.startswith("~/") else a for a in args]
        reader.start(args[0], args)
        if args[0] == "controlroom":
            url = reader.wait_for("controlroom", r"Control Room on (http://\S+)").group(1)
            reader.printed["url"] = url
            _wait_http(f"{url}/openapi.json", reader)
        elif args[0] == "sandbox":
            found = reader.wait_for("sandbox", r"export CLERK_ERP_URL=(\S+) CLERK_CMS_URL=(\S+)")
            reader.printed |= {"CLERK_ERP_URL": found.group(1), "CLERK_CMS_URL": found.group(2)}
            account = reader.wait_for("sandbox", r"Robot user '(\S+)', password '(\S+)'")
            reader.printed |= {"robot": account.group(1), "robot-pass": account.group(2)}
            _wait_http(found.group(1), reader)
            _wait_http(found.group(2), reader)
        else:
            reader.wait_for("worker", r"registered as worker")
        return
    if args[:2] in (["runs", "show"], ["items", "list"], ["items", "approve"], ["audit", "verify"]):
        reader.wait_for_runs()  # a reader looks once the run has got somewhere
    if args[:2] == ["items", "approve"]:  # the item of the document the line names
        document = re.search(r"\b[\w-]+\.(?:pdf|xlsx|png|tiff|eml)\b", line)
        assert document, f"which item does this line approve? {line}"
        if document.group(0) not in reader.printed:
            # "Which documents need a person depends on the models: with yours, either
            # may go through alone" (the README): nothing of it waits to be approved.
            reader.went_alone.append(document.group(0))
            return
        reader.printed["item"] = reader.printed[document.group(0)]
        reader.approved.append(document.group(0))
    args = [reader.printed.get(a.strip("<>"), a) if a.startswith("<") else a for a in args]
    stdin = ""
    if args[:2] == ["users", "add"]:
        args, stdin = [*args, "--password-stdin"], CONSOLE_PASSWORD + "\n"
    elif args[:2] == ["credentials", "set"]:
        args = [*args, "--username", reader.printed["robot"], "--password-stdin"]
        stdin = reader.printed["robot-pass"] + "\n"
    out = reader.clerk(args, stdin)
    if args[:2] == ["tokens", "create"]:
        reader.printed["token"] = out.split()[0]  # on stdout, the notice on stderr
    elif args[:2] == ["runs", "start"]:
        run = re.search(r"run (\S+) started", out)
        assert run, out
        reader.runs.append(run.group(1))
        reader.printed["run"] = run.group(1)[:8]  # "any unique id prefix will do"
    elif args[:2] == ["items", "list"]:
        for row in out.splitlines():  # id, step, state, exception, document
            if "NEEDS_REVIEW" in row:
                reader.printed[row.split()[-1]] = row.split()[0]


def _wait_http(url: str, reader: Reader, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, f"{url} not answering\n{reader.tail()}"
            time.sleep(0.2)


def test_using_it_as_written_ends_in_completed_runs_with_an_erp_entry_and_a_cms_draft(
    reader: Reader,
) -> None:
    for argv, line in using_it_commands(README.read_text(encoding="utf-8")):
        _step(reader, argv, line)
    assert reader.runs, "the README starts a run"
    assert reader.approved, f"no README example waited for a person: {reader.went_alone}"
    reader.wait_for_runs(("COMPLETED",))  # the approved items' runs go on to the end
    token = "sandbox-admin"
    erp = read_ledger(reader.printed["CLERK_ERP_URL"], token)
    cms = read_ledger(reader.printed["CLERK_CMS_URL"], token)
    assert erp.get("invoices"), f"no ERP invoice: {erp}"
    assert cms["drafts"], f"no CMS draft: {cms}"
    assert "Gourde inox 2024" in json.dumps(cms["drafts"]), cms["drafts"]
    stored = _artifact_bytes(reader.home / "home" / "controlroom" / "controlroom.db")
    print("bytes stored per step run:", stored)  # issue 17 item 13's figure
    assert stored["Understand"] and max(stored["Understand"]) < 1_000_000, stored


def _artifact_bytes(database: Path) -> dict[str, list[int]]:
    """Bytes of logs and artifacts stored per step run, by step name; no robolog parts
    (log.html.gz holds them)."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(database)) as db:
        names = [n for (n,) in db.execute("SELECT name FROM artifacts")]
        rows = db.execute(
            "SELECT p.name, SUM(a.size) FROM artifacts a JOIN step_runs s ON s.id = a.step_run_id"
            " JOIN process_steps p ON p.id = s.step_id GROUP BY s.id"
        ).fetchall()
    assert "log.html.gz" in names and not [n for n in names if "robolog" in n], names
    by_step: dict[str, list[int]] = {}
    for step, size in rows:
        by_step.setdefault(step, []).append(int(size))
    return by_step
