"""Retention of step-run logs and artifacts: after ``CLERK_ARTIFACT_RETENTION_DAYS``.

A step run's artifacts (``log.html.gz``, ``console.log``, screenshots) are what a person
needs to debug it while it is recent. Once its step run ended more than the retention
ago, ``expire_artifacts`` deletes their rows, and the server then deletes each blob no
other row (artifact or work-item file) still refers to, and the step run's console spool.
Each pass that deletes something appends one ``artifacts.expired`` audit entry with the
counts. The step runs themselves, their items and the audit log stay.

Blobs are deleted after the rows' transaction commits, so a failed commit never leaves
rows without their bytes; a crash in between leaves unreferenced files, harmless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from controlroom import _audit as audit
from controlroom._db_types import utcnow
from controlroom.db import transaction
from controlroom.files import BlobStore
from controlroom.models import Artifact, File, StepRun
from controlroom.services.step_logs import spool_path

ACTOR = "system:retention"
INTERVAL_SECONDS = 3600.0  # how often the server looks for expired artifacts
BATCH = 1000  # artifact rows per transaction


@dataclass(frozen=True)
class Expired:
    artifacts: int = 0
    bytes: int = 0
    step_run_ids: tuple[str, ...] = ()
    orphan_keys: tuple[str, ...] = field(default=(), repr=False)


def expire_artifacts(
    session: Session, *, retention_days: float, now: datetime | None = None, batch: int = BATCH
) -> Expired:
    """Delete the rows of up to ``batch`` artifacts whose step run ended more than
    ``retention_days`` ago (0: keep forever) and audit it. Returns what went, with the
    blob keys nothing refers to any more (``remove_blobs`` deletes them after commit)."""
    if retention_days <= 0:
        return Expired()
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    rows = session.execute(
        select(Artifact.id, Artifact.step_run_id, Artifact.size, Artifact.blob_key)
        .join(StepRun, StepRun.id == Artifact.step_run_id)
        .where(StepRun.ended_at.is_not(None), StepRun.ended_at < cutoff)
        .order_by(StepRun.ended_at)
        .limit(batch)
    ).all()
    if not rows:
        return Expired()
    session.execute(delete(Artifact).where(Artifact.id.in_([r.id for r in rows])))
    keys = sorted({r.blob_key for r in rows})
    used = set(session.scalars(select(Artifact.blob_key).where(Artifact.blob_key.in_(keys))))
    used |= set(session.scalars(select(File.blob_key).where(File.blob_key.in_(keys))))
    result = Expired(
        artifacts=len(rows),
        bytes=sum(r.size for r in rows),
        step_run_ids=tuple(sorted({r.step_run_id for r in rows})),
        orphan_keys=tuple(k for k in keys if k not in used),
    )
    audit.append(
        session,
        ACTOR,
        "artifacts.expired",
        "artifact",
        f"before {cutoff.isoformat()}",
        after={
            "artifacts": result.artifacts,
            "bytes": result.bytes,
            "step_runs": len(result.step_run_ids),
            "retention_days": retention_days,
        },
    )
    return result


def remove_blobs(expired: Expired, blobs: BlobStore, files_dir: Path) -> None:
    """After the commit: the blobs no row refers to, and the step runs' console spools."""
    for key in expired.orphan_keys:
        blobs.path(key).unlink(missing_ok=True)
    for step_run_id in expired.step_run_ids:
        spool_path(files_dir, step_run_id).unlink(missing_ok=True)


def expire_all(
    sessions: sessionmaker[Session],
    blobs: BlobStore,
    files_dir: Path,
    retention_days: float,
    batch: int = BATCH,
) -> int:
    """One pass of the server's background task: expire in batches until none is left;
    returns how many artifacts went."""
    total = 0
    while True:
        with transaction(sessions) as session:
            expired = expire_artifacts(session, retention_days=retention_days, batch=batch)
        remove_blobs(expired, blobs, files_dir)
        total += expired.artifacts
        if expired.artifacts < batch:
            return total
