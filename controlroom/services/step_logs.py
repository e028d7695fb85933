"""A step run's console output and artifacts, as the worker protocol uploads them.

Console output is appended to a spool file per step run (``$CLERK_FILES_DIR/spool``,
``O_APPEND`` so several server processes can take chunks) and sealed into a LOG artifact
(``console.log``) in the content-addressed store when the step run ends.

Logs and artifacts are scrubbed before they are stored (``clerk.redact.scrub``): token
secrets and ``Authorization`` credentials are masked, so what a robot printed or its
``output.robolog`` recorded (the headers of a failed request) is not there for every
console viewer to download. The worker scrubs them too, with the secrets it knows; the
spool is scrubbed again as a whole when sealed, for a token a chunk boundary cut.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk.redact import scrub
from controlroom.files import BlobStore
from controlroom.models import Artifact, StepRun
from controlroom.services.errors import InvalidInput
from controlroom.states import ArtifactKind

CONSOLE_LOG = "console.log"


def spool_path(files_dir: Path, step_run_id: str) -> Path:
    return files_dir / "spool" / f"{step_run_id}.log"


def append_log(files_dir: Path, step_run_id: str, chunk: bytes) -> None:
    chunk = scrub(chunk)
    path = spool_path(files_dir, step_run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, chunk)
    finally:
        os.close(fd)


def put_artifact(
    session: Session,
    store: BlobStore,
    step_run: StepRun,
    name: str,
    data: bytes,
    kind: ArtifactKind = ArtifactKind.ARTIFACT,
) -> Artifact:
    name = name.strip().replace("\\", "/")
    if not name or name.startswith("/") or ".." in name.split("/"):
        raise InvalidInput(f"artifact name {name!r} must be a relative path inside the run")
    blob = store.put(data)
    artifact = session.scalar(
        select(Artifact).where(Artifact.step_run_id == step_run.id, Artifact.name == name)
    )
    if artifact is None:
        artifact = Artifact(step_run_id=step_run.id, name=name, kind=kind.value)
        session.add(artifact)
    # Re-uploading (a worker retrying after a lost reply) replaces the content.
    artifact.size, artifact.sha256, artifact.blob_key = blob.size, blob.key, blob.key
    session.flush()
    return artifact


def seal_console_log(
    session: Session, store: BlobStore, files_dir: Path, step_run: StepRun
) -> None:
    path = spool_path(files_dir, step_run.id)
    if path.exists():
        log = scrub(path.read_bytes())
        put_artifact(session, store, step_run, CONSOLE_LOG, log, ArtifactKind.LOG)
