"""Secrets a robot spills never reach the stored logs and artifacts (issue 16 item 7).

The real Control Room, a real ``clerk worker`` given its token by ``--token-file`` (not
on its command line, where ``ps`` shows it) and the ``crashy`` robot's ``leak``
task, which prints and writes its step-run token, the worker's token and the vault key
the test planted, then fails a request so robocorp's ``output.robolog`` records the
request's ``Authorization`` header. Everything goes through the real upload path.
"""

from __future__ import annotations

import ast
import base64
import gzip
import secrets
import signal
import subprocess
import zlib
from collections.abc import Iterator

import psutil
import pytest
from sqlalchemy import select

from clerk.redact import MASK
from controlroom.files import BlobStore
from controlroom.models import Artifact, StepRun, Token
from tests.integration.controlroom import test_worker_crash as crash

pytestmark = pytest.mark.slow

backend = crash.backend
controlroom = crash.controlroom
VAULT_KEY = "vault-" + secrets.token_hex(16)


@pytest.fixture()
def env_worker(controlroom: crash.ControlRoom) -> Iterator[subprocess.Popen[bytes]]:
    token_file = controlroom.root / "worker.token"
    token_file.write_text(controlroom.worker_token + "\n")
    token_file.chmod(0o600)
    process = crash.start_worker(
        controlroom, ["--token-file", str(token_file)], {"CLERK_VAULT_KEY": VAULT_KEY}
    )
    yield process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _embedded_log(html: bytes) -> bytes:
    """The log robocorp's log.html shows: zlib-and-base64 chunks in its script."""
    start = html.index(b"let chunks = [") + len(b"let chunks = ")
    chunks = ast.literal_eval(html[start : html.index(b"];", start) + 1].decode())
    return b"".join(zlib.decompress(base64.b64decode(c)) for c in chunks)


def _unpacked(name: str, data: bytes) -> bytes:
    return gzip.decompress(data) if name.endswith(".gz") else data


def test_planted_tokens_are_scrubbed_from_stored_logs_and_artifacts(
    controlroom: crash.ControlRoom, env_worker: subprocess.Popen[bytes]
) -> None:
    planted = f"worker={controlroom.worker_token} vault={VAULT_KEY}"
    (controlroom.root / "crashy" / "planted.txt").write_text(planted)
    run_id = controlroom.start_run("leaky", [{"n": 1}])
    crash._wait(lambda: crash._run_state(controlroom, run_id), 60, "the leaky run to end")
    assert controlroom.worker_token not in " ".join(psutil.Process(env_worker.pid).cmdline())

    with controlroom.sessions()() as s:
        # The item fails with an APPLICATION error and is retried: the first attempt will do.
        step_run = s.scalars(
            select(StepRun).where(StepRun.process_run_id == run_id).order_by(StepRun.created_at)
        ).first()
        assert step_run is not None
        artifacts = list(s.scalars(select(Artifact).where(Artifact.step_run_id == step_run.id)))
        token_hashes = set(s.scalars(select(Token.token_hash)))
    store = BlobStore(controlroom.root / "files")
    # Text artifacts are stored gzipped (controlroom.worker._artifacts): read them unpacked.
    stored = {
        a.name.removesuffix(".gz"): _unpacked(a.name, store.get(a.blob_key)) for a in artifacts
    }
    # robocorp's log: the output.robolog parts, or log.html that embeds them packed.
    if "log.html" in stored:
        stored["log.html (its log)"] = _embedded_log(stored["log.html"])
    robolog = "log.html (its log)" if "log.html" in stored else "output.robolog"
    assert {"console.log", "headers.txt", robolog} <= set(stored), sorted(stored)
    # The planted secrets were there to leak: each file shows the mask where they were.
    assert MASK.encode() in stored["headers.txt"] and MASK.encode() in stored["console.log"]
    assert b"Authorization" in stored[robolog] and MASK.encode() in stored[robolog]
    assert b"worker token in my environment: None" in stored["console.log"]
    local = (controlroom.root / "work" / step_run.id / "console-local.log").read_bytes()
    for name, data in {**stored, "worker's local console copy": local}.items():
        for secret in (controlroom.worker_token, VAULT_KEY):
            assert secret.encode() not in data, f"{secret[:10]}... in {name}"
        assert not any(h.encode() in data for h in token_hashes)
        found = [w for w in data.split() if w.startswith(b"clerk_") and len(w) > 40]
        assert not found, f"token-like strings left in {name}: {found}"
